import * as Plot from '@observablehq/plot'
import { runNamedQuery } from '../queries.ts'
import { setState } from '../store.ts'
import { formatBps } from '../format.ts'
import { chartFrame } from '../views/chart-frame.ts'
import { errorText, h, statusLine } from '../views/dom.ts'
import { num, renderQueryPage, type Page } from './page.ts'

/** Per-second throughput of one chosen run (the iperf3 sum rows of `intervals`). */
export const timeseriesPage: Page = {
  id: 'timeseries',
  title: 'Run time series',
  async render(root, context) {
    const picker = h(
      'div',
      { class: 'run-picker' },
      statusLine('loading', 'Listing runs (tcp-runs.sql)…'),
    )
    const chart = h('div', { class: 'run-chart' })
    root.replaceChildren(h('h2', {}, 'Per-second time series of a run'), picker, chart)
    let runs: Record<string, unknown>[]
    try {
      await context.ready()
      runs = (await runNamedQuery('tcp-runs', context.state.filters)).rows
    } catch (error) {
      picker.replaceChildren(h('pre', { class: 'error', role: 'alert' }, errorText(error)))
      return
    }
    if (runs.length === 0) {
      picker.replaceChildren(
        statusLine('empty', 'No successful iperf3 TCP runs match these filters.'),
      )
      return
    }
    const select = h(
      'select',
      { name: 'run' },
      ...runs.map((r) =>
        h(
          'option',
          { value: String(r.run_id) },
          `${r.platform} · ${r.scenario} · ${r.started_at ?? 'no start time'} · ${formatBps(num(r, 'throughput_bps'))}`,
        ),
      ),
    )
    const chosen = runs.some((r) => r.run_id === context.state.run)
      ? context.state.run
      : String(runs[0].run_id)
    select.value = chosen
    picker.replaceChildren(h('label', {}, 'run ', select))
    const draw = (runId: string) =>
      renderQueryPage(
        chart,
        context,
        {
          title: `Run ${runId}`,
          about:
            'iperf3 interval sums (stream = -1), bits per second per interval; hollow points are omitted warm-up intervals.',
          query: 'sum-intervals-by-run',
          empty: 'This run has no interval rows (qperf runs and iperf3 runs without intervals).',
          values: { run_id: runId },
        },
        (result) => {
          const rows = result.rows.map((r) => ({
            ...r,
            direction: String(r.direction),
            omitted: r.omitted === true,
            gbps: num(r, 'bits_per_second')! / 1e9,
          }))
          const plot = Plot.plot({
            width: 760,
            height: 320,
            x: { label: 'seconds since start →' },
            y: { label: '↑ Gbit/s', grid: true, zero: true },
            color: { legend: rows.some((r) => r.direction !== 'forward') },
            marks: [
              Plot.lineY(
                rows.filter((r) => !r.omitted),
                { x: 'end_s', y: 'gbps', stroke: 'direction' },
              ),
              Plot.dot(rows, {
                x: 'end_s',
                y: 'gbps',
                stroke: 'direction',
                fill: (r) => (r.omitted ? 'white' : 'currentColor'),
                tip: true,
              }),
            ],
          })
          return chartFrame('Throughput per interval (Gbit/s)', plot, rows.length)
        },
      )
    select.addEventListener('change', () => {
      setState({ run: select.value }, { silent: true })
      void draw(select.value)
    })
    await draw(chosen)
  },
}
