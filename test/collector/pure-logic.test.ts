import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import {
  mergeLabels,
  parseLabelFlags,
  parseLabelsYaml,
  validateLabels,
} from '#collector/label-input.ts'
import { backoffMs, classifyStatus, nextDelayMs, parseRetryAfter } from '#collector/retry-policy.ts'
import { parseScenarioFlags, planRuns } from '#collector/schedule.ts'
import { renderBar } from '#collector/progress.ts'
import { parseRouteDevice } from '#collector/system-info.ts'
import { iperf3ClientArgs, qperfClientArgs } from '#collector/tool-runner.ts'

const POLICY = { retries: 3, baseMs: 100, maxMs: 1000, maxRetryAfterMs: 5000 }

describe('plan', () => {
  it('runs every scenario once per repetition block, reproducibly from the seed', () => {
    // Prepare
    const scenarios = ['baseline', 'os-s1', 'os-s2a', 'kv-s2'].map((s) => ({
      scenario: s,
      target: 'h',
    }))

    // Act
    const a = planRuns(scenarios, 5, ['iperf3'], 1)
    const b = planRuns(scenarios, 5, ['iperf3'], 1)
    const c = planRuns(scenarios, 5, ['iperf3'], 2)

    // Assess
    expect(a).toEqual(b)
    expect(a.map((p) => p.scenario)).not.toEqual(c.map((p) => p.scenario))
    for (let r = 0; r < 5; r++) {
      const block = a.filter((p) => p.repetition === r)
      expect(block.map((p) => p.scenario).sort()).toEqual(['baseline', 'kv-s2', 'os-s1', 'os-s2a'])
      expect(block.map((p) => p.index)).toEqual([0, 1, 2, 3].map((i) => r * 4 + i))
    }
    const firstPositions = new Set(a.filter((p) => p.index % 4 === 0).map((p) => p.scenario))
    expect(firstPositions.size).toBeGreaterThan(1)
  })

  it('parses ID=HOST scenarios and rejects duplicates and missing hosts', () => {
    // Act / Assess
    expect(parseScenarioFlags(['os-s1=10.0.0.5', 'baseline'], '10.0.0.9')).toEqual([
      { scenario: 'os-s1', target: '10.0.0.5' },
      { scenario: 'baseline', target: '10.0.0.9' },
    ])
    expect(parseScenarioFlags(['a=h', 'a=h2'], undefined)).toBe('--scenario a is given twice')
    expect(parseScenarioFlags(['a'], undefined)).toContain('has no target')
  })
})

describe('labels', () => {
  it('merges YAML and dotted flags, flags winning, nested maps key by key', () => {
    // Prepare
    const yaml = parseLabelsYaml(
      'platform: openstack\nscenario: os-s1\nlink_mtu: 1500\nsoftware:\n  release: rocky\n  kernel: 4.15\n',
      'l.yaml',
      parseYaml,
    )
    const flags = parseLabelFlags(['software.kernel=5.4', 'source.host=a', 'scenario=os-s2a'])

    // Act
    const result = validateLabels(mergeLabels(yaml, flags))

    // Assess
    expect(result).toEqual({
      ok: true,
      labels: {
        platform: 'openstack',
        scenario: 'os-s2a',
        link_mtu: 1500,
        software: { release: 'rocky', kernel: '5.4' },
        source: { host: 'a' },
      },
    })
  })

  it('names missing, unknown and invalid fields', () => {
    // Act
    const result = validateLabels({ scenario: 'x', mtu: 'big', colour: 'red' })

    // Assess
    expect(result.ok).toBe(false)
    const errors = (result as { errors: string[] }).errors.join('\n')
    expect(errors).toContain("missing required label 'platform'")
    expect(errors).toContain("unknown label(s) 'colour'")
    expect(errors).toContain("label 'mtu'")
  })

  it('refuses a flag without = and YAML that is not a mapping', () => {
    // Act / Assess
    expect(() => parseLabelFlags(['platform'])).toThrow("--label 'platform' is not k=v")
    expect(() => parseLabelsYaml('- a\n- b\n', 'x.yaml', parseYaml)).toThrow(
      'x.yaml: expected a mapping',
    )
  })
})

describe('retry policy', () => {
  it('classifies answers', () => {
    // Act / Assess
    expect([200, 202, 400, 401, 403, 408, 413, 422, 429, 500, 503].map(classifyStatus)).toEqual([
      'acknowledged',
      'acknowledged',
      'permanent',
      'auth',
      'auth',
      'transient',
      'permanent',
      'permanent',
      'transient',
      'transient',
      'transient',
    ])
  })

  it('backs off exponentially with full jitter up to the cap and honours Retry-After', () => {
    // Act / Assess
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffMs(a, POLICY, 0.999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ])
    expect(backoffMs(3, POLICY, 0)).toBe(0)
    expect(nextDelayMs(0, POLICY, 0.5, 3000)).toBe(3000)
    expect(parseRetryAfter('7', 0)).toBe(7000)
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000)
    expect(parseRetryAfter('soon', 0)).toBeNull()
  })
})

describe('small pure helpers', () => {
  it('builds the tool command lines', () => {
    // Act / Assess
    expect(
      iperf3ClientArgs('10.0.0.5', { durationS: 10, streams: 4, omitS: 1, iperf3Port: 5202 }),
    ).toEqual(['iperf3', '-c', '10.0.0.5', '-J', '-t', '10', '-P', '4', '-O', '1', '-p', '5202'])
    expect(qperfClientArgs('10.0.0.5', { durationS: 5, streams: 1 })).toEqual([
      'qperf',
      '-t',
      '5',
      '10.0.0.5',
      'tcp_lat',
      'tcp_bw',
    ])
  })

  it('reads the route device and draws the bar with ETA', () => {
    // Act / Assess
    expect(
      parseRouteDevice('10.0.0.5 via 192.168.1.1 dev ens3 src 192.168.1.20 uid 0\n    cache\n'),
    ).toBe('ens3')
    expect(renderBar(1, 4, 10_000, 'os-s1', 8)).toBe('[##......] 1/4  25%  ETA 30s  os-s1')
  })
})

describe('collector labels', () => {
  it("put metadata under user labels, keep loopback's MTU 65536, skip one a label cannot hold, and stamp the run", async () => {
    // Prepare
    const { collectorLabels } = await import('#collector/collector-labels.ts')
    const system = {
      hostname: 'edge1',
      kernel: '5.15',
      iperf3_version: '3.16',
      qperf_version: '0.4.11',
    }

    // Act
    const loopback = collectorLabels(
      { platform: 'baremetal', scenario: 'baseline' },
      system,
      { interface: 'lo', mtu: 65536, speed_mbps: null },
      '127.0.0.1',
      0,
      '2026-01-01T00:00:00Z',
    )
    const impossible = collectorLabels(
      { platform: 'baremetal', scenario: 'baseline' },
      system,
      { interface: 'weird0', mtu: 70000, speed_mbps: null },
      '127.0.0.1',
      0,
      '2026-01-01T00:00:00Z',
    )
    const nic = collectorLabels(
      { platform: 'openstack', scenario: 'os-s1', mtu: 1450, software: { kernel: 'custom' } },
      system,
      { interface: 'ens3', mtu: 9000, speed_mbps: 10000 },
      '10.0.0.5',
      3,
      '2026-01-01T00:00:00Z',
    )

    // Assess
    expect(loopback.mtu).toBe(65536)
    expect(impossible).not.toHaveProperty('mtu')
    expect(loopback).toMatchObject({
      collector_id: 'edge1',
      destination: { host: '127.0.0.1' },
      repetition: 0,
    })
    expect(nic).toMatchObject({
      mtu: 1450,
      repetition: 3,
      software: {
        kernel: 'custom',
        interface: 'ens3',
        interface_speed_mbps: '10000',
        iperf3: '3.16',
        collector: 'netlake-collect',
      },
    })
  })
})
