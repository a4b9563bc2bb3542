import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ObjectStore } from '#functions/ports.ts'

/** What the start-up sweep looked at. */
export interface SweepResult {
  /** The last clean stop it started from, or null: a full sweep (first start, crash, kill -9). */
  since: string | null
  /** The prefixes it listed. */
  prefixes: string[]
  listed: number
}

const MARKER = 'clean-stop.json'
/** Beyond this many days since the clean stop, listing every date prefix costs more than one list. */
const MAX_DAYS = 400
const DAY_MS = 86_400_000

/**
 * Reads and removes `<data dir>/clean-stop.json`: the instant of the last clean stop, or null. It is
 * removed at once, so a crash of this run leaves no marker and the next start sweeps everything.
 */
export async function takeCleanStop(dataDir: string): Promise<Date | null> {
  const file = join(dataDir, MARKER)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return null
  }
  await rm(file, { force: true })
  const at = Date.parse((JSON.parse(text) as { stopped_at?: string }).stopped_at ?? '')
  return Number.isNaN(at) ? null : new Date(at)
}

/** Written on a clean stop only: nothing queued, the start-up sweep finished. */
export async function writeCleanStop(dataDir: string, at: Date): Promise<void> {
  await writeFile(join(dataDir, MARKER), JSON.stringify({ stopped_at: at.toISOString() }) + '\n', {
    mode: 0o600,
  })
}

/**
 * The raw prefixes that can hold objects the stack has not seen: everything without a clean stop;
 * after one, the staging area and the upload dates from the day before the stop to tomorrow (raw
 * keys carry the server's upload date, and nothing reaches the embedded S3 while it is stopped).
 */
export function sweepPrefixes(since: Date | null, now: Date): string[] {
  if (!since || now.getTime() - since.getTime() > MAX_DAYS * DAY_MS || since > now) return ['raw/']
  const prefixes = ['raw/staging/']
  const first = Math.floor(since.getTime() / DAY_MS) - 1
  const last = Math.floor(now.getTime() / DAY_MS) + 1
  for (let day = first; day <= last; day++)
    prefixes.push(`raw/date=${new Date(day * DAY_MS).toISOString().slice(0, 10)}/`)
  return prefixes
}

/** Lists the prefixes and hands every key to `enqueue` (the worker skips what is already ingested). */
export async function sweepRaw(
  raw: ObjectStore,
  since: Date | null,
  now: Date,
  enqueue: (key: string) => void,
): Promise<SweepResult> {
  const prefixes = sweepPrefixes(since, now)
  let listed = 0
  for (const prefix of prefixes)
    for await (const object of raw.list(prefix)) {
      listed++
      enqueue(object.key)
    }
  return { since: since?.toISOString() ?? null, prefixes, listed }
}
