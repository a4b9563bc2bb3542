import { loadConfig } from '#adapters/config.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import type { IngestDeps } from './ingest-object.ts'
import { ingestAndLog, jsonLog } from './run-ingest.ts'
import { s3KeysOfMessage } from './s3-event.ts'

/** The SQS event shape this handler reads (S3 ObjectCreated notifications in message bodies). */
export interface SqsEvent {
  Records: Array<{ messageId: string; body: string }>
}

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
export async function handler(event: SqsEvent): Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }> {
  deps ??= createDeps()
  const ready = await deps
  const failures: Array<{ itemIdentifier: string }> = []
  for (const record of event.Records) {
    try {
      for (const key of s3KeysOfMessage(record.body)) await ingestAndLog(key, ready, jsonLog)
    } catch {
      failures.push({ itemIdentifier: record.messageId })
    }
  }
  return { batchItemFailures: failures }
}
