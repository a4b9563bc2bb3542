import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNativeEngine } from '#adapters/duckdb-native.ts'
import type { SqlEngine } from '#adapters/duckdb-engine.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { createMemoryLake, fixtureBytes, labLabels, variantOf } from '../helpers/memory-lake.ts'

/**
 * An independent reader over the curated tree as pyarrow/pandas/Spark read it: list the files,
 * derive `platform` and `date` from the Hive path, merge the file schemas. The files must not
 * carry columns of the same names, and the result must match the catalog.
 */
describe('the curated tree under Hive discovery (native DuckDB, hive_partitioning = true)', () => {
  let lake: Awaited<ReturnType<typeof createMemoryLake>>
  let dir: string
  let db: SqlEngine
  const tree = () => path.join(dir, 'curated')

  beforeAll(async () => {
    lake = await createMemoryLake()
    // Lab runs on three platforms, one platform unlabelled (`unknown`), several files per
    // partition, then a compaction, so both ingest and compaction files are in the tree.
    const scenarios = ['baseline', 'os-s1', 'os-s3', 'kv-s2']
    for (const [i, scenario] of scenarios.entries()) {
      for (let n = 0; n < 3; n++) {
        const bytes = variantOf(fixtureBytes(`lab/${scenario}/iperf3.json`), 10 * i + n)
        const labels = labLabels(scenario)
        const upload = await storeUpload(
          bytes,
          {
            labels: i === 3 && n === 2 ? { ...labels, platform: 'lab' } : labels,
            tool: null,
            contentType: 'application/json',
          },
          { ...lake, platforms: ['lab'] }, // a platform this deployment declares
        )
        await ingestObject(upload.body.raw_key, lake)
      }
      const qperf = fixtureBytes(`lab/${scenario}/qperf.txt`)
      const upload = await storeUpload(
        qperf,
        { labels: labLabels(scenario), tool: null, contentType: 'text/plain' },
        lake,
      )
      await ingestObject(upload.body.raw_key, lake)
    }
    await compactAll(
      { ...lake, readParquet: lake.readParquet },
      { maxRowsPerFile: 1_000_000, minFiles: 3 },
    )
    dir = mkdtempSync(path.join(tmpdir(), 'netlake-hive-'))
    for await (const object of lake.curated.list('curated/')) {
      const file = path.join(dir, object.key)
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, (await lake.curated.get(object.key))!)
    }
    db = await createNativeEngine()
  })

  afterAll(async () => {
    await db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('reads runs with platform and date from the path only, one VARCHAR date, matching the catalog', async () => {
    // Prepare
    const glob = `${tree()}/runs/**/*.parquet`
    const catalog = (await lake.catalog.listRuns({}, 1000)).items

    // Act
    const schema = await db.query(
      `DESCRIBE SELECT * FROM read_parquet('${glob}', hive_partitioning = true, hive_types = {'date': VARCHAR})`,
    )
    const fileColumns = await db.query(
      `DESCRIBE SELECT * FROM read_parquet('${glob}', hive_partitioning = false)`,
    )
    const rows = await db.query(
      `SELECT run_id, platform, platform_label, date, run_date, throughput_bps
       FROM read_parquet('${glob}', hive_partitioning = true, hive_types = {'date': VARCHAR}) ORDER BY run_id`,
    )

    // Assess
    const names = fileColumns.map((c) => c.column_name)
    expect(names).not.toContain('platform')
    expect(names).not.toContain('date')
    expect(names).toEqual(expect.arrayContaining(['platform_label', 'run_date']))
    const types = Object.fromEntries(schema.map((c) => [c.column_name, c.column_type]))
    expect(types).toMatchObject({ platform: 'VARCHAR', date: 'VARCHAR' })
    expect(
      schema.filter((c) => c.column_name === 'platform' || c.column_name === 'date'),
    ).toHaveLength(2)
    expect(rows.map((r) => r.run_id)).toEqual(catalog.map((r) => r.run_id).sort())
    const byId = new Map(catalog.map((r) => [r.run_id, r]))
    for (const row of rows) {
      const run = byId.get(row.run_id as string)!
      expect(row).toMatchObject({
        platform: run.platform,
        platform_label: run.platform,
        date: run.date,
        run_date: run.date,
        throughput_bps: run.throughput_bps,
      })
    }
    expect(new Set(rows.map((r) => r.platform))).toEqual(
      new Set(['baremetal', 'openstack', 'kubevirt', 'lab']),
    )
  })

  it('gives every table the row counts the catalog lists, partition by partition', async () => {
    for (const table of ['runs', 'intervals', 'metrics'] as const) {
      // Prepare
      const expected = (await lake.catalog.listPartitions(table))
        .map((p) => ({
          platform: p.platform,
          date: p.date,
          n: p.files.reduce((s, f) => s + f.rows, 0),
        }))
        .sort((a, b) => `${a.platform}/${a.date}`.localeCompare(`${b.platform}/${b.date}`))

      // Act
      const counted = await db.query(
        `SELECT platform, date, count(*) AS n FROM read_parquet('${tree()}/${table}/**/*.parquet', hive_partitioning = true, hive_types = {'date': VARCHAR})
         GROUP BY ALL ORDER BY platform, date`,
      )

      // Assess
      expect(counted, table).toEqual(expected)
      expect(expected.length, table).toBeGreaterThan(1)
    }
  })
})
