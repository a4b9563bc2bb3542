import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAwsClients, destroyAwsClients } from '#adapters/aws-clients.ts'
import type { AwsClients } from '#adapters/aws-clients.ts'
import { createCatalogTable, createDynamoDbRunCatalog } from '#adapters/dynamodb-run-catalog.ts'
import { startDynamoDbLocal } from '#local/servers/local-dynamodb-local.ts'
import type { LocalDynamo } from '#local/servers/local-dynamo.ts'
import { runCatalogContract, type PutLegacyToken } from './run-catalog.contract.ts'
import { legacyTokenWriter } from '../helpers/legacy-tokens.ts'
import { canRun } from '../helpers/requires.ts'

const ready = canRun('test/adapters/dynamodb-run-catalog.dynamodb-local.test.ts', {
  programs: ['java'],
})

describe.skipIf(!ready)('DynamoDB Local (Java)', () => {
  // Real DynamoDB semantics (AWS's DynamoDB Local jar): conditional failures, GSI queries,
  // FilterExpression + Limit, cursors. Java 17 runs it; see local-dynamodb-local.ts.
  let server: LocalDynamo
  let clients: AwsClients
  let tables = 0

  beforeAll(async () => {
    server = await startDynamoDbLocal()
    clients = createAwsClients({
      region: 'us-east-1',
      s3Endpoint: undefined,
      dynamoDbEndpoint: server.endpoint,
    })
  }, 60_000)

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

  runCatalogContract('DynamoDB adapter on DynamoDB Local', () => freshCatalog(), putLegacyToken)
  runCatalogContract(
    'DynamoDB adapter on DynamoDB Local, filtered batches of 1',
    () => freshCatalog(1),
    putLegacyToken,
  )

  describe('DynamoDB Local launcher', () => {
    it('serves on loopback at a random port', () => {
      // Assess
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(server.port).toBeGreaterThan(0)
    })
  })
})
