import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { lineRateCeiling, mtuFromMss, payloadFraction } from '#core/compare/ceiling.ts'
import { tcpRun } from './run-fixtures.ts'

describe('lineRateCeiling', () => {
  it('gives 94.15% of line rate at MTU 1500', () => {
    // Prepare
    const run = tcpRun({ throughput_bps: 9.0e9 })

    // Act
    const result = lineRateCeiling(run)

    // Assess
    expect(result.ceiling_bps! / 10e9).toBeCloseTo(0.9415, 4)
    expect(result.ceiling_bps).toBeCloseTo((10e9 * 1448) / 1538, 3)
    expect(result.ceiling_fraction).toBeCloseTo(9.0e9 / ((10e9 * 1448) / 1538), 10)
    expect(result.warnings).toEqual([])
  })

  it('gives 90.90% of line rate at 1450 inside VXLAN on a 1500 link', () => {
    // Prepare
    const run = tcpRun({ mtu: 1450, link_mtu: 1500, throughput_bps: 4.545e9 })

    // Act
    const result = lineRateCeiling(run)

    // Assess
    expect(Math.abs(result.ceiling_bps! / 10e9 - 0.909)).toBeLessThan(1e-4)
    expect(result.ceiling_fraction).toBeCloseTo(4.545e9 / ((10e9 * 1398) / 1538), 10)
  })

  it('infers the MTU from the MSS when there is no mtu label', () => {
    // Prepare
    const run = tcpRun({ mtu: null, link_mtu: 1500, tcp_mss_bytes: 1398, throughput_bps: null })

    // Act
    const result = lineRateCeiling(run)

    // Assess
    expect(result.ceiling_bps).toBeCloseTo((10e9 * 1398) / 1538, 3)
    expect(result.ceiling_fraction).toBeNull()
    expect(result.warnings).toEqual([])
  })

  it('warns when the mtu label and the MSS disagree, and keeps the label', () => {
    // Prepare
    const run = tcpRun({ mtu: 1500, tcp_mss_bytes: 1398 })

    // Act
    const result = lineRateCeiling(run)

    // Assess
    expect(result.warnings.map((w) => w.code)).toEqual(['mtu-mss-mismatch'])
    expect(result.ceiling_bps).toBeCloseTo((10e9 * 1448) / 1538, 3)
  })

  it('ignores a loopback MSS of 32768 instead of inferring an absurd MTU', () => {
    // Prepare
    const run = tcpRun({ mtu: null, link_mtu: 1500, tcp_mss_bytes: 32768 })

    // Act
    const result = lineRateCeiling(run)

    // Assess
    expect(result.warnings).toEqual([])
    expect(result.ceiling_bps).toBeCloseTo((10e9 * 1448) / 1538, 3)
  })

  it('gives null when the NIC speed is unknown, even with an MSS', () => {
    // Prepare
    const run = tcpRun({ nic_speed_bps: null, tcp_mss_bytes: 1448 })

    // Act
    const result = lineRateCeiling(run)

    // Assess
    expect(result).toEqual({ ceiling_bps: null, ceiling_fraction: null, warnings: [] })
  })

  it('gives null for UDP, latency tests and failed runs', () => {
    // Prepare
    const runs = [
      tcpRun({ test: 'udp', protocol: 'udp' }),
      tcpRun({ tool: 'qperf', test: 'tcp_lat', protocol: 'tcp', latency_s: 4e-6 }),
      tcpRun({ status: 'error' }),
    ]

    // Act
    const results = runs.map(lineRateCeiling)

    // Assess
    for (const result of results) expect(result.ceiling_bps).toBeNull()
  })

  it('gives qperf tcp_bw a ceiling', () => {
    // Prepare
    const run = tcpRun({ tool: 'qperf', test: 'tcp_bw', protocol: 'tcp', nic_speed_bps: 1e9 })

    // Act
    const result = lineRateCeiling(run)

    // Assess
    expect(result.ceiling_bps).toBeCloseTo((1e9 * 1448) / 1538, 3)
  })

  it('warns when the interface MTU exceeds the link MTU', () => {
    // Prepare
    const run = tcpRun({ mtu: 9000, link_mtu: 1500 })

    // Act
    const result = lineRateCeiling(run)

    // Assess
    expect(result.warnings.map((w) => w.code)).toEqual(['mtu-above-link-mtu'])
    expect(result.ceiling_bps).toBeCloseTo((10e9 * 8948) / 9038, 3)
  })
})

describe('ceiling helpers', () => {
  it('computes payload fractions and MSS inferences', () => {
    // Prepare
    const cases = [payloadFraction(1500), payloadFraction(1450, 1500), payloadFraction(9000, 9000)]

    // Act
    const mtus = [1448, 1398, 8948, 32768, 100, null].map(mtuFromMss)

    // Assess
    expect(cases[0]).toBeCloseTo(0.94148, 5)
    expect(cases[1]).toBeCloseTo(0.90897, 5)
    expect(cases[2]).toBeCloseTo(8948 / 9038, 10)
    expect(mtus).toEqual([1500, 1450, 9000, null, null, null])
  })
})

describe('ceiling on real lab output', () => {
  it('infers MTU 1500 for the bare-metal veth and 1450 inside the VXLAN overlays from iperf3 tcp_mss_default', () => {
    // Prepare
    const mss = (dir: string) => {
      const json = JSON.parse(
        readFileSync(new URL(`../../fixtures/lab/${dir}/iperf3.json`, import.meta.url), 'utf8'),
      )
      return json.start.tcp_mss_default as number
    }

    // Act
    const inferred = ['baseline', 'os-s1', 'kv-s2'].map((dir) => mtuFromMss(mss(dir)))

    // Assess
    expect(inferred).toEqual([1500, 1450, 1450])
  })
})
