import type { RunRow } from '#schemas/tables.ts'
import { lineRateCeiling } from './ceiling.ts'

/** What limited one run's throughput. */
export type Limit = 'cpu' | 'ceiling' | 'loss' | 'unknown'

/**
 * A side's CPU at or above this share of one core (iperf3 `cpu_utilization_percent`, user +
 * system time of the process) marks the run CPU-bound. iperf3 misses softirq time spent outside
 * its process (ksoftirqd, other cores' interrupts), so the real load is higher than it reports.
 */
export const CPU_BOUND_PERCENT = 90
/**
 * When both ends are pinned to the same single core (`software.cpu_pin` "N,N", as the lab does),
 * they share one core's budget and the softirq work of the whole path lands on it too: the run is
 * CPU-bound when the two processes together show at least this much of that core.
 */
export const SHARED_CORE_PERCENT = 50
/** ceiling_fraction at or above this marks the run as at its line-rate ceiling. */
export const CEILING_BOUND_FRACTION = 0.95
/** Retransmitted segments per segment sent at or above this (0.1%) mark the run loss-limited. */
export const LOSS_BOUND_RATE = 0.001

/** The bottleneck of one run and the figures it rests on. */
export interface RunLimit {
  run_id: string | null
  /** First that applies, in this order: ceiling, cpu, loss, else unknown. */
  limited_by: Limit
  /** Every rule that fired, in words. */
  signals: string[]
  /** Sender / receiver process CPU, percent of one core (from local/remote by direction). */
  sender_cpu_percent: number | null
  receiver_cpu_percent: number | null
  /** (local + remote CPU percent) / throughput in Gbit/s: both ends' CPU per Gbit/s. */
  cpu_percent_per_gbps: number | null
  /** Retransmits / (sender bytes / MSS). */
  retransmit_rate: number | null
  ceiling_fraction: number | null
}

/** The bottleneck of a set of runs. */
export interface SetLimit {
  /** The limit more than half of the runs share, else 'mixed'; 'unknown' for no runs. */
  limited_by: Limit | 'mixed'
  counts: Record<Limit, number>
  cpu_percent_per_gbps_median: number | null
  runs: RunLimit[]
}

/** Classifies one TCP throughput run (see the thresholds above). */
export function limitOfRun(run: RunRow): RunLimit {
  const signals: string[] = []
  const local = finite(run.cpu_local_percent)
  const remote = finite(run.cpu_remote_percent)
  const sender = run.direction === 'reverse' ? remote : run.direction === 'bidir' ? null : local
  const receiver = run.direction === 'reverse' ? local : run.direction === 'bidir' ? null : remote
  const gbps =
    run.throughput_bps !== null && run.throughput_bps > 0 ? run.throughput_bps / 1e9 : null
  const cpuSum = local !== null && remote !== null ? local + remote : null
  const ceiling = run.ceiling_fraction ?? lineRateCeiling(run).ceiling_fraction

  const atCeiling = ceiling !== null && ceiling >= CEILING_BOUND_FRACTION
  if (atCeiling)
    signals.push(`at ${pct(ceiling)} of the line-rate ceiling (≥ ${pct(CEILING_BOUND_FRACTION)})`)

  let cpuBound = false
  for (const [side, value] of [
    ['local', local],
    ['remote', remote],
  ] as const) {
    if (value !== null && value >= CPU_BOUND_PERCENT) {
      cpuBound = true
      signals.push(`${side} CPU ${round(value)}% of one core (≥ ${CPU_BOUND_PERCENT}%)`)
    }
  }
  if (!cpuBound && sharesOneCore(run) && cpuSum !== null && cpuSum >= SHARED_CORE_PERCENT) {
    cpuBound = true
    signals.push(
      `both ends pinned to one core (cpu_pin ${pinOf(run)}) and together ${round(cpuSum)}% of it (≥ ${SHARED_CORE_PERCENT}%; softirq time is not counted by iperf3)`,
    )
  }

  const retransmitRate = retransmitRateOf(run)
  const lossy = retransmitRate !== null && retransmitRate >= LOSS_BOUND_RATE
  if (lossy)
    signals.push(`retransmit rate ${pct(retransmitRate)} of segments (≥ ${pct(LOSS_BOUND_RATE)})`)

  return {
    run_id: run.run_id,
    limited_by: atCeiling ? 'ceiling' : cpuBound ? 'cpu' : lossy ? 'loss' : 'unknown',
    signals,
    sender_cpu_percent: sender,
    receiver_cpu_percent: receiver,
    cpu_percent_per_gbps: cpuSum !== null && gbps !== null ? cpuSum / gbps : null,
    retransmit_rate: retransmitRate,
    ceiling_fraction: ceiling,
  }
}

/** Classifies each run and the set (majority label, else 'mixed'); runs listed by run_id. */
export function limitOfSet(runs: readonly RunRow[]): SetLimit {
  const limits = runs
    .map(limitOfRun)
    .sort((a, b) => (a.run_id ?? '\uffff').localeCompare(b.run_id ?? '\uffff'))
  const counts: Record<Limit, number> = { cpu: 0, ceiling: 0, loss: 0, unknown: 0 }
  for (const l of limits) counts[l.limited_by]++
  const top = (Object.keys(counts) as Limit[]).find((k) => counts[k] * 2 > limits.length)
  const costs = limits
    .map((l) => l.cpu_percent_per_gbps)
    .filter((c): c is number => c !== null)
    .sort((a, b) => a - b)
  const mid = (costs.length - 1) / 2
  return {
    limited_by: limits.length === 0 ? 'unknown' : (top ?? 'mixed'),
    counts,
    cpu_percent_per_gbps_median:
      costs.length === 0 ? null : (costs[Math.floor(mid)] + costs[Math.ceil(mid)]) / 2,
    runs: limits,
  }
}

/** Retransmitted segments per segment sent; MSS from the run, else MTU − 52, else 1448. */
export function retransmitRateOf(run: RunRow): number | null {
  if (run.retransmits === null || run.sender_bytes === null || !(run.sender_bytes > 0)) return null
  const mss = run.tcp_mss_bytes ?? (run.mtu !== null ? run.mtu - 52 : 1448)
  return run.retransmits / (run.sender_bytes / mss)
}

/** `software.cpu_pin` of the form "N,N": client and server on the same single CPU. */
function sharesOneCore(run: RunRow): boolean {
  const pin = pinOf(run)
  const m = pin === null ? null : /^(\d+),(\d+)$/.exec(pin)
  return m !== null && m[1] === m[2]
}

function pinOf(run: RunRow): string | null {
  if (run.software === null) return null
  try {
    const software: unknown = JSON.parse(run.software)
    if (typeof software === 'object' && software !== null && 'cpu_pin' in software) {
      const pin = (software as { cpu_pin: unknown }).cpu_pin
      return typeof pin === 'string' ? pin : null
    }
  } catch {
    return null
  }
  return null
}

function finite(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null
}

function round(x: number): number {
  return Number(x.toPrecision(3))
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`
}
