import { createSqlEngine, type EngineKind, type SqlEngine } from '#adapters/duckdb-engine.ts'
import type { ObjectStore, RunCatalog } from '#functions/ports.ts'
import { clientViewSql, emptyViewSql, parquetViewSql, TABLE_NAMES } from '#sql/dataset-views.ts'

/**
 * DuckDB (native by default; `engine: 'wasm'` for the notebook's duckdb-wasm 1.28.0) with views
 * `runs`, `intervals`, `metrics` over the lake's curated Parquet, read through the object store
 * the catalog's manifest points at. The same view definitions as the notebook (tables and client
 * views), and every query file is tested to give equal rows on both engines.
 */
export async function openLakeSql(
  lake: { curated: ObjectStore; catalog: RunCatalog },
  engine: EngineKind = 'native',
): Promise<SqlEngine> {
  const db = await createSqlEngine(engine)
  try {
    const names: Record<string, string[]> = { runs: [], intervals: [], metrics: [] }
    for (const partition of await lake.catalog.listPartitions()) {
      for (const file of partition.files) {
        const bytes = await lake.curated.get(file.key)
        if (!bytes) continue // compacted away after the manifest was read
        const name = `${partition.table}-${names[partition.table].length}.parquet`
        await db.registerBuffer(name, bytes)
        names[partition.table].push(name)
      }
    }
    for (const table of TABLE_NAMES) await db.query(names[table].length ? parquetViewSql(table, names[table]) : emptyViewSql(table))
    for (const statement of clientViewSql()) await db.query(statement)
    return db
  } catch (error) {
    await db.close()
    throw error
  }
}
