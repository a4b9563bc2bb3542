import { handle } from 'hono/aws-lambda'
import { loadConfig } from '#adapters/config.ts'
import { createAwsClients } from '#adapters/aws-clients.ts'
import { createS3ObjectStore } from '#adapters/s3-object-store.ts'
import { createDynamoDbRunCatalog } from '#adapters/dynamodb-run-catalog.ts'
import { readParquetRows } from '#adapters/parquet-writer.ts'
import { loadScenarioCatalog } from '#schemas/scenarios.ts'
import builtInScenarios from '#schemas/scenario-catalog.json' with { type: 'json' }
import { createApi } from './app.ts'

/** How long presigned dataset and report URLs stay valid (the notebook re-fetches the manifest). */
const PRESIGN_SECONDS = 3600

function createLambdaApp() {
  const config = loadConfig(process.env)
  const clients = createAwsClients(config)
  const stores = {
    raw: createS3ObjectStore(clients.s3, config.rawBucket),
    curated: createS3ObjectStore(clients.s3, config.curatedBucket),
    reports: createS3ObjectStore(clients.s3, config.reportsBucket),
  }
  return createApi({
    ...stores,
    catalog: createDynamoDbRunCatalog(clients.dynamo, config.table),
    clock: { now: () => new Date() },
    scenarios: loadScenarioCatalog(builtInScenarios),
    readParquet: readParquetRows,
    fileUrl: (bucket, key) => stores[bucket].presignGet(key, PRESIGN_SECONDS),
    // Behind API Gateway every route needs a token; CORS is answered by API Gateway.
    options: { anonymousLoopbackReads: false, serveFiles: false },
  })
}

/** API Gateway HTTP API (payload v2) → the same Hono app the local stack serves. */
export const handler = handle(createLambdaApp())
