// Starts both embedded servers, uses them, closes them, and lets the process end on its own:
// if a handle dangled, the process would not exit and the calling test would time out.
import { join } from 'node:path'
import { createAwsClients, destroyAwsClients } from '#adapters/aws-clients.ts'
import { createCatalogTable } from '#adapters/dynamodb-run-catalog.ts'
import { startLocalDynamo } from '#local/servers/local-dynamo.ts'
import { startLocalS3 } from '#local/servers/local-s3.ts'
import { localCredentials } from '#local/servers/local-credentials.ts'
import { createS3ObjectStore } from '#adapters/s3-object-store.ts'

const dir = process.argv[2]
const credentials = localCredentials()
const s3 = await startLocalS3({ dataDir: join(dir, 's3'), buckets: ['b'], credentials })
const dynamo = await startLocalDynamo({ dataDir: join(dir, 'dynamo'), credentials })
const clients = createAwsClients({
  region: 'us-east-1',
  s3Endpoint: s3.endpoint,
  dynamoDbEndpoint: dynamo.endpoint,
  credentials,
})
await createS3ObjectStore(clients.s3, 'b').put('k', 'v')
await createCatalogTable(clients.dynamoRaw, 'catalog')
destroyAwsClients(clients)
await s3.close()
await dynamo.close()
console.log(`closed ${s3.pid}`)
