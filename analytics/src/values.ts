/** Arrow values → plain JS: BigInt to number (exact below 2^53), timestamps to ISO strings. */
export function toPlainValue(value: unknown, arrowType: string): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return bigintToNumber(value)
  if (arrowType.startsWith('Timestamp') && typeof value === 'number') {
    return new Date(value).toISOString()
  }
  if (arrowType.startsWith('Date') && typeof value === 'number') {
    return new Date(value).toISOString().slice(0, 10)
  }
  if (arrowType.startsWith('Decimal')) return decimalToNumber(value, arrowType)
  if (value instanceof Date) return value.toISOString()
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>)
  if (typeof value === 'object' && value !== null && 'toJSON' in value) {
    return (value as { toJSON(): unknown }).toJSON()
  }
  return value
}

/** BigInt → number; values beyond 2^53 keep their exact digits as a string. */
export function bigintToNumber(value: bigint): number | string {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : value.toString()
}

function decimalToNumber(value: unknown, arrowType: string): number {
  const scale = Number(/e(-?\d+)|,\s*(\d+)/.exec(arrowType)?.slice(1).find(Boolean) ?? 0)
  return Number(String(value)) / 10 ** Math.abs(scale)
}

/** True for Arrow types that plot on a numeric axis. */
export function isNumericType(arrowType: string): boolean {
  return /^(Int|Uint|Float|Decimal)/.test(arrowType)
}

/** True for Arrow types that plot on a time axis. */
export function isTemporalType(arrowType: string): boolean {
  return /^(Timestamp|Date)/.test(arrowType)
}
