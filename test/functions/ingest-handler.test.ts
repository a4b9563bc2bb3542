import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { startTestLake } from '../helpers/local-servers.ts'
import type { TestLake } from '../helpers/local-servers.ts'
import { labLabels } from '../helpers/memory-lake.ts'

/** The SQS message S3 sends for an ObjectCreated:Put (key URL-encoded as in real events). */
const s3Message = (bucket: string, key: string) =>
  JSON.stringify({ Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 1 } } }] })

describe('ingest handler (SQS → S3 events) on s3rver + dynalite', () => {
  let lake: TestLake
  let handler: typeof import('#functions/ingest/handler.ts').handler

  beforeAll(async () => {
    lake = await startTestLake()
    Object.assign(process.env, lake.env)
    handler = (await import('#functions/ingest/handler.ts')).handler
  })
  afterAll(async () => lake?.close())

  it('ingests the objects of each message, ignores the S3 test event, and logs one JSON line per object', async () => {
    // Prepare
    const bytes = new Uint8Array(readFileSync(new URL('../fixtures/lab/kv-s1/qperf.txt', import.meta.url)))
    const stored = await storeUpload(bytes, { labels: labLabels('kv-s1'), tool: null, contentType: 'text/plain' }, { raw: lake.stores.raw, catalog: lake.catalog, clock: { now: () => new Date() } })
    const lines: string[] = []
    const log = console.log
    console.log = (line: string) => lines.push(line)
    // Act
    let result
    try {
      result = await handler({ Records: [
        { messageId: 'm1', body: s3Message(lake.config.rawBucket, stored.body.raw_key) },
        { messageId: 'm2', body: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }) },
        { messageId: 'm3', body: s3Message(lake.config.rawBucket, stored.body.raw_key) }, // duplicate delivery
      ] })
    } finally {
      console.log = log
    }
    // Assess
    expect(result.batchItemFailures).toEqual([])
    const logged = lines.map((line) => JSON.parse(line))
    expect(logged.map((l) => l.outcome)).toEqual(['ingested', 'skipped'])
    expect(logged[0]).toMatchObject({ key: stored.body.raw_key, run_ids: stored.body.run_ids })
    expect(typeof logged[0].ms).toBe('number')
    expect((await lake.catalog.listRuns({ scenario: 'kv-s1', platform: 'kubevirt' }, 10)).items).toHaveLength(2)
  })

  it('reports a message as a batch item failure when storage fails, so SQS redelivers it', async () => {
    const errorLog = console.log
    console.log = () => undefined
    const result = await handler({ Records: [{ messageId: 'bad', body: 'not json' }, { messageId: 'ok', body: JSON.stringify({ Event: 's3:TestEvent' }) }] })
    console.log = errorLog
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }])
  })
})
