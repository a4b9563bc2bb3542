import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { S3Client } from '@aws-sdk/client-s3'
import { createS3Client } from '#adapters/aws-clients.ts'
import { ObjectStoreError, createS3ObjectStore } from '#adapters/s3-object-store.ts'
import { startLocalS3 } from '#local/servers/local-s3.ts'
import type { LocalObjectCreated, LocalS3 } from '#local/servers/local-s3.ts'
import type { ObjectStore } from '#functions/ports.ts'
import { objectStoreContract } from './object-store.contract.ts'

let dataDir: string
let server: LocalS3
let client: S3Client
let store: ObjectStore

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'netlake-s3-'))
  server = await startLocalS3({ dataDir, buckets: ['raw'] })
  client = createS3Client({
    region: 'us-east-1',
    s3Endpoint: server.endpoint,
    dynamoDbEndpoint: undefined,
    credentials: server.credentials,
  })
  store = createS3ObjectStore(client, 'raw')
})

afterAll(async () => {
  client?.destroy()
  await server?.close()
  await rm(dataDir, { recursive: true, force: true })
})

objectStoreContract('S3 adapter on s3rver', () => store, { fetchablePresign: true })

describe('S3 adapter on s3rver', () => {
  it('sends ifAbsent as HEAD + conditional PUT, and only the PUT when the caller says it just HEADed', async () => {
    // Prepare: count the commands the adapter sends
    const sent: string[] = []
    const counting = {
      send: (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name)
        return client.send(command as never)
      },
    } as unknown as S3Client
    const watched = createS3ObjectStore(counting, 'raw')
    // Act
    await watched.put('absent/checked-by-adapter', 'a', { ifAbsent: true })
    const adapterChecked = sent.splice(0)
    await watched.put('absent/checked-by-caller', 'b', { ifAbsent: true, absentChecked: true })
    const callerChecked = sent.splice(0)
    // Assess
    expect(adapterChecked).toEqual(['HeadObjectCommand', 'PutObjectCommand'])
    expect(callerChecked).toEqual(['PutObjectCommand'])
    expect(
      new TextDecoder().decode((await store.get('absent/checked-by-caller')) ?? undefined),
    ).toBe('b')
  })

  it('binds the local server to loopback on a random port', () => {
    // Assess
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).not.toBe(0)
  })

  it('emits ObjectCreated for a PUT', async () => {
    // Prepare
    const events: LocalObjectCreated[] = []
    const received = new Promise<void>((resolve) => {
      const off = server.onObjectCreated((event) => {
        events.push(event)
        if (event.key === 'events/one.json') {
          off()
          resolve()
        }
      })
    })
    // Act
    await store.put('events/one.json', '12345')
    await received
    // Assess
    expect(events.at(-1)).toEqual({ bucket: 'raw', key: 'events/one.json', size: 5 })
  })

  it('surfaces a typed error when the bucket does not exist', async () => {
    // Prepare
    const other = createS3ObjectStore(client, 'no-such-bucket')
    // Act
    const put = other.put('k', 'x')
    // Assess
    await expect(put).rejects.toBeInstanceOf(ObjectStoreError)
    await expect(put).rejects.toThrow(/NoSuchBucket/)
  })
})
