import { median } from '#core/compare/stats.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { formatBitRate as formatBps, formatDuration as formatLatency } from '#core/units.ts'
import type { Tool } from '#schemas/labels.ts'

/** One headline value a run measured: iperf3 receiver goodput, or qperf latency/bandwidth. */
export interface Measured {
  test: string
  metric: 'throughput_bps' | 'latency_s'
  value: number
}

/**
 * The headline values of one tool output, read with the same normalizer the lake uses (so what
 * `collect` prints is what the lake will hold). Pure; unreadable output gives no values.
 */
export function measuredValues(tool: Tool, stdout: string): Measured[] {
  const result = normalizeRaw(new TextEncoder().encode(stdout), {
    raw_key: null,
    raw_sha256: '',
    tool,
  })
  if (!result.ok) return []
  const values: Measured[] = []
  for (const run of result.runs) {
    if (run.status !== 'ok' || run.role === 'server') continue
    const test = run.test ?? tool
    if (run.latency_s !== null) values.push({ test, metric: 'latency_s', value: run.latency_s })
    else if (run.throughput_bps !== null)
      values.push({ test, metric: 'throughput_bps', value: run.throughput_bps })
  }
  return values
}

/** `tcp 9.41 Gbit/s` / `tcp_lat 12.30 µs`. */
export function describeMeasured(values: readonly Measured[]): string {
  return values.map((m) => `${m.test} ${formatMeasured(m.metric, m.value)}`).join(', ')
}

function formatMeasured(metric: Measured['metric'], value: number | null): string {
  return metric === 'throughput_bps' ? formatBps(value) : formatLatency(value)
}

/** A measured value with where it came from. */
export interface MeasuredRun extends Measured {
  scenario: string
  tool: Tool
}

/** One summary line per scenario × tool × test: n, median, min, max (text with units). */
export function summarizeMeasured(runs: readonly MeasuredRun[]): Array<Record<string, string>> {
  const groups = new Map<string, MeasuredRun[]>()
  for (const r of runs) {
    const key = `${r.scenario}\u0000${r.tool}\u0000${r.test}`
    groups.set(key, [...(groups.get(key) ?? []), r])
  }
  return [...groups.values()].map((group) => {
    const values = group.map((g) => g.value)
    const { scenario, tool, test, metric } = group[0]
    return {
      scenario,
      tool,
      test,
      n: String(values.length),
      median: formatMeasured(metric, median(values)),
      min: formatMeasured(metric, Math.min(...values)),
      max: formatMeasured(metric, Math.max(...values)),
    }
  })
}
