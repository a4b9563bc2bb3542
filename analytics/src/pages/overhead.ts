import * as Plot from '@observablehq/plot'
import type { QueryResult } from '../db.ts'
import { bootstrapRatioOfMedians } from '#core/compare/bootstrap.ts'
import { chartFrame } from '../views/chart-frame.ts'
import { h } from '../views/dom.ts'
import { formatPercent } from '../format.ts'
import { renderQueryPage, type Page } from './page.ts'

/** Overhead of one scenario vs its matched bare-metal baseline. */
export interface OverheadRow {
  platform: string
  scenario: string
  /** Scenario and hardware profile, e.g. `os-s1 · r740-10g`: one bar per comparison key. */
  label: string
  comparison_key: string | null
  n: number
  baseline_n: number
  overhead: number
  ci_low: number
  ci_high: number
}

/** 1 − median(scenario) / median(baseline) with a 95 % bootstrap CI, per scenario and key. */
export function overheadRows(result: QueryResult): OverheadRow[] {
  const groups = new Map<
    string,
    { row: Record<string, unknown>; scenario: number[]; baseline: number[] }
  >()
  for (const row of result.rows) {
    const id = `${row.platform}|${row.scenario}|${row.hardware_profile}|${row.comparison_key}`
    const group = groups.get(id) ?? { row, scenario: [], baseline: [] }
    ;(row.role === 'baseline' ? group.baseline : group.scenario).push(row.throughput_bps as number)
    groups.set(id, group)
  }
  const out: OverheadRow[] = []
  for (const { row, scenario, baseline } of groups.values()) {
    const ratio = bootstrapRatioOfMedians(baseline, scenario)
    if (!ratio) continue
    out.push({
      platform: row.platform as string,
      scenario: row.scenario as string,
      label: row.hardware_profile
        ? `${row.scenario} · ${row.hardware_profile}`
        : (row.scenario as string),
      comparison_key: (row.comparison_key as string | null) ?? null,
      n: scenario.length,
      baseline_n: baseline.length,
      overhead: 1 - ratio.estimate,
      ci_low: 1 - ratio.ci_high,
      ci_high: 1 - ratio.ci_low,
    })
  }
  return out.sort((a, b) => a.overhead - b.overhead)
}

/** Overhead vs bare metal with confidence intervals. */
export const overheadPage: Page = {
  id: 'overhead',
  title: 'Overhead vs bare metal',
  render: (root, context) =>
    renderQueryPage(
      root,
      context,
      {
        title: 'Overhead vs bare metal',
        about:
          'Throughput overhead = 1 − median(scenario) / median(bare metal), baseline matched on the comparison key; line = 95 % bootstrap CI over repetitions (n = 1 gives no spread).',
        query: 'tcp-throughput-samples-with-baseline',
        empty:
          'No virtual-scenario iperf3 TCP runs with a matching bare-metal baseline (same comparison key).',
      },
      (result) => {
        const rows = overheadRows(result)
        const plot = Plot.plot({
          width: 760,
          height: 60 + rows.length * 28,
          marginLeft: 170,
          x: { label: 'overhead vs bare metal (%) →', percent: true, grid: true },
          y: { label: null, domain: rows.map((r) => r.label) },
          color: { legend: true },
          marks: [
            Plot.barX(rows, { y: 'label', x: 'overhead', fill: 'platform', tip: true }),
            Plot.ruleY(rows, {
              y: 'label',
              x1: 'ci_low',
              x2: 'ci_high',
              stroke: 'black',
              strokeWidth: 2,
            }),
            Plot.ruleX([0]),
          ],
        })
        const list = h(
          'ul',
          { class: 'overhead-list' },
          ...rows.map((r) =>
            h(
              'li',
              {},
              `${r.label}: ${formatPercent(r.overhead)} [${formatPercent(r.ci_low)}, ${formatPercent(r.ci_high)}] (n = ${r.n}, baseline n = ${r.baseline_n})`,
            ),
          ),
        )
        return h(
          'div',
          {},
          chartFrame('Throughput overhead vs bare metal, 95 % CI', plot, rows.length),
          list,
        )
      },
    ),
}
