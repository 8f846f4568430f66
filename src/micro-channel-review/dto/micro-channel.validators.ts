import { ValidateBy, ValidationOptions } from 'class-validator';

/** 6-15 letters and digits, the first a letter (API.md 5.4). */
export const MICRO_CHANNEL_NUMBER_PATTERN = /^[A-Za-z][A-Za-z0-9]{5,14}$/;
/** `0` for nationwide, else a 6-digit GB/T 2260 code (resolved to a name by CityService). */
export const CITY_CODE_PATTERN = /^(0|\d{6})$/;
export const CATALOG_ID_PATTERN = /^\d{6,11}$/;
/** A positive integer id that fits a BIGINT UNSIGNED column. */
export const APPLY_IDX_PATTERN = /^[1-9]\d{0,17}$/;
const LOGO_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.webp'];
const MAX_KEYWORDS = 5;
const MAX_KEYWORD_CHARS = 8;

const CONTROL_CHARACTER = /\p{Cc}/u;

/** Empty optional parameters count as absent (partners send every field, some of them empty). */
export const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

/** Human text: a length in characters (a CJK character or an emoji is one), printable, not blank. */
export function isText(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string' || CONTROL_CHARACTER.test(value)) {
    return false;
  }
  const length = [...value].length;
  return length >= min && length <= max && (min === 0 || value.trim().length > 0);
}

export function IsText(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isText',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => isText(value, min, max),
        defaultMessage: () => `must be ${min}-${max} printable characters`,
      },
    },
    options,
  );
}

/** At most 5 comma-separated tags of 1-8 characters each. */
export function isKeyWords(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  const tags = value.split(',');
  return tags.length <= MAX_KEYWORDS && tags.every((tag) => isText(tag, 1, MAX_KEYWORD_CHARS));
}

export function IsKeyWords(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isKeyWords',
      validator: {
        validate: isKeyWords,
        defaultMessage: () =>
          `must be at most ${MAX_KEYWORDS} comma-separated tags of 1-${MAX_KEYWORD_CHARS} characters`,
      },
    },
    options,
  );
}

/** An http(s) URL of at most 128 characters whose path ends in an image extension (any case). */
export function isLogoUrl(value: unknown): boolean {
  if (!isText(value, 1, 128)) {
    return false;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return false;
  }
  const path = url.pathname.toLowerCase();
  return LOGO_EXTENSIONS.some((ext) => path.endsWith(ext));
}

export function IsLogoUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLogoUrl',
      validator: {
        validate: isLogoUrl,
        defaultMessage: () => `must be an http(s) URL of at most 128 characters ending in ${LOGO_EXTENSIONS.join(' ')}`,
      },
    },
    options,
  );
}
