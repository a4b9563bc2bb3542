import { createDuckDb } from '#adapters/duckdb-node.ts'
import type { NodeDuckDb } from '#adapters/duckdb-node.ts'
import type { ObjectStore, RunCatalog } from '#functions/ports.ts'
import { parquetProblem } from '#functions/lake/parquet-problem.ts'
import type { SkippedFile } from '#functions/lake/parquet-problem.ts'
import { clientViewSql, emptyViewSql, parquetViewSql, TABLE_NAMES } from '#sql/dataset-views.ts'

/** The lake as SQL, plus the curated files left out because they cannot be read. */
export interface LakeSql extends NodeDuckDb {
  skipped: SkippedFile[]
}

/**
 * duckdb-wasm (the notebook's engine and version) with views `runs`, `intervals`, `metrics` over
 * the lake's curated Parquet, read through the object store the catalog's manifest points at.
 * The same view definitions as the notebook (tables and client views), so SQL gives the same answers in both places.
 * A file that is not whole Parquet, or whose metadata DuckDB cannot read, is left out of the views
 * and named in `skipped` (one bad file would otherwise fail every query without naming itself).
 */
export async function openLakeSql(lake: {
  curated: ObjectStore
  catalog: RunCatalog
}): Promise<LakeSql> {
  const db = await createDuckDb()
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
        db.registerBuffer(name, bytes)
        names[partition.table].push({ name, key: file.key })
      }
    }
    for (const table of TABLE_NAMES) {
      let files = names[table]
      if (
        files.length > 0 &&
        !readable(
          db,
          files.map((f) => f.name),
        )
      ) {
        // Find the file(s) DuckDB cannot open, one by one, only when the set as a whole fails.
        files = files.filter((f) => {
          if (readable(db, [f.name])) return true
          skipped.push({ key: f.key, reason: 'DuckDB cannot read its metadata' })
          db.dropFile(f.name)
          return false
        })
      }
      db.query(
        files.length
          ? parquetViewSql(
              table,
              files.map((f) => f.name),
            )
          : emptyViewSql(table),
      )
    }
    for (const statement of clientViewSql()) db.query(statement)
    return Object.assign(db, { skipped })
  } catch (error) {
    await db.close()
    throw error
  }
}

function readable(db: NodeDuckDb, names: string[]): boolean {
  try {
    db.query(
      `SELECT count(*) AS n FROM read_parquet([${names.map((n) => `'${n}'`).join(', ')}], union_by_name = true)`,
    )
    return true
  } catch {
    return false
  }
}
