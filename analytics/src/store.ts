import { readState, writeState, type AppState } from './state.ts'

/** The app state, mirrored into the URL (replaceState) so every view is a shareable link. */
type Listener = (state: AppState) => void

let current: AppState = readState(location.search)
const listeners = new Set<Listener>()

/** The current state. */
export function getState(): AppState {
  return current
}

/** Merge a change, update the URL, and notify listeners unless `silent` (e.g. cell edits). */
export function setState(change: Partial<AppState>, options: { silent?: boolean } = {}): void {
  current = { ...current, ...change }
  history.replaceState(null, '', writeState(current))
  if (!options.silent) for (const listener of listeners) listener(current)
}

/** Be told when the state changes. */
export function subscribe(listener: Listener): void {
  listeners.add(listener)
}
