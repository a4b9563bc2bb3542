import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { NetlakeConfig } from '#adapters/config.ts'

/** The SDK clients every function shares. */
export interface AwsClients {
  s3: S3Client
  /** Document client: plain JS values in and out, `null` kept, `undefined` dropped. */
  dynamo: DynamoDBDocumentClient
  /** Low-level client, for table management (`createCatalogTable`). */
  dynamoRaw: DynamoDBClient
}

/** Attempts per SDK call (first try + retries with backoff) on throttling, 5xx, network errors. */
export const MAX_ATTEMPTS = 4

/** Static credentials for a local endpoint when none are given (servers that do not check them). */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

/**
 * With endpoints: `credentials` are the key pair the local servers accept (the stack makes one per
 * start; its servers refuse anything else). Without endpoints the SDK's provider chain runs.
 */
type ClientPick = Pick<NetlakeConfig, 'region' | 's3Endpoint' | 'dynamoDbEndpoint' | 'credentials'>

/** An S3 client; with an endpoint, path-style addressing and static dummy credentials. */
export function createS3Client(config: ClientPick): S3Client {
  return new S3Client({
    region: config.region,
    maxAttempts: MAX_ATTEMPTS,
    // S3-compatible servers (s3rver) do not implement the new default CRC checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(config.s3Endpoint
      ? {
          endpoint: config.s3Endpoint,
          forcePathStyle: true,
          credentials: config.credentials ?? LOCAL_CREDENTIALS,
        }
      : {}),
  })
}

/** A low-level DynamoDB client; with an endpoint, static dummy credentials. */
export function createDynamoDbClient(config: ClientPick): DynamoDBClient {
  return new DynamoDBClient({
    region: config.region,
    maxAttempts: MAX_ATTEMPTS,
    ...(config.dynamoDbEndpoint
      ? { endpoint: config.dynamoDbEndpoint, credentials: config.credentials ?? LOCAL_CREDENTIALS }
      : {}),
  })
}

/** Wraps a low-level client: keeps nulls, drops undefined, numbers come back as JS numbers. */
export function createDocumentClient(raw: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  })
}

/** Builds the S3 and DynamoDB clients for a validated config (local endpoints or AWS). */
export function createAwsClients(config: ClientPick): AwsClients {
  const dynamoRaw = createDynamoDbClient(config)
  return { s3: createS3Client(config), dynamo: createDocumentClient(dynamoRaw), dynamoRaw }
}

/** Releases the clients' sockets (call from `close()` of local stacks and tests). */
export function destroyAwsClients(clients: AwsClients): void {
  clients.s3.destroy()
  clients.dynamo.destroy()
  clients.dynamoRaw.destroy()
}
