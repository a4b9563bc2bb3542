import type { NetlakeConfig } from './config.ts'
import { createAwsClients } from './aws-clients.ts'
import type { AwsClients } from './aws-clients.ts'
import { createS3ObjectStore } from './s3-object-store.ts'
import { createDynamoDbRunCatalog } from './dynamodb-run-catalog.ts'
import type { ObjectStore, RunCatalog } from '#functions/ports.ts'

/** The lake's stores and catalog over real S3 and DynamoDB (or the local servers' endpoints). */
export interface AwsLake {
  clients: AwsClients
  raw: ObjectStore
  curated: ObjectStore
  reports: ObjectStore
  catalog: RunCatalog
}

/**
 * One place that turns validated config into adapters, for every handler and CLI command.
 * `credentials`: the local stack's per-start key pair (only with local endpoints).
 */
export function createAwsLake(
  config: NetlakeConfig,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): AwsLake {
  const clients = createAwsClients({ ...config, credentials: credentials ?? config.credentials })
  return {
    clients,
    raw: createS3ObjectStore(clients.s3, config.rawBucket),
    curated: createS3ObjectStore(clients.s3, config.curatedBucket),
    reports: createS3ObjectStore(clients.s3, config.reportsBucket),
    catalog: createDynamoDbRunCatalog(clients.dynamo, config.table),
  }
}
