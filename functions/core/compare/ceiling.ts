import type { ParseWarning } from '#schemas/parse-result.ts'
import type { RunRow } from '#schemas/tables.ts'

/** Bytes Ethernet adds per frame on the wire: preamble+SFD 8, header 14, FCS 4, inter-frame gap 12. */
export const ETHERNET_OVERHEAD_BYTES = 38
/** IPv4 header 20 + TCP header 20 + timestamps option 12: payload = MTU − 52. */
export const TCP_IPV4_TIMESTAMPS_BYTES = 52
/** Largest MTU we believe an MSS inference for (jumbo frames); above it the MSS is loopback or junk. */
export const MAX_PLAUSIBLE_MTU = 9216
/** Smallest IPv4 MTU a host must accept; below it an MSS inference is junk too. */
export const MIN_PLAUSIBLE_MTU = 576

/** The TCP goodput limit of a run's link and the run's share of it. */
export interface LineRateCeiling {
  ceiling_bps: number | null
  ceiling_fraction: number | null
  warnings: ParseWarning[]
}

/**
 * Theoretical TCP goodput limit (DESIGN.md §4) from `nic_speed_bps` and the MTU in effect on the
 * test interface: the `mtu` label, else the MTU inferred from `tcp_mss_bytes` (MSS + 52), else
 * `link_mtu`. Payload fraction of line rate:
 *
 * - plain Ethernet: (mtu − 52) / (mtu + 38): 1448 / 1538 = 94.15 % at MTU 1500;
 * - overlay (mtu < link_mtu): the gap is taken to be encapsulation headers (VXLAN 50, Geneve 58),
 *   so each full inner packet fills an outer frame of link MTU: (mtu − 52) / (link_mtu + 38):
 *   1398 / 1538 = 90.90 % at 1450 inside VXLAN on a 1500 link. An MTU lowered without any
 *   encapsulation is therefore given a slightly low ceiling (fraction may exceed 1).
 *
 * Only TCP throughput runs get a ceiling (latency tests such as qperf tcp_lat, UDP and error runs
 * get null), and only when the NIC speed is known. An MSS implying an MTU outside 576..9216 (iperf3
 * on loopback reports 32768) is ignored. Warnings: `mtu-mss-mismatch` when the label and the MSS
 * disagree (MSS set with -M, or timestamps off), `mtu-above-link-mtu` when the labels contradict.
 */
export function lineRateCeiling(run: RunRow): LineRateCeiling {
  const none: LineRateCeiling = { ceiling_bps: null, ceiling_fraction: null, warnings: [] }
  if (!isTcpThroughputRun(run) || run.nic_speed_bps === null || !(run.nic_speed_bps > 0))
    return none

  const warnings: ParseWarning[] = []
  const inferred = mtuFromMss(run.tcp_mss_bytes)
  if (run.mtu !== null && inferred !== null && inferred !== run.mtu) {
    warnings.push({
      code: 'mtu-mss-mismatch',
      message:
        `mtu label ${run.mtu} disagrees with the TCP MSS ${run.tcp_mss_bytes} (implies MTU ${inferred} ` +
        'with timestamps); MSS set with -M or TCP timestamps off? The ceiling uses the label.',
      path: 'tcp_mss_bytes',
    })
  }
  const mtu = run.mtu ?? inferred ?? run.link_mtu
  if (mtu === null || mtu <= TCP_IPV4_TIMESTAMPS_BYTES) return { ...none, warnings }

  let frameBytes = mtu + ETHERNET_OVERHEAD_BYTES
  if (run.link_mtu !== null && mtu < run.link_mtu) {
    frameBytes = run.link_mtu + ETHERNET_OVERHEAD_BYTES
  } else if (run.link_mtu !== null && mtu > run.link_mtu) {
    warnings.push({
      code: 'mtu-above-link-mtu',
      message: `interface MTU ${mtu} is larger than the link MTU ${run.link_mtu}; ceiling computed from the interface MTU`,
      path: 'mtu',
    })
  }
  const ceiling_bps = (run.nic_speed_bps * (mtu - TCP_IPV4_TIMESTAMPS_BYTES)) / frameBytes
  const ceiling_fraction = run.throughput_bps === null ? null : run.throughput_bps / ceiling_bps
  return { ceiling_bps, ceiling_fraction, warnings }
}

/** Payload share of line rate for an interface MTU, optionally inside an overlay on `linkMtu`. */
export function payloadFraction(mtu: number, linkMtu?: number | null): number {
  const frame = (linkMtu != null && mtu < linkMtu ? linkMtu : mtu) + ETHERNET_OVERHEAD_BYTES
  return (mtu - TCP_IPV4_TIMESTAMPS_BYTES) / frame
}

/** MTU implied by a TCP MSS with timestamps (MSS + 52), or null when implausible or unknown. */
export function mtuFromMss(mss: number | null): number | null {
  if (mss === null || !Number.isFinite(mss)) return null
  const mtu = mss + TCP_IPV4_TIMESTAMPS_BYTES
  return mtu >= MIN_PLAUSIBLE_MTU && mtu <= MAX_PLAUSIBLE_MTU ? mtu : null
}

/** TCP bulk-transfer runs: iperf3 tcp, qperf tcp_bw; not latency tests, UDP, or failed runs. */
export function isTcpThroughputRun(run: RunRow): boolean {
  if (run.status === 'error') return false
  const protocol = run.protocol ?? (run.test?.startsWith('tcp') ? 'tcp' : null)
  if (protocol !== 'tcp') return false
  if (run.test !== null && /_lat$/.test(run.test)) return false
  return run.latency_s === null
}
