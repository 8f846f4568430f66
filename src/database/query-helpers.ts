import { EntityManager, EntityTarget, InsertResult, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

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

/**
 * One INSERT and nothing else; answers the new row's auto-increment id. `repository.insert()` on MySQL
 * follows every INSERT with a SELECT of the row's generated and defaulted columns (to update the entity
 * object), a round trip inside the transaction that write paths never use.
 */
export async function insertRow<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  values: QueryDeepPartialEntity<T>,
): Promise<string> {
  const result = await m.createQueryBuilder().insert().into(target).values(values).updateEntity(false).execute();
  return String((result.raw as { insertId: number | string }).insertId);
}
