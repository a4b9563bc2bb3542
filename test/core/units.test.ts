import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  columnUnit,
  exactNumber,
  formatBitRate,
  formatChange,
  formatColumnValue,
  formatDuration,
  formatPercent,
  formatPlain,
} from '#core/units.ts'

describe('units', () => {
  it('scales bit rates, durations and fractions into the unit a person reads', () => {
    // Prepare
    const cases: Array<[string, string]> = [
      [formatBitRate(5_686_790_328), '5.69 Gbit/s'],
      [formatBitRate(941_000_000), '941.0 Mbit/s'],
      [formatBitRate(12_500), '12.5 kbit/s'],
      [formatDuration(3.74e-6), '3.74 µs'],
      [formatDuration(0.0123), '12.30 ms'],
      [formatDuration(10.02), '10.02 s'],
      [formatPercent(0.401), '40.1%'],
      [formatPercent(-0.02), '−2.0%'],
      [formatChange(0.8), '−20.0%'],
      [formatChange(1), '±0.0%'],
      [formatBitRate(null), '–'],
    ]
    // Act
    const [shown, expected] = [cases.map((c) => c[0]), cases.map((c) => c[1])]
    // Assess
    expect(shown).toEqual(expected)
  })

  it('picks the unit from the column name suffix', () => {
    // Act
    const units = [
      'throughput_bps',
      'bits_per_second',
      'latency_s',
      'rtt_mean_us',
      'jitter_ms',
      'sender_bytes',
      'lost_percent',
      'ceiling_fraction',
      'streams',
      'status',
    ].map(columnUnit)
    // Assess
    expect(units).toEqual([
      'bit/s',
      'bit/s',
      's',
      'µs',
      'ms',
      'bytes',
      'percent',
      'fraction',
      null,
      null,
    ])
    expect(formatColumnValue('rtt_mean_us', 412)).toEqual({ text: '412.00 µs', exact: '412' })
  })

  it('never prints exponent notation, and the exact string parses back to the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        // Act
        const texts = [formatPlain(x), exactNumber(x), formatBitRate(x), formatDuration(x)]
        // Assess
        expect(texts.filter((t) => /\de[+-]?\d/i.test(t))).toEqual([])
        expect(Number(exactNumber(x))).toBe(x === 0 ? 0 : x)
      }),
    )
  })
})
