import { loadConfig } from '#adapters/config.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import type { IngestDeps } from './ingest-object.ts'
import { quarantineAfterRetries } from './ingest-object.ts'
import { ingestBatchAndLog, jsonLog } from './run-ingest.ts'
import { s3KeysOfMessage } from './s3-event.ts'
import { describeError } from '#core/errors.ts'

/** The SQS event shape this handler reads (S3 ObjectCreated notifications in message bodies). */
export interface SqsEvent {
  Records: Array<{
    messageId: string
    body: string
    attributes?: { ApproximateReceiveCount?: string }
  }>
}

/**
 * The ingest queue's maxReceiveCount (infra/stacks/data-stack.ts MAX_RECEIVE_COUNT must match):
 * on its last delivery a message whose object still fails is quarantined instead of failed, so
 * the object is visible in the catalog with its reason rather than only in the DLQ.
 */
export const INGEST_MAX_RECEIVES = 5

/** A partition listing this many files is compacted by the ingest that crowds it (~40 KB item). */
export const COMPACT_AT_FILES = 256

let deps: Promise<IngestDeps> | undefined

async function createDeps(): Promise<IngestDeps> {
  const config = loadConfig(process.env)
  const lake = createAwsLake(config)
  return {
    raw: lake.raw,
    curated: lake.curated,
    catalog: lake.catalog,
    parquet: await createParquetWriter(),
    clock: { now: () => new Date() },
    compactAt: { files: COMPACT_AT_FILES, readParquet: readParquetRows },
    manifestBucket: config.curatedBucket,
  }
}

/**
 * SQS → ingest. A message whose object fails for an infrastructure reason is reported as a batch
 * item failure, so SQS redelivers it (and moves it to the DLQ after maxReceiveCount); bad input
 * never fails a message: it is quarantined.
 */
export async function handler(
  event: SqsEvent,
): Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> {
  deps ??= createDeps()
  const ready = await deps
  const failures: Array<{ itemIdentifier: string }> = []
  // All keys of the batch are ingested together: one Parquet file per partition for the batch.
  const messages: Array<{ record: SqsEvent['Records'][number]; keys: string[]; error?: unknown }> =
    []
  for (const record of event.Records) {
    try {
      messages.push({ record, keys: s3KeysOfMessage(record.body) })
    } catch (error) {
      messages.push({ record, keys: [], error })
    }
  }
  const items = await ingestBatchAndLog(
    messages.flatMap((m) => m.keys),
    ready,
    jsonLog,
  ).catch((error: unknown) => error)
  const errors = new Map<string, unknown>()
  if (Array.isArray(items)) {
    for (const item of items) if (!item.ok) errors.set(item.key, item.error)
  } else for (const m of messages) for (const key of m.keys) errors.set(key, items)
  for (const { record, keys, error } of messages) {
    const failure = error ?? keys.map((key) => errors.get(key)).find((e) => e !== undefined)
    if (failure === undefined && !keys.some((key) => errors.has(key))) continue
    const receives = Number(record.attributes?.ApproximateReceiveCount ?? 1)
    if (
      receives >= INGEST_MAX_RECEIVES &&
      keys.length > 0 &&
      (await quarantineAll(keys, receives, failure, ready))
    )
      continue
    failures.push({ itemIdentifier: record.messageId })
  }
  return { batchItemFailures: failures }
}

/** Quarantines every key of a message on its last delivery; false if that fails too (→ DLQ). */
async function quarantineAll(
  keys: string[],
  receives: number,
  error: unknown,
  ready: IngestDeps,
): Promise<boolean> {
  try {
    for (const key of keys) {
      if (await quarantineAfterRetries(key, receives, error, ready))
        jsonLog({
          level: 'warn',
          msg: 'ingest',
          key,
          outcome: 'quarantined',
          reason: describeError(error),
        })
    }
    return true
  } catch {
    return false
  }
}
