import { SAMPLE_LABELS } from '#schemas/sample-labels.ts'
import { UsageError, parseFlags, withUsage } from './args.ts'
import { API_OPTIONS, resolveTargets, withApi } from './api-client.ts'
import { deleteShas } from './delete.ts'

const USAGE = `usage: netlake samples remove [--dry-run] [--json]

Removes the bundled sample results 'netlake start' loaded into an empty lake: every object with a
run in campaign=${SAMPLE_LABELS.campaign} goes through the same path as 'netlake delete --purge' (runs
out of the catalog and the Parquet, one audit record each; the bytes are in the package anyway).
A lake that had samples removed does not get them again on the next start.

  --dry-run           list the objects it would remove, remove nothing
  --api URL           API base (env NETLAKE_API, default: the running local stack)
  --token TOKEN       an admin token (env NETLAKE_TOKEN, default <data dir>/token)
  --data-dir DIR      the local stack's data folder (default ./.netlake or $NETLAKE_DATA_DIR)
  --json              one JSON object per removed object on stdout`

const OPTIONS = {
  'dry-run': { type: 'boolean' },
  ...API_OPTIONS,
} as const

/** `netlake samples remove` */
export async function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, () => samples(argv))
}

async function samples(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS)
  if (values.help) return (console.log(USAGE), 0)
  if (positionals[0] !== 'remove' || positionals.length > 1)
    throw new UsageError(
      `expected 'samples remove'${positionals[0] ? `, got '${positionals.join(' ')}'` : ''}`,
    )
  return withApi('samples', values, async (call) => {
    const shas = await resolveTargets(call, {
      positionals: [],
      where: `campaign=${SAMPLE_LABELS.campaign}`,
    })
    if (shas.length === 0) {
      console.error(
        `netlake samples: no sample results (campaign=${SAMPLE_LABELS.campaign}) in this lake`,
      )
      return 0
    }
    const code = await deleteShas(
      call,
      shas,
      { purge: true, dryRun: values['dry-run'] ?? false, json: values.json ?? false },
      'samples remove',
    )
    if (!values.json && !values['dry-run'] && code === 0)
      console.error(`removed ${shas.length} sample result(s)`)
    return code
  })
}
