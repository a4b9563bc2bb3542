import { parseFlags, withUsage } from './args.ts'
import { API_OPTIONS, forEachObject, resolveTargets, withApi, type ApiCall } from './api-client.ts'

const USAGE = `usage: netlake delete SHA256... | --run RUN_ID | --where FILTER [--purge]

Deletes stored results: their runs leave the catalog and their rows the curated Parquet, and the
raw bytes are kept as a tombstone for 30 days (then removed) unless --purge removes them now. The
same bytes can be pushed again later. Needs an admin token. Every delete is an audit record.

  SHA256              the raw object's sha256; several allowed
  --run RUN_ID        the object behind a run (repeatable)
  --where FILTER      every object with a run matching, e.g. "campaign=netlake-sample"
  --purge             remove the raw bytes now instead of keeping a tombstone
  --dry-run           list the objects it would delete, delete nothing
  --api URL           API base (env NETLAKE_API, default: the running local stack)
  --token TOKEN       an admin token (env NETLAKE_TOKEN, default <data dir>/token)
  --data-dir DIR      the local stack's data folder (default ./.netlake or $NETLAKE_DATA_DIR)
  --json              one JSON object per deleted object on stdout

Exit 0 when every object was deleted, 1 when one failed, 2 on a usage mistake.`

const OPTIONS = {
  run: { type: 'string', multiple: true },
  where: { type: 'string' },
  purge: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  ...API_OPTIONS,
} as const

/** `netlake delete` */
export async function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, () => remove(argv))
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS)
  if (values.help) return (console.log(USAGE), 0)
  return withApi('delete', values, async (call) => {
    const shas = await resolveTargets(call, { positionals, run: values.run, where: values.where })
    if (shas.length === 0) return (console.error('netlake delete: no stored result matches'), 1)
    const options = {
      purge: values.purge ?? false,
      dryRun: values['dry-run'] ?? false,
      json: values.json ?? false,
    }
    return deleteShas(call, shas, options, 'delete')
  })
}

/** Deletes each object through `DELETE /v1/raw/{sha}`; 1 when any failed. Shared with `samples remove`. */
export function deleteShas(
  call: ApiCall,
  shas: readonly string[],
  options: { purge: boolean; dryRun: boolean; json: boolean },
  command: string,
): Promise<number> {
  return forEachObject(
    shas,
    { ...options, command },
    (sha) =>
      call('DELETE', `v1/raw/${sha}`, { query: { purge: options.purge ? 'true' : undefined } }),
    (sha, result) =>
      `${sha.slice(0, 12)}  deleted ${result.run_ids.length} run(s)  ${result.purged ? 'bytes purged' : `bytes kept until ${result.retain_until}`}`,
  )
}
