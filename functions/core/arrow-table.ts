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
import type { Data, DataType } from 'apache-arrow'
import { arrowColumns } from '#schemas/columns.ts'
import type { ArrowKind } from '#schemas/columns.ts'
import { TABLES } from '#schemas/tables.ts'
import type { TableName } from '#schemas/tables.ts'

/**
 * Canonical rows → Apache Arrow tables. The Arrow schema of each table comes from its zod schema
 * (`arrowColumns`), so the Parquet files, the row types and validation share one definition.
 * Pure: no I/O. Column buffers are filled directly (typed arrays + validity bitmaps) because this
 * runs once per ingested file and the per-file budget is a few milliseconds.
 */

/** Raised when a row value does not fit its column's type (a broken invariant upstream). */
export class ArrowTableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ArrowTableError'
  }
}

/** One canonical column: name and Arrow kind, in declaration order. */
export interface TableColumn {
  name: string
  kind: ArrowKind
}

const COLUMNS: Record<TableName, TableColumn[]> = {
  runs: columnsOf('runs'),
  intervals: columnsOf('intervals'),
  metrics: columnsOf('metrics'),
}

function columnsOf(table: TableName): TableColumn[] {
  return arrowColumns(TABLES[table]).map((c) => ({ name: c.name, kind: c.arrow }))
}

/** The columns of a canonical table, in declaration order (the Parquet column order). */
export function tableColumns(table: TableName): readonly TableColumn[] {
  return COLUMNS[table]
}

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
  return new Schema(COLUMNS[table].map((c) => new Field(c.name, arrowType(c.kind), true)))
}

/** The Arrow schema of a canonical table (every field nullable). */
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
  const schema = SCHEMAS[table]
  const children = COLUMNS[table].map((c, i) =>
    buildColumn(c, schema.fields[i].type as DataType, rows),
  )
  const data = makeData({
    type: new Struct(schema.fields),
    length: rows.length,
    nullCount: 0,
    children,
  })
  return new Table(schema, new RecordBatch(schema, data))
}

function buildColumn(column: TableColumn, type: DataType, rows: readonly Record<string, unknown>[]): Data {
  const n = rows.length
  const validity = new Uint8Array((n + 7) >> 3)
  let nulls = 0
  const name = column.name
  const fail = (i: number, v: unknown, expected: string): never => {
    throw new ArrowTableError(
      `column ${name}, row ${i}: expected ${expected} or null, got ${typeof v} ${String(v).slice(0, 40)}`,
    )
  }
  switch (column.kind) {
    case 'float64': {
      const values = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        const v = rows[i][name]
        if (v === null || v === undefined) nulls++
        else if (typeof v === 'number') {
          values[i] = v
          validity[i >> 3] |= 1 << (i & 7)
        } else fail(i, v, 'a number')
      }
      return makeData({ type: type as Float64, length: n, nullCount: nulls, nullBitmap: validity, data: values })
    }
    case 'int32': {
      const values = new Int32Array(n)
      for (let i = 0; i < n; i++) {
        const v = rows[i][name]
        if (v === null || v === undefined) nulls++
        else if (typeof v === 'number' && (v | 0) === v) {
          values[i] = v
          validity[i >> 3] |= 1 << (i & 7)
        } else fail(i, v, 'a 32-bit integer')
      }
      return makeData({ type: type as Int32, length: n, nullCount: nulls, nullBitmap: validity, data: values })
    }
    case 'int64': {
      const values = new BigInt64Array(n)
      for (let i = 0; i < n; i++) {
        const v = rows[i][name]
        if (v === null || v === undefined) nulls++
        else {
          if (typeof v === 'number' && Number.isInteger(v)) values[i] = BigInt(v)
          else if (typeof v === 'bigint') values[i] = v
          else fail(i, v, 'an integer')
          validity[i >> 3] |= 1 << (i & 7)
        }
      }
      return makeData({ type: type as Int64, length: n, nullCount: nulls, nullBitmap: validity, data: values })
    }
    case 'timestamp': {
      const values = new BigInt64Array(n)
      for (let i = 0; i < n; i++) {
        const v = rows[i][name]
        if (v === null || v === undefined) nulls++
        else {
          const ms = typeof v === 'string' ? parseInstant(v) : Number.NaN
          if (Number.isNaN(ms)) fail(i, v, 'an ISO-8601 instant with zone')
          values[i] = BigInt(ms)
          validity[i >> 3] |= 1 << (i & 7)
        }
      }
      return makeData({
        type: type as TimestampMillisecond,
        length: n,
        nullCount: nulls,
        nullBitmap: validity,
        data: values,
      })
    }
    case 'bool': {
      const values = new Uint8Array((n + 7) >> 3)
      for (let i = 0; i < n; i++) {
        const v = rows[i][name]
        if (v === null || v === undefined) nulls++
        else if (typeof v === 'boolean') {
          if (v) values[i >> 3] |= 1 << (i & 7)
          validity[i >> 3] |= 1 << (i & 7)
        } else fail(i, v, 'a boolean')
      }
      return makeData({ type: type as Bool, length: n, nullCount: nulls, nullBitmap: validity, data: values })
    }
    case 'utf8':
      return buildUtf8(column.name, type as Utf8, rows)
  }
}

const encoder = new TextEncoder()

function buildUtf8(name: string, type: Utf8, rows: readonly Record<string, unknown>[]): Data {
  const n = rows.length
  const validity = new Uint8Array((n + 7) >> 3)
  const offsets = new Int32Array(n + 1)
  let nulls = 0
  let chars = 0
  for (let i = 0; i < n; i++) {
    const v = rows[i][name]
    if (typeof v === 'string') chars += v.length
    else if (v !== null && v !== undefined) {
      throw new ArrowTableError(`column ${name}, row ${i}: expected a string or null, got ${typeof v}`)
    }
  }
  // UTF-16 code unit → at most 3 UTF-8 bytes.
  let bytes = new Uint8Array(chars * 3)
  let at = 0
  for (let i = 0; i < n; i++) {
    const v = rows[i][name]
    if (typeof v === 'string') {
      at += encoder.encodeInto(v, bytes.subarray(at)).written
      validity[i >> 3] |= 1 << (i & 7)
    } else nulls++
    offsets[i + 1] = at
  }
  bytes = bytes.subarray(0, at)
  return makeData({ type, length: n, nullCount: nulls, nullBitmap: validity, valueOffsets: offsets, data: bytes })
}

/** ISO-8601 instant → epoch milliseconds; NaN unless it carries a zone (`Z` or `±hh:mm`). */
function parseInstant(iso: string): number {
  const last = iso.charCodeAt(iso.length - 1)
  const zoned = last === 90 /* Z */ || last === 122 /* z */ || /[+-]\d\d:?\d\d$/.test(iso)
  return zoned ? Date.parse(iso) : Number.NaN
}
