import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { stubEnvs } from '../helpers/env.ts'
import { startTestLake } from '../helpers/local-servers.ts'
import type { TestLake } from '../helpers/local-servers.ts'
import { labLabels } from '../helpers/memory-lake.ts'
import { sqsObjectCreated, sqsS3TestEvent } from '../helpers/lambda-events.ts'

describe('ingest handler (SQS → S3 events) on s3rver + dynalite', () => {
  let lake: TestLake
  let handler: typeof import('#functions/ingest/handler.ts').handler

  beforeAll(async () => {
    lake = await startTestLake()
    stubEnvs(lake.env)
    vi.resetModules() // the handler reads its env once, when first loaded
    handler = (await import('#functions/ingest/handler.ts')).handler
  })
  afterAll(async () => {
    vi.unstubAllEnvs()
    await lake?.close()
  })

  it('ingests the objects of each message, ignores the S3 test event, and logs one JSON line per distinct object', async () => {
    // Prepare
    const bytes = new Uint8Array(
      readFileSync(new URL('../fixtures/lab/kv-s1/qperf.txt', import.meta.url)),
    )
    const stored = await storeUpload(
      bytes,
      { labels: labLabels('kv-s1'), tool: null, contentType: 'text/plain' },
      {
        raw: lake.stores.raw,
        catalog: lake.catalog,
        clock: { now: () => new Date('2026-11-26T09:00:00Z') },
      },
    )
    const lines: string[] = []
    const log = console.log
    console.log = (line: string) => lines.push(line)
    // Act
    let result
    try {
      result = await handler({
        Records: [
          sqsObjectCreated(lake.config.rawBucket, stored.body.raw_key, 'm1'),
          sqsS3TestEvent('m2'),
          sqsObjectCreated(lake.config.rawBucket, stored.body.raw_key, 'm3'), // duplicate delivery
        ],
      })
    } finally {
      console.log = log
    }
    // Assess
    expect(result.batchItemFailures).toEqual([])
    const logged = lines.map((line) => JSON.parse(line))
    // The batch is ingested together: the duplicate delivery of the same key in it is folded in
    expect(logged.map((l) => l.outcome)).toEqual(['ingested'])
    expect(logged[0]).toMatchObject({ key: stored.body.raw_key, run_ids: stored.body.run_ids })
    expect(typeof logged[0].ms).toBe('number')
    expect(
      (await lake.catalog.listRuns({ scenario: 'kv-s1', platform: 'kubevirt' }, 10)).items,
    ).toHaveLength(2)
  })

  it('reports a message as a batch item failure when storage fails, so SQS redelivers it', async () => {
    const errorLog = console.log
    console.log = () => undefined
    const result = await handler({
      Records: [{ ...sqsS3TestEvent('bad'), body: 'not json' }, sqsS3TestEvent('ok')],
    })
    console.log = errorLog
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }])
  })
})

describe('ingest handler when S3 is down', () => {
  afterAll(() => vi.unstubAllEnvs())

  it('fails the message after the SDK retries, so SQS redelivers it (and after maxReceiveCount moves it to the DLQ)', async () => {
    // Prepare: a lake whose S3 server is stopped after the upload
    const lake = await startTestLake()
    stubEnvs(lake.env)
    vi.resetModules()
    const { handler } = await import('#functions/ingest/handler.ts')
    const bytes = new Uint8Array(
      readFileSync(new URL('../fixtures/lab/os-s1/iperf3.json', import.meta.url)),
    )
    const stored = await storeUpload(
      bytes,
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      {
        raw: lake.stores.raw,
        catalog: lake.catalog,
        clock: { now: () => new Date('2026-11-26T09:00:00Z') },
      },
    )
    await lake.s3.close()
    const lines: string[] = []
    const log = console.log
    console.log = (line: string) => lines.push(line)
    // Act
    let result
    try {
      result = await handler({
        Records: [sqsObjectCreated(lake.config.rawBucket, stored.body.raw_key, 'm1')],
      })
    } finally {
      console.log = log
    }
    // Assess
    try {
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }])
      expect(JSON.parse(lines[0])).toMatchObject({
        level: 'error',
        key: stored.body.raw_key,
        outcome: 'failed',
      })
      expect(await lake.catalog.getIngestRecord(stored.body.raw_sha256)).toBeNull() // nothing committed: a redelivery redoes it
    } finally {
      await lake.close()
    }
  }, 60_000)

  it('on the last delivery quarantines an object that still fails, with the error as its reason, instead of failing the message', async () => {
    // Prepare: a lake whose curated bucket does not exist, so every ingest of it fails
    const lake = await startTestLake()
    stubEnvs({ ...lake.env, NETLAKE_CURATED_BUCKET: 'no-such-bucket' })
    vi.resetModules()
    const { handler, INGEST_MAX_RECEIVES } = await import('#functions/ingest/handler.ts')
    const bytes = new Uint8Array(
      readFileSync(new URL('../fixtures/lab/os-s3/iperf3.json', import.meta.url)),
    )
    const stored = await storeUpload(
      bytes,
      { labels: labLabels('os-s3'), tool: null, contentType: null },
      {
        raw: lake.stores.raw,
        catalog: lake.catalog,
        clock: { now: () => new Date('2026-11-26T09:00:00Z') },
      },
    )
    const message = (receives: number) => {
      const record = sqsObjectCreated(lake.config.rawBucket, stored.body.raw_key, `m${receives}`)
      return {
        ...record,
        attributes: { ...(record.attributes as object), ApproximateReceiveCount: String(receives) },
      }
    }
    const log = console.log
    console.log = () => undefined
    // Act
    let early, last
    try {
      early = await handler({ Records: [message(INGEST_MAX_RECEIVES - 1)] })
      last = await handler({ Records: [message(INGEST_MAX_RECEIVES)] })
    } finally {
      console.log = log
    }
    // Assess
    try {
      expect(early.batchItemFailures).toEqual([{ itemIdentifier: `m${INGEST_MAX_RECEIVES - 1}` }])
      expect(last.batchItemFailures).toEqual([])
      const record = await lake.catalog.getIngestRecord(stored.body.raw_sha256)
      expect(record?.outcome).toBe('quarantined')
      expect(record?.reason).toMatch(
        new RegExp(
          `^ingest failed ${INGEST_MAX_RECEIVES} times: ObjectStoreError: s3 put curated/.* failed: NoSuchBucket`,
        ),
      )
    } finally {
      await lake.close()
    }
  }, 60_000)
})
