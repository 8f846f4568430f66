import { registerDecorator, ValidationOptions } from 'class-validator';

const SCHEME = /^https?:\/\//i;
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

/**
 * An absolute http(s) URL that the outbound client will parse the same way (WHATWG URL), with a host,
 * no whitespace or control characters, at most `maxLength` characters.
 */
export function isHttpUrl(value: unknown, maxLength: number): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    return false;
  }
  if (!SCHEME.test(value) || WHITESPACE_OR_CONTROL.test(value)) {
    return false;
  }
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** class-validator decorator for isHttpUrl. */
export function IsHttpUrl(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isHttpUrl',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [maxLength],
      options: { message: `must be an http or https URL of at most ${maxLength} characters`, ...options },
      validator: { validate: (value: unknown) => isHttpUrl(value, maxLength) },
    });
}
