import { parseArgs } from 'node:util'

const USAGE = `usage: netlake compact [--data-dir DIR] [--json]

Merges each partition's small Parquet files into one (the local stack also does this on a timer;
in AWS a schedule does). Works on the running local stack, or on AWS when NETLAKE_RAW_BUCKET,
NETLAKE_CURATED_BUCKET, NETLAKE_REPORTS_BUCKET and NETLAKE_TABLE are set.`

/** `netlake compact` */
export async function run(argv: string[]): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    console.error(`netlake compact: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) return (console.log(USAGE), 0)
  // The adapters load only now: --help stays instant.
  const { openLake } = await import('./lake.ts')
  const { compactAll } = await import('#functions/compact/compact-all.ts')
  const lake = await openLake(values['data-dir'])
  if (typeof lake === 'string') return (console.error(`netlake compact: ${lake}`), 1)
  try {
    const results = await compactAll(lake)
    for (const r of results) {
      if (values.json) console.log(JSON.stringify(r))
      else
        console.log(
          r.outcome === 'compacted'
            ? `${r.partition}: ${r.files_in} files → 1 (${r.rows} rows)`
            : `${r.partition}: skipped (${r.reason})`,
        )
    }
    if (!values.json)
      console.log(
        `compacted ${results.filter((r) => r.outcome === 'compacted').length} partition(s) in ${lake.where}`,
      )
    return 0
  } finally {
    lake.close()
  }
}
