import { runLakeCommand } from './lake-command.ts'

const USAGE = `usage: netlake doctor [--data-dir DIR] [--json]

Lists what is out of the lake's read set and why: quarantined raw objects and uploads, Parquet
files compaction moved aside, and files the catalog lists whose Parquet frame is broken (query,
reports and compaction skip those). Exit 0 when nothing is found, 3 when something is, 1 when the
lake cannot be opened. Works on the running local stack, or on AWS when NETLAKE_* variables are set.`

/** `netlake doctor` */
export function run(argv: string[]): Promise<number> {
  return runLakeCommand('doctor', USAGE, argv, async (lake, { json }) => {
    const { diagnoseLake } = await import('#functions/lake/lake-doctor.ts')
    const findings = await diagnoseLake(lake)
    for (const f of findings)
      console.log(json ? JSON.stringify(f) : `${f.kind}\t${f.key}\t${f.reason}`)
    console.error(
      findings.length === 0
        ? `nothing quarantined or corrupt in ${lake.where}`
        : `${findings.length} object(s) out of the read set in ${lake.where}`,
    )
    return findings.length === 0 ? 0 : 3
  })
}
