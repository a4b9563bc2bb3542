/**
 * One formatter for human-readable values with units, shared by the reports (HTML, Markdown) and
 * the CLI (`query`, `compare`), so every place prints the same strings. Pure: no I/O.
 * Columns carry their unit in the name (DESIGN §2): `_bps`, `_s`, `_ms`, `_us`, `_bytes`,
 * `_percent`, `_fraction`.
 */

/** What stands for a missing value. */
export const MISSING = '–'

const finite = (x: number | null | undefined): x is number =>
  x !== null && x !== undefined && Number.isFinite(x)

/** Bits per second as Gbit/s (2 decimals), or Mbit/s below 1 Gbit/s: 5686790328 → "5.69 Gbit/s". */
export function formatBps(bps: number | null | undefined): string {
  if (!finite(bps)) return MISSING
  return Math.abs(bps) >= 1e9
    ? `${(bps / 1e9).toFixed(2)} Gbit/s`
    : `${(bps / 1e6).toFixed(1)} Mbit/s`
}

/** Seconds as microseconds (2 decimals): latencies compared side by side keep one unit. */
export function formatLatency(seconds: number | null | undefined): string {
  if (!finite(seconds)) return MISSING
  return `${(seconds * 1e6).toFixed(2)} µs`
}

/** Seconds scaled to µs, ms or s (2 decimals): 0.00000374 → "3.74 µs", 10 → "10.00 s". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (!finite(seconds)) return MISSING
  const a = Math.abs(seconds)
  if (a !== 0 && a < 1e-3) return `${(seconds * 1e6).toFixed(2)} µs`
  if (a !== 0 && a < 1) return `${(seconds * 1e3).toFixed(2)} ms`
  return `${seconds.toFixed(2)} s`
}

/** A fraction as a percentage (1 decimal): 0.401 → "40.1%". */
export function formatPercent(fraction: number | null | undefined): string {
  if (!finite(fraction)) return MISSING
  return `${(fraction * 100).toFixed(1).replace('-', '−')}%`
}

/** Bytes with binary prefixes: 65536 → "64.0 KiB", 50 → "50 B". */
export function formatBytes(bytes: number | null | undefined): string {
  if (!finite(bytes)) return MISSING
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let i = 0
  while (Math.abs(value) >= 1024 && i < units.length - 1) {
    value /= 1024
    i++
  }
  return i === 0 ? `${value} B` : `${value.toFixed(1)} ${units[i]}`
}

/** A plain number: integers as they are, others with 4 significant digits (0.0231 → "0.02310"). */
export function formatNumber(x: number | null | undefined): string {
  if (!finite(x)) return MISSING
  if (Number.isInteger(x)) return String(x)
  return Math.abs(x) >= 1e4 ? x.toFixed(1) : x.toPrecision(4)
}

/** The unit a column's name declares, or null for a plain value. */
export type ColumnUnit = 'bps' | 's' | 'ms' | 'us' | 'bytes' | 'percent' | 'fraction' | null

/** `throughput_bps` → 'bps', `latency_s` → 's', `lost_percent` → 'percent', `ceiling_fraction` → 'fraction'. */
export function columnUnit(column: string): ColumnUnit {
  const m = /_(bps|s|ms|us|bytes|percent|fraction)$/.exec(column.toLowerCase())
  return m ? (m[1] as ColumnUnit) : null
}

/** A column's value with its unit scaled for reading; strings and other values unchanged. */
export function formatColumnValue(column: string, value: unknown): string {
  if (value === null || value === undefined) return MISSING
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'number')
    return typeof value === 'object' ? JSON.stringify(value) : String(value)
  switch (columnUnit(column)) {
    case 'bps':
      return formatBps(value)
    case 's':
      return formatSeconds(value)
    case 'ms':
      return formatSeconds(value / 1e3)
    case 'us':
      return formatSeconds(value / 1e6)
    case 'bytes':
      return formatBytes(value)
    case 'percent':
      return formatPercent(value / 100)
    case 'fraction':
      return formatPercent(value)
    default:
      return formatNumber(value)
  }
}
