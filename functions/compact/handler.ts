import { loadConfig } from '#adapters/config.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import type { CompactDeps } from './compact-partition.ts'
import { compactAll } from './compact-all.ts'

let deps: Promise<CompactDeps> | undefined

async function createDeps(): Promise<CompactDeps> {
  const lake = createAwsLake(loadConfig(process.env))
  return {
    curated: lake.curated,
    catalog: lake.catalog,
    parquet: await createParquetWriter(),
    readParquet: readParquetRows,
  }
}

/** EventBridge Scheduler → compact every partition with enough small files; one log line per partition. */
export async function handler(): Promise<{ compacted: number; skipped: number }> {
  deps ??= createDeps()
  const results = await compactAll(await deps)
  for (const result of results) console.log(JSON.stringify({ level: 'info', msg: 'compact', ...result }))
  return { compacted: results.filter((r) => r.outcome === 'compacted').length, skipped: results.filter((r) => r.outcome === 'skipped').length }
}
