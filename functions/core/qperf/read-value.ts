import { QPERF_UNITS, scaleDecimal } from './units.ts'
import type { QperfUnitFamily, SiUnit } from './units.ts'

/** A printed qperf value read into SI, or why it could not be. */
export type QperfValue =
  | {
      kind: 'number'
      value: number
      si: SiUnit
      family: QperfUnitFamily
      unit: string
      /** qperf rounded it to PRECISION significant digits (sizes/counts in KB, thousand…). */
      rounded: boolean
      /** Set when the printed binary size disagrees with its raw count (the count is kept). */
      mismatch?: string
    }
  | { kind: 'text'; text: string }
  | {
      kind: 'problem'
      code: 'unknown-unit' | 'unparsed-value' | 'non-finite-number' | 'negative-value'
      detail: string
    }

/** Fields qperf prints with `view_strn` (conf test, `-vu` id/static_rate): strings, not numbers. */
const TEXT_FIELD = /^(?:loc_|rem_)?(?:node|cpu|os|qperf|id|static_rate)$/

// number (commify groups of 3, or plain with -uu), optional unit, optional "(raw count)"
const NUMBER =
  /^(-?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:[ \t]+(.*?))?(?:[ \t]+\((\d{1,3}(?:,\d{3})+|\d+)\))?$/

/**
 * Read one printed value (`1.27 GB/sec`, `41,623`, `64 KiB (65,536)`, `90.5 % cpus`) for the
 * field `name`. Binary sizes trust the raw count in parentheses. Never returns NaN, Infinity or a
 * negative number: those come back as problems so the caller can warn and store null.
 */
export function readValue(name: string, printed: string): QperfValue {
  if (TEXT_FIELD.test(name)) return { kind: 'text', text: printed }
  const match = NUMBER.exec(printed)
  if (!match)
    return {
      kind: 'problem',
      code: 'unparsed-value',
      detail: `value '${printed}' is not a qperf number`,
    }
  const [, sign, digitsWithCommas, unitText = '', rawCount] = match
  const unit = QPERF_UNITS.get(unitText)
  if (!unit) return { kind: 'problem', code: 'unknown-unit', detail: `unknown unit '${unitText}'` }
  if (sign === '-')
    return { kind: 'problem', code: 'negative-value', detail: `negative value '${printed}'` }
  if (rawCount !== undefined && unit.family !== 'binary-size') {
    return {
      kind: 'problem',
      code: 'unparsed-value',
      detail: `unexpected '(${rawCount})' after unit '${unitText}'`,
    }
  }
  const digits = digitsWithCommas.replaceAll(',', '')
  let value: number | null
  let mismatch: string | undefined
  if (unit.family === 'binary-size') {
    const computed = binary(digits, unit.binaryPow)
    value = rawCount !== undefined ? scaleDecimal(rawCount.replaceAll(',', ''), 0) : computed
    if (rawCount !== undefined && value !== computed) {
      mismatch = `'${digitsWithCommas} ${unitText}' is ${computed} bytes but the raw count is ${rawCount}; kept the raw count`
    }
  } else {
    value = scaleDecimal(digits, unit.exp10)
  }
  if (value === null)
    return {
      kind: 'problem',
      code: 'non-finite-number',
      detail: `value '${printed}' does not fit a number`,
    }
  // sizes and counts in KB/thousand… are rounded by qperf to PRECISION significant digits
  const rounded = (unit.family === 'size' || unit.family === 'count') && unit.exp10 > 0
  const read = {
    kind: 'number' as const,
    value,
    si: unit.si,
    family: unit.family,
    unit: unitText,
    rounded,
  }
  return mismatch === undefined ? read : { ...read, mismatch }
}

function binary(digits: string, pow: number): number | null {
  const value = Number(digits) * 1024 ** pow
  return Number.isFinite(value) ? value : null
}
