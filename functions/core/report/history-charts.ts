import * as Plot from '@observablehq/plot'
import { parseHTML } from 'linkedom'
import type { ChangesResult } from '#schemas/api.ts'
import { changesOfRuns } from '#core/compare/change-series.ts'
import type { CompareMetric } from '#core/compare/compare-runs.ts'
import { platformColor, REFERENCE_COLORS } from '#core/palette.ts'
import { formatBitRate, formatDuration } from '#core/units.ts'
import type { ReportChart } from './report-charts.ts'
import type { WindowRunRow } from './report-model.ts'
import { toRunRow } from './report-sets.ts'
import { appendTo } from '#core/append-to.ts'

/** Fewest points a series needs to be charted: the detector wants 3 on each side of a split. */
export const MIN_HISTORY_POINTS = 6

/** One history: a (scenario, platform, hardware profile, comparison key, metric) series. */
export interface HistorySeries {
  scenario: string
  platform: string
  hardware_profile: string
  metric: CompareMetric
  series: ChangesResult['series'][number]
}

/**
 * The histories of the report's runs (current and previous windows together), one point per run in
 * time order, with the E-divisive change points of `GET /v1/changes` (default p ≤ 0.001). Only
 * series with at least 6 timed points.
 */
export function historySeries(rows: readonly WindowRunRow[]): HistorySeries[] {
  const groups = new Map<string, WindowRunRow[]>()
  for (const row of rows) {
    const id = [row.scenario ?? '(none)', row.platform ?? '(none)', row.hardware_profile].join(
      '\u0000',
    )
    appendTo(groups, id, row)
  }
  const out: HistorySeries[] = []
  for (const [id, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [scenario, platform, hardware_profile] = id.split('\u0000')
    const runs = group.map((r) => ({ ...toRunRow(r), started_at: r.started_at }))
    for (const metric of ['throughput_bps', 'latency_s'] as const) {
      for (const series of changesOfRuns({ runs, metric, by: 'run' })) {
        if (series.points.length >= MIN_HISTORY_POINTS)
          out.push({ scenario, platform, hardware_profile, metric, series })
      }
    }
  }
  return out
}

/**
 * One SVG per history: the runs as dots joined in time order, in the platform's colour, and each
 * detected change point as a vertical rule at its first point after the change (red when the
 * metric got worse, green when better) with the segment means before and after as dashed lines.
 */
export function renderHistoryCharts(histories: readonly HistorySeries[]): ReportChart[] {
  return histories.map((h, i) => {
    const { points, change_points } = h.series
    const throughput = h.metric === 'throughput_bps'
    const format = (v: number) => (throughput ? formatBitRate(v) : formatDuration(v))
    const color = platformColor(h.platform)
    const data = points.map((p) => ({ at: new Date(p.at), value: p.value }))
    const worse = (c: (typeof change_points)[number]) =>
      throughput ? c.mean_after < c.mean_before : c.mean_after > c.mean_before
    const bounds = [0, ...change_points.map((c) => c.index), points.length]
    const levels = bounds.slice(0, -1).map((start, k) => {
      const seg = points.slice(start, bounds[k + 1])
      const mean = seg.reduce((s, p) => s + p.value, 0) / seg.length
      return [
        { at: new Date(seg[0].at), value: mean, k },
        { at: new Date(seg[seg.length - 1].at), value: mean, k },
      ]
    })
    const described = change_points
      .map(
        (c) =>
          `${c.at.slice(0, 10)}: ${format(c.mean_before)} → ${format(c.mean_after)} (p ${Number(c.p_value.toPrecision(2))})`,
      )
      .join('; ')
    return {
      id: `chart-history-${i}`,
      title: `History of ${h.scenario} · ${h.platform} · ${h.hardware_profile} ${throughput ? 'throughput' : 'latency'} (${points.length} runs): ${change_points.length === 0 ? 'no change point' : `change points ${described}`}`,
      svg: draw({
        height: 220,
        marginLeft: 80,
        x: { type: 'utc', label: null },
        y: {
          label: throughput ? 'throughput' : 'latency (one-way)',
          grid: true,
          tickFormat: format,
        },
        marks: [
          ...levels.map((segment) =>
            Plot.line(segment, {
              x: 'at',
              y: 'value',
              stroke: REFERENCE_COLORS.previous,
              strokeDasharray: '4,3',
            }),
          ),
          Plot.line(data, { x: 'at', y: 'value', stroke: color, strokeOpacity: 0.5 }),
          Plot.dot(data, { x: 'at', y: 'value', fill: color, r: 3 }),
          Plot.ruleX(
            change_points.map((c) => ({ at: new Date(c.at), worse: worse(c) })),
            {
              x: 'at',
              stroke: (d: { worse: boolean }) =>
                d.worse ? REFERENCE_COLORS.regression : REFERENCE_COLORS.improvement,
              strokeWidth: 2,
            },
          ),
        ],
      }),
    }
  })
}

function draw(options: Plot.PlotOptions): string {
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>')
  const svg = Plot.plot({
    width: 760,
    marginRight: 30,
    style: { background: 'white' },
    ...options,
    document: document as unknown as Document,
  })
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  return svg.outerHTML
}
