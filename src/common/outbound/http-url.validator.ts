import { registerDecorator, ValidationOptions } from 'class-validator';

const SCHEME = /^https?:\/\//i;

function hasWhitespaceOrControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f || /\s/.test(value[i])) {
      return true;
    }
  }
  return false;
}

/**
 * An absolute http(s) URL that the outbound client will parse the same way (WHATWG URL), with a host,
 * no whitespace or control characters, at most `maxLength` characters.
 */
export function isHttpUrl(value: unknown, maxLength: number): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    return false;
  }
  if (!SCHEME.test(value) || hasWhitespaceOrControl(value)) {
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
