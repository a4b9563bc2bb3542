import { createSqlEngine, type EngineKind, type SqlEngine } from '#adapters/duckdb-engine.ts'
import type { ObjectStore, RunCatalog } from '#functions/ports.ts'
import { parquetProblem } from '#functions/lake/parquet-problem.ts'
import type { SkippedFile } from '#functions/lake/parquet-problem.ts'
import { clientViewSql, emptyViewSql, parquetViewSql, TABLE_NAMES } from '#sql/dataset-views.ts'

/** The lake as SQL, plus the curated files left out because they cannot be read. */
export interface LakeSql extends SqlEngine {
  skipped: SkippedFile[]
}

/**
 * DuckDB (native by default; `engine: 'wasm'` for the notebook's duckdb-wasm 1.28.0) with views
 * `runs`, `intervals`, `metrics` over the lake's curated Parquet, read through the object store
 * the catalog's manifest points at. The same view definitions as the notebook (tables and client
 * views), and every query file is tested to give equal rows on both engines. A file that is not
 * whole Parquet, or whose metadata DuckDB cannot read, is left out of the views and named in
 * `skipped` (one bad file would otherwise fail every query without naming itself).
 */
export async function openLakeSql(
  lake: { curated: ObjectStore; catalog: RunCatalog },
  engine: EngineKind = 'native',
): Promise<LakeSql> {
  const db = await createSqlEngine(engine)
  try {
    const names: Record<string, Array<{ name: string; key: string }>> = {
      runs: [],
      intervals: [],
      metrics: [],
    }
    const skipped: SkippedFile[] = []
    for (const partition of await lake.catalog.listPartitions()) {
      for (const file of partition.files) {
        const bytes = await lake.curated.get(file.key)
        if (!bytes) continue // compacted away after the manifest was read
        const problem = parquetProblem(bytes)
        if (problem !== null) {
          skipped.push({ key: file.key, reason: problem })
          continue
        }
        const name = `${partition.table}-${names[partition.table].length}.parquet`
        await db.registerBuffer(name, bytes)
        names[partition.table].push({ name, key: file.key })
      }
    }
    for (const table of TABLE_NAMES) {
      let files = names[table]
      if (
        files.length > 0 &&
        !(await readable(
          db,
          files.map((f) => f.name),
        ))
      ) {
        // Find the file(s) DuckDB cannot open, one by one, only when the set as a whole fails.
        const kept = []
        for (const f of files) {
          if (await readable(db, [f.name])) kept.push(f)
          else skipped.push({ key: f.key, reason: 'DuckDB cannot read its metadata' })
        }
        files = kept
      }
      await db.query(
        files.length
          ? parquetViewSql(
              table,
              files.map((f) => f.name),
            )
          : emptyViewSql(table),
      )
    }
    for (const statement of clientViewSql()) await db.query(statement)
    return Object.assign(db, { skipped })
  } catch (error) {
    await db.close()
    throw error
  }
}

/** Whether DuckDB can open these registered Parquet files together (their metadata parses). */
export async function readable(db: SqlEngine, names: string[]): Promise<boolean> {
  try {
    await db.query(
      `SELECT count(*) AS n FROM read_parquet([${names.map((n) => `'${n}'`).join(', ')}], union_by_name = true)`,
    )
    return true
  } catch {
    return false
  }
}
