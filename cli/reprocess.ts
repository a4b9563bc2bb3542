import { parseArgs } from 'node:util'

const USAGE = `usage: netlake reprocess [--data-dir DIR] [--json]

Re-derives every curated table from the raw bytes with this version's parser: Parquet files,
run summaries and ingest records are rewritten, quarantined uploads are retried, raw bytes are
never touched. Works on the running local stack, or on AWS when NETLAKE_* variables are set.`

/** `netlake reprocess` */
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
    console.error(`netlake reprocess: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) return (console.log(USAGE), 0)
  // The adapters load only now: --help stays instant.
  const { openLake } = await import('./lake.ts')
  const { reprocessLake } = await import('#functions/reprocess/reprocess-lake.ts')
  const lake = await openLake(values['data-dir'])
  if (typeof lake === 'string') return (console.error(`netlake reprocess: ${lake}`), 1)
  try {
    const summary = await reprocessLake(lake, (done, key) => {
      if (!values.json && process.stderr.isTTY)
        process.stderr.write(`\r${done} objects… ${key.slice(-20)}`)
    })
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
    lake.close()
  }
}
