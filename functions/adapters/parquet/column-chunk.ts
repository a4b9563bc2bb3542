import { arrowColumns } from '#schemas/columns.ts'
import type { ArrowKind } from '#schemas/columns.ts'
import { TABLES } from '#schemas/tables.ts'
import type { TableName } from '#schemas/tables.ts'
import { NetlakeError } from '#core/errors.ts'

/**
 * Canonical rows → column buffers (typed arrays + validity bitmaps), the part of the Arrow
 * conversion that needs no Arrow library: a worker thread fills chunks and transfers them, and
 * arrow-table.ts wraps them as Arrow data. Pure: no I/O. Buffers are filled directly because
 * this runs once per ingested file and the per-file budget is a few milliseconds.
 */

/** Raised when a row value does not fit its column's type (a broken invariant upstream). */
export class ArrowTableError extends NetlakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
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

/**
 * One table's rows as column buffers: typed arrays only, so a worker thread can transfer them
 * (`columnChunkBuffers`) and another thread join them (`tableFromChunks`).
 */
export interface ColumnChunk {
  table: TableName
  length: number
  /** One per column of the table, in declaration order. */
  columns: ColumnData[]
}

/** One column of a chunk: Arrow's own buffers (validity bits set for non-null values). */
export interface ColumnData {
  validity: Uint8Array
  nulls: number
  /** float64: Float64Array; int32: Int32Array; int64, timestamp: BigInt64Array; bool: bits; utf8: UTF-8 bytes. */
  values: Float64Array | Int32Array | BigInt64Array | Uint8Array
  /** utf8 only: length + 1 offsets into `values`. */
  offsets: Int32Array | null
}

/** Rows → column buffers, with the checks and errors of `toArrowTable`. */
export function toColumnChunk(
  table: TableName,
  rows: readonly Record<string, unknown>[],
): ColumnChunk {
  const columns = COLUMNS[table]
  const n = rows.length
  const buffers = columns.map((c) => allocate(c.kind, n))
  FILLERS[table](rows, buffers, fail(columns))
  return {
    table,
    length: n,
    columns: columns.map((c, i): ColumnData => {
      const b = buffers[i]
      if (c.kind === 'utf8') {
        const { offsets, bytes } = encodeStrings(b.strings as Array<string | null>)
        return { validity: b.validity, nulls: b.nulls, values: bytes, offsets }
      }
      const values = c.kind === 'int64' || c.kind === 'timestamp' ? b.big : b.values
      return {
        validity: b.validity,
        nulls: b.nulls,
        values: values as ColumnData['values'],
        offsets: null,
      }
    }),
  }
}

/** The distinct buffers under a chunk's arrays: the transfer list for `postMessage`. */
export function columnChunkBuffers(chunk: ColumnChunk): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>()
  for (const c of chunk.columns) {
    buffers.add(c.validity.buffer as ArrayBuffer)
    buffers.add(c.values.buffer as ArrayBuffer)
    if (c.offsets) buffers.add(c.offsets.buffer as ArrayBuffer)
  }
  return [...buffers]
}

/**
 * The same chunk with every array copied into one `ArrayBuffer` (8-byte aligned views): one
 * buffer to transfer instead of two or three per column, which is what a transfer costs.
 */
export function packColumnChunk(chunk: ColumnChunk): ColumnChunk {
  const arrays = chunk.columns.flatMap((c) =>
    c.offsets ? [c.validity, c.values, c.offsets] : [c.validity, c.values],
  )
  const align = (n: number) => (n + 7) & ~7
  const packed = new ArrayBuffer(arrays.reduce((sum, a) => sum + align(a.byteLength), 0))
  let at = 0
  const copy = <T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(a: T): T => {
    const Kind = a.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => T
    const view = new Kind(packed, at, a.length)
    view.set(a as never)
    at += align(a.byteLength)
    return view
  }
  return {
    table: chunk.table,
    length: chunk.length,
    columns: chunk.columns.map((c) => ({
      validity: copy(c.validity),
      nulls: c.nulls,
      values: copy(c.values),
      offsets: c.offsets ? copy(c.offsets) : null,
    })),
  }
}

/** Consecutive chunks of one table → one chunk with all their rows, in order. */
export function joinChunks(table: TableName, chunks: readonly ColumnChunk[]): ColumnChunk {
  const n = chunks.reduce((sum, c) => sum + c.length, 0)
  const columns = COLUMNS[table].map((col, i): ColumnData => {
    const parts = chunks.map((c) => c.columns[i])
    const validity = joinBits(
      parts.map((p) => p.validity),
      chunks,
      n,
    )
    const nulls = parts.reduce((sum, p) => sum + p.nulls, 0)
    switch (col.kind) {
      case 'bool':
        return {
          validity,
          nulls,
          values: joinBits(
            parts.map((p) => p.values as Uint8Array),
            chunks,
            n,
          ),
          offsets: null,
        }
      case 'utf8': {
        const offsets = new Int32Array(n + 1)
        const bytes = new Uint8Array(parts.reduce((sum, p) => sum + p.values.length, 0))
        let row = 0
        let base = 0
        for (let k = 0; k < parts.length; k++) {
          const from = parts[k].offsets as Int32Array
          for (let r = 1; r <= chunks[k].length; r++) offsets[row + r] = from[r] + base
          bytes.set(parts[k].values as Uint8Array, base)
          row += chunks[k].length
          base += parts[k].values.length
        }
        return { validity, nulls, values: bytes, offsets }
      }
      default: {
        const Kind =
          col.kind === 'float64' ? Float64Array : col.kind === 'int32' ? Int32Array : BigInt64Array
        const values = new Kind(n)
        let row = 0
        for (let k = 0; k < parts.length; k++) {
          ;(values as Float64Array).set(parts[k].values as Float64Array, row)
          row += chunks[k].length
        }
        return { validity, nulls, values, offsets: null }
      }
    }
  })
  return { table, length: n, columns }
}

/** Bitmaps of consecutive chunks → one bitmap of `n` bits (bits past a chunk's length are 0). */
function joinBits(bitmaps: Uint8Array[], chunks: readonly ColumnChunk[], n: number): Uint8Array {
  const out = new Uint8Array((n + 7) >> 3)
  let at = 0
  for (let k = 0; k < bitmaps.length; k++) {
    const bits = bitmaps[k]
    const length = chunks[k].length
    if ((at & 7) === 0) out.set(bits.subarray(0, (length + 7) >> 3), at >> 3)
    else
      for (let i = 0; i < length; i++)
        if (bits[i >> 3] & (1 << (i & 7))) out[(at + i) >> 3] |= 1 << ((at + i) & 7)
    at += length
  }
  return out
}

/** Per-column scratch the row loop fills: values, validity bits, null count. */
interface ColumnBuffer {
  validity: Uint8Array
  nulls: number
  /** float64: Float64Array; int32: Int32Array; int64/timestamp: Int32Array (lo, hi pairs); bool: bits. */
  values: Float64Array | Int32Array | Uint8Array | null
  /** int64 columns given bigints write here (same memory as `values`). */
  big: BigInt64Array | null
  /** utf8: the strings, encoded after the row loop. */
  strings: Array<string | null> | null
}

function allocate(kind: ArrowKind, n: number): ColumnBuffer {
  const validity = new Uint8Array((n + 7) >> 3)
  switch (kind) {
    case 'float64':
      return { validity, nulls: 0, values: new Float64Array(n), big: null, strings: null }
    case 'int32':
      return { validity, nulls: 0, values: new Int32Array(n), big: null, strings: null }
    case 'int64':
    case 'timestamp': {
      const big = new BigInt64Array(n)
      return { validity, nulls: 0, values: new Int32Array(big.buffer), big, strings: null }
    }
    case 'bool':
      return { validity, nulls: 0, values: new Uint8Array((n + 7) >> 3), big: null, strings: null }
    case 'utf8':
      return { validity, nulls: 0, values: null, big: null, strings: new Array<string | null>(n) }
  }
}

type Fail = (column: number, row: number, value: unknown) => never
type Filler = (
  rows: readonly Record<string, unknown>[],
  buffers: ColumnBuffer[],
  fail: Fail,
) => void

function fail(columns: readonly TableColumn[]): Fail {
  return (column, row, value) => {
    const { name, kind } = columns[column]
    const shown = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)
    throw new ArrowTableError(
      `column ${name} (${kind}), row ${row}: cannot hold ${typeof value} ${String(shown).slice(0, 60)}`,
    )
  }
}

// The row loop is generated once per table so every column is read with a constant property
// name: V8 then compiles monomorphic loads for rows of one shape (what the normalizers emit),
// several times faster than `row[name]` with a varying name. Names come from our own schemas.
const FILLERS: Record<TableName, Filler> = {
  runs: compileFiller(COLUMNS.runs),
  intervals: compileFiller(COLUMNS.intervals),
  metrics: compileFiller(COLUMNS.metrics),
}

function compileFiller(columns: readonly TableColumn[]): Filler {
  const setValid = (c: number) => `v${c}[i >> 3] |= 1 << (i & 7);`
  const setNull = (c: number) => `b${c}.nulls++;`
  const body = columns
    .map((col, c) => {
      const read = `v = r[${JSON.stringify(col.name)}];`
      switch (col.kind) {
        case 'float64':
          return `${read} if (v == null) ${setNull(c)} else if (typeof v === 'number') { d${c}[i] = v; ${setValid(c)} } else fail(${c}, i, v);`
        case 'int32':
          return `${read} if (v == null) ${setNull(c)} else if (typeof v === 'number' && (v | 0) === v) { d${c}[i] = v; ${setValid(c)} } else fail(${c}, i, v);`
        case 'int64':
          return `${read} if (v == null) ${setNull(c)} else { if (typeof v === 'number' && Math.floor(v) === v && Math.abs(v) < 9223372036854775807) { hi = Math.floor(v / 4294967296); d${c}[2 * i] = (v - hi * 4294967296) | 0; d${c}[2 * i + 1] = hi | 0 } else if (typeof v === 'bigint') g${c}[i] = v; else fail(${c}, i, v); ${setValid(c)} }`
        case 'timestamp':
          return `${read} if (v == null) ${setNull(c)} else { if (v !== p${c}) { m${c} = typeof v === 'string' ? instant(v) : NaN; p${c} = v } if (m${c} !== m${c}) fail(${c}, i, v); hi = Math.floor(m${c} / 4294967296); d${c}[2 * i] = (m${c} - hi * 4294967296) | 0; d${c}[2 * i + 1] = hi | 0; ${setValid(c)} }`
        case 'bool':
          return `${read} if (v == null) ${setNull(c)} else if (v === true) { d${c}[i >> 3] |= 1 << (i & 7); ${setValid(c)} } else if (v === false) { ${setValid(c)} } else fail(${c}, i, v);`
        case 'utf8':
          return `${read} if (v == null) { s${c}[i] = null; ${setNull(c)} } else if (typeof v === 'string') { s${c}[i] = v; ${setValid(c)} } else fail(${c}, i, v);`
      }
    })
    .join('\n    ')
  const locals = columns
    .map((col, c) => {
      const base = `const b${c} = buffers[${c}], v${c} = b${c}.validity`
      if (col.kind === 'utf8') return `${base}, s${c} = b${c}.strings;`
      if (col.kind === 'int64') return `${base}, d${c} = b${c}.values, g${c} = b${c}.big;`
      if (col.kind === 'timestamp')
        return `${base}, d${c} = b${c}.values; let p${c} = null, m${c} = NaN;`
      return `${base}, d${c} = b${c}.values;`
    })
    .join('\n  ')
  const source = `
  ${locals}
  const n = rows.length
  let v, hi
  for (let i = 0; i < n; i++) {
    const r = rows[i]
    ${body}
  }`
  const make = new Function('instant', `return function fill(rows, buffers, fail) {${source}\n}`)
  return make(parseInstant) as Filler
}

const encoder = new TextEncoder()

/** Strings → UTF-8 bytes and offsets; ASCII is copied char by char, repeats reuse the last bytes. */
function encodeStrings(strings: Array<string | null>): { offsets: Int32Array; bytes: Uint8Array } {
  const n = strings.length
  const offsets = new Int32Array(n + 1)
  let chars = 0
  for (let i = 0; i < n; i++) chars += strings[i]?.length ?? 0
  // A UTF-16 code unit takes at most 3 UTF-8 bytes.
  const bytes = new Uint8Array(chars * 3)
  let at = 0
  let previous: string | null = null
  let previousStart = 0
  for (let i = 0; i < n; i++) {
    const s = strings[i]
    if (s !== null && s !== undefined) {
      const start = at
      if (s === previous) {
        bytes.copyWithin(at, previousStart, previousStart + (offsets[i] - previousStart))
        at += offsets[i] - previousStart
      } else {
        let ascii = true
        for (let k = 0; k < s.length; k++) {
          const code = s.charCodeAt(k)
          if (code > 127) {
            ascii = false
            break
          }
          bytes[at + k] = code
        }
        at += ascii ? s.length : encoder.encodeInto(s, bytes.subarray(at)).written
      }
      previous = s
      previousStart = start
    }
    offsets[i + 1] = at
  }
  return { offsets, bytes: bytes.subarray(0, at) }
}

/** ISO-8601 instant → epoch milliseconds; NaN unless it carries a zone (`Z` or `±hh:mm`). */
function parseInstant(iso: string): number {
  const last = iso.charCodeAt(iso.length - 1)
  const zoned = last === 90 /* Z */ || last === 122 /* z */ || /[+-]\d\d:?\d\d$/.test(iso)
  return zoned ? Date.parse(iso) : Number.NaN
}
