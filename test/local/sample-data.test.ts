import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack } from '#local/stack.ts'
import type { LocalStack } from '#local/stack.ts'
import { sampleDataNote } from '#cli/start.ts'

/** The labels the README's quickstart pushes with, per side. */
const README_LABELS = {
  'os-s1':
    'platform=openstack&scenario=os-s1&hardware_profile=r740-10g&nic_speed_bps=10e9&link_mtu=1500&mtu=1450',
  baseline:
    'platform=baremetal&scenario=baseline&hardware_profile=r740-10g&nic_speed_bps=10e9&link_mtu=1500&mtu=1500',
} as const

/** A lab fixture with its rates scaled by `factor`, a distinct repetition (new cookie, new sha). */
function repetition(
  scenario: string,
  n: number,
  factor: number,
): { bytes: string; receiverBps: number } {
  const doc = JSON.parse(
    readFileSync(new URL(`../fixtures/lab/${scenario}/iperf3.json`, import.meta.url), 'utf8'),
  )
  doc.start.cookie = `user-${scenario}-${n}`.padEnd(36, 'x')
  for (const name of ['sum_sent', 'sum_received']) doc.end[name].bits_per_second *= factor
  return { bytes: JSON.stringify(doc), receiverBps: doc.end.sum_received.bits_per_second }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

describe('the bundled samples on a fresh local stack', () => {
  let stack: LocalStack
  let token: string
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-samples-'))

  beforeAll(async () => {
    stack = await startLocalStack({ dataDir, port: 0, sampleData: true, log: () => undefined })
    token = readFileSync(stack.tokenFile, 'utf8').trim()
  }, 90_000)
  afterAll(async () => {
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('carry their own campaign and hardware profile, and the banner says so', async () => {
    // Act
    const runs = await (await fetch(`${stack.url}/v1/runs?limit=1000`)).json()
    const note = sampleDataNote(stack.samples, dataDir)
    // Assess: 8 scenarios × (iperf3 client + server + qperf), all labelled as samples
    expect(stack.samples).toEqual({ loaded: 24, present: true })
    // 8 scenarios × (iperf3 client, iperf3 server, and qperf's tcp_lat and tcp_bw)
    expect(runs.runs.length).toBe(8 * (1 + 1 + 2))
    expect(new Set(runs.runs.map((r: { campaign: string }) => r.campaign))).toEqual(
      new Set(['netlake-sample']),
    )
    expect(new Set(runs.runs.map((r: { hardware_profile: string }) => r.hardware_profile))).toEqual(
      new Set(['sample-lab-netns']),
    )
    // One date per repetition: a scenario's qperf runs share the day of its iperf3 documents.
    const days = new Map<string, Set<string>>()
    for (const r of runs.runs as Array<{ scenario: string; date: string }>)
      days.set(r.scenario, (days.get(r.scenario) ?? new Set()).add(r.date))
    expect(days.size).toBe(8)
    expect([...days.values()].every((d) => d.size === 1)).toBe(true)
    expect(note).toContain('loaded 24 bundled sample files')
    expect(note).toContain('--no-sample-data')
    expect(note).toContain('campaign=netlake-sample')
    expect(sampleDataNote({ loaded: 0, present: false }, dataDir)).toBe('')
  })

  it("compare 5 vs 5 of the user's README-labelled runs only, the samples left out", async () => {
    // Prepare: five repetitions per side, rates scaled by -4%..+4%
    const factors = [0.96, 0.98, 1, 1.02, 1.04]
    const pushed: Record<string, number[]> = { 'os-s1': [], baseline: [] }
    for (const scenario of ['os-s1', 'baseline'] as const) {
      for (const [n, factor] of factors.entries()) {
        const { bytes, receiverBps } = repetition(scenario, n, factor)
        const upload = await fetch(
          `${stack.url}/v1/results?${README_LABELS[scenario]}&repetition=${n}`,
          {
            method: 'POST',
            body: bytes,
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          },
        )
        expect(upload.status).toBe(202)
        pushed[scenario].push(receiverBps)
      }
    }
    await stack.idle()
    // Act
    const response = await fetch(`${stack.url}/v1/compare?candidate=os-s1&metric=throughput_bps`)
    const samplesOnly = await fetch(
      `${stack.url}/v1/compare?candidate=os-s1&metric=throughput_bps&campaign=netlake-sample`,
    )
    // Assess
    expect(response.status).toBe(200)
    const result = await response.json()
    expect([result.candidate.n, result.baseline.n]).toEqual([5, 5])
    expect(result.candidate.comparison_keys).toHaveLength(1)
    expect(result.candidate.comparison_keys[0]).toContain('hw=r740-10g')
    expect(result.baseline.scenarios).toEqual(['baseline'])
    expect(result.candidate.stats.median).toBeCloseTo(median(pushed['os-s1']), 0)
    expect(result.baseline.stats.median).toBeCloseTo(median(pushed.baseline), 0)
    expect(result.advice.some((line: string) => line.includes('bundled sample runs'))).toBe(true)
    // The samples stay comparable among themselves when chosen: one run per side.
    expect(samplesOnly.status).toBe(200)
    const samples = await samplesOnly.json()
    expect([samples.candidate.n, samples.baseline.n]).toEqual([1, 1])
    expect(samples.candidate.comparison_keys[0]).toContain('hw=sample-lab-netns')
  }, 90_000)
})
