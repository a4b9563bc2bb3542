import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { compactPartition } from '#functions/compact/compact-partition.ts'
import { writeQuarantineNote } from '#functions/ingest/derive-object.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { diagnoseLake } from '#functions/lake/lake-doctor.ts'
import { createMemoryLake, fixtureBytes, labLabels, variantOf } from '../../helpers/memory-lake.ts'

describe('diagnoseLake (netlake doctor)', () => {
  it('finds nothing in a healthy lake', async () => {
    // Prepare
    const lake = await createMemoryLake()
    const stored = await storeUpload(
      fixtureBytes('lab/os-s1/iperf3.json'),
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      lake,
    )
    await ingestObject(stored.body.raw_key, lake.deps)

    // Act
    const findings = await diagnoseLake(lake.deps)

    // Assess
    expect(findings).toEqual([])
  })

  it('lists a quarantined raw object and a corrupt listed Parquet file with their reasons', async () => {
    // Prepare
    const lake = await createMemoryLake()
    for (const [n, scenario] of ['os-s1', 'os-s3'].entries()) {
      const stored = await storeUpload(
        variantOf(fixtureBytes('lab/os-s1/iperf3.json'), n),
        { labels: labLabels(scenario), tool: null, contentType: null },
        lake,
      )
      await ingestObject(stored.body.raw_key, lake.deps)
    }
    const [partition] = await lake.catalog.listPartitions('runs')
    const broken = partition.files[0].key
    const bytes = (await lake.deps.curated.get(broken)) as Uint8Array
    await lake.deps.curated.put(broken, bytes.slice(0, bytes.byteLength - 10))
    const sha = 'f'.repeat(64)
    await writeQuarantineNote(`raw/date=2026-11-26/${sha}.json`, sha, 'timestamp out of range', {
      raw: lake.deps.raw,
      clock: lake.deps.clock,
    })

    // Act
    const findings = await diagnoseLake(lake.deps)

    // Assess
    expect(findings).toEqual([
      { kind: 'quarantined-raw', key: `quarantine/${sha}.json`, reason: 'timestamp out of range' },
      {
        kind: 'corrupt-parquet',
        key: broken,
        reason: 'does not end with the Parquet magic PAR1 (truncated?)',
      },
    ])
  })

  it('lists a file compaction moved aside, and no longer as a listed one', async () => {
    // Prepare
    const lake = await createMemoryLake()
    for (const [n, scenario] of ['os-s1', 'os-s3'].entries()) {
      const stored = await storeUpload(
        variantOf(fixtureBytes('lab/os-s1/iperf3.json'), n),
        { labels: labLabels(scenario), tool: null, contentType: null },
        lake,
      )
      await ingestObject(stored.body.raw_key, lake.deps)
    }
    const [partition] = await lake.catalog.listPartitions('runs')
    const broken = partition.files[0].key
    await lake.deps.curated.put(broken, new Uint8Array([1, 2, 3]))
    await compactPartition(partition, { ...lake.deps, readParquet: lake.readParquet })

    // Act
    const findings = await diagnoseLake(lake.deps)

    // Assess
    expect(findings).toEqual([
      {
        kind: 'quarantined-parquet',
        key: `quarantine/${broken}`,
        reason: '3 bytes is too short for a Parquet file',
      },
    ])
  })
})
