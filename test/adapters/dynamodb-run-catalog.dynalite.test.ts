import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { createAwsClients, destroyAwsClients } from '#adapters/aws-clients.ts'
import type { AwsClients } from '#adapters/aws-clients.ts'
import {
  CatalogError,
  createCatalogTable,
  createDynamoDbRunCatalog,
} from '#adapters/dynamodb-run-catalog.ts'
import { startLocalDynamo } from '#local/servers/local-dynamo.ts'
import type { LocalDynamo } from '#local/servers/local-dynamo.ts'
import { CATALOG_TABLE } from '#schemas/catalog-table.ts'
import { runCatalogContract, type PutLegacyToken } from './run-catalog.contract.ts'
import { legacyTokenWriter } from '../helpers/legacy-tokens.ts'

let server: LocalDynamo
let clients: AwsClients
let tables = 0

beforeAll(async () => {
  server = await startLocalDynamo()
  clients = createAwsClients({
    region: 'us-east-1',
    s3Endpoint: undefined,
    dynamoDbEndpoint: server.endpoint,
    credentials: server.credentials,
  })
})

afterAll(async () => {
  if (clients) destroyAwsClients(clients)
  await server?.close()
})

let writer: ReturnType<typeof legacyTokenWriter> | undefined
const legacy = () => (writer ??= legacyTokenWriter(clients.dynamo))
const putLegacyToken: PutLegacyToken = (catalog, token) => legacy().put(catalog, token)

async function freshCatalog(filteredBatch?: number) {
  const name = `catalog-${++tables}`
  await createCatalogTable(clients.dynamoRaw, name)
  return legacy().track(createDynamoDbRunCatalog(clients.dynamo, name, { filteredBatch }), name)
}

runCatalogContract('DynamoDB adapter on dynalite', () => freshCatalog(), putLegacyToken)

runCatalogContract(
  'DynamoDB adapter on dynalite, filtered batches of 2',
  () => freshCatalog(2),
  putLegacyToken,
)

describe('createCatalogTable on dynalite', () => {
  it('creates the table with the three GSIs and is idempotent', async () => {
    // Act
    await createCatalogTable(clients.dynamoRaw, 'idempotent')
    await createCatalogTable(clients.dynamoRaw, 'idempotent')
    const out = await clients.dynamoRaw.send(new DescribeTableCommand({ TableName: 'idempotent' }))
    // Assess
    expect(out.Table?.TableStatus).toBe('ACTIVE')
    expect(out.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      Object.values(CATALOG_TABLE.indexes)
        .map((i) => i.name)
        .sort(),
    )
  })

  it('surfaces a typed CatalogError for a missing table', async () => {
    // Prepare
    const catalog = createDynamoDbRunCatalog(clients.dynamo, 'no-such-table')
    // Act
    const got = catalog.getRun('x')
    // Assess
    await expect(got).rejects.toBeInstanceOf(CatalogError)
    await expect(got).rejects.toThrow(/ResourceNotFound|non-existent|not found/i)
  })
})
