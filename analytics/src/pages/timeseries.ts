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
    const overlay = h('div', { class: 'run-overlay' })
    root.replaceChildren(h('h2', {}, 'Per-second time series of a run'), picker, chart, overlay)
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
    const search = h('input', {
      type: 'search',
      name: 'run-search',
      placeholder: 'search runs (scenario, platform, date…)',
    })
    search.addEventListener('input', () => {
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean)
      for (const option of select.options) {
        option.hidden = !words.every((w) => option.text.toLowerCase().includes(w))
      }
      const first = [...select.options].find((o) => !o.hidden)
      if (first && select.selectedOptions[0]?.hidden) {
        select.value = first.value
        select.dispatchEvent(new Event('change'))
      }
    })
    picker.replaceChildren(
      h('label', {}, 'run (newest first) ', select),
      ' ',
      search,
      h('small', { class: 'muted' }, ` ${runs.length} runs`),
    )
    const draw = async (runId: string) => {
      await renderQueryPage(
        chart,
        context,
        {
          title: `Run ${runId}`,
          about:
            'iperf3 intervals: per-stream lines (thin) and their sum (thick, points), then retransmits, smoothed RTT and congestion window per stream; hollow points and the grey band are omitted warm-up intervals.',
          query: 'intervals-by-run',
          empty: 'This run has no interval rows (qperf runs and iperf3 runs without intervals).',
          values: { run_id: runId },
          table: (result) => ({
            ...result,
            rows: result.rows.filter((r) => r.stream === -1),
          }),
        },
        (result) => timeSeriesPanels(result.rows),
      )
      await drawOverlay(overlay, runId)
    }
    const drawOverlay = async (into: HTMLElement, runId: string) => {
      into.replaceChildren(statusLine('loading', 'Running sum-intervals-of-repetitions.sql…'))
      try {
        const result = await runNamedQuery('sum-intervals-of-repetitions', { run_id: runId })
        into.replaceChildren(repetitionOverlay(result.rows, runId, runs))
      } catch (error) {
        into.replaceChildren(h('pre', { class: 'error', role: 'alert' }, errorText(error)))
      }
    }
    select.addEventListener('change', () => {
      setState({ run: select.value }, { silent: true })
      void draw(select.value)
    })
    await draw(chosen)
  },
}

interface IntervalPoint {
  stream: number
  direction: string
  series: string
  end_s: number
  start_s: number
  omitted: boolean
  gbps: number | null
  retransmits: number | null
  rtt_ms: number | null
  cwnd_kb: number | null
}

/** Throughput (streams + sum), retransmits, RTT and cwnd panels of one run's intervals. */
function timeSeriesPanels(raw: Record<string, unknown>[]): HTMLElement {
  const rows: IntervalPoint[] = raw.map((r) => {
    const stream = num(r, 'stream') ?? -1
    const direction = String(r.direction)
    return {
      stream,
      direction,
      series: `${stream === -1 ? 'sum' : `stream ${stream}`}${direction === 'forward' ? '' : ` (${direction})`}`,
      start_s: num(r, 'start_s') ?? 0,
      end_s: num(r, 'end_s') ?? 0,
      omitted: r.omitted === true,
      gbps: num(r, 'bits_per_second') === null ? null : num(r, 'bits_per_second')! / 1e9,
      retransmits: num(r, 'retransmits'),
      rtt_ms: num(r, 'rtt_us') === null ? null : num(r, 'rtt_us')! / 1e3,
      cwnd_kb: num(r, 'snd_cwnd_bytes') === null ? null : num(r, 'snd_cwnd_bytes')! / 1e3,
    }
  })
  const sums = rows.filter((r) => r.stream === -1)
  const streams = rows.filter((r) => r.stream !== -1)
  const omitted = sums.filter((r) => r.omitted)
  const band = Plot.rectX(omitted, { x1: 'start_s', x2: 'end_s', fill: '#eee' })
  const panel = (
    title: string,
    key: 'gbps' | 'retransmits' | 'rtt_ms' | 'cwnd_kb',
    label: string,
    data: IntervalPoint[],
    extra: Plot.Markish[] = [],
  ) => {
    const present = data.filter((r) => r[key] !== null)
    if (present.length === 0) return null
    const plot = Plot.plot({
      width: 760,
      height: key === 'gbps' ? 300 : 170,
      x: { label: 'seconds since start →' },
      marginLeft: 50,
      y: { label, grid: true, zero: true, ...(key === 'retransmits' ? { tickFormat: 'd' } : {}) },
      color: { legend: new Set(present.map((r) => r.series)).size > 1 },
      marks: [
        band,
        Plot.lineY(
          present.filter((r) => !r.omitted),
          { x: 'end_s', y: key, stroke: 'series', strokeWidth: 1.2 },
        ),
        ...extra,
      ],
    })
    const figure = chartFrame(title, plot, present.length)
    figure.dataset.panel = key
    return figure
  }
  const throughput = panel(
    'Throughput per interval (Gbit/s): streams and sum',
    'gbps',
    '↑ Gbit/s',
    [...streams, ...sums],
    [
      Plot.lineY(
        sums.filter((r) => !r.omitted),
        { x: 'end_s', y: 'gbps', stroke: 'series', strokeWidth: 2.5 },
      ),
      Plot.dot(sums, {
        x: 'end_s',
        y: 'gbps',
        stroke: 'series',
        fill: (r: IntervalPoint) => (r.omitted ? 'white' : 'currentColor'),
        tip: true,
      }),
    ],
  )
  const panels = [
    throughput,
    panel('Retransmits per interval (sum of streams)', 'retransmits', '↑ retransmits', sums),
    panel('Smoothed RTT per stream (ms)', 'rtt_ms', '↑ ms', streams),
    panel('Congestion window per stream (kB)', 'cwnd_kb', '↑ kB', streams),
  ].filter((p): p is HTMLElement => p !== null)
  return h('div', { class: 'timeseries-panels' }, ...panels)
}

/** One line per repetition of the chosen run's group (sum of streams); the chosen run is thick. */
function repetitionOverlay(
  raw: Record<string, unknown>[],
  chosen: string,
  runs: Record<string, unknown>[],
): HTMLElement {
  const meta = runs.find((r) => r.run_id === chosen)
  const ids = [...new Set(raw.map((r) => String(r.run_id)))]
  if (ids.length < 2)
    return statusLine(
      'empty',
      'No other repetition of this run (same platform, scenario, hardware profile and comparison key) has intervals: nothing to overlay.',
    )
  const name = (id: string) => {
    const row = raw.find((r) => r.run_id === id)!
    const rep = num(row, 'repetition')
    return `${rep === null ? 'rep ?' : `rep ${rep}`} · ${String(row.started_at ?? '').slice(0, 16) || id.slice(0, 8)}${id === chosen ? ' (this run)' : ''}`
  }
  const points = raw.map((r) => ({
    run_id: String(r.run_id),
    run: name(String(r.run_id)),
    chosen: r.run_id === chosen,
    series: `${name(String(r.run_id))}${r.direction === 'forward' ? '' : ` (${r.direction})`}`,
    start_s: num(r, 'start_s') ?? 0,
    end_s: num(r, 'end_s') ?? 0,
    omitted: r.omitted === true,
    bps: num(r, 'bits_per_second'),
    gbps: num(r, 'bits_per_second') === null ? null : num(r, 'bits_per_second')! / 1e9,
  }))
  const measured = points.filter((p) => !p.omitted && p.gbps !== null)
  const omitted = points.filter((p) => p.omitted && p.gbps !== null)
  const plot = Plot.plot({
    width: 760,
    height: 320,
    marginLeft: 50,
    x: { label: 'seconds since start →', zero: true },
    y: { label: '↑ Gbit/s (sum of streams)', grid: true, zero: true },
    color: { legend: true, domain: ids.map(name) },
    marks: [
      Plot.lineY(measured, {
        x: 'end_s',
        y: 'gbps',
        z: 'series',
        stroke: 'run',
        strokeWidth: (p: { chosen: boolean }) => (p.chosen ? 3 : 1.3),
        strokeOpacity: (p: { chosen: boolean }) => (p.chosen ? 1 : 0.75),
      }),
      Plot.dot(omitted, {
        x: 'end_s',
        y: 'gbps',
        stroke: 'run',
        fill: 'white',
        r: 3.5,
        title: (p: { run: string; bps: number }) =>
          `${p.run}: ${formatBps(p.bps)} (omitted warm-up)`,
      }),
      Plot.dot(measured, {
        x: 'end_s',
        y: 'gbps',
        fill: 'run',
        r: 1.8,
        title: (p: { run: string; bps: number; end_s: number }) =>
          `${p.run} at ${p.end_s} s: ${formatBps(p.bps)}`,
      }),
    ],
  })
  const figure = chartFrame(
    `All ${ids.length} repetitions of ${meta?.platform ?? ''} · ${meta?.scenario ?? ''} · ${meta?.hardware_profile ?? ''} (same comparison key): throughput per interval`,
    plot,
    ids.length,
  )
  figure.dataset.panel = 'repetitions'
  figure.dataset.runs = JSON.stringify(ids)
  return h(
    'div',
    {},
    figure,
    h(
      'p',
      { class: 'muted' },
      `Hollow points: omitted warm-up intervals (${omitted.length}), left out of the lines. Thick line: the run picked above.`,
    ),
  )
}
