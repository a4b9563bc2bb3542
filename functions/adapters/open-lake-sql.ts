import { createDuckDb } from '#adapters/duckdb-node.ts'
import type { NodeDuckDb } from '#adapters/duckdb-node.ts'
import type { ObjectStore, RunCatalog } from '#functions/ports.ts'
import { clientViewSql, emptyViewSql, parquetViewSql, TABLE_NAMES } from '#sql/dataset-views.ts'

/**
 * duckdb-wasm (the notebook's engine and version) with views `runs`, `intervals`, `metrics` over
 * the lake's curated Parquet, read through the object store the catalog's manifest points at.
 * The same view definitions as the notebook (tables and client views), so SQL gives the same
 * answers in both places.
 */
export async function openLakeSql(lake: { curated: ObjectStore; catalog: RunCatalog }): Promise<NodeDuckDb> {
  const db = await createDuckDb()
  try {
    const names: Record<string, string[]> = { runs: [], intervals: [], metrics: [] }
    for (const partition of await lake.catalog.listPartitions()) {
      for (const file of partition.files) {
        const bytes = await lake.curated.get(file.key)
        if (!bytes) continue // compacted away after the manifest was read
        const name = `${partition.table}-${names[partition.table].length}.parquet`
        db.registerBuffer(name, bytes)
        names[partition.table].push(name)
      }
    }
    for (const table of TABLE_NAMES) db.query(names[table].length ? parquetViewSql(table, names[table]) : emptyViewSql(table))
    for (const statement of clientViewSql()) db.query(statement)
    return db
  } catch (error) {
    await db.close()
    throw error
  }
}
