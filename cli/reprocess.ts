import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'

const USAGE = `usage: netlake reprocess [--data-dir DIR] [--workers N] [--json]

Re-derives every curated table from the raw bytes with this version's parser: Parquet files,
run summaries and ingest records are rewritten, quarantined uploads are retried, raw bytes are
never touched. Works on the running local stack, or on AWS when NETLAKE_* variables are set.
Objects are re-derived by N worker threads (default: one per core); the partitions switch to the
new files once, at the end. Objects that fail keep their files and are named: run again to retry.`

/** `netlake reprocess` */
export async function run(argv: string[]): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        workers: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    console.error(`netlake reprocess: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) return (console.log(USAGE), 0)
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers)
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    console.error(`netlake reprocess: --workers must be a whole number from 1 to 256\n\n${USAGE}`)
    return 2
  }
  // The adapters load only now: --help stays instant.
  const { findLake, openLakeSpec } = await import('./lake.ts')
  const { reprocessLake } = await import('#functions/reprocess/reprocess-lake.ts')
  const { startReprocessPool, IN_FLIGHT_PER_WORKER } = await import('./reprocess-pool.ts')
  const spec = await findLake(values['data-dir'])
  if (typeof spec === 'string') return (console.error(`netlake reprocess: ${spec}`), 1)
  const lake = await openLakeSpec(spec)
  const pool = await startReprocessPool(spec, workers)
  try {
    const summary = await reprocessLake(
      { ...lake, manifestBucket: lake.curatedBucket },
      (done, key) => {
        if (!values.json && process.stderr.isTTY)
          process.stderr.write(`\r${done} objects… ${key.slice(-20)}`)
      },
      { rederive: pool.rederive, concurrency: pool.size * IN_FLIGHT_PER_WORKER },
    )
    if (process.stderr.isTTY && !values.json) process.stderr.write('\n')
    if (values.json) console.log(JSON.stringify(summary))
    else
      console.log(
        `reprocessed ${summary.objects} raw objects in ${lake.where} with parser ${summary.parser_version}: ${summary.ingested} ingested (${summary.runs} runs), ${summary.quarantined} quarantined, ${summary.partitions} partitions rewritten`,
      )
    if (!values.json)
      for (const f of summary.failed)
        console.error(`netlake reprocess: skipped ${f.key}: ${f.error}`)
    if (!values.json && summary.failed.length > 0)
      console.error(
        `netlake reprocess: ${summary.failed.length} objects skipped (left as they were); run again to retry them`,
      )
    return summary.failed.length > 0 ? 1 : 0
  } finally {
    await pool.close()
    lake.close()
  }
}
