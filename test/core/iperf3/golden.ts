import { readFileSync } from 'node:fs'
import { sha256Hex } from '#core/rows.ts'
import { normalizeIperf3 } from '#core/iperf3/normalize-iperf3.ts'
import type { NormalizeResult } from '#schemas/parse-result.ts'

/** Every iperf3 fixture with a reviewed `*.expected.json` beside it (paths from the repo root). */
export const IPERF3_FIXTURES = [
  ...['error-connection-refused', 'tcp-bidir-p1-t5', 'tcp-p1-t5', 'tcp-p2-t5-omit1-server-output', 'tcp-p4-t5', 'tcp-p4-t60-b200M', 'tcp-reverse-p1-t5', 'udp-100M-t5'].map(
    (name) => `test/fixtures/real/iperf3-${name}.json`,
  ),
  ...['baseline', 'kv-s1', 'kv-s2', 'os-s1', 'os-s2a', 'os-s2b', 'os-s3', 'os-s4'].flatMap((dir) => [
    `test/fixtures/lab/${dir}/iperf3.json`,
    `test/fixtures/lab/${dir}/iperf3-server.json`,
  ]),
  ...[
    '3.0-g-numbers-nan', '3.1.3-e-numbers', '3.9-bidir-duplicate-keys', '3.12-wrapped-negative-int', '3.9-udp-sum-only', '3.17-udp', 'sctp',
    'bytes-limit', 'server-output-json', 'multi-document-server', 'json-stream-complete', 'json-stream-incomplete', 'text-around-json', 'partial-results-error',
  ].map((name) => `test/fixtures/crafted/iperf3-crafted-${name}.json`),
]

/** The golden file beside a fixture. */
export const expectedPath = (fixture: string): string => fixture.replace(/\.json$/, '.expected.json')

/** Normalizes a fixture as the ingest would: raw key = its path, sha256 of its bytes. */
export function normalizeFixture(fixture: string): NormalizeResult {
  const bytes = readFileSync(fixture)
  return normalizeIperf3(bytes.toString('utf8'), { raw_key: fixture, raw_sha256: sha256Hex(bytes) })
}

/** What a golden file holds: all runs, metrics and warnings; the interval count plus the first and last rows. */
export function goldenOf(result: NormalizeResult): unknown {
  if (!result.ok) return result
  const { intervals } = result
  return {
    runs: result.runs,
    interval_count: intervals.length,
    first_intervals: intervals.slice(0, 6),
    last_interval: intervals.at(-1) ?? null,
    metrics: result.metrics,
    warnings: result.warnings,
  }
}
