import type { AppState } from '../state.ts'
import type { QueryResult } from '../db.ts'
import { runNamedQuery } from '../queries.ts'
import { errorText, h, statusLine } from '../views/dom.ts'
import { resultTable } from '../views/result-table.ts'
import { MISSING } from '#core/units.ts'

/** What a page needs to render. */
export interface PageContext {
  state: AppState
  /** Resolves once the datasets are registered (again, after the database was recreated). */
  ready: () => Promise<unknown>
}

/** A built-in page: a title and a renderer into its container. */
export interface Page {
  id: string
  title: string
  render(root: HTMLElement, context: PageContext): Promise<void>
}

/** A page whose code loads on its first visit, keeping heavy dependencies off the first chart. */
export function lazyPage(id: string, title: string, load: () => Promise<Page>): Page {
  return { id, title, render: async (root, context) => (await load()).render(root, context) }
}

/** Heading, a one-line explanation, and a status line the page updates. */
export function pageShell(
  root: HTMLElement,
  title: string,
  about: string,
  query: string,
): HTMLElement {
  const status = statusLine('loading', `Running ${query}.sql…`)
  root.replaceChildren(
    h('h2', {}, title),
    h('p', { class: 'about' }, about, ' ', h('code', {}, `sql/queries/${query}.sql`)),
    status,
  )
  return status
}

/**
 * Run the page's query and hand the rows to `draw`; shows loading, empty and error states, and
 * the result table below the chart.
 */
export async function renderQueryPage(
  root: HTMLElement,
  context: PageContext,
  page: {
    title: string
    about: string
    query: string
    empty: string
    values?: object
    /** The table under the chart (default: the query's rows). */
    table?: (result: QueryResult) => QueryResult
  },
  draw: (result: QueryResult) => Element,
): Promise<void> {
  const status = pageShell(root, page.title, page.about, page.query)
  try {
    await context.ready()
    const result = await runNamedQuery(page.query, page.values ?? context.state.filters)
    if (result.rows.length === 0) {
      status.replaceWith(statusLine('empty', page.empty))
      return
    }
    status.replaceWith(
      statusLine('ok', `${result.rows.length} rows in ${result.elapsedMs.toFixed(0)} ms`),
    )
    root.append(
      draw(result),
      resultTable(page.table ? page.table(result) : result, { missing: MISSING }),
    )
  } catch (error) {
    status.replaceWith(h('pre', { class: 'error', role: 'alert' }, errorText(error)))
  }
}

/** A number column of a result row (null stays null). */
export function num(row: Record<string, unknown>, key: string): number | null {
  const v = row[key]
  return typeof v === 'number' ? v : null
}
