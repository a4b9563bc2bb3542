import { describe, expect, it } from 'vitest'
import { emptyRunRow } from '#core/rows.ts'
import {
  comparisonKey,
  durationClass,
  explainKeyMismatch,
  formatSpeed,
  majorVersion,
} from '#core/compare/comparison-key.ts'
import { tcpRun } from './run-fixtures.ts'

describe('comparisonKey', () => {
  it('writes a readable key with every part', () => {
    // Prepare
    const run = tcpRun()

    // Act
    const key = comparisonKey(run)

    // Assess
    expect(key).toBe(
      'iperf3/3|tcp|p1|d5-30|forward|blk131072|omit?|cc=?|link1500|nic10G|hw=r740-10g',
    )
  })

  it('gives a VXLAN scenario (MTU 1450) and its bare-metal baseline on the same link one key', () => {
    // Prepare
    const baseline = tcpRun({ mtu: 1500, platform: 'baremetal', scenario: 'baseline' })
    const overlay = tcpRun({
      mtu: 1450,
      platform: 'openstack',
      scenario: 'os-s1',
      tool_version: '3.16',
    })

    // Act
    const keys = [comparisonKey(baseline), comparisonKey(overlay)]

    // Assess
    expect(keys[0]).toBe(keys[1])
  })

  it('separates 1G from 10G NICs and jumbo from standard links', () => {
    // Prepare
    const tenGig = tcpRun()
    const oneGig = tcpRun({ nic_speed_bps: 1e9 })
    const jumbo = tcpRun({ link_mtu: 9000, mtu: 9000 })

    // Act
    const [a, b, c] = [tenGig, oneGig, jumbo].map(comparisonKey)

    // Assess
    expect(b).toBe('iperf3/3|tcp|p1|d5-30|forward|blk131072|omit?|cc=?|link1500|nic1G|hw=r740-10g')
    expect(c).toBe('iperf3/3|tcp|p1|d5-30|forward|blk131072|omit?|cc=?|link9000|nic10G|hw=r740-10g')
    expect(a).not.toBe(b)
    expect(explainKeyMismatch(a!, b!)).toEqual(['NIC speed differs: nic10G vs nic1G'])
    expect(explainKeyMismatch(a!, c!)).toEqual(['link MTU differs: link1500 vs link9000'])
  })

  it('writes unknown parts as ? and qperf with its 0.x major version', () => {
    // Prepare
    const run = {
      ...emptyRunRow(),
      tool: 'qperf',
      tool_version: '0.4.11',
      test: 'tcp_lat',
      protocol: 'tcp',
      duration_s: 2,
    }

    // Act
    const key = comparisonKey(run)

    // Assess
    expect(key).toBe('qperf/0.4|tcp_lat|p?|d<5|?|msg?|omit?|cc=?|link?|nic?|hw=?')
  })

  it('writes the protocol when the test name does not imply it, and byte limits instead of time', () => {
    // Prepare
    const run = tcpRun({ test: null, protocol: 'udp', bytes_limit: 1_000_000 })

    // Act
    const key = comparisonKey(run)

    // Assess
    expect(key).toBe(
      'iperf3/3|?:udp|p1|bytes1000000|forward|blk131072|omit?|cc=?|link1500|nic10G|hw=r740-10g',
    )
  })

  it('separates runs by omitted warm-up and by congestion control, case-insensitively', () => {
    // Prepare
    const warm = tcpRun({ omit_s: 2, congestion_control: 'cubic' })
    const cold = tcpRun({ omit_s: 0, congestion_control: 'cubic' })
    const bbr = tcpRun({ omit_s: 2, congestion_control: 'BBR' })

    // Act
    const [a, b, c] = [warm, cold, bbr].map((r) => comparisonKey(r)!)

    // Assess
    expect(a).toBe(
      'iperf3/3|tcp|p1|d5-30|forward|blk131072|omit2|cc=cubic|link1500|nic10G|hw=r740-10g',
    )
    expect(explainKeyMismatch(a, b)).toEqual(['omitted warm-up (-O) differs: omit2 vs omit0'])
    expect(explainKeyMismatch(a, c)).toEqual(['congestion control differs: cc=cubic vs cc=bbr'])
  })

  it('returns null for a row that names no tool, test or protocol', () => {
    // Prepare
    const run = emptyRunRow()

    // Act
    const key = comparisonKey(run)

    // Assess
    expect(key).toBeNull()
  })

  it('explains several differing parts in order', () => {
    // Prepare
    const a = comparisonKey(tcpRun())!
    const b = comparisonKey(tcpRun({ streams: 4, direction: 'reverse', duration_s: 60 }))!

    // Act
    const reasons = explainKeyMismatch(a, b)

    // Assess
    expect(reasons).toEqual([
      'parallel streams differs: p1 vs p4',
      'duration class or byte/block limit differs: d5-30 vs d30-120',
      'direction differs: forward vs reverse',
    ])
    expect(explainKeyMismatch(a, a)).toEqual([])
    expect(explainKeyMismatch(a, 'x|y')).toHaveLength(1)
  })
})

describe('key helpers', () => {
  it('buckets durations at 5, 30 and 120 seconds', () => {
    // Prepare
    const seconds = [null, 0, 4.99, 5, 29.9, 30, 120, 120.1]

    // Act
    const classes = seconds.map(durationClass)

    // Assess
    expect(classes).toEqual(['d?', 'd<5', 'd<5', 'd5-30', 'd5-30', 'd30-120', 'd30-120', 'd>120'])
  })

  it('extracts major versions and formats speeds', () => {
    // Prepare
    const versions = ['3.12', '3.1.3', '0.4.11', '4', null, '']

    // Act
    const majors = versions.map(majorVersion)
    const speeds = [1e10, 1e9, 2.5e9, 1e8, 25e9, 400].map(formatSpeed)

    // Assess
    expect(majors).toEqual(['3', '3', '0.4', '4', '?', '?'])
    expect(speeds).toEqual(['10G', '1G', '2.5G', '100M', '25G', '400'])
  })
})
