import type { CompareResult } from '#schemas/api.ts'
import { uDistribution } from './mann-whitney.ts'
import { MIN_RUNS_FOR_INTERVAL } from './welch-log.ts'

/** The parts of a comparison the advice looks at. */
export type AdviceInput = Pick<
  CompareResult,
  | 'metric'
  | 'refused'
  | 'key_mismatch'
  | 'key_differences'
  | 'baseline'
  | 'candidate'
  | 'ratio'
  | 'median_ratio'
  | 'mann_whitney'
  | 'paired'
  | 'verdict'
  | 'skipped_files'
>

/**
 * Plain-language caveats: too few repetitions, unstable sets, key mismatch, what an INCONCLUSIVE
 * needs, cross-checks that disagree, and what limited each side.
 */
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
    else if (n < MIN_RUNS_FOR_INTERVAL) {
      advice.push(
        `${side} n=${n} < ${MIN_RUNS_FOR_INTERVAL}: no interval and no verdict; run at least ${options.minN} repetitions.`,
      )
    } else if (n < options.minN) {
      advice.push(
        `${side} n=${n} < ${options.minN}: the interval is wide and the rank test weak; run at least ${options.minN} repetitions.`,
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
    for (const note of result[side].ceiling_notes) advice.push(`${side} ceiling model: ${note}`)
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
  const { ratio, median_ratio: mr, verdict } = result
  if (ratio !== null && ratio.ci_low <= 1 && ratio.ci_high >= 1) {
    advice.push(
      'the 95% interval of the ratio includes 1: no detectable difference between the geometric means.',
    )
  }
  if (verdict.verdict === 'INCONCLUSIVE' && ratio !== null) {
    const band = `±${round(verdict.band * 100)}% band`
    advice.push(
      verdict.runs_per_side_needed !== null
        ? `INCONCLUSIVE against the ${band}: about ${verdict.runs_per_side_needed} runs per side would resolve it at the observed spread, if the ratio stays near ${round(ratio.estimate)}.`
        : `INCONCLUSIVE against the ${band}: the estimate sits on a band edge or the spread is too large for any practical number of runs; reconsider the band or reduce the noise.`,
    )
  }
  if (ratio !== null && mr !== null) {
    const mrHigh = mr.ci_high ?? Number.POSITIVE_INFINITY
    if (mr.ci_low > ratio.ci_high || mrHigh < ratio.ci_low) {
      advice.push(
        `the median ratio's interval [${round(mr.ci_low)}, ${mr.ci_high === null ? '∞' : round(mr.ci_high)}] and the geometric-mean interval [${round(ratio.ci_low)}, ${round(ratio.ci_high)}] do not overlap: skewed sets or outliers; look at the runs.`,
      )
    }
  }
  if (mr?.upper_unbounded) {
    advice.push(
      'the median ratio has no upper bound: in at least 2.5% of bootstrap resamples the baseline median is 0 (runs that moved nothing).',
    )
  }
  advice.push(...bottleneckAdvice(result))
  advice.push(...qualificationAdvice(result))
  return advice
}

/** Deviation of one repetition from its set's median that the advice names even without drift. */
export const OUTLIER_DEVIATION = 0.2

function qualificationAdvice({
  baseline,
  candidate,
  paired,
  ratio,
  skipped_files,
}: AdviceInput): string[] {
  const out: string[] = []
  for (const [side, s] of [
    ['baseline', baseline],
    ['candidate', candidate],
  ] as const) {
    const q = s.qualification
    if (q !== null && q.intervals_unreadable > 0)
      out.push(
        `${side}: the qualification of ${q.intervals_unreadable} run(s) is unknown: their interval rows are in a Parquet file that cannot be read (${skipped_files.map((f) => f.key).join(', ')}; netlake doctor lists it, netlake compact moves it aside). The ratio and verdict stand.`,
      )
    if (q !== null && q.not_steady > 0) {
      const first = q.runs.find((r) => r.steady === false)
      const omit =
        q.suggested_omit_s !== null
          ? ` Warm-up seen: collect with --omit ${q.suggested_omit_s} (iperf3 -O).`
          : ''
      out.push(
        `${side}: ${q.not_steady} of ${q.with_intervals} runs with intervals are not steady (run ${first?.run_id ?? '?'} ${first?.issues.join('; ') ?? ''}).${omit}`,
      )
    }
    if (q?.jain_fairness_min != null && q.jain_fairness_min < 0.9) {
      out.push(
        `${side}: parallel streams share the path unevenly (lowest Jain's index ${round(q.jain_fairness_min)}); the sum hides a starved stream.`,
      )
    }
    const d = s.drift
    if (d?.drifting) {
      out.push(
        `${side} drifts with ${d.order === 'repetition' ? 'repetition order' : 'time'} (Spearman ρ=${round(d.rho)}, p=${d.p_value === null ? '?' : round(d.p_value)}): the host warmed up, throttled or had neighbours; the ratio mixes states.`,
      )
    } else if (d?.worst_deviation != null && Math.abs(d.worst_deviation) >= OUTLIER_DEVIATION) {
      const which = d.worst_repetition === null ? 'one run' : `repetition ${d.worst_repetition}`
      const dir = d.worst_deviation < 0 ? 'below' : 'above'
      out.push(
        `${side} ${which} is ${Math.round(Math.abs(d.worst_deviation) * 100)}% ${dir} the set median: look at that run before trusting the ratio.`,
      )
    }
  }
  if (paired !== null) {
    const disagree =
      ratio !== null && (paired.ci_low > ratio.ci_high || paired.ci_high < ratio.ci_low)
    out.push(
      `repetitions paired by label (${paired.pairs} pairs): ratio ${round(paired.estimate)} [${round(paired.ci_low)}, ${round(paired.ci_high)}]${disagree ? ', which does not overlap the unpaired interval: something changed between repetitions on both sides' : ''}.`,
    )
  }
  return out
}

const LIMIT_WORDS = {
  cpu: 'is CPU-bound',
  ceiling: 'is at its line-rate ceiling',
  loss: 'is loss-limited',
  unknown: 'has no identified limit',
} as const

/** The shared part of the advice when both sides are CPU-bound (the CPU per Gbit/s figures follow). */
export const CPU_BOUND_ADVICE =
  'both sides are CPU-bound: throughput measures per-packet software cost on these hosts, not the network'

/**
 * What the two sides' bottlenecks mean for the ratio: a side mixing regimes, both CPU-bound, or
 * the sides limited by different things. Part of `advice`; the report shows it beside `limited_by`.
 */
export function bottleneckAdvice({
  baseline,
  candidate,
}: Pick<AdviceInput, 'baseline' | 'candidate'>): string[] {
  const b = baseline.bottleneck
  const c = candidate.bottleneck
  if (b === null || c === null || baseline.n === 0 || candidate.n === 0) return []
  const out: string[] = []
  for (const [side, limit] of [
    ['baseline', b],
    ['candidate', c],
  ] as const) {
    if (limit.limited_by === 'mixed') {
      const parts = Object.entries(limit.counts)
        .filter(([, k]) => k > 0)
        .map(([name, k]) => `${name} ${k}`)
      out.push(
        `${side} runs are limited by different things (${parts.join(', ')}): the set mixes regimes.`,
      )
    }
  }
  const cost = (x: number | null) => (x === null ? '?' : `${round(x)}`)
  if (b.limited_by === 'cpu' && c.limited_by === 'cpu') {
    out.push(
      `${CPU_BOUND_ADVICE}; compare CPU per Gbit/s (baseline ${cost(b.cpu_percent_per_gbps_median)}, candidate ${cost(c.cpu_percent_per_gbps_median)} % of a core per Gbit/s).`,
    )
  } else if (
    b.limited_by !== c.limited_by &&
    b.limited_by !== 'mixed' &&
    c.limited_by !== 'mixed'
  ) {
    out.push(
      `baseline ${LIMIT_WORDS[b.limited_by]}, candidate ${LIMIT_WORDS[c.limited_by]}: the ratio compares different bottlenecks, not only the two paths.`,
    )
  }
  return out
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
