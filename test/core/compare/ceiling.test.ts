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
    expect(result).toEqual({ ceiling_bps: null, ceiling_fraction: null, model: null, warnings: [] })
  })

  it('gives null for UDP, latency tests and failed runs', () => {
    // Prepare
    const runs = [
      tcpRun({ test: 'udp', protocol: 'udp' }),
      tcpRun({ tool: 'qperf', test: 'tcp_lat', protocol: 'tcp', latency_s: 4e-6 }),
      tcpRun({ status: 'error' }),
    ]

    // Act
    const results = runs.map((r) => lineRateCeiling(r))

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

describe('lineRateCeiling path model', () => {
  // Hand-computed: ceiling = line rate × payload / wire, wire = MTU + encapsulation + 4·tags + 38.
  const software = (labels: Record<string, string>) => JSON.stringify(labels)

  it('reads IPv6 from the host label and the headers from mtu − MSS', () => {
    // Prepare: IPv6 with timestamps: 40 + 20 + 12 = 72 header bytes; without: 60
    const withTs = tcpRun({ destination_host: '2001:db8::2', tcp_mss_bytes: 1428 })
    const noTs = tcpRun({ destination_host: '2001:db8::2', tcp_mss_bytes: 1440 })
    const fromMss = tcpRun({ destination_host: '2001:db8::2', mtu: null, tcp_mss_bytes: 1428 })

    // Act
    const [a, b, c] = [withTs, noTs, fromMss].map((r) => lineRateCeiling(r))

    // Assess
    expect(a.ceiling_bps).toBeCloseTo((10e9 * 1428) / 1538, 3)
    expect(a.model).toMatchObject({ ip_version: 6, tcp_timestamps: true, payload_bytes: 1428 })
    expect(b.ceiling_bps).toBeCloseTo((10e9 * 1440) / 1538, 3)
    expect(b.model).toMatchObject({ ip_version: 6, tcp_timestamps: false })
    expect(c.model).toMatchObject({ inner_mtu: 1500, ip_version: 6 })
    expect([a, b, c].flatMap((r) => r.warnings)).toEqual([])
  })

  it('sees TCP timestamps off in an IPv4 MSS of MTU − 40', () => {
    // Prepare
    const run = tcpRun({ tcp_mss_bytes: 1460 })

    // Act
    const result = lineRateCeiling(run)

    // Assess: 1460 / 1538 = 94.93 %, 0.78 points above the timestamps case
    expect(result.ceiling_bps! / 10e9).toBeCloseTo(1460 / 1538, 12)
    expect(result.model).toMatchObject({ ip_version: 4, tcp_timestamps: false })
    expect(result.warnings).toEqual([])
  })

  it('adds 4 bytes per VLAN tag', () => {
    // Prepare
    const one = tcpRun({ software: software({ vlan_tags: '1' }) })
    const qinq = tcpRun({ software: software({ vlan_tags: '2' }) })

    // Act
    const [a, b] = [one, qinq].map((r) => lineRateCeiling(r))

    // Assess
    expect(a.ceiling_bps! / 10e9).toBeCloseTo(1448 / 1542, 12)
    expect(b.ceiling_bps! / 10e9).toBeCloseTo(1448 / 1546, 12)
  })

  it('gives a 1500-byte VM over VXLAN on a 9000 underlay 91.2 %, not 16 %', () => {
    // Prepare
    const vm = tcpRun({ mtu: 1500, link_mtu: 9000, throughput_bps: 9.0e9 })

    // Act
    const result = lineRateCeiling(vm)

    // Assess: 1448 / (1500 + 50 + 38) = 1448 / 1588
    expect(result.ceiling_bps! / 10e9).toBeCloseTo(1448 / 1588, 12)
    expect(result.ceiling_bps! / 10e9).toBeCloseTo(0.91184, 5)
    expect(result.ceiling_fraction).toBeCloseTo(9.0e9 / ((10e9 * 1448) / 1588), 10)
    expect(result.model?.encapsulation_bytes).toBe(50)
  })

  it('takes a declared Geneve or the scenario catalog’s overhead over the MTU gap', () => {
    // Prepare
    const geneve = tcpRun({ link_mtu: 9000, software: software({ encapsulation: 'geneve' }) })
    const geneve6 = tcpRun({
      link_mtu: 9000,
      software: software({ encapsulation: 'geneve', underlay_ip: '6' }),
    })
    const lowered = tcpRun({ mtu: 1400, link_mtu: 1500 })

    // Act
    const g = lineRateCeiling(geneve)
    const g6 = lineRateCeiling(geneve6)
    const gap = lineRateCeiling(lowered)
    const catalog = lineRateCeiling(lowered, { encapsulationBytes: 50 })

    // Assess: Geneve 58 (78 over IPv6); 1400 in 1500: the gap 100 fills the frame unless told 50
    expect(g.ceiling_bps! / 10e9).toBeCloseTo(1448 / 1596, 12)
    expect(g6.ceiling_bps! / 10e9).toBeCloseTo(1448 / 1616, 12)
    expect(gap.ceiling_bps! / 10e9).toBeCloseTo(1348 / 1538, 12)
    expect(catalog.ceiling_bps! / 10e9).toBeCloseTo(1348 / 1488, 12)
  })

  it('warns on an MSS no header set explains (clamped with -M), within the known family', () => {
    // Prepare: 1500 − 1398 = 102 fits neither IPv6 with (72) nor without timestamps (60)
    const run = tcpRun({ destination_host: 'fd00::5', tcp_mss_bytes: 1398 })

    // Act
    const result = lineRateCeiling(run)

    // Assess
    expect(result.warnings.map((w) => w.code)).toEqual(['mtu-mss-mismatch'])
    expect(result.warnings[0].message).toContain('implies MTU 1470 with IPv6')
    expect(result.ceiling_bps! / 10e9).toBeCloseTo(1428 / 1538, 12)
  })
})

describe('ceiling helpers', () => {
  it('computes payload fractions and MSS inferences', () => {
    // Prepare
    const cases = [payloadFraction(1500), payloadFraction(1450, 1500), payloadFraction(9000, 9000)]

    // Act
    const mtus = [1448, 1398, 8948, 32768, 100, null].map((m) => mtuFromMss(m))

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
