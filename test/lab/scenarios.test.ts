import { describe, expect, it } from 'vitest'
import { defaultScenarioCatalog, findScenario } from '#core/compare/scenario-catalog.ts'
import { LAB_SCENARIOS, selectScenarios } from '../../lab/scenarios.ts'
import { LAB_PREFIX } from '../../lab/lab-scenario.ts'

const built = Object.values(LAB_SCENARIOS).map((f) => f({ offloadsOff: true }))
const DOC_RANGES = [
  /^192\.0\.2\./,
  /^198\.51\.100\./,
  /^203\.0\.113\./,
  /^198\.1[89]\./,
  /^10\.244\./,
]
const ipv4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/g

describe('lab scenarios (pure construction data)', () => {
  it('cover the catalog scenarios with the catalog platforms', () => {
    // Prepare
    const catalog = defaultScenarioCatalog()

    // Act / Assess
    expect(built.map((s) => s.id).sort()).toEqual([
      'baseline',
      'kv-s1',
      'kv-s2',
      'os-s1',
      'os-s2a',
      'os-s2b',
      'os-s3',
      'os-s4',
    ])
    for (const s of built) expect(findScenario(catalog, s.id)?.platform, s.id).toBe(s.platform)
  })

  it('only touch namespaces of their own prefix and only documentation/benchmark/pod addresses', () => {
    for (const s of built) {
      // Assess
      const own = new Set(s.topology.namespaces)
      expect([...own].every((ns) => ns.startsWith(`${LAB_PREFIX}${s.id}-`))).toBe(true)
      expect(own.has(s.client.ns) && own.has(s.server.ns)).toBe(true)
      for (const { argv } of s.topology.steps) {
        const nsArgs = argv.flatMap((a, i) =>
          argv[i - 1] === '-n' || argv[i - 1] === 'netns' ? [a] : [],
        )
        for (const ns of nsArgs)
          if (!['add', 'exec'].includes(ns))
            expect(own.has(ns), `${s.id}: ${argv.join(' ')}`).toBe(true)
        for (const [, ip] of argv.join(' ').matchAll(ipv4))
          expect(
            DOC_RANGES.some((r) => r.test(ip)),
            `${s.id}: ${ip}`,
          ).toBe(true)
      }
    }
  })

  it('turn forwarding on in every router, NAT the floating IP in os-s4, flannel VNI 1 on 8472 in kv-s2', () => {
    // Prepare
    const steps = (id: string) =>
      LAB_SCENARIOS[id]({ offloadsOff: false }).topology.steps.map((x) => x.argv.join(' '))

    // Act / Assess
    expect(steps('os-s2a')).toContain(
      'ip netns exec nlk-os-s2a-qrouter sysctl -qw net.ipv4.ip_forward=1',
    )
    expect(steps('os-s4')).toContain(
      'ip netns exec nlk-os-s4-qrouter iptables -t nat -A PREROUTING -d 203.0.113.20/32 -j DNAT --to-destination 192.0.2.11',
    )
    expect(steps('os-s4')).toContain(
      'ip netns exec nlk-os-s4-qrouter iptables -t nat -A POSTROUTING -s 192.0.2.11/32 -o qg-ext -j SNAT --to-source 203.0.113.20',
    )
    expect(steps('kv-s2').filter((c) => c.includes('type vxlan'))).toEqual([
      'ip -n nlk-kv-s2-node1 link add flannel.1 address 0e:00:00:00:01:01 mtu 1450 type vxlan id 1 local 198.18.1.11 dev eth0 dstport 8472 nolearning',
      'ip -n nlk-kv-s2-node2 link add flannel.1 address 0e:00:00:00:01:02 mtu 1450 type vxlan id 1 local 198.18.1.12 dev eth0 dstport 8472 nolearning',
    ])
    expect(
      steps('os-s1')
        .filter((c) => c.includes('type vxlan'))
        .every((c) => c.includes('mtu 1450') && c.includes('id 101') && c.includes('dstport 4789')),
    ).toBe(true)
    expect(steps('baseline').some((c) => c.includes('ethtool'))).toBe(false)
  })

  it('label the test interface MTU 1450 in overlays and 1500 on bare metal', () => {
    // Act / Assess
    expect(Object.fromEntries(built.map((s) => [s.id, [s.mtu, s.link_mtu]]))).toEqual({
      baseline: [1500, 1500],
      'os-s3': [1450, 1500],
      'os-s1': [1450, 1500],
      'os-s2a': [1450, 1500],
      'os-s2b': [1450, 1500],
      'os-s4': [1450, 1500],
      'kv-s1': [1450, 1500],
      'kv-s2': [1450, 1500],
    })
  })

  it('select all, some, or report unknown ids', () => {
    // Act / Assess
    expect(selectScenarios([]).ids).toHaveLength(8)
    expect(selectScenarios(['os-s1', 'baseline', 'os-s1'])).toEqual({
      ids: ['os-s1', 'baseline'],
      unknown: [],
    })
    expect(selectScenarios(['os-s9']).unknown).toEqual(['os-s9'])
  })
})
