/** Display formats with units. */

/** 5686790328 → "5.69 Gbit/s". */
export function formatBps(bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return '—'
  return bps >= 1e9 ? `${(bps / 1e9).toFixed(2)} Gbit/s` : `${(bps / 1e6).toFixed(1)} Mbit/s`
}

/** 0.00000374 → "3.74 µs". */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—'
  if (s < 1e-3) return `${(s * 1e6).toFixed(2)} µs`
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`
  return `${s.toFixed(2)} s`
}

/** 0.4123 → "41.2 %". */
export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—'
  return `${(x * 100).toFixed(1)} %`
}

/** A cell value for the result table. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toPrecision(6)
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
