import * as Plot from '@observablehq/plot'
import { describeKey } from '#core/report/group-labels.ts'
import { platformScale, REFERENCE_COLORS } from '#core/palette.ts'
import type { RepetitionGroup } from '../repetition-groups.ts'
import { chartFrame } from './chart-frame.ts'

/** How a strip chart shows its metric. */
export interface StripChartOptions {
  /** Caption of the figure. */
  title: string
  /** Axis label, with the unit and the direction that is better. */
  axis: string
  /** Display value of a metric value (e.g. bit/s → Gbit/s). */
  display: (value: number) => number
  /** The metric value in its human unit, for tooltips. */
  format: (value: number | null) => string
  width?: number
  marginLeft?: number
  /** Draw each group's theoretical ceiling (red tick). */
  ceiling?: boolean
}

/** The legend entries for the reference marks of a strip chart. */
export function stripLegendItems(
  ceiling: boolean,
): Array<{ label: string; color: string; dashed?: boolean }> {
  return [
    {
      label: 'matched bare-metal median (same comparison key)',
      color: REFERENCE_COLORS.baseline,
      dashed: true,
    },
    { label: '95 % CI of the median (6+ repetitions)', color: REFERENCE_COLORS.interval },
    ...(ceiling ? [{ label: 'theoretical ceiling', color: REFERENCE_COLORS.ceiling }] : []),
  ]
}

/**
 * One row per group, never stacked: each repetition a dot in its platform's colour, the median a
 * thick tick, the median's 95 % interval a black line (where n allows one), the matched bare-metal
 * median a dashed tick, and optionally the ceiling. `data-values` carries the groups as drawn.
 */
export function stripChart(groups: RepetitionGroup[], options: StripChartOptions): HTMLElement {
  const x = (v: number | null) => (v === null ? null : options.display(v))
  const points = groups.flatMap((g) =>
    g.values.map((v) => ({ label: g.label, platform: g.platform, x: options.display(v), v })),
  )
  const withCi = groups.filter((g) => g.ci_low !== null && g.ci_high !== null)
  const baselines = groups.filter((g) => g.baseline_median !== null && g.platform !== 'baremetal')
  const ceilings = options.ceiling ? groups.filter((g) => g.ceiling !== null) : []
  const ci = (g: RepetitionGroup) =>
    g.ci_low === null
      ? 'no CI below 6 repetitions'
      : `95 % CI ${options.format(g.ci_low)} to ${options.format(g.ci_high)}`
  const plot = Plot.plot({
    width: options.width ?? 760,
    height: 60 + groups.length * 30,
    marginLeft: options.marginLeft ?? 170,
    x: { label: options.axis, grid: true, zero: true },
    y: { label: null, domain: groups.map((g) => g.label) },
    color: platformScale(groups.map((g) => g.platform)),
    marks: [
      Plot.dot(points, {
        y: 'label',
        x: 'x',
        fill: 'platform',
        fillOpacity: 0.6,
        r: 3.5,
        title: (p: { label: string; v: number }) => `${p.label}: ${options.format(p.v)}`,
      }),
      Plot.ruleY(withCi, {
        y: 'label',
        x1: (g: RepetitionGroup) => x(g.ci_low),
        x2: (g: RepetitionGroup) => x(g.ci_high),
        stroke: REFERENCE_COLORS.interval,
        strokeWidth: 1.5,
        className: 'median-ci',
      }),
      Plot.tickX(groups, {
        y: 'label',
        x: (g: RepetitionGroup) => x(g.median),
        stroke: 'platform',
        strokeWidth: 3,
        className: 'median',
        title: (g: RepetitionGroup) =>
          `${g.label} (${g.platform}): median ${options.format(g.median)} (n = ${g.n}), ${ci(g)}\np5–p95 ${options.format(g.p5)} to ${options.format(g.p95)}\nmatched bare metal ${options.format(g.baseline_median)} (n = ${g.baseline_n})\n${describeKey(g.comparison_key)}`,
      }),
      Plot.tickX(baselines, {
        y: 'label',
        x: (g: RepetitionGroup) => x(g.baseline_median),
        stroke: REFERENCE_COLORS.baseline,
        strokeDasharray: '3,2',
        strokeWidth: 2,
        className: 'baseline',
      }),
      Plot.tickX(ceilings, {
        y: 'label',
        x: (g: RepetitionGroup) => x(g.ceiling),
        stroke: REFERENCE_COLORS.ceiling,
        strokeWidth: 2,
        className: 'ceiling',
      }),
      Plot.ruleX([0]),
    ],
  })
  const figure = chartFrame(options.title, plot, groups.length)
  figure.dataset.values = JSON.stringify(groups)
  return figure
}
