import { scenarioPrefix, type LabScenario } from './lab-scenario.ts'
import { createTopology, type BuildOptions, type TopologyBuilder } from './topology.ts'

const OVERLAY_MTU = 1450
const LINK_MTU = 1500
const VXLAN_PORT = 4789

/** A VM namespace plugged by a tap into `bridge` on `host`, with an address and a default route. */
function vm(
  t: TopologyBuilder,
  role: string,
  host: string,
  tap: string,
  bridge: string,
  cidr: string,
  gateway: string,
): string {
  const ns = t.ns(role)
  t.veth(ns, 'eth0', host, tap, OVERLAY_MTU)
  t.attach(host, tap, bridge)
  t.addr(ns, 'eth0', cidr)
  t.route(ns, 'default', 'via', gateway, 'dev', 'eth0')
  return ns
}

/** A linuxbridge-agent network on a node: `brq-<net>` plus `vxlan-<vni>` towards the other VTEPs. */
function vxlanNetwork(
  t: TopologyBuilder,
  host: string,
  net: string,
  vni: number,
  local: string,
  remotes: string[],
) {
  t.bridge(host, `brq-${net}`)
  t.vxlan(host, `vxlan-${vni}`, {
    id: vni,
    local,
    dev: 'eth1',
    port: VXLAN_PORT,
    mtu: OVERLAY_MTU,
    remotes,
  })
  t.attach(host, `vxlan-${vni}`, `brq-${net}`)
}

/** Two nodes joined by an underlay link eth1 in 198.18.0.0/24. */
function underlay(t: TopologyBuilder, a: string, aIp: string, b: string, bIp: string) {
  t.veth(a, 'eth1', b, 'eth1', LINK_MTU)
  t.addr(a, 'eth1', `${aIp}/24`)
  t.addr(b, 'eth1', `${bIp}/24`)
}

/** A qrouter namespace with one leg (`qr-<net>`) into a bridge on `host`. */
function routerLeg(
  t: TopologyBuilder,
  qrouter: string,
  host: string,
  leg: string,
  tap: string,
  bridge: string,
  cidr: string,
) {
  t.veth(qrouter, leg, host, tap, OVERLAY_MTU)
  t.attach(host, tap, bridge)
  t.addr(qrouter, leg, cidr)
}

/** os-s3: same network, same compute node: two VMs on one linux bridge. */
export function buildOsS3(options: BuildOptions): LabScenario {
  const t = createTopology(scenarioPrefix('os-s3'), options)
  const compute1 = t.ns('compute1')
  t.bridge(compute1, 'brq-net1')
  const vm1 = vm(t, 'vm1', compute1, 'tap-vm1', 'brq-net1', '192.0.2.11/24', '192.0.2.1')
  const vm2 = vm(t, 'vm2', compute1, 'tap-vm2', 'brq-net1', '192.0.2.12/24', '192.0.2.1')
  return scenario(
    'os-s3',
    'OpenStack S3: same network, same compute node (one linux bridge)',
    vm1,
    '192.0.2.11',
    vm2,
    '192.0.2.12',
    t,
  )
}

/** os-s1: same network, different compute nodes: bridge + VXLAN VNI 101 over the underlay. */
export function buildOsS1(options: BuildOptions): LabScenario {
  const t = createTopology(scenarioPrefix('os-s1'), options)
  const compute1 = t.ns('compute1')
  const compute2 = t.ns('compute2')
  underlay(t, compute1, '198.18.0.11', compute2, '198.18.0.12')
  vxlanNetwork(t, compute1, 'net1', 101, '198.18.0.11', ['198.18.0.12'])
  vxlanNetwork(t, compute2, 'net1', 101, '198.18.0.12', ['198.18.0.11'])
  const vm1 = vm(t, 'vm1', compute1, 'tap-vm1', 'brq-net1', '192.0.2.11/24', '192.0.2.1')
  const vm2 = vm(t, 'vm2', compute2, 'tap-vm2', 'brq-net1', '192.0.2.12/24', '192.0.2.1')
  return scenario(
    'os-s1',
    'OpenStack S1: same network, different compute nodes (bridge + VXLAN VNI 101)',
    vm1,
    '192.0.2.11',
    vm2,
    '192.0.2.12',
    t,
  )
}

/** os-s2a: different networks, qrouter on the same compute node as both VMs (never leaves the host). */
export function buildOsS2a(options: BuildOptions): LabScenario {
  const t = createTopology(scenarioPrefix('os-s2a'), options)
  const compute1 = t.ns('compute1')
  const qrouter = t.ns('qrouter')
  t.bridge(compute1, 'brq-net1')
  t.bridge(compute1, 'brq-net2')
  routerLeg(t, qrouter, compute1, 'qr-net1', 'tap-qr1', 'brq-net1', '192.0.2.1/24')
  routerLeg(t, qrouter, compute1, 'qr-net2', 'tap-qr2', 'brq-net2', '198.51.100.1/24')
  t.forward(qrouter)
  const vm1 = vm(t, 'vm1', compute1, 'tap-vm1', 'brq-net1', '192.0.2.11/24', '192.0.2.1')
  const vm2 = vm(t, 'vm2', compute1, 'tap-vm2', 'brq-net2', '198.51.100.12/24', '198.51.100.1')
  return scenario(
    'os-s2a',
    'OpenStack S2a: different networks, qrouter on the same compute node',
    vm1,
    '192.0.2.11',
    vm2,
    '198.51.100.12',
    t,
  )
}

/** os-s2b: different networks, qrouter on a network node: the flow hairpins over VXLAN twice. */
export function buildOsS2b(options: BuildOptions): LabScenario {
  const t = createTopology(scenarioPrefix('os-s2b'), options)
  const compute1 = t.ns('compute1')
  const network = t.ns('network')
  const qrouter = t.ns('qrouter')
  underlay(t, compute1, '198.18.0.11', network, '198.18.0.21')
  for (const [net, vni] of [
    ['net1', 101],
    ['net2', 102],
  ] as const) {
    vxlanNetwork(t, compute1, net, vni, '198.18.0.11', ['198.18.0.21'])
    vxlanNetwork(t, network, net, vni, '198.18.0.21', ['198.18.0.11'])
  }
  routerLeg(t, qrouter, network, 'qr-net1', 'tap-qr1', 'brq-net1', '192.0.2.1/24')
  routerLeg(t, qrouter, network, 'qr-net2', 'tap-qr2', 'brq-net2', '198.51.100.1/24')
  t.forward(qrouter)
  const vm1 = vm(t, 'vm1', compute1, 'tap-vm1', 'brq-net1', '192.0.2.11/24', '192.0.2.1')
  const vm2 = vm(t, 'vm2', compute1, 'tap-vm2', 'brq-net2', '198.51.100.12/24', '198.51.100.1')
  return scenario(
    'os-s2b',
    'OpenStack S2b: different networks, qrouter on a network node over VXLAN',
    vm1,
    '192.0.2.11',
    vm2,
    '198.51.100.12',
    t,
  )
}

/** os-s4: floating IP, north-south: VM → VXLAN → qrouter (SNAT/DNAT) → provider bridge → external host. */
export function buildOsS4(options: BuildOptions): LabScenario {
  const t = createTopology(scenarioPrefix('os-s4'), options)
  const compute1 = t.ns('compute1')
  const network = t.ns('network')
  const qrouter = t.ns('qrouter')
  const external = t.ns('external')
  underlay(t, compute1, '198.18.0.11', network, '198.18.0.21')
  vxlanNetwork(t, compute1, 'net1', 101, '198.18.0.11', ['198.18.0.21'])
  vxlanNetwork(t, network, 'net1', 101, '198.18.0.21', ['198.18.0.11'])
  routerLeg(t, qrouter, network, 'qr-net1', 'tap-qr1', 'brq-net1', '192.0.2.1/24')
  t.bridge(network, 'brq-provider')
  t.veth(qrouter, 'qg-ext', network, 'tap-qg', LINK_MTU)
  t.attach(network, 'tap-qg', 'brq-provider')
  t.addr(qrouter, 'qg-ext', '203.0.113.10/24')
  t.addr(qrouter, 'qg-ext', '203.0.113.20/32')
  t.route(qrouter, 'default', 'via', '203.0.113.250', 'dev', 'qg-ext')
  t.forward(qrouter)
  t.iptables(
    qrouter,
    '-t',
    'nat',
    '-A',
    'PREROUTING',
    '-d',
    '203.0.113.20/32',
    '-j',
    'DNAT',
    '--to-destination',
    '192.0.2.11',
  )
  t.iptables(
    qrouter,
    '-t',
    'nat',
    '-A',
    'POSTROUTING',
    '-s',
    '192.0.2.11/32',
    '-o',
    'qg-ext',
    '-j',
    'SNAT',
    '--to-source',
    '203.0.113.20',
  )
  t.iptables(
    qrouter,
    '-t',
    'nat',
    '-A',
    'POSTROUTING',
    '-s',
    '192.0.2.0/24',
    '-o',
    'qg-ext',
    '-j',
    'SNAT',
    '--to-source',
    '203.0.113.10',
  )
  t.veth(external, 'eth0', network, 'eth2', LINK_MTU)
  t.attach(network, 'eth2', 'brq-provider')
  t.addr(external, 'eth0', '203.0.113.250/24')
  const vm1 = vm(t, 'vm1', compute1, 'tap-vm1', 'brq-net1', '192.0.2.11/24', '192.0.2.1')
  return scenario(
    'os-s4',
    'OpenStack S4: floating IP north-south (VXLAN → qrouter SNAT/DNAT → provider bridge)',
    vm1,
    '192.0.2.11',
    external,
    '203.0.113.250',
    t,
  )
}

function scenario(
  id: string,
  description: string,
  client: string,
  clientIp: string,
  server: string,
  serverIp: string,
  t: TopologyBuilder,
): LabScenario {
  return {
    id,
    platform: 'openstack',
    description,
    client: { ns: client, ip: clientIp },
    server: { ns: server, ip: serverIp },
    mtu: OVERLAY_MTU,
    link_mtu: LINK_MTU,
    topology: t.build(),
  }
}
