import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { cityNameOf } from '../geo/city.service';

/*
 * Parameter rules shared by the partner routes of every channel kind (API.md 5). A failure on a
 * partner route surfaces as `ME01023 <param> is error!` through the global ValidationPipe, in the
 * DTO's property order; on the admin API the default message says why. Rules that belong to one
 * feature (its channel number syntax, its ids) stay in that feature's DTO folder.
 */

/** A partner app's key: 1-10 digits (API.md 3; existing apps brought over keep theirs, API.md 15). */
export const APP_KEY_PATTERN = /^\d{1,10}$/;
export const CATALOG_ID_PATTERN = /^\d{6,11}$/;
/** `0` for nationwide, else 6 digits; IsCityCode also requires a real division. */
export const CITY_CODE_PATTERN = /^(0|\d{6})$/;

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.webp'];
const MAX_KEYWORDS = 5;
const MAX_KEYWORD_CHARS = 8;
const MAX_IMAGE_URL_CHARS = 128;

/** "Any printable Unicode": no control characters, no lone surrogates. Quotes and SQL metacharacters are data. */
const NON_PRINTABLE = /[\p{Cc}\p{Cs}]/u;
/** A URL carries no white space at all; the URL parser would otherwise trim or percent-encode it. */
const SPACE_OR_NON_PRINTABLE = /[\s\p{Cc}\p{Cs}]/u;

function rule(
  name: string,
  test: (value: unknown, object: object) => boolean,
  message: string,
  options?: ValidationOptions,
  constraints?: unknown[],
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      constraints,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => test(value, args?.object ?? {}),
        defaultMessage: () => message,
      },
    },
    options,
  );
}

/** Human text counts characters (code points: a CJK character or an emoji is one), never bytes. */
export function charCount(value: string): number {
  return [...value].length;
}

/** Printable text of min..max characters; with a minimum above 0 it must not be blank either. */
export function isText(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string' || NON_PRINTABLE.test(value)) {
    return false;
  }
  const n = charCount(value);
  return n >= min && n <= max && (min === 0 || value.trim().length > 0);
}

export const IsText = (min: number, max: number, options?: ValidationOptions): PropertyDecorator =>
  rule('isText', (v) => isText(v, min, max), `must be ${min}-${max} printable characters`, options, [min, max]);

/** Empty optional parameters count as absent (partners send every field, some of them empty). */
export const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

/** Optional parameter: absent and empty are the same thing ("no value"). */
export function OptionalParam(): PropertyDecorator {
  const toUndefined = Transform(emptyToUndefined);
  const optional = IsOptional();
  return (target, key) => {
    toUndefined(target, key);
    optional(target, key);
  };
}

/** `0` or a 6-digit code of a real division in the dataset (API.md 5.1). */
export const IsCityCode = (options?: ValidationOptions): PropertyDecorator =>
  rule(
    'isCityCode',
    (v) => typeof v === 'string' && cityNameOf(v) !== null,
    'must be 0 or the 6-digit code of a Chinese administrative division',
    options,
  );

/** ≤128 characters, http or https with a host, path ending in an image extension (any case). */
export function isImageUrl(value: unknown): boolean {
  if (typeof value !== 'string' || SPACE_OR_NON_PRINTABLE.test(value) || !isText(value, 1, MAX_IMAGE_URL_CHARS)) {
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
  return IMAGE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

export const IsImageUrl = (options?: ValidationOptions): PropertyDecorator =>
  rule(
    'isImageUrl',
    isImageUrl,
    `must be an http(s) URL of at most ${MAX_IMAGE_URL_CHARS} characters ending in ${IMAGE_EXTENSIONS.join(' ')}`,
    options,
  );

/** At most 5 comma-separated tags, each 1–8 characters. Repeated tags are allowed (the seed sends `cc,cc`). */
export function isKeywordList(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  const tags = value.split(',');
  return tags.length <= MAX_KEYWORDS && tags.every((tag) => isText(tag, 1, MAX_KEYWORD_CHARS));
}

export const IsKeywordList = (options?: ValidationOptions): PropertyDecorator =>
  rule(
    'isKeywordList',
    isKeywordList,
    `must be at most ${MAX_KEYWORDS} comma-separated tags of 1-${MAX_KEYWORD_CHARS} characters`,
    options,
  );

/** A decimal integer without sign or leading zeros (at most 9 digits), within [min, max]. */
export const IsIntBetween = (min: number, max: number, options?: ValidationOptions): PropertyDecorator =>
  rule(
    'isIntBetween',
    (v) => typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v) && Number(v) >= min && Number(v) <= max,
    `must be a whole number from ${min} to ${max}`,
    options,
    [min, max],
  );

/** A value from a set that depends on other parameters (secret channels: curStatus by infoType). */
export const IsOneOfBy = (
  pick: (object: Record<string, unknown>) => readonly string[],
  options?: ValidationOptions,
): PropertyDecorator =>
  rule(
    'isOneOfBy',
    (v, o) => typeof v === 'string' && pick(o as Record<string, unknown>).includes(v),
    'is not one of the values allowed here',
    options,
  );
