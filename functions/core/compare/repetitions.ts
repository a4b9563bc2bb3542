import type { Drift, PairedRatio } from '#schemas/api.ts'
import type { RunRow } from '#schemas/tables.ts'
import { mean, standardDeviation } from './stats.ts'
import { tQuantile, tSurvival } from './student-t.ts'
import { MIN_RUNS_FOR_INTERVAL } from './welch-log.ts'

/** |ρ| at or above this with p < 0.05 flags a set as drifting with repetition order. */
export const DRIFT_RHO = 0.5
/** Fewer runs than this: no drift test (Spearman's p is meaningless below 4). */
export const MIN_DRIFT_RUNS = 4

/**
 * Spearman's ρ between values and repetition order (average ranks for ties), with scipy's
 * two-sided p (t = ρ √((n − 2)/(1 − ρ²)), n − 2 df). A set drifts when |ρ| ≥ 0.5 and p < 0.05.
 * Null below 4 runs with a value, or when the order is unknown for any of them.
 */
export function driftOfRuns(runs: readonly RunRow[], metric: keyof RunRow): Drift | null {
  const usable = runs.filter((r) => r.status !== 'error' && isFiniteNumber(r[metric]))
  if (usable.length < MIN_DRIFT_RUNS) return null
  const byLabel = usable.every((r) => r.repetition !== null)
  const orderOf = (r: RunRow): number | null =>
    byLabel ? r.repetition : timeOf(r.started_at ?? r.collected_at)
  const order = usable.map(orderOf)
  if (order.some((o) => o === null)) return null
  const values = usable.map((r) => r[metric] as number)
  const { rho, p_value } = spearman(order as number[], values)
  const sorted = [...values].sort((a, b) => a - b)
  const mid = (sorted.length - 1) / 2
  const med = (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2
  let worst: number | null = null
  let worstDev: number | null = null
  if (med !== 0) {
    usable.forEach((r, i) => {
      const dev = values[i] / med - 1
      // ties (within rounding) go to the lower value, so the answer does not depend on run order
      const gap = worstDev === null ? 1 : Math.abs(dev) - Math.abs(worstDev)
      if (worstDev === null || gap > 1e-12 || (Math.abs(gap) <= 1e-12 && dev < worstDev)) {
        worstDev = dev
        worst = r.repetition
      }
    })
  }
  return {
    n: usable.length,
    order: byLabel ? 'repetition' : 'time',
    rho,
    p_value,
    drifting: Math.abs(rho) >= DRIFT_RHO && p_value !== null && p_value < 0.05,
    worst_repetition: worst,
    worst_deviation: worstDev,
  }
}

/** Spearman's ρ (Pearson of average ranks) and scipy's t-approximation p (null below 3 points). */
export function spearman(
  x: readonly number[],
  y: readonly number[],
): { rho: number; p_value: number | null } {
  const rx = ranks(x)
  const ry = ranks(y)
  const mx = mean(rx)
  const my = mean(ry)
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my)
    sxx += (rx[i] - mx) ** 2
    syy += (ry[i] - my) ** 2
  }
  const rho = sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy)
  const n = x.length
  if (n < 3) return { rho, p_value: null }
  if (Math.abs(rho) >= 1) return { rho, p_value: 0 }
  const t = rho * Math.sqrt((n - 2) / (1 - rho * rho))
  return { rho, p_value: Math.min(1, 2 * tSurvival(Math.abs(t), n - 2)) }
}

/** Average ranks, 1-based (ties share the mean of their positions). */
export function ranks(values: readonly number[]): number[] {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const out = new Array<number>(values.length)
  for (let i = 0; i < idx.length;) {
    let j = i
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++
    for (let k = i; k <= j; k++) out[idx[k][1]] = (i + j) / 2 + 1
    i = j + 1
  }
  return out
}

/**
 * Pairs baseline and candidate runs by `repetition` label when every usable run on both sides
 * carries one, each label at most once per side, and at least 3 labels are shared; then a t
 * interval on the mean paired ln ratio. Null otherwise (the unpaired Welch figure stands).
 */
export function pairedRatio(
  baseline: readonly RunRow[],
  candidate: readonly RunRow[],
  metric: keyof RunRow,
): PairedRatio | null {
  const index = (runs: readonly RunRow[]): Map<number, number> | null => {
    const map = new Map<number, number>()
    for (const r of runs) {
      if (r.status === 'error' || !isFiniteNumber(r[metric])) continue
      if (r.repetition === null || map.has(r.repetition)) return null
      const v = r[metric] as number
      if (!(v > 0)) return null
      map.set(r.repetition, v)
    }
    return map
  }
  const b = index(baseline)
  const c = index(candidate)
  if (b === null || c === null) return null
  const repetitions = [...b.keys()].filter((k) => c.has(k)).sort((x, y) => x - y)
  if (repetitions.length < MIN_RUNS_FOR_INTERVAL) return null
  const logs = repetitions.map((k) => Math.log((c.get(k) as number) / (b.get(k) as number)))
  const m = mean(logs)
  const df = logs.length - 1
  const half = (tQuantile(0.975, df) * standardDeviation(logs)) / Math.sqrt(logs.length)
  return {
    pairs: logs.length,
    repetitions,
    estimate: Math.exp(m),
    ci_low: Math.exp(m - half),
    ci_high: Math.exp(m + half),
    df,
    method: 'paired t interval on ln(candidate/baseline) by repetition label',
  }
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x)
}

function timeOf(value: string | null): number | null {
  if (value === null) return null
  const t = Date.parse(value)
  return Number.isFinite(t) ? t : null
}
