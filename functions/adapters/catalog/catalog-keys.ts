import type {
  DatasetPartition,
  IngestRecord,
  ReportRecord,
  RunFilter,
  TokenRecord,
} from '#functions/ports.ts'
import { InvalidCursorError, InvalidFilterError } from '#functions/ports.ts'
import type { RunRow } from '#schemas/tables.ts'
import { CATALOG_TABLE } from '#schemas/catalog-table.ts'

/*
 * The catalog's key, cursor and query-plan rules, pure, shared by the DynamoDB adapter and its
 * memory twin so both order, filter and page identically:
 *   - runs list newest first by `<time>#<run_id>`, time = started_at else collected_at (ISO, ms);
 *   - `from`/`to` bound that time inclusively; runs without any time never match a time filter;
 *   - a page has at most `limit` items; the cursor is null once nothing more can follow.
 */

/** Which run index serves a filter: platform+scenario, hardware profile, else all runs by time. */
export type RunIndexName = keyof typeof CATALOG_TABLE.indexes

/** A DynamoDB-shaped key: table keys plus the index keys of the listing it came from. */
export type CatalogKey = Record<string, string>

const ATTRIBUTE_NAMES: string[] = [
  CATALOG_TABLE.partitionKey,
  CATALOG_TABLE.sortKey,
  ...Object.values(CATALOG_TABLE.indexes).flatMap((i) => [i.partitionKey, i.sortKey]),
]

/** Removes the catalog's key attributes from a stored item. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item }
  for (const name of ATTRIBUTE_NAMES) delete copy[name]
  return copy as T
}

/** Parses an instant to ISO-8601 with milliseconds, or null when absent or unparseable. */
function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/** The time part of a run's index sort keys ('' when the run has no usable time). */
export function runTime(run: Pick<RunRow, 'started_at' | 'collected_at'>): string {
  return isoOrNull(run.started_at) ?? isoOrNull(run.collected_at) ?? ''
}

/** A run's id; a run without one is a broken invariant (TypeError). */
export function runIdOf(run: Pick<RunRow, 'run_id'>): string {
  if (typeof run.run_id !== 'string' || run.run_id === '') {
    throw new TypeError('a run summary needs a run_id')
  }
  return run.run_id
}

/** The run's index attributes; an index is left out when its labels are null. */
export function runIndexKeys(run: RunRow): CatalogKey {
  const sort = `${runTime(run)}#${runIdOf(run)}`
  const { byPlatformScenario: ps, byHardwareProfile: hw, byKind: kind } = CATALOG_TABLE.indexes
  const keys: CatalogKey = { [kind.partitionKey]: 'RUN', [kind.sortKey]: sort }
  if (run.platform !== null && run.scenario !== null) {
    keys[ps.partitionKey] = `${run.platform}#${run.scenario}`
    keys[ps.sortKey] = sort
  }
  if (run.hardware_profile !== null) {
    keys[hw.partitionKey] = run.hardware_profile
    keys[hw.sortKey] = sort
  }
  return keys
}

/** The table key of a run summary. */
export function runTableKey(runId: string): CatalogKey {
  return { [CATALOG_TABLE.partitionKey]: `RUN#${runId}`, [CATALOG_TABLE.sortKey]: 'RUN' }
}

/** The listing plan for a filter: index, its partition value, and inclusive sort-key bounds. */
export interface RunQueryPlan {
  index: RunIndexName
  partition: string
  lower: string | null
  upper: string | null
}

function instant(filter: RunFilter, field: 'from' | 'to'): string | null {
  const value = filter[field]
  if (value === undefined || value === '') return null
  const iso = isoOrNull(value)
  if (iso === null) throw new InvalidFilterError(`${field} is not an ISO instant: ${value}`, field)
  return iso
}

/** Chooses the index for a filter and turns `from`/`to` into sort-key bounds. */
export function planRunQuery(filter: RunFilter): RunQueryPlan {
  const from = instant(filter, 'from')
  const to = instant(filter, 'to')
  if (from !== null && to !== null && from > to) {
    throw new InvalidFilterError(`from (${from}) is after to (${to})`, 'from')
  }
  // '0' sorts after '#', so runs without a time ('#<id>') fall outside every time range.
  const lower = from ?? (to !== null ? '0' : null)
  const upper = to !== null ? `${to}#\uffff` : null
  if (filter.platform !== undefined && filter.scenario !== undefined) {
    const partition = `${filter.platform}#${filter.scenario}`
    return { index: 'byPlatformScenario', partition, lower, upper }
  }
  if (filter.hardware_profile !== undefined) {
    return { index: 'byHardwareProfile', partition: filter.hardware_profile, lower, upper }
  }
  return { index: 'byKind', partition: 'RUN', lower, upper }
}

/** The equality filters the chosen index does not already apply (FilterExpression material). */
export function residualFilter(
  filter: RunFilter,
  plan: RunQueryPlan,
): Array<[keyof RunRow, string]> {
  const fields = [
    'platform',
    'scenario',
    'campaign',
    'hardware_profile',
    'tool',
    'test',
    'status',
  ] as const
  return fields
    .filter((f) => filter[f] !== undefined)
    .filter((f) => !(plan.index === 'byPlatformScenario' && (f === 'platform' || f === 'scenario')))
    .filter((f) => !(plan.index === 'byHardwareProfile' && f === 'hardware_profile'))
    .map((f) => [f, filter[f] as string])
}

/** Validates a page size: an integer from 1 to 1000. */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new InvalidFilterError(`limit must be an integer from 1 to 1000, got ${limit}`, 'limit')
  }
}

/** Encodes a key as an opaque cursor (base64url JSON). */
export function encodeCursor(scope: string, key: CatalogKey): string {
  return Buffer.from(JSON.stringify({ v: 1, s: scope, k: key }), 'utf8').toString('base64url')
}

/**
 * Decodes a cursor made by `encodeCursor` for the same scope, checking it carries exactly the
 * expected string attributes (and the expected values where given); else `InvalidCursorError`.
 */
export function decodeCursor(
  cursor: string,
  scope: string,
  expected: Record<string, string | null>,
): CatalogKey {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) {
    throw new InvalidCursorError('cursor is not base64url')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch (cause) {
    throw new InvalidCursorError('cursor does not decode', { cause })
  }
  const box = parsed as { v?: unknown; s?: unknown; k?: unknown }
  if (typeof box !== 'object' || box === null || box.v !== 1 || box.s !== scope) {
    throw new InvalidCursorError('cursor belongs to another listing')
  }
  const key = box.k as Record<string, unknown>
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    throw new InvalidCursorError('cursor has no key')
  }
  const names = Object.keys(key).sort()
  const wanted = Object.keys(expected).sort()
  if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i])) {
    throw new InvalidCursorError('cursor key has unexpected attributes')
  }
  for (const [name, value] of Object.entries(expected)) {
    if (typeof key[name] !== 'string') {
      throw new InvalidCursorError(`cursor ${name} is not a string`)
    }
    if (value !== null && key[name] !== value) {
      throw new InvalidCursorError('cursor belongs to another listing')
    }
  }
  return key as CatalogKey
}

/** The attributes and fixed values a run cursor must carry for a plan. */
export function runCursorShape(plan: RunQueryPlan): Record<string, string | null> {
  const index = CATALOG_TABLE.indexes[plan.index]
  return {
    [CATALOG_TABLE.partitionKey]: null,
    [CATALOG_TABLE.sortKey]: 'RUN',
    [index.partitionKey]: plan.partition,
    [index.sortKey]: null,
  }
}

/** The cursor scope of a run listing (an index name). */
export function runCursorScope(plan: RunQueryPlan): string {
  return `runs:${CATALOG_TABLE.indexes[plan.index].name}`
}

/** The report item's sort key: newest window first when read in descending order. */
export function reportSortKey(report: Pick<ReportRecord, 'window_to' | 'report_id'>): string {
  return `${report.window_to}#${report.report_id}`
}

/** The table key of a report item. */
export function reportKey(report: Pick<ReportRecord, 'window_to' | 'report_id'>): CatalogKey {
  return { [CATALOG_TABLE.partitionKey]: 'REPORT', [CATALOG_TABLE.sortKey]: reportSortKey(report) }
}

/** The by-kind sort key of an ingest record. */
export function ingestSortKey(record: Pick<IngestRecord, 'at' | 'raw_sha256'>): string {
  return `${record.at}#${record.raw_sha256}`
}

/** The by-kind sort key of a token: tokens list oldest first. */
export function tokenSortKey(record: Pick<TokenRecord, 'created_at' | 'token_id'>): string {
  return `${record.created_at}#${record.token_id}`
}

/** Dataset tables in listing order. */
export const DATASET_TABLES: DatasetPartition['table'][] = ['runs', 'intervals', 'metrics']

/** The sort key of a dataset partition item: `<platform>#<date>`. */
export function partitionSortKey(p: Pick<DatasetPartition, 'platform' | 'date'>): string {
  return `${p.platform}#${p.date}`
}

/** The attributes a report cursor must carry. */
export function reportCursorShape(): Record<string, string | null> {
  return { [CATALOG_TABLE.partitionKey]: 'REPORT', [CATALOG_TABLE.sortKey]: null }
}
