import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { curatedKey } from '#core/object-keys.ts'
import { sha256Hex } from '#core/rows.ts'
import { createMemoryLake, fixtureBytes, labLabels } from '../helpers/memory-lake.ts'

describe('ingest: one partition date for the files of one repetition', () => {
  it('writes the iperf3 and qperf runs of a repetition under the collected_at day, not the upload day', async () => {
    // Prepare: uploaded on 2026-12-03, collected on 2026-11-30 (a fixed clock, never today)
    const lake = await createMemoryLake(new Date('2026-12-03T09:00:00Z'))
    const labels = labLabels('os-s2a', { collected_at: '2026-11-30T22:15:00Z', repetition: 1 })
    const iperf3 = fixtureBytes('lab/os-s2a/iperf3.json')
    const qperf = fixtureBytes('lab/os-s2a/qperf.txt')
    // Act
    const uploads = [
      await storeUpload(iperf3, { labels, tool: null, contentType: 'application/json' }, lake),
      await storeUpload(qperf, { labels, tool: null, contentType: 'text/plain' }, lake),
    ]
    for (const upload of uploads) await ingestObject(upload.body.raw_key, lake)
    // Assess
    const runs = await Promise.all(
      uploads.flatMap((u) => u.body.run_ids).map((id) => lake.catalog.getRun(id)),
    )
    expect(runs.map((run) => [run?.tool, run?.date])).toEqual([
      ['iperf3', '2026-11-30'],
      ['qperf', '2026-11-30'],
      ['qperf', '2026-11-30'],
    ])
    const partition = await lake.catalog.getPartition('runs', 'openstack', '2026-11-30')
    expect(partition?.files.map((f) => f.key).sort()).toEqual(
      [
        curatedKey('runs', 'openstack', '2026-11-30', sha256Hex(iperf3)),
        curatedKey('runs', 'openstack', '2026-11-30', sha256Hex(qperf)),
      ].sort(),
    )
    expect(await lake.catalog.getPartition('runs', 'openstack', '2026-12-03')).toBeNull()
  })
})
