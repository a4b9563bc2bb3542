import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyRunRow } from '#core/rows.ts'
import { startTestLake } from '../../helpers/local-servers.ts'
import type { TestLake } from '../../helpers/local-servers.ts'

let lake: TestLake
beforeAll(async () => {
  lake = await startTestLake()
})
afterAll(async () => {
  await lake?.close()
})

describe('startTestLake', () => {
  it('wires config, buckets, catalog and object events together', async () => {
    // Prepare
    const created = new Promise<{ bucket: string; key: string; size: number }>((resolve) => {
      lake.s3.onObjectCreated(resolve)
    })
    // Act
    await lake.stores.raw.put('raw/date=2025-06-01/abc.json', '{}')
    const event = await created
    await lake.catalog.putRun({ ...emptyRunRow(), run_id: 'r1', platform: 'baremetal' })
    // Assess
    expect(event).toEqual({
      bucket: lake.config.rawBucket,
      key: 'raw/date=2025-06-01/abc.json',
      size: 2,
    })
    expect(lake.config.s3Endpoint).toBe(lake.s3.endpoint)
    expect(lake.env.NETLAKE_DYNAMODB_ENDPOINT).toBe(lake.dynamo.endpoint)
    expect((await lake.catalog.getRun('r1'))?.platform).toBe('baremetal')
    expect(await lake.stores.curated.get('raw/date=2025-06-01/abc.json')).toBeNull()
  })
})
