import { appendFile } from 'node:fs/promises'
import { parseRawKey, parseStagingKey } from '#core/object-keys.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import { ingestBatchAndLog } from '#functions/ingest/run-ingest.ts'
import type { BatchItem } from '#functions/ingest/ingest-batch.ts'
import { quarantineAfterRetries } from '#functions/ingest/ingest-object.ts'
import type { IngestLog } from '#functions/ingest/run-ingest.ts'
import { describeError } from '#core/errors.ts'

export interface IngestWorkerOptions {
  /** Attempts per key before it is written to the dead-letter file (like SQS maxReceiveCount). */
  maxAttempts: number
  /** First retry delay; doubles per attempt. */
  backoffMs: number
  /**
   * Where keys that kept failing are appended (one JSON line each), like an SQS DLQ; they are also
   * quarantined with the last error as the reason, so later start-up sweeps skip them.
   */
  deadLetterFile: string
  log: IngestLog
  /** Keys per ingest batch (one Parquet file per partition each); 50 by default. */
  batchSize?: number
  /**
   * How long a new key waits for others to join its batch when the worker is idle (SQS's
   * maximum batching window); 0 by default, the stack sets 200 ms. A full batch starts at once.
   */
  batchWindowMs?: number
}

const DEFAULT_BATCH = 50

/**
 * The local stand-in for S3 → SQS → Lambda: a FIFO of raw keys fed by the embedded S3 server's
 * object events, in batches of what queued up meanwhile, with retries and a dead-letter file. `idle()` resolves when
 * everything queued so far is done.
 */
export function createIngestWorker(deps: IngestDeps, options: IngestWorkerOptions) {
  const queue: Array<{ key: string; attempt: number }> = []
  const queued = new Set<string>()
  let running = false
  let stopped = false
  let waiters: Array<() => void> = []
  let timers = new Set<NodeJS.Timeout>()

  let window: NodeJS.Timeout | null = null
  const settle = () => {
    if (queue.length === 0 && !running && timers.size === 0 && window === null) {
      for (const resolve of waiters) resolve()
      waiters = []
    }
  }

  async function pump(): Promise<void> {
    if (running || stopped) return
    running = true
    while (queue.length > 0 && !stopped) {
      // What has queued up while the last batch ran becomes the next batch (like an SQS batch).
      const batch = queue.splice(0, options.batchSize ?? DEFAULT_BATCH)
      const attempts = new Map(batch.map((item) => [item.key, item.attempt]))
      let items: BatchItem[]
      try {
        items = await ingestBatchAndLog([...attempts.keys()], deps, options.log)
      } catch (error) {
        items = [...attempts.keys()].map((key) => ({ key, ok: false as const, error }))
      }
      for (const item of items) {
        const attempt = attempts.get(item.key) ?? 0
        if (item.ok) {
          queued.delete(item.key)
          continue
        }
        const error = item.error
        if (attempt + 1 >= options.maxAttempts) {
          queued.delete(item.key)
          // Quarantined with its reason, so the next start's sweep skips it instead of failing again.
          const quarantined = await quarantineAfterRetries(
            item.key,
            attempt + 1,
            error,
            deps,
          ).catch(() => false)
          await appendFile(
            options.deadLetterFile,
            JSON.stringify({
              key: item.key,
              error: describeError(error),
              attempts: attempt + 1,
              quarantined,
            }) + '\n',
          )
          options.log({
            level: 'warn',
            msg: 'ingest',
            key: item.key,
            outcome: quarantined ? 'quarantined' : 'dead-lettered',
            attempts: attempt + 1,
            reason: describeError(error),
          })
        } else {
          const timer = setTimeout(
            () => {
              timers.delete(timer)
              queue.push({ key: item.key, attempt: attempt + 1 })
              void pump()
            },
            options.backoffMs * 2 ** attempt,
          )
          timers.add(timer)
        }
      }
    }
    running = false
    settle()
  }

  return {
    /** Queues a raw object or staged upload key (other keys, such as sidecars, are ignored). */
    enqueue(key: string): void {
      if (stopped || !(parseRawKey(key) || parseStagingKey(key)) || queued.has(key)) return
      queued.add(key)
      queue.push({ key, attempt: 0 })
      const wait = options.batchWindowMs ?? 0
      if (running || wait === 0 || queue.length >= (options.batchSize ?? DEFAULT_BATCH)) {
        if (window) clearTimeout(window)
        window = null
        void pump()
      } else
        window ??= setTimeout(() => {
          window = null
          void pump()
        }, wait)
    },
    /** Resolves when the queue is empty and nothing is running or waiting to retry. */
    idle(): Promise<void> {
      return new Promise((resolve) => {
        waiters.push(resolve)
        settle()
      })
    },
    pending(): number {
      return queue.length + (running ? 1 : 0) + timers.size
    },
    /** Stops taking work; the key in flight finishes. */
    async stop(): Promise<void> {
      stopped = true
      if (window) clearTimeout(window)
      window = null
      for (const timer of timers) clearTimeout(timer)
      timers = new Set()
      while (running) await new Promise((resolve) => setTimeout(resolve, 10))
      queue.length = 0
      settle()
    },
  }
}
export type IngestWorker = ReturnType<typeof createIngestWorker>
