import { normalCdf } from './normal.ts'

/** Exact p-values are computed when both groups are below this size and there are no ties (as R does). */
export const EXACT_MAX_N = 50

/** Result of a two-sided Mann-Whitney U (Wilcoxon rank-sum) test. */
export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counted ½. Equals R's `wilcox.test(x, y)$statistic` (W). */
  u: number
  /** U of the second sample (= n_x·n_y − u). */
  u_other: number
  /** Two-sided p-value. */
  p_value: number
  /** 'exact': permutation distribution of U; 'normal': normal approximation, tie and continuity corrected. */
  method: 'exact' | 'normal'
  n_x: number
  n_y: number
  ties: boolean
}

/**
 * Two-sided Mann-Whitney U test of x against y. Exact (the null distribution of U by counting)
 * when n_x < 50, n_y < 50 and no value is tied; otherwise the normal approximation with the tie
 * correction of the variance and a continuity correction of 0.5, the same choices as R's
 * `wilcox.test(x, y, correct = TRUE)`. Null when either sample is empty.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult | null {
  const nx = x.length
  const ny = y.length
  if (nx === 0 || ny === 0) return null
  const { rankSumX, tieTerm, ties } = rankSums(x, y)
  const u = rankSumX - (nx * (nx + 1)) / 2
  const base = { u, u_other: nx * ny - u, n_x: nx, n_y: ny, ties }
  if (!ties && nx < EXACT_MAX_N && ny < EXACT_MAX_N) {
    return { ...base, p_value: exactPValue(u, nx, ny), method: 'exact' }
  }
  const n = nx + ny
  const variance = ((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (variance === 0) return { ...base, p_value: 1, method: 'normal' }
  const diff = u - (nx * ny) / 2
  const z = (diff - Math.sign(diff) * 0.5) / Math.sqrt(variance)
  const p = 2 * Math.min(normalCdf(z), 1 - normalCdf(z))
  return { ...base, p_value: Math.min(1, p), method: 'normal' }
}

/** Midranks over the pooled sample: rank sum of x and Σ(t³ − t) over tie groups. */
function rankSums(
  x: readonly number[],
  y: readonly number[],
): { rankSumX: number; tieTerm: number; ties: boolean } {
  const pooled = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))]
  pooled.sort((a, b) => a.v - b.v)
  let rankSumX = 0
  let tieTerm = 0
  for (let i = 0; i < pooled.length;) {
    let j = i
    while (j + 1 < pooled.length && pooled[j + 1].v === pooled[i].v) j++
    const rank = (i + j + 2) / 2
    const t = j - i + 1
    tieTerm += t ** 3 - t
    for (let k = i; k <= j; k++) if (pooled[k].fromX) rankSumX += rank
    i = j + 1
  }
  return { rankSumX, tieTerm, ties: tieTerm > 0 }
}

/**
 * Exact two-sided p-value: counts of U under the null via f(u; m, n) = f(u − n; m − 1, n) +
 * f(u; m, n − 1), then p = min(1, 2·P(U ≤ u)) when u ≤ mn/2, else min(1, 2·P(U ≥ u)).
 */
export function exactPValue(u: number, m: number, n: number): number {
  const counts = uDistribution(m, n)
  let total = 0
  for (const c of counts) total += c
  let tail = 0
  if (u <= (m * n) / 2) {
    for (let k = 0; k <= Math.floor(u); k++) tail += counts[k]
  } else {
    for (let k = Math.ceil(u); k <= m * n; k++) tail += counts[k]
  }
  return Math.min(1, (2 * tail) / total)
}

/** Number of orderings giving each U = 0..m·n for group sizes m and n (no ties). */
export function uDistribution(m: number, n: number): Float64Array {
  // prev[j][u] holds f(u; i − 1, j); built row by row over i.
  let prev: Float64Array[] = []
  for (let j = 0; j <= n; j++) prev.push(Float64Array.of(1))
  for (let i = 1; i <= m; i++) {
    const next: Float64Array[] = [Float64Array.of(1)]
    for (let j = 1; j <= n; j++) {
      const row = new Float64Array(i * j + 1)
      const left = next[j - 1]
      const up = prev[j]
      for (let u = 0; u < left.length; u++) row[u] += left[u]
      for (let u = 0; u < up.length; u++) row[u + j] += up[u]
      next.push(row)
    }
    prev = next
  }
  return prev[n]
}
