import {
  Bool,
  Field,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
} from 'apache-arrow'
import type { DataType } from 'apache-arrow'
import type { TableName } from '#schemas/tables.ts'
import { fileColumnName } from '#schemas/tables.ts'
import type { ArrowKind } from '#schemas/columns.ts'
import { ArrowTableError, joinChunks, tableColumns, toColumnChunk } from './column-chunk.ts'
import type { ColumnChunk } from './column-chunk.ts'

export { ArrowTableError, columnChunkBuffers, tableColumns, toColumnChunk } from './column-chunk.ts'
export type { ColumnChunk, ColumnData, TableColumn } from './column-chunk.ts'

/**
 * Canonical rows → Apache Arrow tables. The Arrow schema of each table comes from its zod schema
 * (`arrowColumns`), so the Parquet files, the row types and validation share one definition.
 * Pure: no I/O. The column buffers come from column-chunk.ts.
 */

/** The Arrow data type used for a column kind (timestamps: milliseconds, UTC). */
export function arrowType(kind: ArrowKind): DataType {
  switch (kind) {
    case 'utf8':
      return new Utf8()
    case 'float64':
      return new Float64()
    case 'int64':
      return new Int64()
    case 'int32':
      return new Int32()
    case 'bool':
      return new Bool()
    case 'timestamp':
      return new TimestampMillisecond('UTC')
  }
}

const SCHEMAS: Record<TableName, Schema> = {
  runs: schemaOf('runs'),
  intervals: schemaOf('intervals'),
  metrics: schemaOf('metrics'),
}

function schemaOf(table: TableName): Schema {
  // Fields carry the file names (`platform_label`, `run_date`), rows the canonical ones.
  return new Schema(
    tableColumns(table).map((c) => new Field(fileColumnName(c.name), arrowType(c.kind), true)),
  )
}

/** The Arrow schema of a canonical table's files (every field nullable; file column names). */
export function arrowSchema(table: TableName): Schema {
  return SCHEMAS[table]
}

/**
 * Rows of a canonical table → an Arrow table with exactly the table's columns, in order. Missing
 * keys and `undefined` are null; keys that are not columns are ignored. int64 values are JS
 * integers (exact up to 2^53) or bigints; timestamps are ISO-8601 strings with a zone (`Z`).
 * Throws `ArrowTableError` naming the column and row when a value does not fit its type.
 */
export function toArrowTable(table: TableName, rows: readonly Record<string, unknown>[]): Table {
  return tableFromChunks(table, [toColumnChunk(table, rows)])
}

/**
 * Chunks of one table, in order → an Arrow table of ONE record batch, the same (buffer for
 * buffer) as `toArrowTable` of all their rows at once: the Parquet file does not depend on how
 * the rows were split between threads.
 */
export function tableFromChunks(table: TableName, chunks: readonly ColumnChunk[]): Table {
  const schema = SCHEMAS[table]
  const columns = tableColumns(table)
  for (const chunk of chunks)
    if (chunk.table !== table || chunk.columns.length !== columns.length)
      throw new ArrowTableError(`a ${chunk.table} chunk cannot join table ${table}`)
  const joined = chunks.length === 1 ? chunks[0] : joinChunks(table, chunks)
  const n = joined.length
  const children = columns.map((c, i) => {
    const type = schema.fields[i].type as DataType
    const { validity: nullBitmap, nulls: nullCount, values, offsets } = joined.columns[i]
    if (c.kind === 'utf8')
      return makeData({
        type: type as Utf8,
        length: n,
        nullCount,
        nullBitmap,
        valueOffsets: offsets as Int32Array,
        data: values as Uint8Array,
      })
    return makeData({ type, length: n, nullCount, nullBitmap, data: values } as never)
  })
  const data = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children })
  return new Table(schema, new RecordBatch(schema, data))
}
