import { arrowColumns, type ArrowKind } from '#schemas/columns.ts'
import { TABLES, type TableName } from '#schemas/tables.ts'
import type { DatasetsManifest } from '#schemas/api.ts'

/** A Parquet file to register with DuckDB under a generated, SQL-safe name. */
export interface FileRegistration {
  table: TableName
  name: string
  url: string
}

/** What the notebook registers for one manifest: files, then one view per table. */
export interface DatasetPlan {
  files: FileRegistration[]
  statements: string[]
  rows: Record<TableName, number>
  bytes: number
}

const DUCKDB_TYPES: Record<ArrowKind, string> = {
  utf8: 'VARCHAR',
  float64: 'DOUBLE',
  int64: 'BIGINT',
  int32: 'INTEGER',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
}

/** Table names in a fixed order. */
export const TABLE_NAMES = Object.keys(TABLES) as TableName[]

/**
 * Manifest → registrations and `CREATE VIEW` statements. File URLs resolve against `base` (the
 * page origin). View DDL cannot take bind parameters, so file names are generated here
 * (`runs-0.parquet`) and never come from the manifest.
 */
export function planDatasets(manifest: DatasetsManifest, base: string): DatasetPlan {
  const files: FileRegistration[] = []
  const statements: string[] = []
  const rows = { runs: 0, intervals: 0, metrics: 0 } as Record<TableName, number>
  let bytes = 0
  for (const table of TABLE_NAMES) {
    const refs = manifest.tables[table]
    const names = refs.map((ref, i) => {
      const name = `${table}-${i}.parquet`
      files.push({ table, name, url: new URL(ref.url, base).href })
      rows[table] += ref.rows
      bytes += ref.bytes
      return name
    })
    statements.push(names.length === 0 ? emptyViewSql(table) : parquetViewSql(table, names))
  }
  return { files, statements, rows, bytes }
}

/** A view over the table's Parquet files. */
export function parquetViewSql(table: TableName, names: string[]): string {
  const list = names.map((n) => `'${n}'`).join(', ')
  return `CREATE OR REPLACE VIEW ${table} AS SELECT * FROM read_parquet([${list}], union_by_name = true)`
}

/** A view with the table's canonical columns and zero rows, so queries still bind. */
export function emptyViewSql(table: TableName): string {
  const columns = arrowColumns(TABLES[table]).map(
    (c) => `CAST(NULL AS ${DUCKDB_TYPES[c.arrow]}) AS ${c.name}`,
  )
  return `CREATE OR REPLACE VIEW ${table} AS SELECT ${columns.join(', ')} WHERE false`
}
