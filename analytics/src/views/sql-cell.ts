import { exportQuery, QueryCancelledError, runQuery } from '../db.ts'
import { scopeCellSql } from '../cell-filters.ts'
import type { Filters } from '../state.ts'
import { createSqlEditor, type SqlSchema } from './editor.ts'
import { errorText, h, statusLine } from './dom.ts'
import { resultTable } from './result-table.ts'
import { resultChart } from './result-chart.ts'

/** Query timeouts a cell offers, in seconds. */
export const TIMEOUTS_S = [10, 30, 120, 600]

/** One SQL cell: editor, Run/Cancel, timeout, CSV/Parquet export, result table and chart. */
export function sqlCell(options: {
  index: number
  sql: string
  schema: SqlSchema
  ready: () => Promise<unknown>
  /** The filter bar: when set, the cell's `runs`, `intervals`, `metrics` are restricted to it. */
  filters: Filters
  /** Run as soon as the cell is shown (a shared link's cells). */
  autorun?: boolean
  onChange: (sql: string) => void
  /** The chart settings from the URL ('' = automatic), and where changes go. */
  chart?: string
  onChartChange?: (encoded: string) => void
  onRemove: () => void
}): HTMLElement {
  let text = options.sql
  let running: AbortController | null = null
  const editorHost = h('div', { class: 'editor' })
  const output = h('div', { class: 'cell-output' })
  const runButton = h('button', { type: 'button', class: 'run' }, 'Run ▶ (Ctrl-Enter)')
  const cancelButton = h('button', { type: 'button', class: 'cancel', disabled: '' }, 'Cancel')
  const timeout = h(
    'select',
    { class: 'timeout', title: 'query timeout' },
    ...TIMEOUTS_S.map((s) => h('option', { value: String(s) }, `timeout ${s} s`)),
  )
  timeout.value = '30'
  const csv = h('button', { type: 'button', class: 'export-csv' }, 'CSV ⬇')
  const parquet = h('button', { type: 'button', class: 'export-parquet' }, 'Parquet ⬇')
  const remove = h('button', { type: 'button', class: 'remove', title: 'remove cell' }, '✕')

  const run = async () => {
    running?.abort()
    const controller = new AbortController()
    running = controller
    cancelButton.removeAttribute('disabled')
    output.replaceChildren(
      statusLine('loading', 'Running… (reading Parquet over HTTP range requests)'),
    )
    try {
      await options.ready()
      const scoped = scopeCellSql(text, options.filters)
      const result = await runQuery(scoped.sql, scoped.params, {
        timeoutMs: Number(timeout.value) * 1000,
        signal: controller.signal,
      })
      if (running !== controller) return
      output.replaceChildren(
        result.rows.length === 0
          ? statusLine('empty', 'The query returned no rows.')
          : resultChart(result, { initial: options.chart, onChange: options.onChartChange }),
        resultTable(result),
      )
    } catch (error) {
      if (running !== controller) return
      const kind = error instanceof QueryCancelledError ? 'cancelled' : 'error'
      output.replaceChildren(
        h('pre', { class: 'error', 'data-kind': kind, role: 'alert' }, errorText(error)),
      )
    } finally {
      if (running === controller) {
        running = null
        cancelButton.setAttribute('disabled', '')
      }
    }
  }
  const download = async (format: 'csv' | 'parquet') => {
    try {
      await options.ready()
      const scoped = scopeCellSql(text, options.filters)
      const bytes = await exportQuery(scoped.sql, format, scoped.params)
      const url = URL.createObjectURL(new Blob([bytes as BlobPart]))
      const a = h('a', { href: url, download: `netlake-cell-${options.index + 1}.${format}` })
      a.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (error) {
      output.replaceChildren(
        h('pre', { class: 'error', 'data-kind': 'error', role: 'alert' }, errorText(error)),
      )
    }
  }
  runButton.addEventListener('click', () => void run())
  cancelButton.addEventListener('click', () => running?.abort())
  csv.addEventListener('click', () => void download('csv'))
  parquet.addEventListener('click', () => void download('parquet'))
  remove.addEventListener('click', options.onRemove)

  const scope = scopeCellSql('', options.filters).description
  const cell = h(
    'section',
    { class: 'cell', 'data-cell': String(options.index) },
    ...(scope.length > 0
      ? [
          h(
            'p',
            { class: 'cell-scope', 'data-scope': scope.join(' AND ') },
            `Filter bar applies: runs, intervals and metrics in this cell are only the runs with ${scope.join(' AND ')} (the whole lake stays readable as main.runs, main.intervals, main.metrics).`,
          ),
        ]
      : []),
    editorHost,
    h('div', { class: 'cell-toolbar' }, runButton, cancelButton, timeout, csv, parquet, remove),
    output,
  )
  createSqlEditor({
    parent: editorHost,
    doc: text,
    schema: options.schema,
    onRun: () => void run(),
    onChange: (value) => {
      text = value
      options.onChange(value)
    },
  })
  if (options.autorun) void run()
  return cell
}
