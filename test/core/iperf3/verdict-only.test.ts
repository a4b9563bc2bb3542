import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'

const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url))

/** Every tool output under test/fixtures (golden `*.expected.json` files and API events left out). */
function toolOutputs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory())
      return name === 'apigw' || name === 'lambda' ? [] : toolOutputs(path)
    return /\.(json|ndjson|txt|log)$/.test(name) && !name.includes('.expected.') ? [path] : []
  })
}

describe('normalizeRaw verdictOnly (the API check at the door)', () => {
  it('gives every fixture the same verdict, run rows and warnings as the full normalize, keeping no interval rows or metrics', () => {
    // Prepare
    const files = toolOutputs(FIXTURES)
    const labels = { platform: 'openstack', scenario: 'os-s1' }
    let rejected = 0
    let withIntervals = 0
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file))
      const context = {
        raw_key: null,
        raw_sha256: sha256Hex(bytes),
        labels,
        received_at: '2026-11-26T10:00:00.000Z',
      }
      // Act
      const full = normalizeRaw(bytes, context)
      const verdict = normalizeRaw(bytes, context, { verdictOnly: true })
      // Assess
      expect(verdict.ok, file).toBe(full.ok)
      if (!full.ok || !verdict.ok) {
        rejected++
        expect(verdict, file).toEqual(full)
        continue
      }
      expect(verdict.runs, file).toEqual(full.runs)
      expect(verdict.warnings, file).toEqual(full.warnings)
      if (full.runs[0]?.tool === 'iperf3') {
        if (full.intervals.length > 0) withIntervals++
        expect(verdict.intervals, file).toEqual([])
        expect(verdict.metrics, file).toEqual([])
      } else expect(verdict.intervals, file).toEqual(full.intervals)
    }
    // The fixtures hold both kinds, so both branches above ran (counts of the fixture tree)
    expect(rejected).toBe(24)
    expect(withIntervals).toBe(38)
  })
})
