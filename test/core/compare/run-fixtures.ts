import { emptyRunRow } from '#core/rows.ts'
import type { RunRow } from '#schemas/tables.ts'

/** A typical iperf3 TCP run on a 10G, 1500-byte link; every other column null. */
export function tcpRun(overrides: Partial<RunRow> = {}): RunRow {
  return {
    ...emptyRunRow(),
    tool: 'iperf3',
    tool_version: '3.12',
    test: 'tcp',
    status: 'ok',
    protocol: 'tcp',
    direction: 'forward',
    streams: 1,
    duration_s: 10,
    msg_size_bytes: 131072,
    platform: 'baremetal',
    scenario: 'baseline',
    hardware_profile: 'r740-10g',
    nic_speed_bps: 10e9,
    link_mtu: 1500,
    mtu: 1500,
    ...overrides,
  }
}
