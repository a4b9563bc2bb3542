import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import type { SqlEngine, SqlParam } from '#adapters/duckdb-engine.ts'
import { readable } from '#adapters/open-lake-sql.ts'
import { bindValues, parseQueryFile } from '#sql/query-file.ts'
import type { QueryFile } from '#sql/query-file.ts'
import { clientViewSql, emptyViewSql, parquetViewSql } from '#sql/dataset-views.ts'
import type { BaselineSampleRow, WindowRunRow } from '#core/report/report-model.ts'
import type { DateRange } from '#core/report/report-window.ts'

/** The notebook's query files the report runs (sql/queries/<name>.sql). */
export const REPORT_QUERY_NAMES = [
  'report-runs-in-window',
  'tcp-throughput-samples-with-baseline',
] as const
type QueryName = (typeof REPORT_QUERY_NAMES)[number]

/** The parsed query files, by name. */
export type ReportQueries = Record<QueryName, QueryFile>

/** `sql/queries/` beside this source tree. A bundled function passes its own copy. */
export const DEFAULT_QUERY_DIR = fileURLToPath(new URL('../../sql/queries/', import.meta.url))

/** Reads and parses the query files the report needs. */
export async function loadReportQueries(dir: string = DEFAULT_QUERY_DIR): Promise<ReportQueries> {
  const entries = await Promise.all(
    REPORT_QUERY_NAMES.map(
      async (name) =>
        [
          name,
          parseQueryFile(`${name}.sql`, await readFile(path.join(dir, `${name}.sql`), 'utf8')),
        ] as const,
    ),
  )
  return Object.fromEntries(entries) as ReportQueries
}

/**
 * Registers the `runs` Parquet files, the `runs` view over them and the shared client views the
 * query files read (which leave server-side iperf3 documents out, as in the notebook). The report
 * reads no intervals or metrics: those views are empty. Returns the indexes of the files left out.
 */
export async function registerRuns(db: SqlEngine, files: readonly Uint8Array[]): Promise<number[]> {
  const names: string[] = []
  for (const [i, bytes] of files.entries()) {
    const name = `report-runs-${i}.parquet`
    await db.registerBuffer(name, bytes)
    names.push(name)
  }
  // A file with a whole frame but a footer DuckDB cannot parse fails every query that reads the
  // set: found one by one (only when the set fails) and left out, as the lake's readers do.
  const unreadable: number[] = []
  if (names.length > 0 && !(await readable(db, names)))
    for (const [i, name] of names.entries()) if (!(await readable(db, [name]))) unreadable.push(i)
  const kept = names.filter((_, i) => !unreadable.includes(i))
  if (kept.length === 0) await db.query(emptyViewSql('runs'))
  else {
    await db.query(parquetViewSql('runs', kept, 'all_runs'))
    await scopeRuns(db, null)
  }
  await db.query(emptyViewSql('intervals'))
  await db.query(emptyViewSql('metrics'))
  for (const statement of clientViewSql()) await db.query(statement)
  return unreadable
}

/**
 * Points the `runs` view at one date range (null: everything loaded). The notebook's overhead
 * query matches bare-metal runs by key alone, so the report scopes the view to its window to
 * compare a week's scenarios with the same week's baseline. DDL takes no bind parameters: the
 * dates are checked to be YYYY-MM-DD before they are written into the statement.
 */
export async function scopeRuns(db: SqlEngine, range: DateRange | null): Promise<void> {
  if (range === null) {
    await db.query('CREATE OR REPLACE VIEW runs AS SELECT * FROM all_runs')
    return
  }
  for (const d of [range.from, range.to])
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`not a YYYY-MM-DD date: ${d}`)
  await db.query(
    `CREATE OR REPLACE VIEW runs AS SELECT * FROM all_runs WHERE date >= '${range.from}' AND date <= '${range.to}'`,
  )
}

/** Rows of `report-runs-in-window.sql` for an inclusive date range. */
export async function queryWindowRuns(
  db: SqlEngine,
  queries: ReportQueries,
  range: DateRange,
): Promise<WindowRunRow[]> {
  const file = queries['report-runs-in-window']
  return (await db.query(
    file.sql,
    bindValues(file, { date_from: range.from, date_to: range.to }) as SqlParam[],
  )) as unknown as WindowRunRow[]
}

/** Rows of the notebook's `tcp-throughput-samples-with-baseline.sql` for an inclusive date range. */
export async function queryBaselineSamples(
  db: SqlEngine,
  queries: ReportQueries,
  range: DateRange,
): Promise<BaselineSampleRow[]> {
  const file = queries['tcp-throughput-samples-with-baseline']
  return (await db.query(
    file.sql,
    bindValues(file, { date_from: range.from, date_to: range.to }) as SqlParam[],
  )) as unknown as BaselineSampleRow[]
}
