import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import builtIn from '#schemas/scenario-catalog.json' with { type: 'json' }
import {
  defaultScenarioCatalog,
  diffHops,
  findScenario,
  loadScenarioCatalog,
  ScenarioCatalogError,
} from '#core/compare/scenario-catalog.ts'

describe('scenario catalog', () => {
  it('holds the eight lab scenarios with the ids of the fixture dirs', () => {
    // Prepare
    const labDirs = readdirSync(new URL('../../fixtures/lab', import.meta.url), {
      withFileTypes: true,
    })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()

    // Act
    const catalog = loadScenarioCatalog(builtIn)

    // Assess
    expect(catalog.scenarios.map((s) => s.id).sort()).toEqual(labDirs)
    expect(labDirs).toHaveLength(8)
    expect(findScenario(catalog, 'baseline')!.platform).toBe('baremetal')
    expect(
      findScenario(catalog, 'kv-s2')!
        .hops.filter((h) => h.kind === 'vxlan')
        .map((h) => [h.vni, h.udp_port]),
    ).toEqual([
      [1, 8472],
      [1, 8472],
    ])
    for (const s of catalog.scenarios)
      expect(s.expected_mtu).toBe(1500 - s.encapsulation_overhead_bytes)
  })

  it('lets a user file override a built-in id and add new scenarios', () => {
    // Prepare
    const extra = {
      scenarios: [
        {
          id: 'os-s3',
          platform: 'openstack',
          description: 'mine',
          hops: [{ kind: 'ovs-bridge', name: 'br-int' }],
          encapsulation_overhead_bytes: 50,
          expected_mtu: 1450,
        },
        {
          id: 'ovn-geneve',
          platform: 'openstack',
          description: 'OVN',
          hops: [{ kind: 'geneve', name: 'genev_sys_6081', udp_port: 6081 }],
          encapsulation_overhead_bytes: 58,
          expected_mtu: 1442,
        },
      ],
    }

    // Act
    const catalog = defaultScenarioCatalog(extra)

    // Assess
    expect(catalog.scenarios).toHaveLength(9)
    expect(findScenario(catalog, 'os-s3')!.description).toBe('mine')
    expect(catalog.scenarios.map((s) => s.id).indexOf('os-s3')).toBe(
      builtIn.scenarios.findIndex((s) => s.id === 'os-s3'),
    )
    expect(catalog.scenarios[8].id).toBe('ovn-geneve')
  })

  it('rejects an invalid user file naming the path, and duplicate ids', () => {
    // Prepare
    const bad = {
      scenarios: [
        {
          id: 'x',
          platform: 'p',
          description: 'd',
          hops: [{ kind: 'wormhole', name: 'w' }],
          encapsulation_overhead_bytes: 0,
          expected_mtu: 1500,
        },
      ],
    }
    const dup = { scenarios: [builtIn.scenarios[0], builtIn.scenarios[0]] }

    // Act
    const load = (extra: unknown) => () => loadScenarioCatalog(builtIn, extra)

    // Assess
    expect(load(bad)).toThrow(ScenarioCatalogError)
    expect(load(bad)).toThrow(/user catalog: scenarios\.0\.hops\.0\.kind/)
    expect(load(dup)).toThrow(/duplicate scenario id 'baseline'/)
  })
})

describe('diffHops', () => {
  const catalog = defaultScenarioCatalog()
  const get = (id: string) => findScenario(catalog, id)!

  it('lists the hops S1 adds to bare metal', () => {
    // Prepare
    const [baseline, s1] = [get('baseline'), get('os-s1')]

    // Act
    const diff = diffHops(baseline, s1)

    // Assess
    expect(diff.identical).toBe(false)
    expect(diff.only_in_a).toEqual([])
    expect(diff.only_in_b.map((h) => h.kind)).toEqual([
      'vm-nic',
      'tap',
      'linux-bridge',
      'vxlan',
      'vxlan',
      'linux-bridge',
      'tap',
      'vm-nic',
    ])
    expect(diff.changed).toEqual([])
    expect(diff.summary[3]).toBe(
      '+ vxlan vxlan-101 @compute1 (VNI 101, UDP 4789, MTU 1450) (only in os-s1)',
    )
  })

  it('shows S4 adds NAT and the provider bridge over S1, and finds changed settings', () => {
    // Prepare
    const [s1, s4, kv2] = [get('os-s1'), get('os-s4'), get('kv-s2')]

    // Act
    const diff = diffHops(s1, s4)
    const overlay = diffHops(s1, kv2)

    // Assess
    expect(diff.only_in_b.map((h) => h.kind)).toContain('nat')
    expect(diff.only_in_b.map((h) => h.kind)).toContain('provider-bridge')
    expect(overlay.changed.map((c) => c.fields)).toEqual([
      ['vni', 'udp_port'],
      ['vni', 'udp_port'],
    ])
    expect(diffHops(s1, s1)).toMatchObject({ identical: true, summary: [] })
  })
})
