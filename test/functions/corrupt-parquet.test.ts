import { describe, expect, it } from 'vitest'
import { openLakeSql } from '#adapters/open-lake-sql.ts'
import { compactPartition } from '#functions/compact/compact-partition.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import { parquetProblem } from '#functions/lake/parquet-problem.ts'
import { MISSING_FILE } from '#functions/api/run-intervals.ts'
import { curatedKey, partitionValue } from '#core/object-keys.ts'
import { INTERVALS_UNREADABLE, qualifySet } from '#core/compare/qualify-run.ts'
import type { CompareResult } from '#schemas/api.ts'
import { createMemoryLake, fixtureBytes, labLabels, variantOf } from '../helpers/memory-lake.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'

const SCENARIOS = ['os-s1', 'os-s2a', 'os-s3']

/** Three objects ingested into one runs partition (same platform and day). */
async function lakeWithThreeFiles() {
  const lake = await createMemoryLake()
  const source = fixtureBytes('lab/os-s1/iperf3.json')
  for (const [n, scenario] of SCENARIOS.entries()) {
    const stored = await storeUpload(
      variantOf(source, n),
      { labels: labLabels(scenario), tool: null, contentType: null },
      lake,
    )
    await ingestObject(stored.body.raw_key, lake.deps)
  }
  const [partition] = await lake.catalog.listPartitions('runs')
  expect(partition.files).toHaveLength(3)
  return { lake, partition }
}

/** Framed like Parquet (PAR1 … footer length, PAR1) but with a garbage footer. */
function fakeParquet(): Uint8Array {
  const bytes = new Uint8Array(64).fill(7)
  bytes.set([0x50, 0x41, 0x52, 0x31], 0)
  new DataView(bytes.buffer).setUint32(56, 20, true)
  bytes.set([0x50, 0x41, 0x52, 0x31], 60)
  return bytes
}

describe('corrupt Parquet files', () => {
  it('are named and skipped by SQL over the lake, which answers from the rest', async () => {
    // Prepare: one file truncated, one with a garbage footer behind valid magic
    const { lake, partition } = await lakeWithThreeFiles()
    const [truncated, garbled] = partition.files
    const whole = (await lake.curated.get(truncated.key)) as Uint8Array
    await lake.curated.put(truncated.key, whole.subarray(0, whole.byteLength - 10))
    await lake.curated.put(garbled.key, fakeParquet())
    expect(parquetProblem(fakeParquet())).toBeNull()

    // Act
    const db = await openLakeSql(lake)
    let scenarios: unknown[]
    try {
      scenarios = (await db.query('SELECT scenario FROM runs')).map((r) => r.scenario)
    } finally {
      await db.close()
    }

    // Assess
    expect(db.skipped).toEqual([
      { key: truncated.key, reason: 'does not end with the Parquet magic PAR1 (truncated?)' },
      { key: garbled.key, reason: 'DuckDB cannot read its metadata' },
    ])
    expect(scenarios).toEqual(['os-s3'])
  })

  it('are moved out of the partition by compaction, which merges the rest', async () => {
    // Prepare
    const { lake, partition } = await lakeWithThreeFiles()
    const bad = partition.files[1]
    await lake.curated.put(bad.key, new TextEncoder().encode('not parquet at all'))

    // Act
    const result = await compactPartition(partition, {
      ...lake.deps,
      readParquet: lake.readParquet,
    })

    // Assess
    expect(result).toMatchObject({
      outcome: 'compacted',
      files_in: 2,
      rows: 2,
      corrupt: [{ key: bad.key, reason: 'does not start with the Parquet magic PAR1' }],
    })
    const after = await lake.catalog.getPartition('runs', partition.platform, partition.date)
    expect(after?.files.map((f) => f.key)).toEqual([
      result.outcome === 'compacted' ? result.key : '',
    ])
    expect(
      new TextDecoder().decode((await lake.curated.get(`quarantine/${bad.key}`)) as Uint8Array),
    ).toBe('not parquet at all')
    expect(await lake.curated.get(bad.key)).toBeNull()
    const rows = await lake.readParquet((await lake.curated.get(after!.files[0].key)) as Uint8Array)
    expect(rows.map((r) => r.scenario).sort()).toEqual(['os-s1', 'os-s3'])
  })

  it('leave GET /v1/runs/{id} answering 200 with the run, the readable intervals and the skipped files', async () => {
    // Prepare: three runs, each with its own intervals file; answers of the clean lake kept
    const api = await createMemoryApi()
    const source = fixtureBytes('lab/os-s1/iperf3.json')
    const runs: Array<{ id: string; intervals: string }> = []
    for (const [n, scenario] of SCENARIOS.entries()) {
      const stored = await storeUpload(
        variantOf(source, n),
        { labels: labLabels(scenario), tool: null, contentType: null },
        api.lake,
      )
      const ingested = await ingestObject(stored.body.raw_key, api.lake.deps)
      const run = (await api.lake.catalog.getRun(ingested.run_ids[0]))!
      runs.push({
        id: run.run_id!,
        intervals: curatedKey(
          'intervals',
          partitionValue(run.platform),
          run.date!,
          run.raw_sha256!,
        ),
      })
    }
    const get = async (id: string) => {
      const response = await api.app.request(`/v1/runs/${id}`, { headers: api.auth('reader') })
      return { status: response.status, body: (await response.json()) as RunAnswer }
    }
    const clean = await Promise.all(runs.map((r) => get(r.id)))
    const cleanRows = await Promise.all(
      runs.map(async (r) =>
        api.lake.readParquet((await api.lake.curated.get(r.intervals)) as Uint8Array),
      ),
    )
    const [truncated, garbled, sound] = runs
    const whole = (await api.lake.curated.get(truncated.intervals)) as Uint8Array
    await api.lake.curated.put(truncated.intervals, whole.subarray(0, whole.byteLength >> 1))
    await api.lake.curated.put(garbled.intervals, fakeParquet())
    const soundRows = await api.lake.readParquet(
      (await api.lake.curated.get(sound.intervals)) as Uint8Array,
    )

    // Act
    const [bad, worse, good] = await Promise.all(runs.map((r) => get(r.id)))

    // Assess
    expect(clean.map((a) => [a.status, a.body.skipped_files])).toEqual([
      [200, []],
      [200, []],
      [200, []],
    ])
    expect(clean.map((a) => a.body.intervals)).toEqual(JSON.parse(JSON.stringify(cleanRows)))
    expect(cleanRows.map((rows) => rows.length)).toEqual([8, 8, 8]) // the os-s1 fixture's interval rows
    expect(bad).toEqual({
      status: 200,
      body: {
        run: clean[0].body.run,
        intervals: [],
        skipped_files: [
          {
            key: truncated.intervals,
            reason: 'does not end with the Parquet magic PAR1 (truncated?)',
          },
        ],
      },
    })
    expect(worse.status).toBe(200)
    expect(worse.body.run).toEqual(clean[1].body.run)
    expect(worse.body.intervals).toEqual([])
    expect(worse.body.skipped_files).toHaveLength(1)
    expect(worse.body.skipped_files[0].key).toBe(garbled.intervals)
    expect(worse.body.skipped_files[0].reason).toMatch(/^the Parquet reader failed \(.+\)$/)
    expect(good).toEqual(clean[2])
    expect(good.body.run.run_id).toBe(sound.id)
    expect(good.body.intervals).toEqual(JSON.parse(JSON.stringify(soundRows)))
    expect(soundRows.map((r) => r.run_id)).toEqual(soundRows.map(() => sound.id))
  })

  it('a listed intervals file missing from the bucket is named in skipped_files of GET /v1/runs/{id}, not dropped silently', async () => {
    // Prepare: one run, then its intervals file removed behind the catalog's back
    const api = await createMemoryApi()
    const stored = await storeUpload(
      fixtureBytes('lab/os-s1/iperf3.json'),
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      api.lake,
    )
    const ingested = await ingestObject(stored.body.raw_key, api.lake.deps)
    const run = (await api.lake.catalog.getRun(ingested.run_ids[0]))!
    const key = curatedKey('intervals', partitionValue(run.platform), run.date!, run.raw_sha256!)
    const listed = await api.lake.catalog.getPartition(
      'intervals',
      partitionValue(run.platform),
      run.date!,
    )
    expect(listed?.files.map((f) => f.key)).toEqual([key])
    await api.lake.curated.delete(key)

    // Act
    const response = await api.app.request(`/v1/runs/${run.run_id}`, {
      headers: api.auth('reader'),
    })

    // Assess
    expect(response.status).toBe(200)
    const body = (await response.json()) as RunAnswer
    expect(body.run.run_id).toBe(run.run_id)
    expect(body.intervals).toEqual([])
    expect(body.skipped_files).toEqual([{ key, reason: MISSING_FILE }])
  })

  it('leave GET /v1/compare comparing the catalog runs, naming the file whose runs go unqualified', async () => {
    // Prepare: os-s1 and its bare-metal baseline, compared once clean, then the os-s1 intervals cut short
    const api = await createMemoryApi()
    const shas: string[] = []
    for (const scenario of ['os-s1', 'baseline']) {
      const stored = await storeUpload(
        fixtureBytes(`lab/${scenario}/iperf3.json`),
        { labels: labLabels(scenario), tool: null, contentType: null },
        api.lake,
      )
      await ingestObject(stored.body.raw_key, api.lake.deps)
      shas.push(stored.body.raw_sha256)
    }
    const compare = async () => {
      const response = await api.app.request('/v1/compare?candidate=os-s1', {
        headers: api.auth('reader'),
      })
      return { status: response.status, body: (await response.json()) as CompareResult }
    }
    const clean = await compare()
    const run = (await api.lake.catalog.listRuns({ scenario: 'os-s1' }, 10)).items[0]
    const own = curatedKey('intervals', partitionValue(run.platform), run.date!, shas[0])
    const whole = (await api.lake.curated.get(own)) as Uint8Array
    await api.lake.curated.put(own, whole.subarray(0, 20))

    // Act
    const { status, body } = await compare()

    // Assess: the same comparison but the candidate's qualification, the advice and skipped_files
    expect(clean.status).toBe(200)
    expect(clean.body.skipped_files).toEqual([])
    expect(clean.body.candidate.qualification).toMatchObject({
      with_intervals: 1,
      intervals_unreadable: 0,
    })
    expect(status).toBe(200)
    expect(body.skipped_files).toEqual([
      { key: own, reason: 'does not end with the Parquet magic PAR1 (truncated?)' },
    ])
    const unqualified = qualifySet([run], [], new Set([run.run_id!]))
    expect(body.candidate.qualification).toEqual(unqualified)
    expect(unqualified).toMatchObject({ with_intervals: 0, intervals_unreadable: 1 })
    expect(unqualified.runs[0].issues).toContain(INTERVALS_UNREADABLE)
    expect(body.baseline).toEqual(clean.body.baseline)
    const advice = `candidate: the qualification of 1 run(s) is unknown: their interval rows are in a Parquet file that cannot be read (${own}; netlake doctor lists it, netlake compact moves it aside). The ratio and verdict stand.`
    expect(body.advice.filter((a) => !clean.body.advice.includes(a))).toEqual([advice])
    expect({
      ...body,
      candidate: { ...body.candidate, qualification: clean.body.candidate.qualification },
      advice: clean.body.advice,
      skipped_files: [],
    }).toEqual(clean.body)
  })
})

/** `GET /v1/runs/{id}`'s answer, as far as these tests read it. */
interface RunAnswer {
  run: { run_id: string }
  intervals: unknown[]
  skipped_files: Array<{ key: string; reason: string }>
}
