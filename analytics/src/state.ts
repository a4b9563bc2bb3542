/** Everything a shareable link carries: page, filters, chosen run and the SQL cells. */
export interface AppState {
  page: string
  filters: Filters
  run: string
  cells: string[]
  /** Chart settings of each cell, in cell order: `x|y|colour|mark`, '' for the automatic choice. */
  charts: string[]
}

/** The filters every built-in page binds to its query. */
export interface Filters {
  platform: string
  scenario: string
  hardware_profile: string
  campaign: string
  date_from: string
  date_to: string
}

/** URL parameter name of each filter. */
export const FILTER_PARAMS: Record<keyof Filters, string> = {
  platform: 'platform',
  scenario: 'scenario',
  hardware_profile: 'hw',
  campaign: 'campaign',
  date_from: 'from',
  date_to: 'to',
}

/** The first cell of an empty notebook. */
export const DEFAULT_CELL =
  "SELECT platform, scenario, count(*) AS runs, median(throughput_bps) / 1e9 AS median_gbps\nFROM runs\nWHERE tool = 'iperf3' AND status = 'ok'\nGROUP BY ALL\nORDER BY median_gbps DESC"

/** Read the state from a query string (`location.search`). */
export function readState(search: string): AppState {
  const q = new URLSearchParams(search)
  const filters = {} as Filters
  for (const [key, param] of Object.entries(FILTER_PARAMS)) {
    filters[key as keyof Filters] = q.get(param) ?? ''
  }
  const cells = q.getAll('sql')
  return {
    page: q.get('page') ?? 'throughput',
    filters,
    run: q.get('run') ?? '',
    cells: cells.length > 0 ? cells : [DEFAULT_CELL],
    charts: q.getAll('chart'),
  }
}

/** Write the state as a query string; empty values are left out so links stay short. */
export function writeState(state: AppState): string {
  const q = new URLSearchParams()
  q.set('page', state.page)
  for (const [key, param] of Object.entries(FILTER_PARAMS)) {
    const value = state.filters[key as keyof Filters]
    if (value) q.set(param, value)
  }
  if (state.run) q.set('run', state.run)
  if (state.page === 'sql') {
    for (const cell of state.cells) q.append('sql', cell)
    // written for every cell (or none) so the n-th chart belongs to the n-th cell
    const charts = state.cells.map((_, i) => state.charts[i] ?? '')
    if (charts.some(Boolean)) for (const chart of charts) q.append('chart', chart)
  }
  return `?${q.toString()}`
}
