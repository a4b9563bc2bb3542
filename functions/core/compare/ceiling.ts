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

/** IPv4 header 20 + TCP header 20, without options. */
export const TCP_IPV4_BYTES = 40
/** IPv6 adds 20 bytes of header over IPv4 (40 vs 20). */
export const IPV6_EXTRA_BYTES = 20
/** The TCP timestamps option, padded: 12 bytes in every segment when on (the Linux default). */
export const TCP_TIMESTAMPS_BYTES = 12
/** One 802.1Q VLAN tag on the wire. */
export const VLAN_TAG_BYTES = 4
/**
 * Encapsulation bytes per inner packet, including the inner Ethernet header: VXLAN = outer IP 20
 * + UDP 8 + VXLAN 8 + inner Ethernet 14 = 50; Geneve as OVN uses it adds 8 bytes of options (58).
 * Over an IPv6 underlay each grows by 20.
 */
export const ENCAPSULATION_BYTES = { vxlan: 50, geneve: 58 } as const
/** A gap between interface and link MTU up to this is taken to be exactly the encapsulation. */
export const MAX_ENCAPSULATION_GAP = 100

/** What the ceiling of one run rests on, each part with where it came from. */
export interface PathModel {
  inner_mtu: number
  ip_version: 4 | 6
  tcp_timestamps: boolean
  /** Bytes the overlay adds per packet (0 without one). */
  encapsulation_bytes: number
  vlan_tags: number
  /** TCP payload per packet and wire bytes per packet (with preamble, FCS and inter-frame gap). */
  payload_bytes: number
  wire_bytes: number
}

/** The TCP goodput limit of a run's link and the run's share of it. */
export interface LineRateCeiling {
  ceiling_bps: number | null
  ceiling_fraction: number | null
  model: PathModel | null
  warnings: ParseWarning[]
}

/** What the labels cannot say; the scenario catalog supplies the encapsulation. */
export interface CeilingOptions {
  /** Encapsulation bytes per packet, e.g. a scenario's `encapsulation_overhead_bytes`. */
  encapsulationBytes?: number
}

/**
 * Theoretical TCP goodput limit (DESIGN.md §4): NIC line rate × TCP payload / wire bytes of one
 * full-sized packet. payload = inner MTU − IP header (20, IPv6 40) − TCP 20 − timestamps 12 (when
 * on); wire = inner MTU + encapsulation + 4 per VLAN tag + 38 (Ethernet header 14, FCS 4,
 * preamble 8, inter-frame gap 12).
 *
 * - Inner MTU: the `mtu` label, else the MSS plus its headers, else `link_mtu`.
 * - IP version: `software.ip_version`, else 6 when the source or destination host label is an
 *   IPv6 address, else 4. TCP timestamps: on, unless the MSS says otherwise.
 * - With both the `mtu` label and iperf3's MSS, mtu − MSS tells the headers: 52 IPv4 with
 *   timestamps, 40 IPv4 without, 72 / 60 for IPv6. Any other difference (MSS clamped with -M, a
 *   lower path MTU) is an `mtu-mss-mismatch` warning and the label is used.
 * - Encapsulation, only when the interface MTU is below `link_mtu`: the given bytes (scenario
 *   catalog), else `software.encapsulation` (vxlan 50, geneve 58, +20 with `software.underlay_ip`
 *   6), else the gap when it is at most 100 bytes (a VM MTU fitted to the link), else VXLAN's 50
 *   (a jumbo underlay carries the overlay with room to spare). A 1500-byte VM over VXLAN on a
 *   9000 underlay: 1448 / (1500 + 50 + 38) = 91.2 %, not 1448 / 9038.
 * - VLAN tags: `software.vlan_tags` (802.1Q, 4 bytes each; QinQ is 2).
 *
 * Only TCP throughput runs get a ceiling (latency tests, UDP and error runs get null), and only
 * when the NIC speed is known. An MSS implying an MTU outside 576..9216 (loopback's 32768) is
 * ignored. `mtu-above-link-mtu` warns when the labels contradict.
 */
export function lineRateCeiling(run: RunRow, options: CeilingOptions = {}): LineRateCeiling {
  const none: LineRateCeiling = {
    ceiling_bps: null,
    ceiling_fraction: null,
    model: null,
    warnings: [],
  }
  if (!isTcpThroughputRun(run) || run.nic_speed_bps === null || !(run.nic_speed_bps > 0))
    return none

  const software = softwareOf(run)
  const warnings: ParseWarning[] = []
  const declaredFamily = familyOf(software.ip_version) ?? familyFromHosts(run)
  let ipVersion: 4 | 6 = declaredFamily ?? 4
  let timestamps = true
  let mtu: number | null = run.mtu
  const mss =
    run.tcp_mss_bytes !== null && Number.isFinite(run.tcp_mss_bytes) ? run.tcp_mss_bytes : null
  if (mtu !== null && mss !== null && mtuFromMss(mss, ipVersion) !== null) {
    const fit = headersFromGap(mtu - mss, declaredFamily)
    if (fit !== null) {
      ipVersion = fit.ip_version
      timestamps = fit.tcp_timestamps
    } else {
      const inferred = mtuFromMss(mss, ipVersion)
      warnings.push({
        code: 'mtu-mss-mismatch',
        message:
          `mtu label ${mtu} disagrees with the TCP MSS ${mss} (implies MTU ${inferred} ` +
          `with IPv${ipVersion} and timestamps); MSS clamped with -M or a smaller path MTU? The ceiling uses the label.`,
        path: 'tcp_mss_bytes',
      })
    }
  }
  mtu ??= mtuFromMss(mss, ipVersion) ?? run.link_mtu
  const headers = headerBytes(ipVersion, timestamps)
  if (mtu === null || mtu <= headers) return { ...none, warnings }

  let encapsulation = 0
  if (run.link_mtu !== null && mtu < run.link_mtu) {
    const gap = run.link_mtu - mtu
    const declared = options.encapsulationBytes ?? declaredEncapsulation(software)
    encapsulation =
      declared !== null && declared <= gap
        ? declared
        : gap <= MAX_ENCAPSULATION_GAP
          ? gap
          : ENCAPSULATION_BYTES.vxlan
  } else if (run.link_mtu !== null && mtu > run.link_mtu) {
    warnings.push({
      code: 'mtu-above-link-mtu',
      message: `interface MTU ${mtu} is larger than the link MTU ${run.link_mtu}; ceiling computed from the interface MTU`,
      path: 'mtu',
    })
  }
  const vlanTags = vlanTagsOf(software.vlan_tags)
  const payload = mtu - headers
  const wire = mtu + encapsulation + VLAN_TAG_BYTES * vlanTags + ETHERNET_OVERHEAD_BYTES
  const ceiling_bps = (run.nic_speed_bps * payload) / wire
  const ceiling_fraction = run.throughput_bps === null ? null : run.throughput_bps / ceiling_bps
  return {
    ceiling_bps,
    ceiling_fraction,
    model: {
      inner_mtu: mtu,
      ip_version: ipVersion,
      tcp_timestamps: timestamps,
      encapsulation_bytes: encapsulation,
      vlan_tags: vlanTags,
      payload_bytes: payload,
      wire_bytes: wire,
    },
    warnings,
  }
}

/** IP + TCP header bytes of one segment. */
export function headerBytes(ipVersion: 4 | 6, timestamps: boolean): number {
  return (
    TCP_IPV4_BYTES +
    (ipVersion === 6 ? IPV6_EXTRA_BYTES : 0) +
    (timestamps ? TCP_TIMESTAMPS_BYTES : 0)
  )
}

/** The (IP version, timestamps) whose headers are exactly `gap` bytes, within a known family. */
function headersFromGap(
  gap: number,
  family: 4 | 6 | null,
): { ip_version: 4 | 6; tcp_timestamps: boolean } | null {
  for (const ip_version of [4, 6] as const) {
    if (family !== null && family !== ip_version) continue
    for (const tcp_timestamps of [true, false]) {
      if (headerBytes(ip_version, tcp_timestamps) === gap) return { ip_version, tcp_timestamps }
    }
  }
  return null
}

function softwareOf(run: RunRow): Record<string, unknown> {
  if (run.software === null) return {}
  try {
    const parsed: unknown = JSON.parse(run.software)
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

function familyOf(value: unknown): 4 | 6 | null {
  const text = String(value ?? '').replace(/^ipv/i, '')
  return text === '4' ? 4 : text === '6' ? 6 : null
}

/** 6 when a host label is an IPv6 literal (not an IPv4-mapped ::ffff:a.b.c.d). */
function familyFromHosts(run: RunRow): 4 | 6 | null {
  const hosts = [run.destination_host, run.source_host].filter((h): h is string => h !== null)
  if (hosts.some((h) => h.includes(':') && !/^::ffff:\d/i.test(h.replace(/^\[|\]$/g, '')))) return 6
  if (hosts.some((h) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h))) return 4
  return null
}

function declaredEncapsulation(software: Record<string, unknown>): number | null {
  const kind = String(software.encapsulation ?? '').toLowerCase()
  const extra = familyOf(software.underlay_ip) === 6 ? IPV6_EXTRA_BYTES : 0
  if (kind === 'vxlan' || kind === 'geneve') return ENCAPSULATION_BYTES[kind] + extra
  if (kind === 'none') return 0
  return null
}

function vlanTagsOf(value: unknown): number {
  const n = Number(value ?? 0)
  return Number.isInteger(n) && n >= 0 && n <= 2 ? n : 0
}

/** Payload share of line rate for an interface MTU, optionally inside an overlay on `linkMtu`. */
export function payloadFraction(mtu: number, linkMtu?: number | null): number {
  const frame = (linkMtu != null && mtu < linkMtu ? linkMtu : mtu) + ETHERNET_OVERHEAD_BYTES
  return (mtu - TCP_IPV4_TIMESTAMPS_BYTES) / frame
}

/** MTU implied by a TCP MSS with timestamps (IPv4 MSS + 52, IPv6 + 72), or null when implausible. */
export function mtuFromMss(mss: number | null, ipVersion: 4 | 6 = 4): number | null {
  if (mss === null || !Number.isFinite(mss)) return null
  const mtu = mss + headerBytes(ipVersion, true)
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
