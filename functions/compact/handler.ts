import { loadConfig } from '#adapters/config.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import type { CompactDeps } from './compact-partition.ts'
import { compactAll } from './compact-all.ts'
import { sweepLake, SWEEP_GRACE_MS } from '#functions/lake/sweep-lake.ts'

export { SWEEP_GRACE_MS }

let deps: Promise<CompactDeps> | undefined

async function createDeps(): Promise<CompactDeps> {
  const config = loadConfig(process.env)
  const lake = createAwsLake(config)
  return {
    curated: lake.curated,
    catalog: lake.catalog,
    parquet: await createParquetWriter(),
    readParquet: readParquetRows,
    manifestBucket: config.curatedBucket,
  }
}

/**
 * EventBridge Scheduler → compact every partition with enough small files (one log line per
 * partition), then sweep: repair manifests that disagree with the catalog and delete curated
 * files nothing lists any more, past the grace period.
 */
export async function handler(): Promise<{ compacted: number; skipped: number; swept: number }> {
  deps ??= createDeps()
  const ready = await deps
  const results = await compactAll(ready)
  for (const result of results)
    console.log(JSON.stringify({ level: 'info', msg: 'compact', ...result }))
  const sweep = await sweepLake(
    { curated: ready.curated, catalog: ready.catalog, curatedBucket: ready.manifestBucket! },
    { now: new Date(), graceMs: SWEEP_GRACE_MS },
  )
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'sweep',
      republished: sweep.republished,
      deleted: sweep.deleted.length,
      waiting: sweep.waiting.length,
    }),
  )
  return {
    compacted: results.filter((r) => r.outcome === 'compacted').length,
    skipped: results.filter((r) => r.outcome === 'skipped').length,
    swept: sweep.deleted.length,
  }
}
