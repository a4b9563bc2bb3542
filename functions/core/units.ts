/**
 * Human units, one formatter for every reader of numbers: the notebook's tables and axes, the
 * report's tables and charts, and the CLI. Pure (no I/O, no locale lookup): the same value always
 * prints the same string. Values come in SI units as the canonical columns store them (bits per
 * second, seconds, bytes, fractions); the text scales them (Gbit/s, µs, %). Nothing ever prints in
 * exponent notation (`5.68679e+9`): exact values go to tooltips and exports via `exactNumber`.
 */

/** What a missing or non-finite value prints as. */
export const MISSING = '–'

/** The unit a column's values carry, inferred from its snake_case name suffix. */
export type ColumnUnit = 'bit/s' | 's' | 'µs' | 'ms' | 'bytes' | 'percent' | 'fraction'

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)

/** `toFixed` without its exponent form for |x| ≥ 1e21. */
function fixed(x: number, digits: number): string {
  return Math.abs(x) < 1e21 ? x.toFixed(digits) : exactNumber(Math.round(x))
}

/** Minus sign (U+2212) instead of a hyphen, so negative figures read as numbers. */
function signed(text: string): string {
  return text.startsWith('-') ? `−${text.slice(1)}` : text
}

/** Bits per second scaled: 5686790328 → "5.69 Gbit/s", 941000 → "941.0 kbit/s". */
export function formatBitRate(bps: number | null | undefined): string {
  if (!isNumber(bps)) return MISSING
  const a = Math.abs(bps)
  if (a >= 1e12) return signed(`${fixed(bps / 1e12, 2)} Tbit/s`)
  if (a >= 1e9) return signed(`${fixed(bps / 1e9, 2)} Gbit/s`)
  if (a >= 1e6) return signed(`${fixed(bps / 1e6, 1)} Mbit/s`)
  if (a >= 1e3) return signed(`${fixed(bps / 1e3, 1)} kbit/s`)
  return signed(`${fixed(bps, 0)} bit/s`)
}

/** Seconds scaled: 0.00000374 → "3.74 µs", 0.0123 → "12.30 ms", 10.02 → "10.02 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (!isNumber(seconds)) return MISSING
  const a = Math.abs(seconds)
  if (a === 0) return '0 s'
  if (a < 1e-6) return signed(`${fixed(seconds * 1e9, 1)} ns`)
  if (a < 1e-3) return signed(`${fixed(seconds * 1e6, 2)} µs`)
  if (a < 1) return signed(`${fixed(seconds * 1e3, 2)} ms`)
  return signed(`${fixed(seconds, 2)} s`)
}

/** Bytes scaled in decimal units: 1250000000 → "1.25 GB", 812 → "812 B". */
export function formatBytes(bytes: number | null | undefined): string {
  if (!isNumber(bytes)) return MISSING
  const a = Math.abs(bytes)
  if (a >= 1e12) return signed(`${fixed(bytes / 1e12, 2)} TB`)
  if (a >= 1e9) return signed(`${fixed(bytes / 1e9, 2)} GB`)
  if (a >= 1e6) return signed(`${fixed(bytes / 1e6, 2)} MB`)
  if (a >= 1e3) return signed(`${fixed(bytes / 1e3, 1)} kB`)
  return signed(`${fixed(bytes, 0)} B`)
}

/** A fraction as a percentage: 0.401 → "40.1%", −0.02 → "−2.0%". */
export function formatPercent(fraction: number | null | undefined): string {
  if (!isNumber(fraction)) return MISSING
  return signed(`${fixed(fraction * 100, 1)}%`)
}

/** A ratio as a signed change: 0.8 → "−20.0%", 1.05 → "+5.0%", 1 → "±0.0%". */
export function formatChange(ratio: number | null | undefined): string {
  if (!isNumber(ratio)) return MISSING
  const pct = (ratio - 1) * 100
  const text = fixed(Math.abs(pct), 1)
  return text === '0.0' ? '±0.0%' : `${pct < 0 ? '−' : '+'}${text}%`
}

/**
 * A number without a unit, never in exponent notation: integers in full, other values with at
 * most 4 significant digits (0.00000399 → "0.00000399", 1234.5678 → "1235").
 */
export function formatPlain(x: number | null | undefined): string {
  if (!isNumber(x)) return MISSING
  if (Number.isInteger(x)) return signed(exactNumber(x))
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x))))
  const rounded = Number(x.toPrecision(4))
  if (digits > 20) return signed(exactNumber(rounded))
  const text = rounded.toFixed(digits)
  return signed(text.includes('.') ? text.replace(/\.?0+$/, '') : text)
}

/** The exact value as a decimal string without exponent (for tooltips): 5.68679e9 → "5686790000". */
export function exactNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x)
  const text = String(x)
  if (!/e/i.test(text)) return text
  const [mantissa, exp] = text.toLowerCase().split('e')
  const e = Number(exp)
  const negative = mantissa.startsWith('-')
  const [int, frac = ''] = mantissa.replace('-', '').split('.')
  const digits = int + frac
  const point = int.length + e
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`
  return `${negative ? '-' : ''}${body}`
}

/** The unit of a column from its name (`throughput_bps`, `latency_s`, `rtt_mean_us`...), or null. */
export function columnUnit(column: string): ColumnUnit | null {
  const name = column.toLowerCase()
  if (/(^|_)(bps|bits_per_second)$/.test(name)) return 'bit/s'
  if (/(^|_)us$/.test(name)) return 'µs'
  if (/(^|_)ms$/.test(name)) return 'ms'
  if (/(^|_)s$/.test(name)) return 's'
  if (/(^|_)bytes$/.test(name)) return 'bytes'
  if (/(^|_)percent$/.test(name)) return 'percent'
  if (/(^|_)(fraction|overhead)$/.test(name)) return 'fraction'
  return null
}

/** A value in a unit, scaled for people. */
export function formatInUnit(unit: ColumnUnit | null, value: number | null | undefined): string {
  if (!isNumber(value)) return MISSING
  switch (unit) {
    case 'bit/s':
      return formatBitRate(value)
    case 's':
      return formatDuration(value)
    case 'µs':
      return formatDuration(value * 1e-6)
    case 'ms':
      return formatDuration(value * 1e-3)
    case 'bytes':
      return formatBytes(value)
    case 'percent':
      return formatPercent(value / 100)
    case 'fraction':
      return formatPercent(value)
    default:
      return formatPlain(value)
  }
}

/** A column's value for display (`text`) and its exact form for a tooltip (`exact`). */
export function formatColumnValue(
  column: string,
  value: unknown,
): { text: string; exact: string | null } {
  if (value === null || value === undefined) return { text: 'NULL', exact: null }
  if (typeof value === 'number') {
    return { text: formatInUnit(columnUnit(column), value), exact: exactNumber(value) }
  }
  if (typeof value === 'object') return { text: JSON.stringify(value), exact: null }
  return { text: String(value), exact: null }
}

/** A column's value as plain text ('–' when missing), for text tables such as the CLI's. */
export function formatCell(column: string, value: unknown): string {
  if (value === null || value === undefined) return MISSING
  return formatColumnValue(column, value).text
}
