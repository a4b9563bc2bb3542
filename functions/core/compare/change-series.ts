import type { ChangesResult } from '#schemas/api.ts'
import type { RunRow } from '#schemas/tables.ts'
import { detectChangePoints, latestVsPrevious, MAX_SERIES_POINTS } from './change-points.ts'
import type { ChangePointOptions } from './change-points.ts'
import type { CompareMetric } from './compare-runs.ts'
import { keyOf, metricValues } from './compare-runs.ts'
import { median } from './stats.ts'
import { appendTo } from '#core/append-to.ts'

export type { ChangesResult } from '#schemas/api.ts'

/** Options of `changesOfRuns`. */
export interface ChangesInput extends ChangePointOptions {
  runs: RunRow[]
  metric: CompareMetric
  /** One point per run, or per campaign (its median, placed at its first run). */
  by: 'run' | 'campaign'
  /** Points before the latest one that "latest vs previous" compares it with (default 10). */
  previous?: number
}

/**
 * Change points per comparison key: the usable runs (status not 'error', finite metric) grouped
 * by comparison key, ordered by time (started_at, else collected_at; runs without either are left
 * out and counted), one point per run or per campaign (the newest 2,000 points), then `detectChangePoints` and
 * `latestVsPrevious` on each series. Pure: the caller loads the runs.
 */
export function changesOfRuns(input: ChangesInput): ChangesResult['series'] {
  const groups = new Map<string, RunRow[]>()
  for (const run of input.runs) {
    if (metricValues([run], input.metric).length === 0) continue
    const key = keyOf(run)
    appendTo(groups, key, run)
  }
  const out: ChangesResult['series'] = []
  for (const [key, runs] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const timed = runs
      .map((run) => ({ run, at: run.started_at ?? run.collected_at }))
      .filter((r): r is { run: RunRow; at: string } => r.at !== null)
      .sort(
        (a, b) =>
          a.at.localeCompare(b.at) || (a.run.run_id ?? '').localeCompare(b.run.run_id ?? ''),
      )
    const all =
      input.by === 'run' ? runPoints(timed, input.metric) : campaignPoints(timed, input.metric)
    const points = all.slice(Math.max(0, all.length - MAX_SERIES_POINTS))
    const values = points.map((p) => p.value)
    const changes = detectChangePoints(values, input)
    out.push({
      comparison_key: key,
      untimed_runs: runs.length - timed.length,
      older_points_left_out: all.length - points.length,
      points,
      change_points: changes.map((c) => ({
        ...c,
        at: points[c.index].at,
        label: points[c.index].label,
      })),
      latest: latestVsPrevious(values, input.previous ?? 10),
    })
  }
  return out
}

type Timed = { run: RunRow; at: string }

function runPoints(timed: Timed[], metric: CompareMetric) {
  return timed.map(({ run, at }) => ({ label: run.run_id ?? '?', at, value: run[metric]!, n: 1 }))
}

function campaignPoints(timed: Timed[], metric: CompareMetric) {
  const byCampaign = new Map<string, { at: string; values: number[] }>()
  for (const { run, at } of timed) {
    const label = run.campaign ?? '(no campaign)'
    const entry = byCampaign.get(label) ?? { at, values: [] }
    entry.values.push(run[metric]!)
    byCampaign.set(label, entry)
  }
  return [...byCampaign]
    .map(([label, { at, values }]) => ({ label, at, value: median(values), n: values.length }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.label.localeCompare(b.label))
}
