import './style.css'
import { loadDatasets, showLakeProgress } from './datasets.ts'
import { runNamedQuery } from './queries.ts'
import { getState, setState, subscribe } from './store.ts'
import type { AppState } from './state.ts'
import { errorText, h } from './views/dom.ts'
import { filterBar, type FilterOptions } from './views/filters.ts'
import { lazyPage, type Page } from './pages/page.ts'
import { throughputPage } from './pages/throughput.ts'
import { latencyPage } from './pages/latency.ts'
import { platformsPage } from './pages/platforms.ts'
import { overheadPage } from './pages/overhead.ts'
import { timeseriesPage } from './pages/timeseries.ts'
import { profilesPage } from './pages/profiles.ts'
import { pathsPage } from './pages/paths.ts'

/** The SQL cells and their editor (CodeMirror, half the notebook's code) load on first visit. */
const notebookPage = lazyPage('sql', 'SQL cells', async () => {
  return (await import('./pages/notebook.ts')).notebookPage
})

/** Entry point: navigation, filters, and the page chosen in the URL. */
const PAGES: Page[] = [
  throughputPage,
  latencyPage,
  platformsPage,
  overheadPage,
  timeseriesPage,
  profilesPage,
  pathsPage,
  notebookPage,
]

const nav = document.getElementById('nav')!
const filtersHost = document.getElementById('filters')!
const status = document.getElementById('status')!
const main = document.getElementById('page')!

/** The lake's views, (re)registered on demand: after a cancelled query the database may be new. */
const ready = () =>
  loadDatasets(showLakeProgress).then(
    (plan) => {
      const mb = (plan.bytes / 1e6).toFixed(2)
      const empty = plan.rows.runs === 0
      status.textContent = empty
        ? 'The lake is empty: no runs yet. Push results (netlake push) and reload.'
        : `Lake ready: ${plan.rows.runs} runs, ${plan.rows.intervals} intervals, ${plan.rows.metrics} metrics in ${plan.files.length} Parquet files (${mb} MB), read on demand with HTTP range requests.`
      const skipped = plan.skipped.map((s) => `${s.key} (${s.reason})`)
      if (skipped.length > 0)
        status.textContent += ` Skipped ${skipped.length} Parquet file${skipped.length === 1 ? '' : 's'} that cannot be read (netlake doctor lists them): ${skipped.join('; ')}`
      status.dataset.state = skipped.length > 0 ? 'skipped' : empty ? 'empty' : 'ready'
      return plan
    },
    (error: unknown) => {
      status.textContent = `Could not open the lake: ${errorText(error)}`
      status.dataset.state = 'error'
      throw error
    },
  )
void ready().catch(() => undefined)

function renderNav(state: AppState): void {
  nav.replaceChildren(
    ...PAGES.map((p) => {
      const link = h('a', { href: `?page=${p.id}`, 'data-page': p.id }, p.title)
      if (p.id === state.page) link.setAttribute('aria-current', 'page')
      link.addEventListener('click', (event) => {
        event.preventDefault()
        setState({ page: p.id }, { push: true })
      })
      return link
    }),
  )
}

/** Resolves when the first page has rendered (or failed to). */
let firstRendered: () => void = () => undefined
const firstRender = new Promise<void>((resolve) => (firstRendered = resolve))

async function renderFilters(): Promise<void> {
  const options: FilterOptions = { platform: [], scenario: [], hardware_profile: [], campaign: [] }
  let shown = JSON.stringify(getState().filters) // what the bar shows
  const draw = () => {
    shown = JSON.stringify(getState().filters)
    const onChange = (filters: AppState['filters']) => {
      shown = JSON.stringify(filters)
      setState({ filters })
    }
    filtersHost.replaceChildren(filterBar(getState().filters, options, onChange))
  }
  // A view restored from history (Back, Forward) may carry other filters than the bar shows
  subscribe((state) => {
    if (JSON.stringify(state.filters) !== shown) draw()
  })
  draw()
  try {
    await ready()
    // DuckDB runs one query at a time: the pickers' values wait for the first chart, not before it
    await firstRender
    const { rows } = await runNamedQuery('run-label-values', {})
    for (const key of Object.keys(options) as Array<keyof FilterOptions>) {
      options[key] = [
        ...new Set(rows.map((r) => r[key]).filter((v): v is string => typeof v === 'string')),
      ].sort()
    }
    draw()
  } catch {
    // the status line already explains why the lake is not readable
  }
}

let rendering = 0
function renderPage(state: AppState): void {
  const page = PAGES.find((p) => p.id === state.page) ?? PAGES[0]
  const mine = ++rendering
  const root = h('div', { class: 'page', 'data-page': page.id })
  main.replaceChildren(root)
  document.title = `${page.title} · netlake`
  void page.render(root, { state, ready }).finally(() => {
    if (mine === rendering) root.dataset.rendered = 'true'
    firstRendered()
  })
}

subscribe((state) => {
  renderNav(state)
  renderPage(state)
})
renderNav(getState())
void renderFilters()
renderPage(getState())
