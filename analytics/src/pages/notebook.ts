import { TABLES } from '#schemas/tables.ts'
import { getState, setState } from '../store.ts'
import { DEFAULT_CELL } from '../state.ts'
import { h } from '../views/dom.ts'
import { sqlCell } from '../views/sql-cell.ts'
import type { Page } from './page.ts'

const SCHEMA = Object.fromEntries(
  Object.entries(TABLES).map(([name, t]) => [name, Object.keys(t.shape)]),
)

/** SQL cells over `runs`, `intervals` and `metrics`; their SQL lives in the URL. */
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
        'Tables: runs, intervals, metrics (see schemas/tables.ts). Ctrl-Enter runs a cell; the SQL is kept in the link.',
      ),
      list,
      add,
    )
    const draw = () => {
      const cells = getState().cells
      list.replaceChildren(
        ...cells.map((sql, index) =>
          sqlCell({
            index,
            sql,
            schema: SCHEMA,
            ready: context.ready,
            onChange: (value) => {
              const next = [...getState().cells]
              next[index] = value
              setState({ cells: next }, { silent: true })
            },
            onRemove: () => {
              const next = getState().cells.filter((_, i) => i !== index)
              setState({ cells: next.length > 0 ? next : [DEFAULT_CELL] }, { silent: true })
              draw()
            },
          }),
        ),
      )
    }
    add.addEventListener('click', () => {
      setState({ cells: [...getState().cells, 'SELECT * FROM runs LIMIT 10'] }, { silent: true })
      draw()
    })
    draw()
  },
}
