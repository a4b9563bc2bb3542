/** One progress event; `event` names it, the rest is data. Printed as one JSON line with --json. */
export type ProgressEvent = { event: string } & Record<string, unknown>

/** How progress is shown: a redrawn bar with ETA (TTY), plain lines, or JSON lines. */
export type ProgressMode = 'tty' | 'plain' | 'json'

/** Sink for progress events with a unit counter for the bar. */
export interface Progress {
  /** Starts a phase of `total` units (runs, uploads): resets the bar and the ETA clock. */
  setTotal(total: number): void
  /** Reports an event; `message` is the human line (omitted from JSON). */
  emit(event: ProgressEvent, message?: string): void
  /** Marks one unit done (moves the bar). */
  tick(label?: string): void
  /** Clears the bar. */
  end(): void
}

/** Picks the mode: --json wins, then TTY detection. */
export function progressMode(json: boolean | undefined, isTty: boolean | undefined): ProgressMode {
  return json ? 'json' : isTty ? 'tty' : 'plain'
}

/** `1m05s` style duration. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}

/** The bar line for `done` of `total` after `elapsedMs`: `[#####.....] 3/6  50%  ETA 12s  label`. */
export function renderBar(
  done: number,
  total: number,
  elapsedMs: number,
  label = '',
  width = 24,
): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0
  const filled = Math.round(fraction * width)
  const eta =
    done > 0 && done < total ? `  ETA ${formatDuration((elapsedMs / done) * (total - done))}` : ''
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${String(Math.round(fraction * 100)).padStart(3)}%${eta}${label ? `  ${label}` : ''}`
}

/** Creates a progress sink writing human text to `err` and JSON lines to `out`. */
export function createProgress(
  mode: ProgressMode,
  out: (s: string) => void,
  err: (s: string) => void,
  now: () => number = Date.now,
): Progress {
  let started = now()
  let total = 0
  let done = 0
  let barShown = false
  let label = ''
  const clearBar = () => {
    if (barShown) err('\r\x1b[2K')
    barShown = false
  }
  const drawBar = () => {
    if (mode !== 'tty' || total === 0) return
    err(`\r\x1b[2K${renderBar(done, total, now() - started, label)}`)
    barShown = true
  }
  return {
    setTotal(n) {
      total = n
      done = 0
      started = now()
      drawBar()
    },
    emit(event, message) {
      if (mode === 'json') {
        out(`${JSON.stringify({ ...event, t: new Date(now()).toISOString() })}\n`)
        return
      }
      if (!message) return
      clearBar()
      err(`${message}\n`)
      drawBar()
    },
    tick(next) {
      done++
      if (next !== undefined) label = next
      drawBar()
    },
    end() {
      clearBar()
    },
  }
}
