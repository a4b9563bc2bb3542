import { parseLabelFlags, LabelInputError } from '#collector/label-input.ts'
import { UsageError, parseFlags, withUsage } from './args.ts'
import { API_OPTIONS, forEachObject, resolveTargets, withApi } from './api-client.ts'

const USAGE = `usage: netlake relabel SHA256... | --run RUN_ID | --where FILTER --label k=v... [--unset k...]

Changes the labels of stored results. The raw bytes never change: each relabel writes a new label
version beside them (the old ones are kept, with who and when) and re-derives the object's runs, so
the catalog, the curated Parquet, the notebook, 'netlake query' and the next report see the new
labels and none of the old rows. Run ids stay; a new platform or date moves runs to another
partition. Every relabel is an audit record ('netlake audit').

  SHA256              the raw object's sha256 (as push prints it); several allowed
  --run RUN_ID        the object behind a run (repeatable)
  --where FILTER      every object with a run matching, e.g. "scenario=os-s1 AND campaign=c1"
                      (fields: platform scenario campaign hardware_profile tool test status from to;
                      campaign= selects runs with no campaign)
  --label k=v         a label to set (repeatable); nested maps replace the whole map: software.cni=flannel
  --unset k           a label to remove (repeatable); platform and scenario cannot be removed
  --dry-run           list the objects it would change, change nothing
  --api URL           API base (env NETLAKE_API, default: the running local stack)
  --token TOKEN       a collector or admin token (env NETLAKE_TOKEN, default <data dir>/token)
  --data-dir DIR      the local stack's data folder (default ./.netlake or $NETLAKE_DATA_DIR)
  --json              one JSON object per changed object on stdout

Exit 0 when every object was relabelled, 1 when one failed, 2 on a usage mistake.`

const OPTIONS = {
  run: { type: 'string', multiple: true },
  where: { type: 'string' },
  label: { type: 'string', multiple: true },
  unset: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  ...API_OPTIONS,
} as const

/** `netlake relabel` */
export async function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, () => relabel(argv))
}

async function relabel(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS)
  if (values.help) return (console.log(USAGE), 0)
  const unset = values.unset ?? []
  if ((values.label ?? []).length === 0 && unset.length === 0)
    throw new UsageError('give at least one --label k=v or --unset k')
  let set: Record<string, unknown>
  try {
    set = parseLabelFlags(values.label ?? [])
  } catch (error) {
    if (error instanceof LabelInputError) throw new UsageError(error.message)
    throw error
  }
  return withApi('relabel', values, async (call) => {
    const shas = await resolveTargets(call, { positionals, run: values.run, where: values.where })
    if (shas.length === 0) return (console.error('netlake relabel: no stored result matches'), 1)
    return forEachObject(
      shas,
      { dryRun: values['dry-run'] ?? false, json: values.json ?? false, command: 'relabel' },
      (sha) => call('PATCH', `v1/raw/${sha}/labels`, { body: { set, unset } }),
      (sha, result) =>
        `${sha.slice(0, 12)}  labels v${result.labels_version}  ${result.run_ids.length} run(s)  scenario=${result.labels.scenario} platform=${result.labels.platform}`,
    )
  })
}
