import type { IngestDeps, IngestOutcome } from './ingest-object.ts'
import { ingestObject } from './ingest-object.ts'
import { describeError } from '#core/errors.ts'
import { ingestBatch } from './ingest-batch.ts'
import type { BatchItem } from './ingest-batch.ts'

/** One structured log line per object: key, run ids, outcome, ms. */
export type IngestLog = (line: Record<string, unknown>) => void

export const jsonLog: IngestLog = (line) => console.log(JSON.stringify(line))

/** Ingests one key and logs the outcome; rethrows infrastructure errors after logging them. */
export async function ingestAndLog(
  key: string,
  deps: IngestDeps,
  log: IngestLog,
): Promise<IngestOutcome> {
  const started = performance.now()
  try {
    const result = await ingestObject(key, deps)
    log({
      level: 'info',
      msg: 'ingest',
      key,
      outcome: result.outcome,
      run_ids: result.run_ids,
      reason: result.reason,
      ms: Math.round(performance.now() - started),
    })
    return result
  } catch (error) {
    log({
      level: 'error',
      msg: 'ingest',
      key,
      outcome: 'failed',
      error: describeError(error),
      ms: Math.round(performance.now() - started),
    })
    throw error
  }
}

/** Ingests one event batch (`ingestBatch`) and logs each key's outcome like `ingestAndLog`. */
export async function ingestBatchAndLog(
  keys: string[],
  deps: IngestDeps,
  log: IngestLog,
): Promise<BatchItem[]> {
  const started = performance.now()
  const items = await ingestBatch(keys, deps)
  const ms = Math.round(performance.now() - started)
  for (const item of items)
    log(
      item.ok
        ? {
            level: 'info',
            msg: 'ingest',
            key: item.key,
            outcome: item.result.outcome,
            run_ids: item.result.run_ids,
            reason: item.result.reason,
            batch: items.length,
            ms,
          }
        : {
            level: 'error',
            msg: 'ingest',
            key: item.key,
            outcome: 'failed',
            error: describeError(item.error),
            batch: items.length,
            ms,
          },
    )
  return items
}
