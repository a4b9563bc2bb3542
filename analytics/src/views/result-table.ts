import type { QueryResult } from '../db.ts'
import { columnUnit, formatColumnValue } from '../format.ts'
import { MISSING } from '#core/units.ts'
import { h } from './dom.ts'

/** Rows shown at most; the rest are counted, not rendered (use export for all of them). */
export const MAX_TABLE_ROWS = 500

/**
 * A result as a table whose header shows each column's name, unit and type. Numbers are shown in
 * human units (Gbit/s, µs, %) from the column name's suffix; the exact value is the cell's
 * `title` (tooltip) and `data-value`, and exports always carry exact values.
 */
export function resultTable(
  result: QueryResult,
  options: {
    /** How a NULL cell reads: 'NULL' in SQL cells, '–' in the pages (no value, e.g. no CI). */
    missing?: 'NULL' | typeof MISSING
  } = {},
): HTMLElement {
  const missing = options.missing ?? 'NULL'
  const head = h(
    'tr',
    {},
    ...result.columns.map((c) => {
      const unit = columnUnit(c.name)
      return h(
        'th',
        { scope: 'col' },
        h('span', { class: 'name' }, c.name),
        h('small', { class: 'type' }, c.type),
        ...(unit
          ? [
              h(
                'small',
                { class: 'unit' },
                `shown in ${unit === 'fraction' ? '%' : unit === 'bit/s' ? 'bit/s (scaled)' : unit === 's' ? 'seconds (scaled)' : unit}`,
              ),
            ]
          : []),
      )
    }),
  )
  const body = h('tbody')
  for (const row of result.rows.slice(0, MAX_TABLE_ROWS)) {
    body.append(
      h(
        'tr',
        {},
        ...result.columns.map((c) => {
          const value = row[c.name]
          if (value === null || value === undefined)
            return h('td', { class: 'missing', 'data-missing': '' }, missing)
          const { text, exact } = formatColumnValue(c.name, value)
          const numeric = typeof value === 'number'
          return h(
            'td',
            exact === null
              ? {}
              : { title: exact, 'data-value': exact, class: numeric ? 'num' : '' },
            text,
          )
        }),
      ),
    )
  }
  const shown = Math.min(result.rows.length, MAX_TABLE_ROWS)
  const caption = h(
    'caption',
    {},
    `${result.rows.length} rows${shown < result.rows.length ? ` (first ${shown} shown)` : ''} · ${result.elapsedMs.toFixed(0)} ms · hover a number for its exact value`,
  )
  const table = h(
    'table',
    { class: 'result', 'data-rows': String(result.rows.length) },
    caption,
    h('thead', {}, head),
    body,
  )
  return h('div', { class: 'table-wrap' }, table)
}
