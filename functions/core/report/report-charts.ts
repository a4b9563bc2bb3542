import * as Plot from '@observablehq/plot'
import { parseHTML } from 'linkedom'
import { platformColor, REFERENCE_COLORS } from '#core/palette.ts'
import { distinguishingLabels } from './group-labels.ts'
import { renderHistoryCharts } from './history-charts.ts'
import type { ReportModel } from './report-model.ts'

/**
 * The report's charts as SVG strings, drawn server-side by Observable Plot on a linkedom DOM: no
 * script, no font or image request, so the HTML stays self-contained. Legends are left to the page
 * (Plot's swatch legends would add an SVG per swatch); series are told apart by color and text.
 */

/** One chart: a caption and its SVG markup. */
export interface ReportChart {
  id: string
  title: string
  svg: string
}

/** Platform colours come from the shared palette (the notebook's too); verdicts are neutral marks. */
const COLORS = {
  previous: REFERENCE_COLORS.previous,
  bad: REFERENCE_COLORS.regression,
  good: REFERENCE_COLORS.improvement,
  neutral: REFERENCE_COLORS.interval,
}
const byPlatform = (g: { platform: string }) => platformColor(g.platform)

/** Every chart the model has data for, in page order. */
export function renderReportCharts(model: ReportModel): ReportChart[] {
  const charts: ReportChart[] = []
  for (const metric of ['throughput_bps', 'latency_s'] as const) {
    const rows = model.groups.filter((g) => g.metric === metric && g.stats !== null)
    if (rows.length === 0) continue
    const scale = metric === 'throughput_bps' ? 1e-9 : 1e6
    const previous = model.changes.filter(
      (c) =>
        c.metric === metric &&
        c.previous_median !== null &&
        rows.some((g) => labelOf(g) === labelOf(c)),
    )
    const domain = rows.map(labelOf)
    charts.push({
      id: `chart-${metric}`,
      title:
        metric === 'throughput_bps'
          ? 'TCP throughput per scenario (median, p5–p95; grey: previous window median)'
          : 'TCP latency per scenario (median, p5–p95; grey: previous window median)',
      svg: draw({
        height: 40 + rows.length * 28,
        marginLeft: 210,
        x: {
          label: metric === 'throughput_bps' ? 'Gbit/s →' : '← µs (one-way)',
          grid: true,
          zero: true,
        },
        y: { label: null, domain },
        marks: [
          Plot.ruleY(rows, {
            y: labelOf,
            x1: (g) => g.stats!.p5 * scale,
            x2: (g) => g.stats!.p95 * scale,
            stroke: byPlatform,
            strokeOpacity: 0.5,
            strokeWidth: 3,
          }),
          Plot.dot(previous, {
            y: labelOf,
            x: (c) => c.previous_median! * scale,
            stroke: COLORS.previous,
            r: 5,
          }),
          Plot.dot(rows, {
            y: labelOf,
            x: (g) => g.stats!.median * scale,
            fill: byPlatform,
            r: 4,
            title: (g) => `${labelOf(g)}: n = ${g.n}`,
          }),
        ],
      }),
    })
  }
  const changes = model.changes.filter((c) => c.ratio !== null)
  if (changes.length > 0) {
    const label = (c: (typeof changes)[number]) =>
      `${labelOf(c)} · ${c.metric === 'throughput_bps' ? 'tput' : 'lat'}`
    const color = (c: (typeof changes)[number]) =>
      c.verdict === 'regression'
        ? COLORS.bad
        : c.verdict === 'improvement'
          ? COLORS.good
          : COLORS.neutral
    charts.push({
      id: 'chart-change',
      title: `Change since the previous window: current / previous median with 95% CI (dashed: ±${(model.tolerance * 100).toFixed(0)}% tolerance; red: regression, green: improvement)`,
      svg: draw({
        height: 40 + changes.length * 24,
        marginLeft: 250,
        x: { label: 'current / previous median', grid: true },
        y: { label: null, domain: changes.map(label) },
        marks: [
          Plot.ruleX([1 - model.tolerance, 1 + model.tolerance], {
            strokeDasharray: '4,3',
            stroke: '#888',
          }),
          Plot.ruleX([1], { stroke: '#444' }),
          Plot.ruleY(changes, {
            y: label,
            x1: (c) => c.ratio!.ci_low,
            x2: (c) => c.ratio!.ci_high,
            stroke: color,
            strokeWidth: 3,
          }),
          Plot.dot(changes, { y: label, x: (c) => c.ratio!.estimate, fill: color, r: 4 }),
        ],
      }),
    })
  }
  const overhead = model.overhead.filter((o) => o.overhead !== null)
  // one row per (scenario, comparison key) group, labelled by what differs: never two on one row
  const overheadLabels = distinguishingLabels(overhead)
  const overheadLabel = (o: (typeof overhead)[number]) => overheadLabels[overhead.indexOf(o)]
  if (overhead.length > 0) {
    charts.push({
      id: 'chart-overhead',
      title: 'Throughput overhead vs matched bare metal (1 − scenario / baseline, 95% CI)',
      svg: draw({
        height: 40 + overhead.length * 28,
        marginLeft: 210,
        x: { label: 'overhead (%) →', grid: true },
        y: { label: null, domain: overhead.map(overheadLabel) },
        marks: [
          Plot.ruleX([0], { stroke: '#444' }),
          Plot.ruleY(
            overhead.filter((o) => o.overhead!.ci_low !== null && o.overhead!.ci_high !== null),
            {
              y: overheadLabel,
              x1: (o) => o.overhead!.ci_low! * 100,
              x2: (o) => o.overhead!.ci_high! * 100,
              stroke: byPlatform,
              strokeOpacity: 0.5,
              strokeWidth: 3,
            },
          ),
          Plot.dot(overhead, {
            y: overheadLabel,
            x: (o) => o.overhead!.estimate * 100,
            fill: byPlatform,
            r: 4,
          }),
        ],
      }),
    })
  }
  charts.push(...renderHistoryCharts(model.history ?? []))
  return charts
}

function labelOf(g: { platform: string; scenario: string; hardware_profile: string }): string {
  return `${g.scenario} · ${g.platform} · ${g.hardware_profile}`
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
