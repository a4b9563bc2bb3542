import { getState, setState } from '../store.ts'
import { DEFAULT_CELL } from '../state.ts'
import { h } from '../views/dom.ts'
import { sqlCell } from '../views/sql-cell.ts'
import { completionSchema, schemaPanel } from '../views/schema-panel.ts'
import type { Page } from './page.ts'

const SCHEMA = completionSchema()

/**
 * SQL cells over `runs`, `intervals` and `metrics`; their SQL lives in the URL. A link that
 * carries cells runs them on open; the filter bar scopes every cell; adding or removing a cell
 * leaves the other cells (and their results) as they are.
 */
export const notebookPage: Page = {
  id: 'sql',
  title: 'SQL cells',
  async render(root, context) {
    const list = h('div', { class: 'cells' })
    const add = h('button', { type: 'button', class: 'add-cell' }, '+ Add cell')
    root.replaceChildren(
      h('h2', {}, 'SQL cells'),
      h(
        'p',
        { class: 'about' },
        'Tables: runs, intervals, metrics, and the views over them (listed below; column names carry their unit, numbers are shown scaled with the exact value on hover; the editor completes table and column names). Ctrl-Enter runs a cell; the SQL is kept in the link, and a link with cells runs them when opened.',
      ),
      schemaPanel(),
      list,
      add,
    )
    const elements: HTMLElement[] = []
    const sqlOf = () => [...getState().cells]
    const chartsOf = () => getState().cells.map((_, i) => getState().charts[i] ?? '')
    const make = (sql: string, autorun: boolean, chart = ''): HTMLElement => {
      const element: HTMLElement = sqlCell({
        chart,
        onChartChange: (encoded) => {
          const charts = chartsOf()
          charts[elements.indexOf(element)] = encoded
          setState({ charts }, { silent: true })
        },
        index: elements.length,
        sql,
        schema: SCHEMA,
        ready: context.ready,
        filters: context.state.filters,
        autorun,
        onChange: (value) => {
          const next = sqlOf()
          next[elements.indexOf(element)] = value
          setState({ cells: next }, { silent: true })
        },
        onRemove: () => {
          const at = elements.indexOf(element)
          const next = sqlOf().filter((_, i) => i !== at)
          const charts = chartsOf().filter((_, i) => i !== at)
          elements.splice(at, 1)
          element.remove()
          if (next.length === 0) {
            next.push(DEFAULT_CELL)
            list.append(track(make(DEFAULT_CELL, false)))
          }
          setState({ cells: next, charts }, { silent: true })
        },
      })
      return element
    }
    const track = (element: HTMLElement) => {
      elements.push(element)
      return element
    }
    const cells = getState().cells
    const shared = !(cells.length === 1 && cells[0] === DEFAULT_CELL)
    const charts = chartsOf()
    cells.forEach((sql, i) => list.append(track(make(sql, shared, charts[i]))))
    add.addEventListener('click', () => {
      const sql = 'SELECT * FROM runs LIMIT 10'
      setState({ cells: [...sqlOf(), sql], charts: [...chartsOf(), ''] }, { silent: true })
      list.append(track(make(sql, false)))
    })
  },
}
