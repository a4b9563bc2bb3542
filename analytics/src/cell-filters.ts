import type { Filters } from './state.ts'
import { NO_CAMPAIGN } from '#sql/dataset-views.ts'

/** The filter bar as SQL a cell runs with: the cell's own SQL, scoped, and the values to bind. */
export interface ScopedSql {
  sql: string
  params: unknown[]
  /** What the scope restricts, for the cell to show ("platform = openstack"); empty when none. */
  description: string[]
}

const COLUMNS: Array<[keyof Filters, string, string]> = [
  ['platform', 'platform', '='],
  ['scenario', 'scenario', '='],
  ['hardware_profile', 'hardware_profile', '='],
  ['campaign', 'campaign', '='],
  ['date_from', 'date', '>='],
  ['date_to', 'date', '<='],
]

/**
 * Apply the filter bar to a cell: when any filter is set, the cell's query gets CTEs named `runs`,
 * `intervals` and `metrics` that shadow the lake's views (`main.runs`...) with only the selected
 * runs, so `SELECT ... FROM runs` means "the runs the filter bar shows". The values are bound as
 * parameters (`$1..$n`), never interpolated. A cell that starts with its own `WITH` keeps it:
 * the scope's CTEs are prepended to its list.
 */
export function scopeCellSql(sql: string, filters: Filters): ScopedSql {
  const active = COLUMNS.filter(([key]) => filters[key] !== '')
  if (active.length === 0) return { sql, params: [], description: [] }
  // "no campaign" is `campaign IS NULL`, with nothing to bind; every other filter binds its value.
  const none = ([key]: (typeof COLUMNS)[number]) =>
    key === 'campaign' && filters[key] === NO_CAMPAIGN
  const bound = active.filter((c) => !none(c))
  const where = active
    .map((c) => (none(c) ? `${c[1]} IS NULL` : `${c[1]} ${c[2]} $${bound.indexOf(c) + 1}`))
    .join(' AND ')
  const ctes = [
    `runs AS (SELECT * FROM main.runs WHERE ${where})`,
    'intervals AS (SELECT * FROM main.intervals WHERE run_id IN (SELECT run_id FROM runs))',
    'metrics AS (SELECT * FROM main.metrics WHERE run_id IN (SELECT run_id FROM runs))',
  ].join(',\n  ')
  const body = sql.trim().replace(/;+\s*$/, '')
  const own = /^with\s+(recursive\s+)?/i.exec(body)
  const scoped = own
    ? `WITH ${own[1] ?? ''}${ctes},\n${body.slice(own[0].length)}`
    : `WITH ${ctes}\n${body}`
  return {
    sql: scoped,
    params: bound.map(([key]) => filters[key]),
    description: active.map((c) =>
      none(c) ? `${c[1]} is not set` : `${c[1]} ${c[2]} ${filters[c[0]]}`,
    ),
  }
}
