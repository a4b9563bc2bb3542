import { describe, expect, it } from 'vitest'
import { diffLabels } from '#core/label-diff.ts'

describe('diffLabels', () => {
  it('names each label that differs, maps by dotted key, unset as null', () => {
    // Act
    const differences = diffLabels(
      {
        platform: 'openstack',
        scenario: 'os-s1',
        mtu: 1500,
        software: { kernel: '6.1', cni: 'flannel' },
      },
      {
        platform: 'openstack',
        scenario: 'os-s2a',
        campaign: 'c1',
        software: { kernel: '6.1', cni: 'calico' },
      },
    )
    // Assess
    expect(differences).toEqual([
      { label: 'campaign', stored: null, offered: 'c1' },
      { label: 'mtu', stored: 1500, offered: null },
      { label: 'scenario', stored: 'os-s1', offered: 'os-s2a' },
      { label: 'software.cni', stored: 'flannel', offered: 'calico' },
    ])
  })

  it('finds nothing between equal labels, whatever the key order or the spelling of one instant', () => {
    const stored = {
      platform: 'kubevirt',
      scenario: 'kv-s1',
      collected_at: '2026-03-05T01:30:00Z',
      source: { host: 'a', vm: 'b' },
    }
    const offered = {
      source: { vm: 'b', host: 'a' },
      collected_at: '2026-03-04T23:30:00-02:00',
      scenario: 'kv-s1',
      platform: 'kubevirt',
    }
    expect(diffLabels(stored, offered)).toEqual([])
  })
})
