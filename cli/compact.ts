import { runLakeCommand } from './lake-command.ts'

const USAGE = `usage: netlake compact [--data-dir DIR] [--json]

Merges each partition's small Parquet files into one (the local stack also does this on a timer;
in AWS a schedule does). Works on the running local stack, or on AWS when NETLAKE_RAW_BUCKET,
NETLAKE_CURATED_BUCKET, NETLAKE_REPORTS_BUCKET and NETLAKE_TABLE are set.`

/** `netlake compact` */
export function run(argv: string[]): Promise<number> {
  return runLakeCommand('compact', USAGE, argv, async (lake, { json }) => {
    const { compactAll } = await import('#functions/compact/compact-all.ts')
    const { sweepLake, SWEEP_GRACE_MS } = await import('#functions/lake/sweep-lake.ts')
    // As the AWS compaction does: publish each day's symlink manifest after the switch, then sweep
    // (repair manifests that disagree with the catalog, delete unlisted files past the grace).
    const manifests = {
      curated: lake.curated,
      catalog: lake.catalog,
      curatedBucket: lake.curatedBucket,
    }
    const results = await compactAll({ ...lake, manifestBucket: lake.curatedBucket })
    const sweep = await sweepLake(manifests, { now: new Date(), graceMs: SWEEP_GRACE_MS })
    for (const r of results) {
      if (json) console.log(JSON.stringify(r))
      else
        console.log(
          r.outcome === 'compacted'
            ? `${r.partition}: ${r.files_in} files → 1 (${r.rows} rows)`
            : `${r.partition}: skipped (${r.reason})`,
        )
    }
    if (!json)
      console.log(
        `compacted ${results.filter((r) => r.outcome === 'compacted').length} partition(s) in ${lake.where}; swept ${sweep.deleted.length} unlisted file(s), repaired ${sweep.republished.length} manifest(s)`,
      )
    return 0
  })
}
