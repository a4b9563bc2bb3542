import type { BuildOptions, Topology } from './topology.ts'

/** Every lab namespace starts with this, so `lab down all` only ever removes our own. */
export const LAB_PREFIX = 'nlk-'

/** One emulated scenario: how to build it and where the client and server live. */
export interface LabScenario {
  id: string
  platform: 'baremetal' | 'openstack' | 'kubevirt'
  description: string
  client: { ns: string; ip: string }
  server: { ns: string; ip: string }
  /** MTU of the interface the test runs on (1450 in a VXLAN overlay). */
  mtu: number
  /** MTU of the emulated physical link. */
  link_mtu: number
  topology: Topology
}

/** The namespace prefix of one scenario: `nlk-<id>-`. */
export function scenarioPrefix(id: string): string {
  return `${LAB_PREFIX}${id}-`
}

/** A scenario builder. */
export type ScenarioFactory = (options: BuildOptions) => LabScenario
