import type { RunQualification, SetQualification } from '#schemas/api.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'
import { mean, median, standardDeviation } from './stats.ts'
import { tSurvival } from './student-t.ts'

/** Fewer non-omitted intervals than this: no steady-state judgement (null). */
export const MIN_STEADY_INTERVALS = 4
/** |trend| above this (10 % of the mean across the run) with slope p < 0.05 marks a drifting run. */
export const STEADY_TREND_LIMIT = 0.1
/** CV of the interval rates above this marks a run as not steady. */
export const STEADY_CV_LIMIT = 0.1
/** Leading intervals below this share of the later level (median of the second half) are warm-up. */
export const WARMUP_LEVEL = 0.9
/** Jain's index below this marks the streams of a -P > 1 run as unfair. */
export const FAIRNESS_LIMIT = 0.9

/**
 * Qualifies one run from its interval rows: the per-interval sum rate of the run's direction
 * (forward for bidir), non-omitted intervals only, in time order. Steady state: a warm-up (leading
 * intervals below 90 % of the median of the second half, at most half the run), a linear trend of
 * more than ±10 % across the run that is significant (slope t-test p < 0.05), or interval CV
 * above 0.1 each make the run not steady. Retransmits per GB come from the run row; Jain's
 * fairness from the per-stream byte totals of the non-omitted intervals when there are ≥ 2 streams.
 */
export function qualifyRun(run: RunRow, intervals: readonly IntervalRow[]): RunQualification {
  const own = intervals.filter((i) => i.run_id === null || i.run_id === run.run_id)
  const wanted = run.direction === 'reverse' ? 'reverse' : 'forward'
  const measured = own.filter((i) => i.omitted !== true && i.bits_per_second !== null)
  let sums = measured.filter((i) => i.stream === -1 && (i.direction ?? wanted) === wanted)
  if (sums.length === 0) sums = measured.filter((i) => i.stream === -1)
  sums = [...sums].sort((a, b) => (a.start_s ?? 0) - (b.start_s ?? 0))
  const issues: string[] = []

  const rates = sums.map((i) => i.bits_per_second as number)
  const times = sums.map((i) => ((i.start_s ?? 0) + (i.end_s ?? 0)) / 2)
  let steady: boolean | null = null
  let trend: number | null = null
  let trendP: number | null = null
  let cv: number | null = null
  let warmup: number | null = null
  let suggested: number | null = null
  if (rates.length >= MIN_STEADY_INTERVALS && mean(rates) > 0) {
    const m = mean(rates)
    cv = standardDeviation(rates) / m
    const fit = linearTrend(times, rates)
    trend = (fit.slope * (times[times.length - 1] - times[0])) / m
    trendP = fit.p_value
    const level = median(rates.slice(Math.floor(rates.length / 2)))
    let k = 0
    while (k < rates.length / 2 && rates[k] < WARMUP_LEVEL * level) k++
    const origin = sums[0].start_s ?? 0
    warmup = k === 0 ? 0 : (sums[k - 1].end_s ?? origin) - origin
    steady = true
    if (k > 0) {
      steady = false
      suggested = (run.omit_s ?? 0) + Math.ceil(warmup - 1e-6)
      issues.push(
        `climbs during its first ${round(warmup)} s (${gbps(rates[0])} → ${gbps(level)} Gbit/s): use -O ${suggested}`,
      )
    }
    if (Math.abs(trend) > STEADY_TREND_LIMIT && trendP !== null && trendP < 0.05) {
      steady = false
      issues.push(
        `drifts ${trend > 0 ? '+' : ''}${pct(trend)} across the run (slope p=${round(trendP)})`,
      )
    }
    if (cv > STEADY_CV_LIMIT) {
      steady = false
      issues.push(`interval rates vary: CV ${round(cv)} > ${STEADY_CV_LIMIT}`)
    }
  }

  const bytesByStream = new Map<number, number>()
  for (const i of measured) {
    if (i.stream === null || i.stream < 0 || (i.direction ?? wanted) !== wanted) continue
    bytesByStream.set(i.stream, (bytesByStream.get(i.stream) ?? 0) + (i.bytes ?? 0))
  }
  const streams = bytesByStream.size > 0 ? bytesByStream.size : run.streams
  const jain = bytesByStream.size > 1 ? jainIndex([...bytesByStream.values()]) : null
  if (jain !== null && jain < FAIRNESS_LIMIT)
    issues.push(`streams share unfairly: Jain's index ${round(jain)} < ${FAIRNESS_LIMIT}`)

  const perGb =
    run.retransmits !== null && run.sender_bytes !== null && run.sender_bytes > 0
      ? run.retransmits / (run.sender_bytes / 1e9)
      : null

  return {
    run_id: run.run_id,
    intervals: rates.length,
    steady,
    trend,
    trend_p_value: trendP,
    interval_cv: cv,
    warmup_s: warmup,
    suggested_omit_s: suggested,
    retransmits_per_gb: perGb,
    streams,
    jain_fairness: jain,
    issues,
  }
}

/** The issue of a run whose interval rows are in a file that cannot be read. */
export const INTERVALS_UNREADABLE =
  'intervals unknown: their Parquet file cannot be read (skipped_files)'

/**
 * Qualifies each run of a set from the interval rows given (any order, any runs: grouped by
 * run_id; runs without rows get `intervals: 0`, `steady: null`). Runs listed by run_id. Runs in
 * `unreadable` (their interval file was skipped) are not judged and say why.
 */
export function qualifySet(
  runs: readonly RunRow[],
  intervals: readonly IntervalRow[],
  unreadable: ReadonlySet<string> = new Set(),
): SetQualification {
  const byRun = new Map<string, IntervalRow[]>()
  for (const row of intervals) {
    if (row.run_id === null) continue
    const list = byRun.get(row.run_id)
    if (list) list.push(row)
    else byRun.set(row.run_id, [row])
  }
  const lost = (run: RunRow) => run.run_id !== null && unreadable.has(run.run_id)
  const list = runs
    .map((run) => {
      const q = qualifyRun(run, run.run_id === null ? [] : (byRun.get(run.run_id) ?? []))
      return lost(run) && q.intervals === 0
        ? { ...q, issues: [...q.issues, INTERVALS_UNREADABLE] }
        : q
    })
    .sort((a, b) => (a.run_id ?? '\uffff').localeCompare(b.run_id ?? '\uffff'))
  const omits = list.map((q) => q.suggested_omit_s).filter((x): x is number => x !== null)
  const perGb = list.map((q) => q.retransmits_per_gb).filter((x): x is number => x !== null)
  const fair = list.map((q) => q.jain_fairness).filter((x): x is number => x !== null)
  return {
    with_intervals: list.filter((q) => q.intervals > 0).length,
    intervals_unreadable: list.filter((q) => q.issues.includes(INTERVALS_UNREADABLE)).length,
    not_steady: list.filter((q) => q.steady === false).length,
    suggested_omit_s: omits.length > 0 ? Math.max(...omits) : null,
    retransmits_per_gb_median: perGb.length > 0 ? median(perGb) : null,
    jain_fairness_min: fair.length > 0 ? Math.min(...fair) : null,
    runs: list,
  }
}

/** Jain's fairness index (Σx)² / (n Σx²); 1 for an empty or all-zero list. */
export function jainIndex(values: readonly number[]): number {
  const sum = values.reduce((s, x) => s + x, 0)
  const squares = values.reduce((s, x) => s + x * x, 0)
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares)
}

/** Ordinary least squares y = a + b x with the two-sided t-test p of b (null below 3 points). */
export function linearTrend(
  x: readonly number[],
  y: readonly number[],
): { slope: number; intercept: number; p_value: number | null } {
  const n = x.length
  const mx = mean(x)
  const my = mean(y)
  let sxx = 0
  let sxy = 0
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2
    sxy += (x[i] - mx) * (y[i] - my)
  }
  const slope = sxx === 0 ? 0 : sxy / sxx
  const intercept = my - slope * mx
  if (n < 3 || sxx === 0) return { slope, intercept, p_value: null }
  let sse = 0
  for (let i = 0; i < n; i++) sse += (y[i] - intercept - slope * x[i]) ** 2
  const se = Math.sqrt(sse / (n - 2) / sxx)
  const p_value = se === 0 ? (slope === 0 ? 1 : 0) : 2 * tSurvival(Math.abs(slope / se), n - 2)
  return { slope, intercept, p_value }
}

function gbps(bps: number): string {
  return `${Number((bps / 1e9).toPrecision(3))}`
}

function round(x: number): number {
  return Number(x.toPrecision(3))
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`
}
