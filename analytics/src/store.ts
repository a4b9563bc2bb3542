import { readState, writeState, type AppState } from './state.ts'

/** The app state, mirrored into the URL (replaceState) so every view is a shareable link. */
type Listener = (state: AppState) => void

let current: AppState = readState(location.search)
const listeners = new Set<Listener>()

/** The current state. */
export function getState(): AppState {
  return current
}

/**
 * Merge a change, update the URL, and notify listeners unless `silent` (e.g. cell edits). `push`
 * makes a history entry (a page change), so the browser's Back button returns to the last view.
 */
export function setState(
  change: Partial<AppState>,
  options: { silent?: boolean; push?: boolean } = {},
): void {
  current = { ...current, ...change }
  if (options.push) history.pushState(null, '', writeState(current))
  else history.replaceState(null, '', writeState(current))
  if (!options.silent) notify()
}

function notify(): void {
  for (const listener of listeners) listener(current)
}

// Back and Forward (or a link the app pushes) show the view in the URL without reloading the lake.
addEventListener('popstate', () => {
  current = readState(location.search)
  notify()
})

/** Be told when the state changes. */
export function subscribe(listener: Listener): void {
  listeners.add(listener)
}
