import { bindValues, parseQueryFile, type QueryFile } from '#sql/query-file.ts'
import { runQuery, type QueryResult } from './db.ts'

const texts = import.meta.glob('../../sql/queries/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>

/** The shared query files (`sql/queries/*.sql`) by name, e.g. `tcp-runs`. */
export const QUERIES: Record<string, QueryFile> = Object.fromEntries(
  Object.entries(texts).map(([path, sql]) => {
    const name = path.replace(/^.*\//, '').replace(/\.sql$/, '')
    return [name, parseQueryFile(name, sql)]
  }),
)

/** Timeout of the built-in pages' queries. */
export const PAGE_QUERY_TIMEOUT_MS = 60_000

/** Run a named query file with values bound to its declared parameters. */
export function runNamedQuery(name: string, values: object): Promise<QueryResult> {
  const file = QUERIES[name]
  if (!file) throw new Error(`no query file ${name}.sql`)
  return runQuery(file.sql, bindValues(file, values as Record<string, unknown>), {
    timeoutMs: PAGE_QUERY_TIMEOUT_MS,
  })
}
