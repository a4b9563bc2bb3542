import type { ParseWarning } from '#schemas/parse-result.ts'
import { NetlakeError } from '#core/errors.ts'

/**
 * Typed, path-aware accessors for parsed iperf3 objects. Raw iperf3 output varies by version, so
 * absence is normal (→ null); a wrong type is a broken document (→ `Iperf3FormatError`, turned into
 * a rejection by the caller); values iperf3 is known to print wrongly (wrapped 64-bit integers,
 * negative counts) become null with a warning naming the JSON path.
 */

/** A document that cannot be normalized; caught by `normalizeIperf3` and returned as a rejection. */
export class Iperf3FormatError extends NetlakeError {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message)
  }
}

/** Collects warnings for one document. */
export interface FieldSink {
  warnings: ParseWarning[]
  documentIndex: number
}

/** A plain object (not array) from the document. */
export type Obj = Record<string, unknown>

/** Smallest value a 3.12–3.13 build prints for a wrapped negative int64 (2^63). */
const WRAPPED_MIN = 9223372036854775808

const join = (base: string, key: string): string => (base ? `${base}.${key}` : key)

/** The object at `o[key]`: null when absent, an error when it is an array or a scalar. */
export function objAt(o: Obj | null, key: string, base: string): Obj | null {
  if (o === null) return null
  const v = o[key]
  if (v === undefined || v === null) return null
  if (typeof v !== 'object' || Array.isArray(v)) {
    const kind = Array.isArray(v) ? 'an array' : `a ${typeof v}`
    throw new Iperf3FormatError(
      'wrong-type',
      `${join(base, key)} is ${kind}, expected an object`,
      join(base, key),
    )
  }
  return v as Obj
}

/** The array at `o[key]`: empty when absent, an error when it is not an array. */
export function arrAt(o: Obj | null, key: string, base: string): unknown[] {
  if (o === null) return []
  const v = o[key]
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) {
    throw new Iperf3FormatError(
      'wrong-type',
      `${join(base, key)} is ${typeof v}, expected an array`,
      join(base, key),
    )
  }
  return v
}

/** An array element that must be an object. */
export function asObj(v: unknown, path: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    const kind = Array.isArray(v) ? 'an array' : v === null ? 'null' : `a ${typeof v}`
    throw new Iperf3FormatError('wrong-type', `${path} is ${kind}, expected an object`, path)
  }
  return v as Obj
}

/** A number; null when absent, null or wrapped (with a warning); an error for strings. */
export function num(o: Obj | null, key: string, base: string, sink: FieldSink): number | null {
  if (o === null) return null
  const v = o[key]
  if (typeof v === 'number') {
    if (v >= WRAPPED_MIN) {
      warn(
        sink,
        'wrapped-integer',
        `${join(base, key)} is ${v}, a negative int64 printed unsigned (iperf3 3.12–3.13); read as null`,
        join(base, key),
      )
      return null
    }
    return Number.isFinite(v) ? v : null
  }
  if (v === undefined || v === null) return null
  if (typeof v === 'string') {
    throw new Iperf3FormatError(
      'number-as-string',
      `${join(base, key)} is the string ${JSON.stringify(v.slice(0, 40))}, expected a number`,
      join(base, key),
    )
  }
  throw new Iperf3FormatError(
    'wrong-type',
    `${join(base, key)} is ${Array.isArray(v) ? 'an array' : `a ${typeof v}`}, expected a number`,
    join(base, key),
  )
}

/** A non-negative quantity (rate, time span, percent); negative → null with a warning. */
export function nonNeg(o: Obj | null, key: string, base: string, sink: FieldSink): number | null {
  const v = num(o, key, base, sink)
  if (v !== null && v < 0) {
    warn(
      sink,
      'negative-value',
      `${join(base, key)} is ${v}, which cannot be negative; read as null`,
      join(base, key),
    )
    return null
  }
  return v
}

/** A non-negative integer count (bytes, packets); rounded, negative → null with a warning. */
export function count(o: Obj | null, key: string, base: string, sink: FieldSink): number | null {
  const v = nonNeg(o, key, base, sink)
  return v === null ? null : Math.round(v)
}

/** A duration in seconds; negative is a broken document. */
export function duration(o: Obj | null, key: string, base: string, sink: FieldSink): number | null {
  const v = num(o, key, base, sink)
  if (v !== null && v < 0) {
    throw new Iperf3FormatError(
      'negative-duration',
      `${join(base, key)} is ${v}, a negative duration`,
      join(base, key),
    )
  }
  return v
}

/** A string; null when absent; an error for other types. */
export function str(o: Obj | null, key: string, base: string): string | null {
  if (o === null) return null
  const v = o[key]
  if (typeof v === 'string') return v
  if (v === undefined || v === null) return null
  throw new Iperf3FormatError(
    'wrong-type',
    `${join(base, key)} is ${Array.isArray(v) ? 'an array' : `a ${typeof v}`}, expected a string`,
    join(base, key),
  )
}

/** A boolean (iperf3 also prints 0/1 flags as integers); null when absent. */
export function flag(o: Obj | null, key: string): boolean | null {
  if (o === null) return null
  const v = o[key]
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0
  return null
}

/** Adds a warning for the current document. */
export function warn(sink: FieldSink, code: string, message: string, path?: string): void {
  const w: { code: string; message: string; path?: string; document_index: number } = {
    code,
    message,
    document_index: sink.documentIndex,
  }
  if (path !== undefined) w.path = path
  sink.warnings.push(w)
}
