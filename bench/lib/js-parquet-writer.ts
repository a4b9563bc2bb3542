import { gzipSync } from 'node:zlib'
import { parquetWriteBuffer } from 'hyparquet-writer'
import type { ColumnSource, SchemaElement } from 'hyparquet-writer'
import { arrowColumns } from '#schemas/columns.ts'
import type { ArrowKind } from '#schemas/columns.ts'
import { fileColumnName, TABLES } from '#schemas/tables.ts'
import type { TableName } from '#schemas/tables.ts'
import type { NetlakeParquetWriter } from '#adapters/parquet/wasm-writer.ts'

// Columns straight from the schemas (not via #core/arrow-table.ts), so this writer never loads
// apache-arrow: its point is a cheap cold start.
interface TableColumn {
  name: string
  kind: ArrowKind
}
const COLUMNS: Record<TableName, TableColumn[]> = {
  runs: arrowColumns(TABLES.runs).map((c) => ({ name: c.name, kind: c.arrow })),
  intervals: arrowColumns(TABLES.intervals).map((c) => ({ name: c.name, kind: c.arrow })),
  metrics: arrowColumns(TABLES.metrics).map((c) => ({ name: c.name, kind: c.arrow })),
}

/** Options of the pure-JS writer. ZSTD needs a compressor Node 20 lacks, so SNAPPY or GZIP. */
export interface JsWriteSettings {
  codec: 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED'
  rowGroupRows: number
}

const DEFAULTS: JsWriteSettings = { codec: 'SNAPPY', rowGroupRows: 1_000_000 }

const ELEMENT: Record<ArrowKind, Omit<SchemaElement, 'name'>> = {
  utf8: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  float64: { type: 'DOUBLE' },
  int64: { type: 'INT64' },
  int32: { type: 'INT32' },
  bool: { type: 'BOOLEAN' },
  timestamp: {
    type: 'INT64',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  },
}

/**
 * `ParquetWriter` on hyparquet-writer (pure JS, no wasm, no apache-arrow): rows → column arrays →
 * Parquet with an explicit schema (one row group for small files). Cheap to load (Lambda cold
 * start); slower and larger than parquet-wasm in bulk (bench/README.md).
 */
export async function createJsParquetWriter(
  settings: Partial<JsWriteSettings> = {},
): Promise<NetlakeParquetWriter> {
  const { codec, rowGroupRows } = { ...DEFAULTS, ...settings }
  const compressors =
    codec === 'GZIP' ? { GZIP: (b: Uint8Array) => new Uint8Array(gzipSync(b)) } : undefined
  const schemas = new Map<TableName, SchemaElement[]>()
  const schemaOf = (table: TableName, columns: readonly TableColumn[]) => {
    let schema = schemas.get(table)
    if (!schema) {
      schema = [
        { name: 'root', num_children: columns.length },
        ...columns.map((c) => ({
          name: fileColumnName(c.name),
          repetition_type: 'OPTIONAL' as const,
          ...ELEMENT[c.kind],
        })),
      ]
      schemas.set(table, schema)
    }
    return schema
  }
  const write = (table: TableName, rows: readonly Record<string, unknown>[]): Uint8Array => {
    const columns = COLUMNS[table]
    const columnData: ColumnSource[] = columns.map((c) => ({
      name: fileColumnName(c.name),
      data: columnValues(c, rows),
    }))
    const buffer = parquetWriteBuffer({
      columnData,
      schema: schemaOf(table, columns),
      codec,
      compressors,
      rowGroupSize: rowGroupRows,
      createdBy: 'netlake (hyparquet-writer)',
    })
    return new Uint8Array(buffer)
  }
  return {
    write,
    builder(table) {
      let held: Array<readonly Record<string, unknown>[]> = []
      let count = 0
      return {
        append(rows) {
          if (rows.length === 0) return
          held.push(rows)
          count += rows.length
        },
        get rows() {
          return count
        },
        finish() {
          const all = held.flat()
          held = []
          count = 0
          return write(table, all)
        },
      }
    },
  }
}

function columnValues(column: TableColumn, rows: readonly Record<string, unknown>[]): unknown[] {
  const out = new Array<unknown>(rows.length)
  const { name, kind } = column
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i][name]
    if (v === null || v === undefined) out[i] = null
    else if (kind === 'int64') out[i] = typeof v === 'bigint' ? v : BigInt(v as number)
    else if (kind === 'timestamp') {
      const ms = typeof v === 'string' && /(?:Z|[+-]\d\d:?\d\d)$/i.test(v) ? Date.parse(v) : NaN
      if (Number.isNaN(ms))
        throw new TypeError(`column ${name}, row ${i}: not an ISO instant: ${v}`)
      out[i] = BigInt(ms)
    } else out[i] = v
  }
  return out
}
