import { describe, expect, it } from 'vitest'
import {
  columnUnit,
  formatBps,
  formatBytes,
  formatColumnValue,
  formatLatency,
  formatPercent,
  formatSeconds,
} from '#core/units.ts'

// Expected strings computed by hand (python3: f'{5686790328/1e9:.2f}' → 5.69, f'{65536/1024:.1f}' → 64.0).
describe('units: one formatter for reports and the CLI', () => {
  it('scales bit rates to Gbit/s (2 decimals) and Mbit/s below 1 Gbit/s', () => {
    // Act and assess: each call is checked against its hand-computed string
    expect(formatBps(5_686_790_328)).toBe('5.69 Gbit/s')
    expect(formatBps(941_234_567)).toBe('941.2 Mbit/s')
    expect(formatBps(null)).toBe('–')
    expect(formatBps(Number.NaN)).toBe('–')
  })

  it('prints latency in µs and durations scaled to µs, ms or s', () => {
    // Act and assess: each call is checked against its hand-computed string
    expect(formatLatency(3.74e-6)).toBe('3.74 µs')
    expect(formatSeconds(3.74e-6)).toBe('3.74 µs')
    expect(formatSeconds(0.0123)).toBe('12.30 ms')
    expect(formatSeconds(10)).toBe('10.00 s')
    expect(formatSeconds(0)).toBe('0.00 s')
  })

  it('prints fractions as percentages with a true minus, bytes with binary prefixes', () => {
    // Act and assess: each call is checked against its hand-computed string
    expect(formatPercent(0.401)).toBe('40.1%')
    expect(formatPercent(-0.052)).toBe('−5.2%')
    expect(formatBytes(50)).toBe('50 B')
    expect(formatBytes(65_536)).toBe('64.0 KiB')
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB')
  })

  it('reads the unit from the column name (DESIGN §2 suffixes) and leaves other values alone', () => {
    // Act and assess: each call is checked against its hand-computed string
    expect(
      [
        'throughput_bps',
        'latency_s',
        'jitter_ms',
        'rtt_mean_us',
        'msg_size_bytes',
        'lost_percent',
        'ceiling_fraction',
        'mtu',
      ].map(columnUnit),
    ).toEqual(['bps', 's', 'ms', 'us', 'bytes', 'percent', 'fraction', null])
    expect(formatColumnValue('median_bps', 9.41e9)).toBe('9.41 Gbit/s')
    expect(formatColumnValue('rtt_mean_us', 184)).toBe('184.00 µs') // 184 µs = 1.84e-4 s
    expect(formatColumnValue('jitter_ms', 0.012)).toBe('12.00 µs')
    expect(formatColumnValue('lost_percent', 0.5)).toBe('0.5%')
    expect(formatColumnValue('ceiling_fraction', 0.9415)).toBe('94.2%')
    expect(formatColumnValue('mtu', 1450)).toBe('1450')
    expect(formatColumnValue('n', 12n)).toBe('12')
    expect(formatColumnValue('scenario', 'os-s1')).toBe('os-s1')
    expect(formatColumnValue('cv', 0.023456)).toBe('0.02346')
    expect(formatColumnValue('throughput_bps', null)).toBe('–')
  })
})
