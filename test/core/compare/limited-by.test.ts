import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { limitOfRun, limitOfSet, retransmitRateOf } from '#core/compare/limited-by.ts'
import type { RunRow } from '#schemas/tables.ts'
import { tcpRun } from './run-fixtures.ts'

const LAB = new URL('../../fixtures/lab/', import.meta.url)

/** Each lab scenario's normalized iperf3 run, with the pinning its result.json records. */
function labRuns(): Array<{ scenario: string; run: RunRow }> {
  return readdirSync(LAB, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map(({ name }) => {
      const expected = JSON.parse(
        readFileSync(new URL(`${name}/iperf3.expected.json`, LAB), 'utf8'),
      )
      const result = JSON.parse(readFileSync(new URL(`${name}/result.json`, LAB), 'utf8'))
      const run: RunRow = {
        ...expected.runs[0],
        software: JSON.stringify({ cpu_pin: result.cpu_pin_client_server }),
      }
      return { scenario: name, run }
    })
}

describe('limitOfRun on the lab fixtures', () => {
  it('finds every lab run CPU-bound: both ends pinned to core 0, no loss, no NIC ceiling', () => {
    // Prepare
    const runs = labRuns()

    // Act
    const limits = runs.map(({ run }) => limitOfRun(run))

    // Assess
    expect(runs).toHaveLength(8)
    expect(limits.map((l) => l.limited_by)).toEqual(runs.map(() => 'cpu'))
    runs.forEach(({ run }, i) => {
      const cost = (run.cpu_local_percent! + run.cpu_remote_percent!) / (run.throughput_bps! / 1e9)
      expect(limits[i].cpu_percent_per_gbps).toBeCloseTo(cost, 12)
      expect(limits[i].sender_cpu_percent).toBe(run.cpu_local_percent)
      expect(limits[i].retransmit_rate).toBe(0)
    })
    // baseline: 5.73% + 88.61% of core 0 at 5.69 Gbit/s
    const baseline = limits[runs.findIndex((r) => r.scenario === 'baseline')]
    expect(baseline.cpu_percent_per_gbps).toBeCloseTo(
      (5.727714781183314 + 88.60880123004083) / 5.68679032894967,
      10,
    )
    expect(baseline.signals[0]).toMatch(
      /^both ends pinned to one core \(cpu_pin 0,0\) and together 94.3% of it/,
    )
  })

  it('without the pinning label, only a side at ≥ 90% of a core counts (iperf3 misses softirq)', () => {
    // Prepare
    const runs = labRuns().map(({ run }) => ({ ...run, software: null }))

    // Act
    const limits = runs.map(limitOfRun)

    // Assess: no lab side reaches 90% on its own (the highest is the baseline receiver, 88.6%)
    expect(limits.every((l) => l.limited_by === 'unknown')).toBe(true)
  })
})

describe('limitOfRun rules', () => {
  it('ceiling first, then cpu, then loss; every signal listed', () => {
    // Prepare: 10G at MTU 1500 has a ceiling of 10e9·1448/1538 = 9.4148 Gbit/s
    const atCeiling = tcpRun({
      throughput_bps: 9.3e9,
      cpu_local_percent: 95,
      cpu_remote_percent: 40,
    })
    const cpu = tcpRun({ throughput_bps: 6e9, cpu_local_percent: 30, cpu_remote_percent: 97 })
    const lossy = tcpRun({
      throughput_bps: 3e9,
      retransmits: 2000,
      sender_bytes: 1448e6,
      tcp_mss_bytes: 1448,
    })
    const none = tcpRun({
      throughput_bps: 3e9,
      cpu_local_percent: 40,
      cpu_remote_percent: 40,
      retransmits: 10,
      sender_bytes: 1448e6,
    })

    // Act
    const [a, b, c, d] = [atCeiling, cpu, lossy, none].map(limitOfRun)

    // Assess
    expect(a.limited_by).toBe('ceiling')
    expect(a.ceiling_fraction).toBeCloseTo(9.3e9 / ((10e9 * 1448) / 1538), 12)
    expect(a.signals).toHaveLength(2)
    expect(b.limited_by).toBe('cpu')
    expect(b.signals).toEqual(['remote CPU 97% of one core (≥ 90%)'])
    expect(c.limited_by).toBe('loss')
    expect(c.retransmit_rate).toBeCloseTo(2000 / 1e6, 15)
    expect(d.limited_by).toBe('unknown')
    expect(d.retransmit_rate).toBeCloseTo(1e-5, 15)
  })

  it('maps local/remote to sender/receiver by direction', () => {
    // Act
    const reverse = limitOfRun(
      tcpRun({
        direction: 'reverse',
        cpu_local_percent: 10,
        cpu_remote_percent: 80,
        throughput_bps: 2e9,
      }),
    )
    const bidir = limitOfRun(
      tcpRun({
        direction: 'bidir',
        cpu_local_percent: 10,
        cpu_remote_percent: 80,
        throughput_bps: 2e9,
      }),
    )

    // Assess
    expect([reverse.sender_cpu_percent, reverse.receiver_cpu_percent]).toEqual([80, 10])
    expect([bidir.sender_cpu_percent, bidir.receiver_cpu_percent]).toEqual([null, null])
    expect(reverse.cpu_percent_per_gbps).toBe(45)
  })

  it('uses MTU − 52 as the MSS when the run has none; null without retransmit figures', () => {
    expect(
      retransmitRateOf(tcpRun({ retransmits: 7, sender_bytes: 1398 * 1000, mtu: 1450 })),
    ).toBeCloseTo(0.007, 15)
    expect(retransmitRateOf(tcpRun({ retransmits: null, sender_bytes: 1e9 }))).toBeNull()
  })
})

describe('limitOfSet', () => {
  it('takes the majority label, else mixed, with the median CPU cost', () => {
    // Prepare
    const cpuRun = (bps: number) =>
      tcpRun({ throughput_bps: bps, cpu_local_percent: 95, cpu_remote_percent: 5 })
    const majority = [cpuRun(2e9), cpuRun(4e9), tcpRun({ throughput_bps: 3e9 })]
    const mixed = [cpuRun(2e9), tcpRun({ throughput_bps: 3e9 })]

    // Act
    const a = limitOfSet(majority)
    const b = limitOfSet(mixed)

    // Assess
    expect(a.limited_by).toBe('cpu')
    expect(a.counts).toEqual({ cpu: 2, ceiling: 0, loss: 0, unknown: 1 })
    expect(a.cpu_percent_per_gbps_median).toBeCloseTo((50 + 25) / 2, 12)
    expect(b.limited_by).toBe('mixed')
    expect(limitOfSet([]).limited_by).toBe('unknown')
  })
})
