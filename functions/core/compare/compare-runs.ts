import type { ScenarioCatalog } from '#schemas/scenarios.ts'
import type { RunRow } from '#schemas/tables.ts'
import { adviseOnComparison } from './advice.ts'
import { bootstrapRatioOfMedians, DEFAULT_RESAMPLES, DEFAULT_SEED } from './bootstrap.ts'
import type { RatioInterval } from './bootstrap.ts'
import { lineRateCeiling } from './ceiling.ts'
import { comparisonKey, explainKeyMismatch } from './comparison-key.ts'
import { mannWhitneyU } from './mann-whitney.ts'
import type { MannWhitneyResult } from './mann-whitney.ts'
import { defaultScenarioCatalog, diffHops, findScenario } from './scenario-catalog.ts'
import type { HopDiff } from './scenario-catalog.ts'
import { DEFAULT_UNSTABLE_CV, describeSample, median } from './stats.ts'
import type { SampleStats } from './stats.ts'

/** What can be compared: TCP throughput (higher is better) or latency (lower is better). */
export type CompareMetric = 'throughput_bps' | 'latency_s'

/** Minimum repetitions per side below which the CI is called unreliable. */
export const DEFAULT_MIN_N = 5

/** Input of `compareRuns`. Rows may have every column but the metric null (see `emptyRunRow`). */
export interface CompareInput {
  baseline: RunRow[]
  candidate: RunRow[]
  metric: CompareMetric
  /** Compare even when comparison keys differ; the result is then flagged `key_mismatch: true`. */
  allowKeyMismatch?: boolean
  /** Scenario catalog for the hop diff; the built-in one when omitted. */
  catalog?: ScenarioCatalog
  seed?: number
  resamples?: number
  /** CV above which a side is flagged unstable (default 0.1). */
  unstableCv?: number
  /** Repetitions per side below which the advice warns (default 5). */
  minN?: number
}

/** One side of a comparison. */
export interface CompareSide {
  /** Runs with a usable value (status not 'error', finite metric). */
  n: number
  /** Runs left out for lack of a usable value. */
  excluded: number
  scenarios: string[]
  platforms: string[]
  comparison_keys: string[]
  stats: SampleStats | null
  /** Median of the runs' `ceiling_fraction` (throughput only; computed when the row lacks it). */
  ceiling_fraction_median: number | null
}

/** Overhead with its CI; see `definition`. */
export interface Overhead {
  definition: string
  estimate: number
  ci_low: number
  ci_high: number
}

/** The JSON-serialisable result of `compareRuns` (a type alias, so it is a `Record<string, unknown>`). */
export type CompareResult = {
  metric: CompareMetric
  better: 'higher' | 'lower'
  /** Null, or why the comparison was refused (comparison keys differ). */
  refused: string | null
  key_mismatch: boolean
  key_differences: string[]
  baseline: CompareSide
  candidate: CompareSide
  /** median(candidate) / median(baseline) with its percentile-bootstrap 95% CI. */
  ratio: RatioInterval | null
  overhead: Overhead | null
  /** Two-sided Mann-Whitney U of candidate vs baseline (u is the candidate's U). */
  mann_whitney: MannWhitneyResult | null
  hops: HopDiff | null
  advice: string[]
  method: { quantiles: string; ratio_ci: string; p_value: string; overhead: string }
}

const OVERHEAD_DEFINITION: Record<CompareMetric, string> = {
  throughput_bps: '1 − candidate/baseline: share of the baseline throughput lost (0.4 = 40% less)',
  latency_s: 'candidate/baseline − 1: extra latency relative to the baseline (0.4 = 40% more)',
}

/**
 * Compares a candidate set of repetitions with a baseline set: per-side median, mean, p5/p95, sd,
 * CV (unstable flag) and n; ratio of medians with a seeded percentile-bootstrap CI; overhead with
 * its CI (throughput: 1 − ratio, bounds swapped; latency: ratio − 1); two-sided Mann-Whitney p;
 * median ceiling fractions; the differing hops when each side is one known scenario; advice.
 * Runs whose comparison keys differ are refused (`refused` holds the reasons, no ratio, overhead or
 * p-value) unless `allowKeyMismatch`, which computes everything and sets `key_mismatch: true`.
 */
export function compareRuns(input: CompareInput): CompareResult {
  const { metric } = input
  const unstableCv = input.unstableCv ?? DEFAULT_UNSTABLE_CV
  const baseValues = metricValues(input.baseline, metric)
  const candValues = metricValues(input.candidate, metric)
  const baseline = describeSide(input.baseline, baseValues, metric, unstableCv)
  const candidate = describeSide(input.candidate, candValues, metric, unstableCv)

  const key_differences = keyDifferences(baseline.comparison_keys, candidate.comparison_keys)
  const key_mismatch = key_differences.length > 0
  const refused =
    key_mismatch && !input.allowKeyMismatch
      ? `comparison keys differ: ${key_differences.join('; ')}. Pass allowKeyMismatch to compare anyway.`
      : null

  let ratio: RatioInterval | null = null
  let overhead: Overhead | null = null
  let mann_whitney: MannWhitneyResult | null = null
  if (refused === null) {
    const seed = input.seed ?? DEFAULT_SEED
    ratio = bootstrapRatioOfMedians(baseValues, candValues, {
      seed,
      resamples: input.resamples ?? DEFAULT_RESAMPLES,
    })
    overhead = ratio === null ? null : overheadOf(ratio, metric)
    mann_whitney = mannWhitneyU(candValues, baseValues)
  }

  const hops = hopDiff(
    baseline.scenarios,
    candidate.scenarios,
    input.catalog ?? defaultScenarioCatalog(),
  )
  const partial = {
    metric,
    refused,
    key_mismatch,
    key_differences,
    baseline,
    candidate,
    ratio,
    mann_whitney,
  }
  return {
    metric,
    better: metric === 'throughput_bps' ? 'higher' : 'lower',
    refused,
    key_mismatch,
    key_differences,
    baseline,
    candidate,
    ratio,
    overhead,
    mann_whitney,
    hops,
    advice: adviseOnComparison(partial, { minN: input.minN ?? DEFAULT_MIN_N }),
    method: {
      quantiles: 'type 7 (linear interpolation, R default / numpy linear)',
      ratio_ci:
        'percentile bootstrap of median(candidate)/median(baseline), groups resampled independently, seeded',
      p_value:
        'two-sided Mann-Whitney U: exact when both n < 50 and no ties, else normal approximation with tie and continuity correction',
      overhead: OVERHEAD_DEFINITION[metric],
    },
  }
}

/**
 * The bare-metal runs (platform 'baremetal' or scenario 'baseline') that share a comparison key
 * with any candidate run: same hardware profile, NIC speed, link MTU and tool settings.
 * Candidate runs themselves are never returned.
 */
export function matchBaseline(candidateRuns: RunRow[], allRuns: RunRow[]): RunRow[] {
  const keys = new Set(candidateRuns.map(keyOf))
  const own = new Set(candidateRuns.map((r) => r.run_id).filter((id) => id !== null))
  return allRuns.filter(
    (run) =>
      (run.platform === 'baremetal' || run.scenario === 'baseline') &&
      keys.has(keyOf(run)) &&
      !(run.run_id !== null && own.has(run.run_id)),
  )
}

/** The run's stored comparison key, else one computed from its columns; '?' when unknown. */
export function keyOf(run: RunRow): string {
  return run.comparison_key ?? comparisonKey(run) ?? '?'
}

/** Usable values of the metric: finite, from runs not marked 'error'. */
export function metricValues(runs: RunRow[], metric: CompareMetric): number[] {
  const values: number[] = []
  for (const run of runs) {
    const value = run[metric]
    if (run.status !== 'error' && value !== null && Number.isFinite(value)) values.push(value)
  }
  return values
}

function describeSide(
  runs: RunRow[],
  values: number[],
  metric: CompareMetric,
  unstableCv: number,
): CompareSide {
  const fractions =
    metric === 'throughput_bps'
      ? runs
          .map((r) => r.ceiling_fraction ?? lineRateCeiling(r).ceiling_fraction)
          .filter((f): f is number => f !== null && Number.isFinite(f))
      : []
  return {
    n: values.length,
    excluded: runs.length - values.length,
    scenarios: distinct(runs.map((r) => r.scenario)),
    platforms: distinct(runs.map((r) => r.platform)),
    comparison_keys: distinct(runs.map(keyOf)),
    stats: describeSample(values, unstableCv),
    ceiling_fraction_median: fractions.length > 0 ? median(fractions) : null,
  }
}

function keyDifferences(baseKeys: string[], candKeys: string[]): string[] {
  const reasons: string[] = []
  if (baseKeys.length > 1)
    reasons.push(`baseline mixes ${baseKeys.length} comparison keys (${baseKeys.join(', ')})`)
  if (candKeys.length > 1)
    reasons.push(`candidate mixes ${candKeys.length} comparison keys (${candKeys.join(', ')})`)
  if (baseKeys.length === 1 && candKeys.length === 1)
    reasons.push(...explainKeyMismatch(baseKeys[0], candKeys[0]))
  return reasons
}

function overheadOf(ratio: RatioInterval, metric: CompareMetric): Overhead {
  const definition = OVERHEAD_DEFINITION[metric]
  if (metric === 'throughput_bps') {
    return {
      definition,
      estimate: 1 - ratio.estimate,
      ci_low: 1 - ratio.ci_high,
      ci_high: 1 - ratio.ci_low,
    }
  }
  return {
    definition,
    estimate: ratio.estimate - 1,
    ci_low: ratio.ci_low - 1,
    ci_high: ratio.ci_high - 1,
  }
}

function hopDiff(
  baseScenarios: string[],
  candScenarios: string[],
  catalog: ScenarioCatalog,
): HopDiff | null {
  if (baseScenarios.length !== 1 || candScenarios.length !== 1) return null
  const a = findScenario(catalog, baseScenarios[0])
  const b = findScenario(catalog, candScenarios[0])
  return a && b ? diffHops(a, b) : null
}

function distinct(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))].sort()
}
