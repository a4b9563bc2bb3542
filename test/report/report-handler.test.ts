import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { stubEnvs } from '../helpers/env.ts'
import { startTestLake } from '../helpers/local-servers.ts'
import type { TestLake } from '../helpers/local-servers.ts'
import { CURRENT, createReportLake } from './report-lake.ts'
import { schedulerReportEvent } from '../helpers/lambda-events.ts'

describe('report handler (EventBridge Scheduler) on s3rver + dynalite', () => {
  let lake: TestLake
  let handler: typeof import('#functions/report/handler.ts').handler

  beforeAll(async () => {
    // Prepare: the memory lake's runs partitions copied into real S3 and DynamoDB adapters
    const memory = await createReportLake()
    lake = await startTestLake()
    for (const partition of await memory.catalog.listPartitions('runs')) {
      for (const file of partition.files)
        await lake.stores.curated.put(file.key, (await memory.curated.get(file.key)) as Uint8Array)
      await lake.catalog.putPartition(partition, null)
    }
    stubEnvs({ ...lake.env, NETLAKE_REPORT_TOPIC_ARN: undefined })
    vi.resetModules() // the handler reads its env once, when first loaded
    handler = (await import('#functions/report/handler.ts')).handler
  }, 60_000)

  afterAll(async () => {
    vi.unstubAllEnvs()
    await lake?.close()
  })

  it('writes the window named in the event to the reports bucket and indexes it in the catalog', async () => {
    // Act
    const log = console.log
    const lines: string[] = []
    console.log = (line: string) => lines.push(line)
    let record
    try {
      record = await handler({ ...CURRENT })
    } finally {
      console.log = log
    }
    // Assess
    expect(record).toMatchObject({
      report_id: 'w-2026-11-19-2026-11-25',
      regressions: 1,
      improvements: 0,
    })
    expect(await lake.catalog.getReport('w-2026-11-19-2026-11-25')).toEqual(record)
    const model = JSON.parse(
      new TextDecoder().decode((await lake.stores.reports.get(record.keys.json)) as Uint8Array),
    )
    expect(model.totals).toEqual({
      runs: 51,
      failed: 1,
      groups: 10,
      regressions: 1,
      improvements: 0,
    })
    expect((await lake.stores.reports.head(record.keys.html))?.size).toBeGreaterThan(10_000)
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'info',
      msg: 'report',
      report_id: record.report_id,
      regressions: 1,
    })
  }, 30_000)
  it('reports, for the recorded scheduler event, on the 7 days before its scheduled time, whatever today is', async () => {
    // Prepare
    const event = schedulerReportEvent()
    const log = console.log
    console.log = () => undefined
    // Act
    let record
    try {
      record = await handler(event)
    } finally {
      console.log = log
    }
    // Assess
    expect(event.scheduledTime).toBe('2026-11-26T06:00:00Z')
    expect(record).toMatchObject({
      report_id: `w-${CURRENT.from}-${CURRENT.to}`,
      window_from: CURRENT.from,
      window_to: CURRENT.to,
      regressions: 1,
    })
  }, 30_000)
})
