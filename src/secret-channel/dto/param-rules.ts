import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy, ValidationOptions } from 'class-validator';
import { cityNameOf } from '../city.service';

/**
 * Parameter rules of the secret-channel routes (API.md 5). Every failure surfaces as
 * `ME01023 <param> is error!` through the global ValidationPipe, in the DTO's property order.
 */

/** Human text counts characters (code points: a CJK character or an emoji is one), never bytes. */
export function charCount(value: string): number {
  return [...value].length;
}

/** "Any printable Unicode": no control characters, no lone surrogates. Quotes and SQL metacharacters are data. */
const NON_PRINTABLE = /[\p{Cc}\p{Cs}]/u;

export function isText(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string' || NON_PRINTABLE.test(value)) {
    return false;
  }
  const n = charCount(value);
  return n >= min && n <= max;
}

export const ACCOUNT_ID = /^[A-Za-z0-9]{10}$/;
export const CHANNEL_NUMBER = /^\d{9,10}$/;
export const CATALOG_ID = /^\d{6,11}$/;
export const UNIQUE_CODE = /^\d{9,10}\|[0-9a-f]{32}$/;
const CITY_CODE_FORMAT = /^(0|\d{6})$/;
const IMAGE_PATH = /\.(png|jpg|jpeg|gif|bmp|webp)$/i;

function rule(
  name: string,
  test: (value: unknown, object: object) => boolean,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy({ name, validator: { validate: (value, args) => test(value, args?.object ?? {}) } }, options);
}

/** Optional parameter: absent and empty are the same thing ("no value"). */
export function OptionalParam(): PropertyDecorator {
  const toUndefined = Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));
  const optional = IsOptional();
  return (target, key) => {
    toUndefined(target, key);
    optional(target, key);
  };
}

export const IsPattern = (pattern: RegExp): PropertyDecorator =>
  rule('isPattern', (v) => typeof v === 'string' && pattern.test(v));

export const IsOneOf = (values: readonly string[]): PropertyDecorator =>
  rule('isOneOf', (v) => typeof v === 'string' && values.includes(v));

export const IsText = (min: number, max: number): PropertyDecorator => rule('isText', (v) => isText(v, min, max));

/** `0` or a 6-digit code of a real division in the dataset. */
export const IsCityCode = (): PropertyDecorator =>
  rule('isCityCode', (v) => typeof v === 'string' && cityNameOf(v) !== undefined);

/** A filter value: `0` or any 6 digits (an unknown code simply matches nothing). */
export const IsCityCodeFormat = (): PropertyDecorator =>
  rule('isCityCodeFormat', (v) => typeof v === 'string' && CITY_CODE_FORMAT.test(v));

/** ≤128 characters, http or https with a host, path ending in an image extension (any case). */
export function isImageUrl(value: unknown): boolean {
  if (typeof value !== 'string' || charCount(value) > 128 || /[\s\p{Cc}]/u.test(value)) {
    return false;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && IMAGE_PATH.test(url.pathname)
  );
}

export const IsImageUrl = (): PropertyDecorator => rule('isImageUrl', isImageUrl);

/** At most 5 comma-separated tags, each 1–8 characters. Repeated tags are allowed (the seed sends `cc,cc`). */
export function isKeywordList(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  const tags = value.split(',');
  return tags.length <= 5 && tags.every((tag) => isText(tag, 1, 8) && !tag.includes(','));
}

export const IsKeywordList = (): PropertyDecorator => rule('isKeywordList', isKeywordList);

/** A decimal integer without sign or leading zeros, within [min, max]. */
export const IsIntBetween = (min: number, max: number): PropertyDecorator =>
  rule(
    'isIntBetween',
    (v) => typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v) && Number(v) >= min && Number(v) <= max,
  );

/** A value from a set that depends on another parameter (curStatus by infoType). */
export const IsOneOfBy = (pick: (object: Record<string, unknown>) => readonly string[]): PropertyDecorator =>
  rule('isOneOfBy', (v, o) => typeof v === 'string' && pick(o as Record<string, unknown>).includes(v));
