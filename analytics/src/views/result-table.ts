import type { QueryResult } from '../db.ts'
import { formatCell } from '../format.ts'
import { h } from './dom.ts'

/** Rows shown at most; the rest are counted, not rendered (use export for all of them). */
export const MAX_TABLE_ROWS = 500

/** A result as a table whose header shows each column's name and type. */
export function resultTable(result: QueryResult): HTMLElement {
  const head = h(
    'tr',
    {},
    ...result.columns.map((c) =>
      h(
        'th',
        { scope: 'col' },
        h('span', { class: 'name' }, c.name),
        h('small', { class: 'type' }, c.type),
      ),
    ),
  )
  const body = h('tbody')
  for (const row of result.rows.slice(0, MAX_TABLE_ROWS)) {
    body.append(h('tr', {}, ...result.columns.map((c) => h('td', {}, formatCell(row[c.name])))))
  }
  const shown = Math.min(result.rows.length, MAX_TABLE_ROWS)
  const caption = h(
    'caption',
    {},
    `${result.rows.length} rows${shown < result.rows.length ? ` (first ${shown} shown)` : ''} · ${result.elapsedMs.toFixed(0)} ms`,
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
