import { formatCell, MISSING } from '#core/units.ts'

/** Options of `renderTable`. */
export interface TableOptions {
  /** Exact values (no unit scaling): numbers as JavaScript prints them. */
  raw?: boolean
  /** Columns to right-align (default: those holding numbers). */
  right?: ReadonlySet<string>
}

/**
 * Rows as an aligned plain-text table: a header, a rule, one line per row; numbers right-aligned,
 * units scaled from the column name (`_bps` → Gbit/s, `_s` → µs/ms/s, `_percent` → %), unless raw.
 */
export function renderTable(
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
  options: TableOptions = {},
): string {
  const cells = rows.map((row) =>
    columns.map((c) => (options.raw ? rawCell(row[c]) : formatCell(c, row[c]))),
  )
  const right = columns.map((c) =>
    options.right
      ? options.right.has(c)
      : rows.some((row) => typeof row[c] === 'number' || typeof row[c] === 'bigint'),
  )
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((line) => line[i].length)))
  const pad = (text: string, i: number) =>
    right[i] ? text.padStart(widths[i]) : text.padEnd(widths[i])
  const line = (parts: string[]) => parts.map(pad).join('  ').trimEnd()
  return [line([...columns]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join(
    '\n',
  )
}

function rawCell(value: unknown): string {
  if (value === null || value === undefined) return MISSING
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** One CSV line (RFC 4180 quoting); null is an empty field; values exact. */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',')
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
