import type { RatioInterval } from './bootstrap.ts'
import type { MannWhitneyResult } from './mann-whitney.ts'
import { uDistribution } from './mann-whitney.ts'
import type { SampleStats } from './stats.ts'

/** The parts of a comparison the advice looks at. */
export interface AdviceInput {
  metric: string
  refused: string | null
  key_mismatch: boolean
  key_differences: string[]
  baseline: {
    n: number
    excluded: number
    stats: SampleStats | null
    ceiling_fraction_median: number | null
  }
  candidate: {
    n: number
    excluded: number
    stats: SampleStats | null
    ceiling_fraction_median: number | null
  }
  ratio: RatioInterval | null
  mann_whitney: MannWhitneyResult | null
}

/** Plain-language caveats: too few repetitions, unstable sets, key mismatch, no detectable difference. */
export function adviseOnComparison(result: AdviceInput, options: { minN: number }): string[] {
  const advice: string[] = []
  if (result.refused !== null) advice.push(`refused: ${result.refused}`)
  else if (result.key_mismatch) {
    advice.push(
      `key mismatch allowed: ${result.key_differences.join('; ')}. The sides differ in physical or tool settings; treat every number as indicative only.`,
    )
  }
  for (const side of ['baseline', 'candidate'] as const) {
    const { n, excluded, stats } = result[side]
    if (n === 0)
      advice.push(`${side} has no run with a ${result.metric} value: nothing to compare.`)
    else if (n < options.minN) {
      advice.push(
        `${side} n=${n} < ${options.minN}: CI unreliable; run at least ${options.minN} repetitions.`,
      )
    }
    if (excluded > 0)
      advice.push(
        `${excluded} ${side} run(s) without a usable ${result.metric} value (error status or missing) were left out.`,
      )
    if (stats?.unstable) {
      const cv = stats.cv === null ? 'undefined' : round(stats.cv)
      advice.push(
        `${side} is unstable: CV ${cv} > ${stats.unstable_cv_threshold}; pin CPUs, check for noisy neighbours or add repetitions.`,
      )
    }
    const ceiling = result[side].ceiling_fraction_median
    if (ceiling !== null && ceiling > 1.01) {
      advice.push(
        `${side} runs exceed their line-rate ceiling (median ${round(ceiling)}): check the nic_speed_bps and mtu labels.`,
      )
    }
  }
  const mw = result.mann_whitney
  if (mw !== null) {
    const floor = mw.method === 'exact' ? smallestExactP(mw.n_x, mw.n_y) : 0
    if (floor > 0.05) {
      advice.push(
        `with n=${mw.n_x} and n=${mw.n_y} the smallest possible two-sided p is ${round(floor)}: the rank test cannot reach 0.05; add repetitions.`,
      )
    } else if (mw.p_value >= 0.05) {
      advice.push(
        `no significant difference at the 5% level (Mann-Whitney p=${round(mw.p_value)}).`,
      )
    }
  }
  if (result.ratio !== null && result.ratio.ci_low <= 1 && result.ratio.ci_high >= 1) {
    advice.push('the 95% CI of the ratio includes 1: no detectable difference between the medians.')
  }
  return advice
}

/** Smallest two-sided exact Mann-Whitney p for group sizes m and n: 2 / C(m + n, m). */
export function smallestExactP(m: number, n: number): number {
  let total = 0
  for (const count of uDistribution(m, n)) total += count
  return Math.min(1, 2 / total)
}

function round(x: number): number {
  return Number(x.toPrecision(3))
}
