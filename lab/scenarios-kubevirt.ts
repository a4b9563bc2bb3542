import { scenarioPrefix, type LabScenario } from './lab-scenario.ts'
import { createTopology, type BuildOptions, type TopologyBuilder } from './topology.ts'

const POD_MTU = 1450
const LINK_MTU = 1500
const FLANNEL_PORT = 8472

/**
 * A KubeVirt VM in bridge binding: VM ns eth0 ↔ tap0 on the virt-launcher pod's bridge br1, whose
 * other port is the pod's eth0, the veth peer of `veth-<pod>` on the node's cni0.
 */
function podVm(t: TopologyBuilder, n: number, node: string, cidr: string, gateway: string): string {
  const pod = t.ns(`pod${n}`)
  const vm = t.ns(`vm${n}`)
  t.veth(pod, 'eth0', node, `veth-pod${n}`, POD_MTU)
  t.attach(node, `veth-pod${n}`, 'cni0')
  t.bridge(pod, 'br1')
  t.attach(pod, 'eth0', 'br1')
  t.veth(vm, 'eth0', pod, 'tap0', POD_MTU)
  t.attach(pod, 'tap0', 'br1')
  t.addr(vm, 'eth0', cidr)
  t.route(vm, 'default', 'via', gateway, 'dev', 'eth0')
  return vm
}

/** A node with cni0 as the gateway of its pod /24, forwarding on. */
function node(t: TopologyBuilder, role: string, gatewayCidr: string): string {
  const ns = t.ns(role)
  t.bridge(ns, 'cni0')
  t.addr(ns, 'cni0', gatewayCidr)
  t.forward(ns)
  return ns
}

/** kv-s1: same subnet, same node: VM → pod bridge → pod eth0 → cni0 → peer pod → VM. */
export function buildKvS1(options: BuildOptions): LabScenario {
  const t = createTopology(scenarioPrefix('kv-s1'), options)
  const node1 = node(t, 'node1', '10.244.0.1/24')
  const vm1 = podVm(t, 1, node1, '10.244.0.11/24', '10.244.0.1')
  const vm2 = podVm(t, 2, node1, '10.244.0.12/24', '10.244.0.1')
  return {
    id: 'kv-s1',
    platform: 'kubevirt',
    description: 'KubeVirt S1: same subnet, same node (pod bridge → cni0 → pod)',
    client: { ns: vm1, ip: '10.244.0.11' },
    server: { ns: vm2, ip: '10.244.0.12' },
    mtu: POD_MTU,
    link_mtu: LINK_MTU,
    topology: t.build(),
  }
}

/** kv-s2: different subnet, different node: cni0 → flannel.1 (VXLAN VNI 1, UDP 8472) → underlay → peer node. */
export function buildKvS2(options: BuildOptions): LabScenario {
  const t = createTopology(scenarioPrefix('kv-s2'), options)
  const nodes = [
    {
      ns: node(t, 'node1', '10.244.0.1/24'),
      underlay: '198.18.1.11',
      vtep: '10.244.0.0',
      subnet: '10.244.0.0/24',
      mac: '0e:00:00:00:01:01',
    },
    {
      ns: node(t, 'node2', '10.244.1.1/24'),
      underlay: '198.18.1.12',
      vtep: '10.244.1.0',
      subnet: '10.244.1.0/24',
      mac: '0e:00:00:00:01:02',
    },
  ]
  const [a, b] = nodes
  t.veth(a.ns, 'eth0', b.ns, 'eth0', LINK_MTU)
  for (const [self, peer] of [
    [a, b],
    [b, a],
  ]) {
    t.addr(self.ns, 'eth0', `${self.underlay}/24`)
    t.vxlan(self.ns, 'flannel.1', {
      id: 1,
      local: self.underlay,
      dev: 'eth0',
      port: FLANNEL_PORT,
      mtu: POD_MTU,
      nolearning: true,
      mac: self.mac,
    })
    t.addr(self.ns, 'flannel.1', `${self.vtep}/32`)
    t.fdb(self.ns, 'flannel.1', peer.mac, peer.underlay)
    t.neigh(self.ns, 'flannel.1', peer.vtep, peer.mac)
    t.route(self.ns, peer.subnet, 'via', peer.vtep, 'dev', 'flannel.1', 'onlink')
  }
  const vm1 = podVm(t, 1, a.ns, '10.244.0.11/24', '10.244.0.1')
  const vm2 = podVm(t, 2, b.ns, '10.244.1.12/24', '10.244.1.1')
  return {
    id: 'kv-s2',
    platform: 'kubevirt',
    description: 'KubeVirt S2: different subnet, different node (flannel.1 VXLAN VNI 1, UDP 8472)',
    client: { ns: vm1, ip: '10.244.0.11' },
    server: { ns: vm2, ip: '10.244.1.12' },
    mtu: POD_MTU,
    link_mtu: LINK_MTU,
    topology: t.build(),
  }
}
