import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { createMemoryLake, fixtureBytes, labLabels } from '../helpers/memory-lake.ts'

/** The report window of the tests and the one before it (7 days each). */
export const CURRENT = { from: '2026-11-19', to: '2026-11-25' }
export const PREVIOUS = { from: '2026-11-12', to: '2026-11-18' }

/** Scenarios in the lake; each gets 5 iperf3 and 5 qperf repetitions per window. */
export const SCENARIOS = ['baseline', 'os-s3', 'kv-s1', 'os-s1', 'kv-s2'] as const

/** Per-repetition rate factors: ±3% around 1 (median exactly 1). */
export const REPETITION_FACTORS = [1, 0.97, 1.03, 0.985, 1.015]

/** Current-window throughput shift per scenario: os-s1 drops 20%, kv-s2 moves 2% (noise). */
export const SHIFT: Record<string, number> = { 'os-s1': 0.8, 'kv-s2': 1.02 }

/** The fixture's receiver goodput (the headline `throughput_bps`). */
export function fixtureBps(scenario: string): number {
  return JSON.parse(new TextDecoder().decode(fixtureBytes(`lab/${scenario}/iperf3.json`))).end
    .sum_received.bits_per_second
}

/** The fixture's qperf tcp_lat latency in µs as printed. */
export function fixtureLatencyUs(scenario: string): number {
  return Number(
    /latency\s*=\s*([\d.]+) us/.exec(
      new TextDecoder().decode(fixtureBytes(`lab/${scenario}/qperf.txt`)),
    )![1],
  )
}

/**
 * A distinct iperf3 document from a lab fixture: every `bits_per_second` scaled by `factor`, the
 * start time moved to `at`, the cookie made unique by `tag`.
 */
export function rewriteIperf3(
  bytes: Uint8Array,
  factor: number,
  at: Date,
  tag: string,
): Uint8Array {
  const doc = JSON.parse(new TextDecoder().decode(bytes))
  const scale = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(scale)
    else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'bits_per_second' && typeof v === 'number')
          (node as Record<string, number>)[k] = v * factor
        else scale(v)
      }
    }
  }
  scale(doc.end)
  scale(doc.intervals)
  doc.start.timestamp = { time: at.toUTCString(), timesecs: Math.floor(at.getTime() / 1000) }
  doc.start.cookie = `${tag}`.padEnd(36, '0').slice(0, 36)
  return new TextEncoder().encode(JSON.stringify(doc, null, 2))
}

/**
 * A qperf output with its tcp_lat latency scaled, printed with `decimals` digits: the same value
 * with another number of digits makes distinct bytes (qperf output carries no timestamp).
 */
export function rewriteQperf(bytes: Uint8Array, factor: number, decimals: number): Uint8Array {
  const text = new TextDecoder().decode(bytes)
  return new TextEncoder().encode(
    text.replace(
      /latency\s*=\s*([\d.]+) us/,
      (_m, v: string) => `latency  =  ${(Number(v) * factor).toFixed(decimals)} us`,
    ),
  )
}

const day = (start: string, offset: number, hour: number) =>
  new Date(Date.parse(`${start}T0${hour}:00:00Z`) + offset * 86_400_000)

/**
 * A memory lake with two windows of lab data: 5 scenarios × 5 repetitions of iperf3 and qperf per
 * window, os-s1 20% slower and kv-s2 2% faster in the current window, plus os-s1's server-side
 * iperf3 documents (must be left out) and one failed os-s3 iperf3 run (must be counted).
 */
export async function createReportLake(now = new Date('2026-11-26T06:00:00Z')) {
  const lake = await createMemoryLake(now)
  const put = async (
    bytes: Uint8Array,
    scenario: string,
    tool: 'iperf3' | 'qperf',
    collectedAt?: Date,
  ) => {
    const labels = labLabels(scenario, {
      campaign: 'report-test',
      // as `netlake lab` records its runs: client and server pinned to core 0 (so CPU-bound)
      software: { emulation: 'netns-one-kernel', cpu_pin: '0,0' },
      ...(collectedAt ? { collected_at: collectedAt.toISOString() } : {}),
    })
    const upload = await storeUpload(bytes, { labels, tool, contentType: null }, lake)
    const outcome = await ingestObject(upload.body.raw_key, lake)
    if (outcome.outcome !== 'ingested')
      throw new Error(`fixture not ingested: ${JSON.stringify(outcome)}`)
  }
  for (const [window, current] of [
    [PREVIOUS, false],
    [CURRENT, true],
  ] as const) {
    for (const scenario of SCENARIOS) {
      const shift = current ? (SHIFT[scenario] ?? 1) : 1
      for (const [rep, factor] of REPETITION_FACTORS.entries()) {
        const tag = `${scenario}-${window.from}-${rep}`
        await put(
          rewriteIperf3(
            fixtureBytes(`lab/${scenario}/iperf3.json`),
            factor * shift,
            day(window.from, rep, 8),
            tag,
          ),
          scenario,
          'iperf3',
        )
        await put(
          rewriteQperf(fixtureBytes(`lab/${scenario}/qperf.txt`), factor, current ? 4 : 3),
          scenario,
          'qperf',
          day(window.from, rep, 9),
        )
        if (current && scenario === 'os-s1') {
          await put(
            rewriteIperf3(
              fixtureBytes(`lab/${scenario}/iperf3-server.json`),
              factor * shift * 1.1,
              day(window.from, rep, 8),
              `${tag}-server`,
            ),
            scenario,
            'iperf3',
          )
        }
      }
    }
  }
  const failed = rewriteIperf3(
    fixtureBytes('crafted/iperf3-crafted-partial-results-error.json'),
    1,
    day(CURRENT.from, 2, 7),
    'failed-os-s3',
  )
  await put(failed, 'os-s3', 'iperf3')
  return lake
}
