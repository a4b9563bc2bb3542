import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { sha256Hex } from '#core/rows.ts'
import { normalizeIperf3 } from '#core/iperf3/normalize-iperf3.ts'
import type { NormalizeResult } from '#schemas/parse-result.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const isDocument = (name: string) => name.endsWith('.json') && !name.endsWith('.expected.json')
const filesIn = (dir: string, pattern: RegExp) =>
  readdirSync(join(ROOT, dir))
    .filter((name) => pattern.test(name) && isDocument(name))
    .map((name) => `${dir}/${name}`)

/**
 * Every iperf3 fixture (paths from the repo root), found by name as the qperf harness does, so a
 * new file is a new case: real `iperf3-*.json`, each lab scenario's client and server documents,
 * crafted `iperf3-crafted-*.json`. Each must have a reviewed `*.expected.json` beside it.
 */
export function iperf3Fixtures(): string[] {
  const lab = readdirSync(join(ROOT, 'test/fixtures/lab'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => filesIn(`test/fixtures/lab/${d.name}`, /^iperf3(-server)?\.json$/))
  return [
    ...filesIn('test/fixtures/real', /^iperf3-/),
    ...lab,
    ...filesIn('test/fixtures/crafted', /^iperf3-crafted-/),
  ].sort()
}

/** The fixtures, computed once per test file. */
export const IPERF3_FIXTURES = iperf3Fixtures()

/** The golden file beside a fixture. */
export const expectedPath = (fixture: string): string =>
  fixture.replace(/\.json$/, '.expected.json')

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
