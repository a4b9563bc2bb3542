import { describe, expect, it } from 'vitest'
import { createPresignedUpload, storeUpload } from '#functions/api/store-upload.ts'
import { stagingKey } from '#core/object-keys.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { ingestBatch } from '#functions/ingest/ingest-batch.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { partitionRows, TABLE_NAMES } from '#core/partition-rows.ts'
import { sha256Hex } from '#core/rows.ts'
import { createPrng } from '#core/compare/prng.ts'
import type { Prng } from '#core/compare/prng.ts'
import { createMemoryLake, fixtureBytes, labLabels, variantOf } from '../helpers/memory-lake.ts'

const SCENARIOS = ['baseline', 'os-s1', 'os-s2a', 'os-s2b', 'os-s3', 'os-s4', 'kv-s1', 'kv-s2']

class InjectedFault extends Error {}

/** Wraps every async method so it fails before (or after) doing its work with probability p. */
function flaky<T extends object>(target: T, rng: Prng, p: number, stats: { faults: number }): T {
  return new Proxy(target, {
    get(object, name, receiver) {
      const value = Reflect.get(object, name, receiver)
      if (typeof value !== 'function' || name === 'list' || name === 'listIngestRecords')
        return value
      return async (...args: unknown[]) => {
        if (rng.next() < p) {
          stats.faults++
          throw new InjectedFault(`before ${String(name)}`)
        }
        const result = await value.apply(object, args)
        if (rng.next() < p / 2) {
          stats.faults++
          throw new InjectedFault(`after ${String(name)}`) // the write happened, the caller died
        }
        return result
      }
    },
  })
}

describe('ingest under faults', () => {
  it.each([
    { delivery: 'one key per delivery', batched: false },
    { delivery: 'batches of 1-25 keys regrouped on each redelivery', batched: true },
  ])(
    'keeps exactly one run per unique document through crashes, duplicate events, transient errors, interleaved compaction and junk presigned uploads ($delivery)',
    async ({ batched }) => {
      // Prepare: 840 distinct documents, 210 re-uploads of the same bytes = 1,050 uploads, one in
      // six through a presigned (staged) upload, plus 40 presigned uploads of junk claiming real hashes
      const lake = await createMemoryLake()
      const rng = createPrng(42)
      const uploads: Array<{ bytes: Uint8Array; scenario: string }> = []
      for (const scenario of SCENARIOS) {
        const source = fixtureBytes(`lab/${scenario}/iperf3.json`)
        for (let n = 0; n < 105; n++) uploads.push({ bytes: variantOf(source, n), scenario })
      }
      for (let n = 0; n < 210; n++) uploads.push(uploads[rng.int(840)])
      const distinct = new Map(uploads.map((u) => [sha256Hex(u.bytes), u]))
      expect(distinct.size).toBe(840)
      const expectedIntervals = [...distinct.values()].reduce((sum, u) => {
        const rows = normalizeRaw(u.bytes, { raw_key: null, raw_sha256: 'x'.repeat(64) })
        return sum + (rows.ok ? rows.intervals.length : NaN)
      }, 0)
      // Rows each document holds per table and partition, normalized here with its labels
      const rowsOf = new Map<string, number>() // `${sha} ${table}/${platform}/${date}` → rows
      for (const [sha, u] of distinct) {
        const rows = normalizeRaw(u.bytes, {
          raw_key: null,
          raw_sha256: sha,
          labels: labLabels(u.scenario),
          received_at: lake.clock.now().toISOString(),
        })
        if (!rows.ok) throw new Error(`fixture variant does not normalize: ${rows.error.message}`)
        for (const part of partitionRows(rows, lake.clock.now().toISOString().slice(0, 10)))
          for (const table of TABLE_NAMES)
            rowsOf.set(`${sha} ${table}/${part.platform}/${part.date}`, part.tables[table].length)
      }

      const events: string[] = []
      const newUploadId = () =>
        Array.from({ length: 32 }, () => '0123456789abcdef'[rng.int(16)]).join('')
      const presigned = async (claimed: Uint8Array, sent: Uint8Array, scenario: string) => {
        const request = {
          labels: labLabels(scenario),
          tool: null,
          sha256: sha256Hex(claimed),
          size_bytes: claimed.byteLength,
          content_type: 'application/json',
        }
        const upload = await createPresignedUpload(request, { ...lake, newUploadId })
        await lake.raw.put(stagingKey(upload.upload_id), sent)
        return stagingKey(upload.upload_id)
      }
      let junk = 0
      for (const [n, upload] of uploads.entries()) {
        if (n % 6 === 0) {
          const key = await presigned(upload.bytes, upload.bytes, upload.scenario)
          events.push(key)
          if (rng.next() < 0.2) events.push(key)
        } else {
          const stored = await storeUpload(
            upload.bytes,
            { labels: labLabels(upload.scenario), tool: null, contentType: null },
            lake,
          )
          if (!stored.body.duplicate) events.push(stored.body.raw_key)
          if (rng.next() < 0.2) events.push(stored.body.raw_key) // S3/SQS deliver at least once
        }
        if (n % 26 === 1 && junk < 40) {
          junk++
          events.push(
            await presigned(
              uploads[rng.int(840)].bytes,
              new TextEncoder().encode(`junk ${n}`),
              'os-s4',
            ),
          )
        }
      }
      expect(junk).toBe(40)
      const stats = { faults: 0 }
      const faulty: IngestDeps = {
        ...lake.deps,
        raw: flaky(lake.raw, rng, 0.02, stats),
        curated: flaky(lake.curated, rng, 0.02, stats),
        catalog: flaky(lake.catalog, rng, 0.02, stats),
      }
      const faultyCompact = { ...faulty, readParquet: lake.readParquet }

      // Act: a queue that redelivers failed messages, with compaction running every 150 messages
      let processed = 0
      let redeliveries = 0
      const batchFiles = new Map<string, { where: string; sources: string[]; rows: number }>()
      while (events.length > 0) {
        const keys = events.splice(0, batched ? 1 + rng.int(25) : 1)
        const failedKeys: string[] = []
        if (batched) {
          for (const item of await ingestBatch(keys, faulty)) {
            if (item.ok) continue
            if (!(item.error instanceof InjectedFault)) throw item.error
            failedKeys.push(item.key)
          }
        } else {
          try {
            await ingestObject(keys[0], faulty)
          } catch (error) {
            if (!(error instanceof InjectedFault)) throw error
            failedKeys.push(keys[0])
          }
        }
        redeliveries += failedKeys.length
        events.push(...failedKeys)
        if (batched)
          for (const partition of await lake.catalog.listPartitions())
            for (const file of partition.files)
              if (file.sources)
                batchFiles.set(file.key, {
                  where: `${partition.table}/${partition.platform}/${partition.date}`,
                  sources: file.sources,
                  rows: file.rows,
                })
        if ((processed += keys.length) % 150 < keys.length)
          await compactAll(faultyCompact).catch((error) => {
            if (!(error instanceof InjectedFault)) throw error
          })
      }
      await compactAll({ ...lake.deps, readParquet: lake.readParquet })

      // Assess
      let quarantinedUploads = 0
      for await (const object of lake.raw.list('quarantine/uploads/'))
        if (object.key.endsWith('.json')) quarantinedUploads++
      expect(quarantinedUploads).toBe(40)
      const staged: string[] = []
      for await (const object of lake.raw.list('raw/staging/')) staged.push(object.key)
      expect(staged).toEqual([])
      expect(stats.faults).toBeGreaterThan(50)
      expect(redeliveries).toBeGreaterThan(50)
      const runIds: string[] = []
      let cursor: string | null = null
      do {
        const page = await lake.catalog.listRuns({}, 500, cursor)
        runIds.push(...page.items.map((r) => r.run_id as string))
        cursor = page.cursor
      } while (cursor)
      expect(runIds).toHaveLength(840)
      expect(new Set(runIds).size).toBe(840)

      const parquetRunIds: unknown[] = []
      let intervalRows = 0
      for (const partition of await lake.catalog.listPartitions()) {
        for (const file of partition.files) {
          const rows = await lake.readParquet((await lake.curated.get(file.key)) as Uint8Array)
          expect(rows).toHaveLength(file.rows)
          if (partition.table === 'runs') parquetRunIds.push(...rows.map((r) => r.run_id))
          if (partition.table === 'intervals') intervalRows += rows.length
        }
      }
      expect(parquetRunIds).toHaveLength(840)
      expect(new Set(parquetRunIds)).toEqual(new Set(runIds))
      expect(intervalRows).toBe(expectedIntervals)
      // Every batch file seen holds exactly the rows its source documents have in its partition,
      // and, together, the batch files merged more documents than there are files
      let sources = 0
      for (const file of batchFiles.values()) {
        const expected = file.sources.reduce(
          (sum, sha) => sum + (rowsOf.get(`${sha} ${file.where}`) ?? NaN),
          0,
        )
        expect(file.rows).toBe(expected)
        expect(new Set(file.sources).size).toBe(file.sources.length)
        sources += file.sources.length
      }
      if (batched) expect(sources).toBeGreaterThan(batchFiles.size)
    },
    300_000,
  )
})
