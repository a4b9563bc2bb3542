import { parseArgs } from 'node:util'

const USAGE = `usage: netlake doctor [--data-dir DIR] [--json]

Lists what is out of the lake's read set and why: quarantined raw objects and uploads, Parquet
files compaction moved aside, and files the catalog lists whose Parquet frame is broken (query,
reports and compaction skip those). Exit 0 when nothing is found, 3 when something is, 1 when the
lake cannot be opened. Works on the running local stack, or on AWS when NETLAKE_* variables are set.`

/** `netlake doctor` */
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
    console.error(`netlake doctor: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) return (console.log(USAGE), 0)
  const { openLake } = await import('./lake.ts')
  const { diagnoseLake } = await import('#functions/lake/lake-doctor.ts')
  const lake = await openLake(values['data-dir'])
  if (typeof lake === 'string') return (console.error(`netlake doctor: ${lake}`), 1)
  try {
    const findings = await diagnoseLake(lake)
    for (const f of findings)
      console.log(values.json ? JSON.stringify(f) : `${f.kind}\t${f.key}\t${f.reason}`)
    console.error(
      findings.length === 0
        ? `nothing quarantined or corrupt in ${lake.where}`
        : `${findings.length} object(s) out of the read set in ${lake.where}`,
    )
    return findings.length === 0 ? 0 : 3
  } finally {
    lake.close()
  }
}
