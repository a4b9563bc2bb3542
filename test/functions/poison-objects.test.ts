import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import { reprocessLake } from '#functions/reprocess/reprocess-lake.ts'
import { createIngestWorker } from '#local/ingest-worker.ts'
import { MAX_RUN_SUMMARY_BYTES } from '#core/ingestable.ts'
import { sha256Hex } from '#core/rows.ts'
import type { ObjectStore } from '#functions/ports.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { createMemoryLake, fixtureBytes, labLabels } from '../helpers/memory-lake.ts'

/** A real iperf3 document moved to the year 10000 (253402300800 s after the epoch). */
function year10000(): Uint8Array<ArrayBuffer> {
  const text = new TextDecoder().decode(fixtureBytes('lab/os-s1/iperf3.json'))
  return new TextEncoder().encode(text.replace(/"timesecs":\s*\d+/, '"timesecs":\t253402300800'))
}

/** 2,000 software labels of 256 characters: about 0.5 MB on every run summary. */
const hugeSoftware = () =>
  Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, 'x'.repeat(256)]))

/** Puts raw bytes and their sidecar the way an upload does, without the door's checks. */
async function putBehindTheDoor(
  deps: IngestDeps,
  bytes: Uint8Array,
  labels: object,
): Promise<string> {
  const sha = sha256Hex(bytes)
  const key = `raw/date=2026-11-26/${sha}.json`
  await deps.raw.put(
    `raw/date=2026-11-26/${sha}.labels.json`,
    JSON.stringify({
      labels,
      tool: null,
      raw_sha256: sha,
      content_type: null,
      received_at: '2026-11-26T10:00:00.000Z',
      size_bytes: bytes.byteLength,
    }),
  )
  await deps.raw.put(key, bytes)
  return key
}

async function keys(store: ObjectStore): Promise<string[]> {
  const found: string[] = []
  for await (const object of store.list('')) found.push(object.key)
  return found
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netlake-poison-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('poison objects', () => {
  it('are refused at the door with 422 naming the field: a run dated in the year 10000', async () => {
    // Prepare
    const api = await createMemoryApi()
    // Act
    const response = await api.app.request('/v1/results?platform=openstack&scenario=os-s1', {
      method: 'POST',
      body: year10000(),
      headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
    })
    // Assess
    expect(response.status).toBe(422)
    const { error } = await response.json()
    expect(error).toMatchObject({
      code: 'invalid-result.timestamp-out-of-range',
      field: 'start.timestamp',
    })
    expect(error.message).toContain('+010000-01-01')
    expect(await keys(api.lake.raw)).toEqual([])
  })

  it('are refused at the door with 422 naming the labels when the run summary would not fit a catalog item', async () => {
    // Prepare
    const lake = await createMemoryLake()
    const labels = labLabels('os-s1', { software: hugeSoftware() })
    // Act
    const refused = await storeUpload(
      fixtureBytes('lab/os-s1/iperf3.json'),
      { labels, tool: null, contentType: null },
      lake,
    ).catch((error: Error & { status?: number; code?: string; field?: string }) => error)
    // Assess
    expect(refused).toMatchObject({
      status: 422,
      code: 'invalid-result.labels-too-large',
      field: 'labels',
    })
    expect((refused as Error).message).toContain(`the limit is ${MAX_RUN_SUMMARY_BYTES} bytes`)
    expect(await keys(lake.raw)).toEqual([])
  })

  it('that got past the door are quarantined with the reason instead of failing ingest', async () => {
    // Prepare
    const lake = await createMemoryLake()
    const dated = await putBehindTheDoor(lake.deps, year10000(), labLabels('os-s1'))
    const labelled = await putBehindTheDoor(
      lake.deps,
      fixtureBytes('lab/os-s3/iperf3.json'),
      labLabels('os-s3', { software: hugeSoftware() }),
    )
    // Act
    const a = await ingestObject(dated, lake.deps)
    const b = await ingestObject(labelled, lake.deps)
    // Assess
    expect(a.outcome).toBe('quarantined')
    expect(a.reason).toMatch(/^timestamp-out-of-range: started_at \+010000-01-01/)
    expect(b.outcome).toBe('quarantined')
    expect(b.reason).toMatch(/^labels-too-large: /)
    expect(await lake.catalog.listPartitions()).toEqual([])
  })

  it('an object that keeps failing is quarantined after its retries and skipped by the next start', async () => {
    // Prepare: the curated store refuses this object's files every time
    const lake = await createMemoryLake()
    const key = await putBehindTheDoor(
      lake.deps,
      fixtureBytes('lab/os-s2a/iperf3.json'),
      labLabels('os-s2a'),
    )
    let puts = 0
    const broken: IngestDeps = {
      ...lake.deps,
      curated: {
        ...lake.curated,
        put: async () => {
          puts++
          throw new Error('item too large')
        },
      },
    }
    const lines: Array<Record<string, unknown>> = []
    const options = {
      maxAttempts: 3,
      backoffMs: 1,
      deadLetterFile: join(dir, 'dead-letter.jsonl'),
      log: (line: Record<string, unknown>) => void lines.push(line),
    }
    // Act: one start that fails, then a second start whose sweep sees the key again
    const first = createIngestWorker(broken, options)
    first.enqueue(key)
    await first.idle()
    await first.stop()
    const putsAfterFirst = puts
    const second = createIngestWorker(broken, options)
    second.enqueue(key)
    await second.idle()
    await second.stop()
    // Assess
    expect(putsAfterFirst).toBe(3)
    expect(puts).toBe(3)
    const record = await lake.catalog.getIngestRecord(
      sha256Hex(fixtureBytes('lab/os-s2a/iperf3.json')),
    )
    expect(record).toMatchObject({
      outcome: 'quarantined',
      reason: 'ingest failed 3 times: Error: item too large',
    })
    expect(lines.at(-1)).toMatchObject({ key, outcome: 'skipped' })
    const deadLetters = (await readFile(options.deadLetterFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(deadLetters).toEqual([
      { key, error: 'Error: item too large', attempts: 3, quarantined: true },
    ])
  })

  it('reprocess skips and reports an object that throws, and finishes the rest of the lake', async () => {
    // Prepare: two good objects ingested, one poison object, and a store that breaks on one of the good ones
    const lake = await createMemoryLake()
    const good = ['os-s1', 'os-s3'].map((s) => ({
      scenario: s,
      bytes: fixtureBytes(`lab/${s}/iperf3.json`),
    }))
    const keys: string[] = []
    for (const g of good) {
      const stored = await storeUpload(
        g.bytes,
        { labels: labLabels(g.scenario), tool: null, contentType: null },
        lake,
      )
      await ingestObject(stored.body.raw_key, lake.deps)
      keys.push(stored.body.raw_key)
    }
    await putBehindTheDoor(lake.deps, year10000(), labLabels('os-s1'))
    const breaking = sha256Hex(good[0].bytes)
    // Its raw read breaks (reprocess writes one file per partition for a batch of objects, so a
    // broken read, not a broken write, is what fails one object alone).
    const deps: IngestDeps = {
      ...lake.deps,
      raw: {
        ...lake.raw,
        get: async (key) => {
          if (key === keys[0]) throw new Error('disk full')
          return lake.raw.get(key)
        },
        getWithMetadata: async (key) => {
          if (key === keys[0]) throw new Error('disk full')
          return lake.raw.getWithMetadata(key)
        },
      },
    }
    // Act
    const summary = await reprocessLake(deps)
    // Assess
    expect(summary).toMatchObject({
      objects: 3,
      ingested: 1,
      quarantined: 1,
      failed: [{ key: keys[0], error: 'Error: disk full' }],
    })
    const runFiles = (await lake.catalog.listPartitions('runs')).flatMap((p) =>
      p.files.map((f) => f.key),
    )
    expect(runFiles.some((k) => k.includes(breaking))).toBe(true) // its old files are kept
    expect(runFiles.some((k) => k.includes(sha256Hex(good[1].bytes)))).toBe(true)
  })
})
