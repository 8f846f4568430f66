/*
 * Parameter syntax of the micro-channel routes only; the rules every channel kind shares (text,
 * city code, logo URL, keywords, catalog id) are in src/common/validation/partner-param.rules.ts.
 */

/** 6-15 letters and digits, the first a letter (API.md 5.4). */
export const MICRO_CHANNEL_NUMBER_PATTERN = /^[A-Za-z][A-Za-z0-9]{5,14}$/;
/** A positive integer id that fits a BIGINT UNSIGNED column. */
export const APPLY_IDX_PATTERN = /^[1-9]\d{0,17}$/;
