import { loadConfig } from '#adapters/config.ts'
import { createAwsClients } from '#adapters/aws-clients.ts'
import { createS3ObjectStore } from '#adapters/s3-object-store.ts'
import { createDynamoDbRunCatalog } from '#adapters/dynamodb-run-catalog.ts'
import { createParquetWriter } from '#adapters/parquet-writer.ts'
import type { IngestDeps } from './ingest-object.ts'
import { ingestAndLog, jsonLog } from './run-ingest.ts'
import { s3KeysOfMessage } from './s3-event.ts'

/** The SQS event shape this handler reads (S3 ObjectCreated notifications in message bodies). */
export interface SqsEvent {
  Records: Array<{ messageId: string; body: string }>
}

let deps: Promise<IngestDeps> | undefined

async function createDeps(): Promise<IngestDeps> {
  const config = loadConfig(process.env)
  const clients = createAwsClients(config)
  return {
    raw: createS3ObjectStore(clients.s3, config.rawBucket),
    curated: createS3ObjectStore(clients.s3, config.curatedBucket),
    catalog: createDynamoDbRunCatalog(clients.dynamo, config.table),
    parquet: await createParquetWriter(),
    clock: { now: () => new Date() },
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
