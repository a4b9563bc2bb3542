/**
 * qperf's printed unit strings (`qperf.c` `view_*`, 0.4.9–0.4.11) and their SI conversion. Scales
 * are powers of ten applied to the printed decimal string, so `1.27 GB/sec` becomes exactly
 * `1.27e9` B/s (no binary floating-point multiply). Case matters: `MB/sec` is megabytes,
 * `Mb/sec` (with `-ub`) megabits. Only the size forms `KiB`…`TiB` are binary.
 */
export type QperfUnitFamily =
  'time' | 'bandwidth' | 'bits' | 'rate' | 'size' | 'binary-size' | 'count' | 'cpus' | 'cost'

/** SI unit of a metric value (the `metrics.unit` column). */
export type SiUnit = 's' | 'B' | 'B/s' | 'bit/s' | '1/s' | 'percent' | 's/B' | 'count'

/** How one printed unit converts: value_si = printed × 10^exp10 (× 1024^binaryPow for *iB). */
export interface QperfUnit {
  family: QperfUnitFamily
  si: SiUnit
  exp10: number
  binaryPow: number
}

const unit = (family: QperfUnitFamily, si: SiUnit, exp10: number, binaryPow = 0): QperfUnit => ({
  family,
  si,
  exp10,
  binaryPow,
})

/** Every unit string qperf prints, keyed exactly as printed. `''` is a plain count (`41,623 `). */
export const QPERF_UNITS: ReadonlyMap<string, QperfUnit> = new Map([
  ['ns', unit('time', 's', -9)],
  ['us', unit('time', 's', -6)],
  ['ms', unit('time', 's', -3)],
  ['sec', unit('time', 's', 0)],
  ['bytes/sec', unit('bandwidth', 'B/s', 0)],
  ['KB/sec', unit('bandwidth', 'B/s', 3)],
  ['MB/sec', unit('bandwidth', 'B/s', 6)],
  ['GB/sec', unit('bandwidth', 'B/s', 9)],
  ['TB/sec', unit('bandwidth', 'B/s', 12)],
  ['bits/sec', unit('bits', 'bit/s', 0)],
  ['Kb/sec', unit('bits', 'bit/s', 3)],
  ['Mb/sec', unit('bits', 'bit/s', 6)],
  ['Gb/sec', unit('bits', 'bit/s', 9)],
  ['Tb/sec', unit('bits', 'bit/s', 12)],
  ['/sec', unit('rate', '1/s', 0)],
  ['K/sec', unit('rate', '1/s', 3)],
  ['M/sec', unit('rate', '1/s', 6)],
  ['G/sec', unit('rate', '1/s', 9)],
  ['T/sec', unit('rate', '1/s', 12)],
  ['bytes', unit('size', 'B', 0)],
  ['KB', unit('size', 'B', 3)],
  ['MB', unit('size', 'B', 6)],
  ['GB', unit('size', 'B', 9)],
  ['TB', unit('size', 'B', 12)],
  ['KiB', unit('binary-size', 'B', 0, 1)],
  ['MiB', unit('binary-size', 'B', 0, 2)],
  ['GiB', unit('binary-size', 'B', 0, 3)],
  ['TiB', unit('binary-size', 'B', 0, 4)],
  ['', unit('count', 'count', 0)],
  ['thousand', unit('count', 'count', 3)],
  ['million', unit('count', 'count', 6)],
  ['billion', unit('count', 'count', 9)],
  ['trillion', unit('count', 'count', 12)],
  ['% cpus', unit('cpus', 'percent', 0)],
  // cost: seconds of CPU per decimal gigabyte (calc_results uses gB = 1e9) → s/B
  ['ns/GB', unit('cost', 's/B', -18)],
  ['us/GB', unit('cost', 's/B', -15)],
  ['ms/GB', unit('cost', 's/B', -12)],
  ['sec/GB', unit('cost', 's/B', -9)],
])

/**
 * A printed decimal (commas already removed, e.g. `1.27`) scaled by 10^exp10, parsed once so the
 * result is the correctly rounded double of the exact decimal. Returns null when not finite.
 */
export function scaleDecimal(digits: string, exp10: number): number | null {
  const value = Number(exp10 === 0 ? digits : `${digits}e${exp10}`)
  return Number.isFinite(value) ? value : null
}
