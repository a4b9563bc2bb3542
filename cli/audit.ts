import { UsageError, intFlag, parseFlags, withUsage } from './args.ts'
import { API_OPTIONS, withApi } from './api-client.ts'
import { renderTable } from './table.ts'

const USAGE = `usage: netlake audit [SHA256] [--limit N] [--json]

Lists the audit log: every relabel and delete, oldest first, with who made it and when. With a
SHA256, only that object's records. Needs an admin token.

  --limit N           records at most (default 100)
  --api URL           API base (env NETLAKE_API, default: the running local stack)
  --token TOKEN       an admin token (env NETLAKE_TOKEN, default <data dir>/token)
  --data-dir DIR      the local stack's data folder (default ./.netlake or $NETLAKE_DATA_DIR)
  --json              one JSON object per record on stdout`

const OPTIONS = {
  limit: { type: 'string' },
  ...API_OPTIONS,
} as const

/** `netlake audit` */
export async function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, () => audit(argv))
}

async function audit(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS)
  if (values.help) return (console.log(USAGE), 0)
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`)
  const limit = intFlag(values.limit, 'limit', 100, 1)
  return withApi('audit', values, async (call) => {
    const records: Array<Record<string, any>> = []
    let cursor: string | undefined
    do {
      const page = await call('GET', 'v1/audit', {
        query: {
          limit: String(Math.min(1000, limit - records.length)),
          cursor,
          sha256: positionals[0],
        },
      })
      records.push(...page.items)
      cursor = page.cursor ?? undefined
    } while (cursor && records.length < limit)
    if (values.json) {
      for (const r of records) console.log(JSON.stringify(r))
      return 0
    }
    if (records.length === 0) return (console.error('no relabel or delete recorded yet'), 0)
    console.log(
      renderTable(
        ['at', 'action', 'raw_sha256', 'runs', 'by', 'change'],
        records.map((r) => ({
          at: r.at,
          action: r.action,
          raw_sha256: r.raw_sha256.slice(0, 12),
          runs: r.run_ids.length,
          by: r.by ?? '',
          change: change(r),
        })),
        { raw: true },
      ),
    )
    return 0
  })
}

/** What changed, in one cell: `scenario os-s1→os-s3` or `purged`/`kept until ...`. */
function change(record: Record<string, any>): string {
  if (record.action === 'delete')
    return record.purge ? 'purged' : `kept until ${record.retain_until}`
  const before = (record.previous_labels ?? {}) as Record<string, unknown>
  const after = (record.labels ?? {}) as Record<string, unknown>
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map(
      (k) =>
        `${k} ${before[k] === undefined ? '∅' : JSON.stringify(before[k])}→${after[k] === undefined ? '∅' : JSON.stringify(after[k])}`,
    )
    .join(', ')
}
