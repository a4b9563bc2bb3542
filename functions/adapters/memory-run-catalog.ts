import { ConditionFailedError } from '#functions/ports.ts'
import type {
  DatasetPartition,
  IngestRecord,
  Page,
  ReportRecord,
  RunCatalog,
  TokenRecord,
} from '#functions/ports.ts'
import type { RunRow } from '#schemas/tables.ts'
import { CATALOG_TABLE } from '#schemas/catalog-table.ts'
import { compareKeys } from '#adapters/object-bodies.ts'
import {
  DATASET_TABLES,
  checkLimit,
  decodeCursor,
  encodeCursor,
  ingestSortKey,
  partitionSortKey,
  planRunQuery,
  reportCursorShape,
  reportKey,
  reportSortKey,
  residualFilter,
  runCursorScope,
  runCursorShape,
  runIdOf,
  runIndexKeys,
  runTableKey,
} from '#adapters/catalog/catalog-keys.ts'

/*
 * The memory twin of the DynamoDB catalog, for unit tests: the same conditions, order and cursors,
 * because both implement the rules of catalog/catalog-keys.ts.
 */

const partitionId = (table: string, platform: string, date: string) =>
  `DATASET#${table}/${platform}#${date}`

const clone = <T>(value: T): T => structuredClone(value)

/** A memory `RunCatalog` with the DynamoDB adapter's semantics (conditions, order, cursors). */
export function createMemoryRunCatalog(): RunCatalog {
  const runs = new Map<string, RunRow>()
  const ingest = new Map<string, IngestRecord>()
  const partitions = new Map<string, DatasetPartition>()
  const tokens = new Map<string, TokenRecord>()
  const reports = new Map<string, ReportRecord>()

  return {
    async putRun(run, options = {}) {
      const id = runIdOf(run)
      if (!options.overwrite && runs.has(id)) {
        throw new ConditionFailedError(`run ${id} already exists`)
      }
      runs.set(id, clone(run))
    },
    async getRun(runId) {
      const run = runs.get(runId)
      return run ? clone(run) : null
    },
    async deleteRun(runId) {
      runs.delete(runId)
    },
    async listRuns(filter, limit, cursor) {
      checkLimit(limit)
      const plan = planRunQuery(filter)
      const index = CATALOG_TABLE.indexes[plan.index]
      const after = cursor
        ? decodeCursor(cursor, runCursorScope(plan), runCursorShape(plan))[index.sortKey]
        : null
      const residual = residualFilter(filter, plan)
      const { lower, upper } = plan
      const candidates = [...runs.values()]
        .map((run) => ({ run, keys: runIndexKeys(run) }))
        .filter(({ keys }) => keys[index.partitionKey] === plan.partition)
        .filter(({ keys }) => lower === null || compareKeys(keys[index.sortKey], lower) >= 0)
        .filter(({ keys }) => upper === null || compareKeys(keys[index.sortKey], upper) <= 0)
        .filter(({ keys }) => after === null || compareKeys(keys[index.sortKey], after) < 0)
        .filter(({ run }) =>
          // '' selects runs without the label, as the DynamoDB adapter does.
          residual.every(([field, value]) =>
            value === '' ? run[field] == null : run[field] === value,
          ),
        )
        .sort((a, b) => compareKeys(b.keys[index.sortKey], a.keys[index.sortKey]))
      const taken = candidates.slice(0, limit)
      const last = taken.at(-1)
      const more = candidates.length > limit && last !== undefined
      return {
        items: taken.map(({ run }) => clone(run)),
        cursor: more
          ? encodeCursor(runCursorScope(plan), {
              ...runTableKey(runIdOf(last.run)),
              [index.partitionKey]: plan.partition,
              [index.sortKey]: last.keys[index.sortKey],
            })
          : null,
      }
    },

    async putIngestRecord(record) {
      if (ingest.has(record.raw_sha256)) {
        throw new ConditionFailedError(`ingest record for ${record.raw_sha256} already exists`)
      }
      ingest.set(record.raw_sha256, clone(record))
    },
    async getIngestRecord(rawSha256) {
      const record = ingest.get(rawSha256)
      return record ? clone(record) : null
    },
    async replaceIngestRecord(record) {
      ingest.set(record.raw_sha256, clone(record))
    },
    async deleteIngestRecord(rawSha256) {
      ingest.delete(rawSha256)
    },
    async *listIngestRecords(outcome) {
      const sorted = [...ingest.values()]
        .filter((r) => outcome === undefined || r.outcome === outcome)
        .sort((a, b) => compareKeys(ingestSortKey(a), ingestSortKey(b)))
      for (const record of sorted) yield clone(record)
    },

    async getPartition(table, platform, date) {
      const partition = partitions.get(partitionId(table, platform, date))
      return partition ? clone(partition) : null
    },
    async putPartition(partition, expectedVersion) {
      const id = partitionId(partition.table, partition.platform, partition.date)
      const stored = partitions.get(id)
      if ((stored?.version ?? null) !== expectedVersion) {
        throw new ConditionFailedError(
          `partition ${id} is at version ${stored?.version ?? 'none'}, ` +
            `expected ${expectedVersion ?? 'none'}`,
        )
      }
      partitions.set(id, clone(partition))
    },
    async listPartitions(table) {
      const tables = table ? [table] : DATASET_TABLES
      return tables.flatMap((t) =>
        [...partitions.values()]
          .filter((p) => p.table === t)
          .sort((a, b) => compareKeys(partitionSortKey(a), partitionSortKey(b)))
          .map(clone),
      )
    },

    async putToken(token) {
      tokens.set(token.hash, clone(token))
    },
    async getTokenByHash(hash) {
      const token = tokens.get(hash)
      return token ? clone(token) : null
    },

    async putReport(report) {
      reports.set(report.report_id, clone(report))
    },
    async listReports(limit, cursor): Promise<Page<ReportRecord>> {
      checkLimit(limit)
      const after = cursor
        ? decodeCursor(cursor, 'reports', reportCursorShape())[CATALOG_TABLE.sortKey]
        : null
      const sorted = [...reports.values()]
        .filter((r) => after === null || compareKeys(reportSortKey(r), after) < 0)
        .sort((a, b) => compareKeys(reportSortKey(b), reportSortKey(a)))
      const taken = sorted.slice(0, limit)
      const last = taken.at(-1)
      return {
        items: taken.map(clone),
        cursor:
          sorted.length > limit && last !== undefined
            ? encodeCursor('reports', reportKey(last))
            : null,
      }
    },
    async getReport(reportId) {
      const report = reports.get(reportId)
      return report ? clone(report) : null
    },
  }
}
