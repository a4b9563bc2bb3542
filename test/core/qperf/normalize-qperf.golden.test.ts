import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MetricRowSchema, RunRowSchema } from '#schemas/tables.ts'
import { normalizeQperf } from '#core/qperf/normalize-qperf.ts'
import { ROOT, qperfFixtures } from './qperf-fixtures.ts'

const fixtures = qperfFixtures()

describe('normalizeQperf golden files', () => {
  it('finds every qperf fixture (6 real, 8 lab, 11 crafted)', () => {
    // Prepare
    const keys = fixtures.map((f) => f.key)

    // Act
    const real = keys.filter((k) => k.startsWith('test/fixtures/real/'))
    const lab = keys.filter((k) => k.startsWith('test/fixtures/lab/'))
    const crafted = keys.filter((k) => k.startsWith('test/fixtures/crafted/'))

    // Assess
    expect([real.length, lab.length, crafted.length]).toEqual([6, 8, 11])
  })

  it.each(fixtures.map((f) => [f.key, f] as const))(
    '%s matches its reviewed golden file',
    (_key, fixture) => {
      // Prepare
      const expected = JSON.parse(readFileSync(fixture.expectedPath, 'utf8'))

      // Act
      const result = normalizeQperf(fixture.text, fixture.context)

      // Assess
      expect(JSON.parse(JSON.stringify(result))).toEqual(expected)
    },
  )

  it.each(fixtures.map((f) => [f.key, f] as const))(
    '%s rows satisfy the canonical schemas',
    (_key, fixture) => {
      // Prepare
      const result = normalizeQperf(fixture.text, fixture.context)
      if (!result.ok) throw new Error(`${fixture.key} was rejected: ${result.error.message}`)

      // Act
      const badRuns = result.runs.filter((r) => !RunRowSchema.strict().safeParse(r).success)
      const badMetrics = result.metrics.filter(
        (m) => !MetricRowSchema.strict().safeParse(m).success,
      )

      // Assess
      expect(badRuns).toEqual([])
      expect(badMetrics).toEqual([])
      expect(result.runs.every((r) => r.raw_key === fixture.key)).toBe(true)
    },
  )
})

describe('lab fixtures agree with the lab harness numbers (result.json)', () => {
  const lab = fixtures.filter((f) => f.key.startsWith('test/fixtures/lab/'))

  it.each(lab.map((f) => [f.key, f] as const))('%s', (key, fixture) => {
    // Prepare
    const harness = JSON.parse(
      readFileSync(join(ROOT, key.replace('qperf.txt', 'result.json')), 'utf8'),
    )

    // Act
    const result = normalizeQperf(fixture.text, fixture.context)
    if (!result.ok) throw new Error(`${key} was rejected`)
    const lat = result.runs.find((r) => r.test === 'tcp_lat')
    const bw = result.runs.find((r) => r.test === 'tcp_bw')

    // Assess
    expect(lat?.latency_s).toBeCloseTo(harness.qperf_tcp_lat_us * 1e-6, 15)
    expect(bw?.throughput_bps).toBeCloseTo(harness.qperf_tcp_bw_gbps * 1e9, 0)
  })
})
