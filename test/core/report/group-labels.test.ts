import { describe, expect, it } from 'vitest'
import { distinguishingLabels } from '#core/report/group-labels.ts'

const key = (streams: number, hw: string) =>
  `iperf3/3|tcp|p${streams}|d5-30|forward|blk131072|omit2|cc=cubic|link1500|nic10G|hw=${hw}`

describe('distinguishingLabels', () => {
  it('names only what differs between the groups of a scenario', () => {
    // Prepare
    const groups = [
      {
        scenario: 'os-s1',
        platform: 'openstack',
        hardware_profile: 'r740',
        comparison_key: key(1, 'r740'),
      },
      {
        scenario: 'os-s2b',
        platform: 'openstack',
        hardware_profile: 'r740',
        comparison_key: key(1, 'r740'),
      },
      {
        scenario: 'os-s2b',
        platform: 'openstack',
        hardware_profile: 'r740',
        comparison_key: key(4, 'r740'),
      },
      {
        scenario: 'kv-s2',
        platform: 'kubevirt',
        hardware_profile: 'r740',
        comparison_key: key(1, 'r740'),
      },
      {
        scenario: 'kv-s2',
        platform: 'kubevirt',
        hardware_profile: 'r640',
        comparison_key: key(1, 'r640'),
      },
    ]
    // Act
    const labels = distinguishingLabels(groups)
    // Assess
    expect(labels).toEqual(['os-s1', 'os-s2b · p1', 'os-s2b · p4', 'kv-s2 · r740', 'kv-s2 · r640'])
  })

  it('never gives two groups the same label', () => {
    // Prepare: identical descriptions (e.g. keys missing)
    const groups = [
      { scenario: 'x', comparison_key: null },
      { scenario: 'x', comparison_key: null },
    ]
    // Act
    const labels = distinguishingLabels(groups)
    // Assess
    expect(new Set(labels).size).toBe(2)
  })
})
