import type { LabelInput } from '#collector/label-input.ts'
import { mergeLabels } from '#collector/label-input.ts'
import type { SystemInfo } from '#collector/system-info.ts'
import type { LabScenario } from './lab-scenario.ts'

/** How the lab ran, recorded in the `software` labels. */
export interface LabConditions {
  offloadsOff: boolean
  pin: boolean
}

/**
 * Labels of one lab result: the scenario's platform, id and MTUs, `hardware_profile: lab-netns`
 * (so lab results never share a comparison key with real hardware), where it ran and how; user
 * labels (`--label`, `--labels`) override all but scenario, repetition and time. Pure.
 */
export function labLabels(
  s: LabScenario,
  system: SystemInfo,
  conditions: LabConditions,
  user: LabelInput,
  repetition: number,
  collectedAt: string,
): LabelInput {
  const software: Record<string, string> = {
    emulation: 'netns-one-kernel',
    offloads: conditions.offloadsOff ? 'off' : 'on',
    cpu_pin: conditions.pin ? '0,0' : 'none',
  }
  if (system.kernel) software.kernel = system.kernel
  if (system.iperf3_version) software.iperf3 = system.iperf3_version
  if (system.qperf_version) software.qperf = system.qperf_version
  const base: LabelInput = {
    platform: s.platform,
    hardware_profile: 'lab-netns',
    mtu: s.mtu,
    link_mtu: s.link_mtu,
    collector_id: system.hostname.slice(0, 128),
    source: { vm: s.client.ns, host: system.hostname },
    destination: { vm: s.server.ns, host: system.hostname },
    software,
  }
  return mergeLabels(base, user, { scenario: s.id, repetition, collected_at: collectedAt })
}
