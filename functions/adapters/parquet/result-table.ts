import {
  Bool,
  DateDay,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
  type DataType,
} from 'apache-arrow'

/** A query result's column as the SQL engines report it: name and DuckDB type name. */
export interface ResultColumn {
  name: string
  type: string
}

/**
 * The Arrow type a DuckDB result column is written as: integers up to 32 bits → Int32, wider ones
 * → Int64, floating and DECIMAL → Float64, BOOLEAN, DATE, TIMESTAMP (any precision or zone →
 * microseconds, UTC), VARCHAR; anything else (lists, structs, UUID, ...) → its text (JSON for
 * nested values), so no column is dropped.
 */
export function arrowTypeOf(duckdbType: string): DataType {
  const t = duckdbType.toUpperCase()
  if (/^(TINYINT|SMALLINT|INTEGER|UTINYINT|USMALLINT)$/.test(t)) return new Int32()
  if (/^(BIGINT|UINTEGER|UBIGINT|HUGEINT|UHUGEINT)$/.test(t)) return new Int64()
  if (/^(FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL')) return new Float64()
  if (t === 'BOOLEAN') return new Bool()
  if (t === 'DATE') return new DateDay()
  if (t.startsWith('TIMESTAMP')) return new TimestampMicrosecond('UTC')
  return new Utf8()
}

function valueFor(type: DataType, v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (type instanceof Int64) return typeof v === 'bigint' ? v : BigInt(v as number)
  if (type instanceof Int32 || type instanceof Float64) return Number(v)
  if (type instanceof Bool) return Boolean(v)
  if (type instanceof DateDay || type instanceof TimestampMicrosecond)
    return new Date(v as string | number)
  if (typeof v === 'string') return v
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))
}

/** Rows of a query result (as `queryWithColumns` returns them) → one Arrow table, columns in order. */
export function resultToArrow(
  columns: readonly ResultColumn[],
  rows: readonly Record<string, unknown>[],
): Table {
  const vectors = Object.fromEntries(
    columns.map((c) => {
      const type = arrowTypeOf(c.type)
      return [c.name, vectorFromArray(rows.map((r) => valueFor(type, r[c.name])) as never, type)]
    }),
  )
  return new Table(vectors)
}
