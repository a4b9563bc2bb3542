import type { Spool, SpoolEntry } from './spool.ts'
import { sendEnvelope, type AttemptOutcome, type UploadTarget } from './upload-client.ts'
import { nextDelayMs, type RetryPolicy } from './retry-policy.ts'
import type { UploadAccepted } from '#schemas/api.ts'

/** What happened to one spool entry. */
export type EntryResult =
  | {
      id: string
      state: 'uploaded'
      status: number
      accepted: UploadAccepted | null
      /** Set when the bytes were stored already and `relabel` changed their labels instead. */
      relabelled?: Relabelled
    }
  | { id: string; state: 'spooled'; reason: string }
  | { id: string; state: 'failed'; reason: string }

/** Events a drain emits, for progress output. */
export type DrainEvent =
  | { event: 'upload-retry'; id: string; attempt: number; delay_ms: number; reason: string }
  | ({ event: 'upload-result' } & EntryResult)

/** The stored labels an entry's refused upload changed (`push --relabel`). */
export interface Relabelled {
  raw_sha256: string
  labels_version: number
}

/** Dependencies and settings of a drain. */
export interface DrainOptions {
  target: UploadTarget
  policy: RetryPolicy
  /** Only these entries (by id); all when absent. */
  only?: ReadonlySet<string>
  onEvent?: (event: DrainEvent) => void
  /**
   * `push --relabel`: called with an entry's body when the API refused it because the same bytes
   * are stored with other labels (409 labels-differ); it makes the stored labels the entry's and
   * resolves with the new version, or throws with the reason (the entry then fails as refused).
   */
  relabel?: (body: string) => Promise<Relabelled>
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  now?: () => Date
}

/**
 * Uploads spooled entries one by one, oldest first. An entry leaves the spool only after the API
 * acknowledged it (2xx) or refused it for good (moved to `failed/` with the reason). When retries
 * of one entry are exhausted, or the token is refused, the API is treated as unavailable: the rest
 * stay spooled untouched for the next drain.
 */
export async function drainSpool(spool: Spool, options: DrainOptions): Promise<EntryResult[]> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const random = options.random ?? Math.random
  const now = options.now ?? (() => new Date())
  const results: EntryResult[] = []
  let unavailable: string | null = null
  for (const entry of await spool.list()) {
    if (options.only && !options.only.has(entry.id)) continue
    let result: EntryResult
    if (unavailable) {
      result = { id: entry.id, state: 'spooled', reason: `not attempted: ${unavailable}` }
    } else {
      result = await uploadOne(entry)
      if (result.state === 'spooled') unavailable = result.reason
    }
    results.push(result)
    options.onEvent?.({ event: 'upload-result', ...result })
  }
  return results

  async function uploadOne(entry: SpoolEntry): Promise<EntryResult> {
    let outcome: AttemptOutcome
    for (let attempt = 0; ; attempt++) {
      outcome = await sendEnvelope(entry.body, options.target)
      if (outcome.class === 'acknowledged') {
        await spool.remove(entry)
        return {
          id: entry.id,
          state: 'uploaded',
          status: outcome.status,
          accepted: outcome.accepted,
        }
      }
      if (
        outcome.class === 'permanent' &&
        outcome.status === 409 &&
        outcome.code === 'labels-differ' &&
        options.relabel
      ) {
        try {
          const relabelled = await options.relabel(entry.body)
          await spool.remove(entry)
          return { id: entry.id, state: 'uploaded', status: 200, accepted: null, relabelled }
        } catch (error) {
          outcome = {
            ...outcome,
            message: `${outcome.message}; --relabel: ${(error as Error).message}`,
          }
        }
      }
      if (outcome.class === 'permanent') {
        const reason = `${outcome.code}: ${outcome.message}`
        await spool.fail(entry, {
          status: outcome.status,
          code: outcome.code,
          message: outcome.message,
          failed_at: now().toISOString(),
        })
        return { id: entry.id, state: 'failed', reason }
      }
      if (outcome.class === 'auth') {
        return {
          id: entry.id,
          state: 'spooled',
          reason: `token refused (${outcome.message}); fix --token / NETLAKE_TOKEN and run 'netlake push --spool DIR'`,
        }
      }
      if (outcome.retryAfterMs !== null && outcome.retryAfterMs > options.policy.maxRetryAfterMs) {
        return {
          id: entry.id,
          state: 'spooled',
          reason: `${outcome.message}; server asked to wait ${Math.round(outcome.retryAfterMs / 1000)} s`,
        }
      }
      if (attempt >= options.policy.retries) {
        return {
          id: entry.id,
          state: 'spooled',
          reason: `${outcome.code}: ${outcome.message} (gave up after ${attempt + 1} attempts)`,
        }
      }
      const delay = nextDelayMs(attempt, options.policy, random(), outcome.retryAfterMs)
      options.onEvent?.({
        event: 'upload-retry',
        id: entry.id,
        attempt: attempt + 1,
        delay_ms: delay,
        reason: `${outcome.code}: ${outcome.message}`,
      })
      await sleep(delay)
    }
  }
}
