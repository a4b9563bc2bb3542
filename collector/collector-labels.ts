import { mergeLabels, type LabelInput } from './label-input.ts'
import type { RouteInfo, SystemInfo } from './system-info.ts'

/**
 * Labels of one collected result: collector metadata (host, kernel, tool versions, the interface
 * towards the target and its MTU) under the user's labels; scenario repetition and time per run.
 * Pure.
 */
export function collectorLabels(
  user: LabelInput,
  system: SystemInfo,
  route: RouteInfo,
  target: string,
  repetition: number,
  collectedAt: string,
): LabelInput {
  const software: Record<string, string> = { collector: 'netlake-collect' }
  if (system.kernel) software.kernel = system.kernel
  if (system.iperf3_version) software.iperf3 = system.iperf3_version
  if (system.qperf_version) software.qperf = system.qperf_version
  if (route.interface) software.interface = route.interface
  if (route.speed_mbps) software.interface_speed_mbps = String(route.speed_mbps)
  const meta: LabelInput = {
    collector_id: system.hostname.slice(0, 128),
    software,
    source: { host: system.hostname },
    destination: { host: target },
  }
  // Loopback's 65536 is a legal label; anything outside 68..65536 is left out rather than fail.
  if (route.mtu && route.mtu >= 68 && route.mtu <= 65536) meta.mtu = route.mtu
  return mergeLabels(meta, user, { repetition, collected_at: collectedAt })
}
