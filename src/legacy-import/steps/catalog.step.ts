import { ImportContext } from '../import-context';
import { skip } from '../import-report';
import { catalogIdOf, fromUnix, textProblem } from '../legacy-mapping';

interface LegacyCatalog {
  id: number;
  name: string;
  catalogType: number;
  validity: number;
  createTime: number;
}

/** channelCatalog -> catalog (id, name, catalogType; introduction, sortIndex and logo have no column here). */
export async function importCatalogs(ctx: ImportContext): Promise<void> {
  for (const row of await ctx.read<Array<{ id: string; name: string }>>(
    null,
    'SELECT catalog_id AS id, name FROM catalog',
  )) {
    ctx.catalogs.set(row.id, row.name);
  }
  await ctx.keyset<LegacyCatalog>({
    step: 'catalogs',
    count: async () => (await ctx.legacyRows<{ n: number }>('SELECT COUNT(*) AS n FROM channelCatalog'))[0].n,
    fetch: (cursor, limit) =>
      ctx.legacyRows(
        'SELECT id, name, catalogType, validity, createTime FROM channelCatalog WHERE id > ? ORDER BY id LIMIT ?',
        [Number(cursor ?? -1), limit],
      ),
    cursorOf: (row) => String(row.id),
    handle: async (rows, m, tally) => {
      const insert: unknown[][] = [];
      for (const row of rows) {
        tally.read++;
        const id = catalogIdOf(row.id);
        const key = String(row.id);
        const problem = !id
          ? 'catalog id is not 6-11 digits'
          : ![0, 1, 2].includes(Number(row.catalogType))
            ? 'catalogType is not 0, 1 or 2'
            : textProblem('name', row.name, 1, 64);
        if (problem || !id) {
          skip(tally, problem ?? 'invalid', key);
          continue;
        }
        if (ctx.catalogs.has(id)) {
          tally.present++;
          continue;
        }
        ctx.catalogs.set(id, row.name);
        insert.push([id, row.name, Number(row.catalogType), fromUnix(row.createTime, new Date())]);
        tally.imported++;
      }
      if (m && insert.length > 0) {
        await m.query('INSERT INTO catalog (catalog_id, name, catalog_type, created_at) VALUES ?', [insert]);
      }
    },
  });
}
