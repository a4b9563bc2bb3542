import type { z } from 'zod'
import type { CompareQuerySchema, SkippedFile } from '#schemas/api.ts'
import { SAMPLE_LABELS } from '#schemas/labels.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'
import type { ScenarioCatalog } from '#schemas/scenarios.ts'
import { compareRuns, matchBaseline, type CompareResult } from '#core/compare/compare-runs.ts'
import { preferOwnRuns } from '#core/compare/sample-runs.ts'
import type { RunFilter } from '#functions/ports.ts'

/** `GET /v1/compare`'s query, validated (defaults applied). */
export type CompareQuery = z.output<typeof CompareQuerySchema>

/** Reads the runs matching a filter (server-side documents already left out), newest first. */
export type RunLoader = (filter: RunFilter) => Promise<RunRow[]>

/** Interval rows read for some runs, and the files left out because they cannot be read. */
export interface IntervalsRead {
  rows: IntervalRow[]
  skipped: SkippedFile[]
  /** Run ids whose rows may be in a skipped file: their qualification is unknown. */
  unreadableRuns: string[]
}

/** Why a comparison cannot be given, as `GET /v1/compare` answers it. */
export interface CompareRefusal {
  status: 404 | 409
  code: 'no-runs' | 'no-baseline' | 'key-mismatch'
  message: string
  field: 'candidate' | 'baseline' | 'allow_key_mismatch'
}

/**
 * `GET /v1/compare`'s selection and comparison over any source of runs: the API reads them from
 * the catalog, `netlake compare --lake` from Parquet files. The candidate's runs, the baseline's
 * (a scenario, or bare metal matched on the comparison key), the bundled samples only while a side
 * has nothing else (or campaign= chooses them), then `compareRuns`. `cap` is the most runs a side
 * is read with (advice says when it was reached).
 */
export async function compareScenario(
  load: RunLoader,
  query: CompareQuery,
  options: {
    scenarios?: ScenarioCatalog
    cap: number
    /**
     * Interval rows of the runs, for run qualification (throughput only); none when omitted.
     * Files it skips are the result's `skipped_files`; the rest of the comparison stands.
     */
    loadIntervals?: (runs: RunRow[]) => Promise<IntervalsRead>
  },
): Promise<{ ok: true; result: CompareResult } | ({ ok: false } & CompareRefusal)> {
  const test =
    query.metric === 'throughput_bps'
      ? { tool: 'iperf3', test: 'tcp' }
      : { tool: 'qperf', test: 'tcp_lat' }
  const common: RunFilter = {
    ...test,
    status: 'ok',
    hardware_profile: query.hardware_profile,
    campaign: query.campaign,
  }
  const chosen = query.campaign !== undefined
  const own = preferOwnRuns(await load({ ...common, scenario: query.candidate }), chosen)
  const candidate = own.runs
  if (candidate.length === 0)
    return {
      ok: false,
      status: 404,
      code: 'no-runs',
      message: `no ${test.tool} ${test.test} runs for scenario '${query.candidate}'`,
      field: 'candidate',
    }
  const found = await load(
    query.baseline ? { ...common, scenario: query.baseline } : { ...common, platform: 'baremetal' },
  )
  const pool = preferOwnRuns(
    query.baseline ? found : matchBaseline(candidate, found),
    chosen,
    own.samplesOnly,
  )
  const baseline = pool.runs
  if (baseline.length === 0)
    return {
      ok: false,
      status: 404,
      code: 'no-baseline',
      message: query.baseline
        ? `no runs for baseline scenario '${query.baseline}'`
        : 'no bare-metal runs match the candidate (same hardware profile, NIC speed, link MTU and tool settings)',
      field: 'baseline',
    }
  const read: IntervalsRead =
    query.metric === 'throughput_bps' && options.loadIntervals
      ? await options.loadIntervals([...baseline, ...candidate])
      : { rows: [], skipped: [], unreadableRuns: [] }
  const result = compareRuns({
    baseline,
    candidate,
    metric: query.metric,
    allowKeyMismatch: query.allow_key_mismatch === 'true',
    catalog: options.scenarios,
    seed: query.seed,
    band: query.band,
    intervals: read.rows,
    skippedFiles: read.skipped,
    unreadableRuns: read.unreadableRuns,
  })
  if (result.refused)
    return {
      ok: false,
      status: 409,
      code: 'key-mismatch',
      message: result.refused,
      field: 'allow_key_mismatch',
    }
  const leftOut = own.samplesLeftOut + pool.samplesLeftOut
  if (leftOut > 0)
    result.advice.push(
      `${leftOut} bundled sample runs (campaign ${SAMPLE_LABELS.campaign}) were left out; campaign=${SAMPLE_LABELS.campaign} compares them`,
    )
  for (const [side, runs] of [
    ['candidate', candidate],
    ['baseline', baseline],
  ] as const) {
    if (runs.length >= options.cap)
      result.advice.push(
        `${side}: only the newest ${options.cap} runs were read; narrow the filters (hardware_profile, campaign) for a complete comparison`,
      )
  }
  return { ok: true, result }
}
