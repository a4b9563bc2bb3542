import type { RunRow } from '#schemas/tables.ts'

/**
 * The comparison key (DESIGN.md §4): the physical setting plus the tool settings. Runs are only
 * compared within one key, so a VXLAN scenario (VM MTU 1450) and its bare-metal baseline (1500)
 * on the same 1500-byte link share a key, while 1G vs 10G or jumbo vs standard links do not.
 *
 * Format, eleven `|`-separated parts in a fixed order, unknown values written as `?`:
 *
 *   `iperf3/3|tcp|p1|d5-30|forward|blk131072|omit2|cc=cubic|link1500|nic10G|hw=r740-10g`
 *
 * 1. tool / major version (iperf3 `3.12` → `3`; qperf `0.4.11` → `0.4`: for 0.x the minor is major)
 * 2. test; when the protocol is not implied by the test name it follows after `:` (`tcp_bw` implies tcp)
 * 3. parallel streams `pN`
 * 4. run length: `bytesN` (-n) or `blocksN` (-k) when set, else the duration class of `duration_s`:
 *    `d<5` (< 5 s), `d5-30` (5 ≤ d < 30), `d30-120` (30 ≤ d ≤ 120), `d>120` (> 120 s)
 * 5. direction (forward | reverse | bidir)
 * 6. message / block size in bytes: `blkN` for iperf3, `msgN` otherwise
 * 7. omitted warm-up `omitN` in seconds (-O; `omit0` without one): a run whose first seconds are
 *    averaged in is not comparable with one that skipped them
 * 8. sender TCP congestion control `cc=NAME` (iperf3 `sender_tcp_congestion`; `cc=?` when the
 *    tool does not report it, e.g. iperf3 before 3.4, qperf): cubic and bbr are different regimes
 * 9. physical link MTU `linkN` (the `link_mtu` label, NOT the interface `mtu`)
 * 10. NIC line rate `nic10G`, `nic1G`, `nic2.5G`, `nic100M`
 * 11. hardware profile `hw=NAME` (always last)
 */
export function comparisonKey(run: RunRow): string | null {
  if (run.tool === null && run.test === null && run.protocol === null) return null
  return [
    toolPart(run),
    testPart(run),
    `p${show(run.streams)}`,
    lengthPart(run),
    show(run.direction),
    `${run.tool === 'iperf3' ? 'blk' : 'msg'}${show(run.msg_size_bytes)}`,
    `omit${run.omit_s === null || !Number.isFinite(run.omit_s) ? '?' : trim(run.omit_s)}`,
    `cc=${show(run.congestion_control === null ? null : run.congestion_control.toLowerCase())}`,
    `link${show(run.link_mtu)}`,
    `nic${run.nic_speed_bps === null ? '?' : formatSpeed(run.nic_speed_bps)}`,
    `hw=${show(run.hardware_profile)}`,
  ].join('|')
}

/** Names of the eleven key parts, in order (the hardware profile is last). */
export const KEY_PARTS = [
  'tool and major version',
  'test / protocol',
  'parallel streams',
  'duration class or byte/block limit',
  'direction',
  'message / block size',
  'omitted warm-up (-O)',
  'congestion control',
  'link MTU',
  'NIC speed',
  'hardware profile',
] as const

/** Lists, in words, which parts of two comparison keys differ (empty when they are equal). */
export function explainKeyMismatch(a: string, b: string): string[] {
  if (a === b) return []
  const left = a.split('|')
  const right = b.split('|')
  if (left.length !== KEY_PARTS.length || right.length !== KEY_PARTS.length) {
    return [`keys are not in the same format: '${a}' vs '${b}'`]
  }
  const reasons: string[] = []
  KEY_PARTS.forEach((name, index) => {
    if (left[index] !== right[index])
      reasons.push(`${name} differs: ${left[index]} vs ${right[index]}`)
  })
  return reasons
}

/** Major version: the first component, or the first two for 0.x versions (qperf 0.4.11 → 0.4). */
export function majorVersion(version: string | null): string {
  if (version === null) return '?'
  const parts = version.trim().split('.')
  if (parts[0] === '' || parts[0] === undefined) return '?'
  return parts[0] === '0' && parts.length > 1 ? `0.${parts[1]}` : parts[0]
}

/** Duration bucket of a requested test length in seconds (see `comparisonKey`). */
export function durationClass(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return 'd?'
  if (seconds < 5) return 'd<5'
  if (seconds < 30) return 'd5-30'
  if (seconds <= 120) return 'd30-120'
  return 'd>120'
}

/** Human NIC speed: 1e10 → `10G`, 2.5e9 → `2.5G`, 1e8 → `100M`. */
export function formatSpeed(bps: number): string {
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ]
  for (const [scale, unit] of units) {
    if (bps >= scale) return `${trim(bps / scale)}${unit}`
  }
  return trim(bps)
}

function toolPart(run: RunRow): string {
  return `${clean(run.tool ?? '?')}/${majorVersion(run.tool_version)}`
}

function testPart(run: RunRow): string {
  const test = run.test === null ? null : clean(run.test)
  const protocol = run.protocol === null ? null : clean(run.protocol)
  if (
    test !== null &&
    (protocol === null || test === protocol || test.startsWith(`${protocol}_`))
  ) {
    return test
  }
  return `${test ?? '?'}:${protocol ?? '?'}`
}

function lengthPart(run: RunRow): string {
  if (run.bytes_limit !== null && run.bytes_limit > 0) return `bytes${run.bytes_limit}`
  if (run.blocks_limit !== null && run.blocks_limit > 0) return `blocks${run.blocks_limit}`
  return durationClass(run.duration_s)
}

function show(value: string | number | null): string {
  return value === null ? '?' : clean(String(value))
}

/** Keeps the key parseable: the separator never appears inside a part. */
function clean(text: string): string {
  return text.replaceAll('|', '/')
}

function trim(value: number): string {
  return String(Number(value.toFixed(3)))
}
