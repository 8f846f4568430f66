import { InsertResult } from 'typeorm';

/** The escape character `containsPattern` uses; queries pair it with `LIKE :x ESCAPE '!'`. */
export const LIKE_ESCAPE = '!';

/**
 * A LIKE pattern matching `value` anywhere, with user-typed `%`, `_` and `!` taken literally. Uses an
 * explicit escape character rather than backslash, so it holds under NO_BACKSLASH_ESCAPES too.
 */
export function containsPattern(value: string): string {
  return `%${value.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`)}%`;
}

/** Whether an `INSERT IGNORE` wrote its row (false: the key was taken). */
export function insertedOneRow(result: InsertResult): boolean {
  return (result.raw as { affectedRows?: number }).affectedRows === 1;
}
