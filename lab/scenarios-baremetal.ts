import { scenarioPrefix, type LabScenario } from './lab-scenario.ts'
import { createTopology, type BuildOptions } from './topology.ts'

/** baseline: bare metal, two hosts on one link (a veth pair), MTU 1500. */
export function buildBaseline(options: BuildOptions): LabScenario {
  const t = createTopology(scenarioPrefix('baseline'), options)
  const bm1 = t.ns('bm1')
  const bm2 = t.ns('bm2')
  t.veth(bm1, 'eth0', bm2, 'eth0', 1500)
  t.addr(bm1, 'eth0', '192.0.2.1/24')
  t.addr(bm2, 'eth0', '192.0.2.2/24')
  return {
    id: 'baseline',
    platform: 'baremetal',
    description: 'bare metal: two hosts joined by one link (veth pair), MTU 1500',
    client: { ns: bm1, ip: '192.0.2.1' },
    server: { ns: bm2, ip: '192.0.2.2' },
    mtu: 1500,
    link_mtu: 1500,
    topology: t.build(),
  }
}
