import { PARSER_VERSION } from '#core/rows.ts'
import { describeError } from '#core/errors.ts'
import {
  deriveRows,
  evictMismatch,
  writeQuarantineNote,
  type WrittenFile,
} from '#functions/ingest/derive-object.ts'
import { writeFile } from '#functions/ingest/ingest-batch.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import type { DatasetPartition, IngestRecord } from '#functions/ports.ts'
import type { NormalizedRows } from '#schemas/parse-result.ts'

/** One raw object to re-derive: its key and what the key says (sha, upload date). */
export interface RawItem {
  key: string
  sha256: string
  date: string
}

/**
 * One object's fate in a batch: its new ingest record (null: moved aside, or `duplicateOf` the raw
 * key that holds the same bytes and owns their rows), or why it failed.
 * `rowsWritten`: a failed object whose new rows are in the batch's files all the same (its runs or
 * record could not be written): the switch must replace its old files, or its rows would double.
 */
export type RederivedItem =
  | { key: string; sha256: string; ok: true; record: IngestRecord | null; duplicateOf?: string }
  | { key: string; sha256: string; ok: false; error: string; rowsWritten: boolean }

/** A batch re-derived: every item's fate, and the files written (listed nowhere yet). */
export interface RederivedBatch {
  items: RederivedItem[]
  files: WrittenFile[]
}

type Where = Pick<DatasetPartition, 'table' | 'platform' | 'date'>

/** Objects of a batch whose catalog writes run at once (round trips overlap, order is kept per object). */
const CATALOG_PARALLEL = 8

/**
 * Re-derives a batch of raw objects with the current parser (keys holding the same bytes once,
 * under the key that owns them): reads and normalizes each, writes ONE Parquet file per partition for the whole batch (a batch file listing its
 * objects as `sources`, as batched ingest does), then per object its runs (overwritten) and its
 * ingest record (replaced). Nothing is listed in a partition: the caller switches partitions once
 * every batch is done. Failures come back as data: an object that throws while read keeps its
 * current files and record; a file that cannot be written fails the batch (its files deleted); an
 * object whose runs or record cannot be written fails with `rowsWritten`.
 * Shared by `netlake reprocess` (in worker threads) and the AWS reprocess fan-out (one Lambda
 * invocation per batch of the Distributed Map).
 */
export async function rederiveBatch(items: RawItem[], deps: IngestDeps): Promise<RederivedBatch> {
  const fates = new Map<string, RederivedItem>()
  const at = deps.clock.now().toISOString()
  const fail = (item: RawItem, error: unknown, rowsWritten = false) =>
    fates.set(item.key, {
      key: item.key,
      sha256: item.sha256,
      ok: false,
      error: describeError(error),
      rowsWritten,
    })
  const ready: Array<{ item: RawItem; rows: NormalizedRows }> = []
  const parts = new Map<string, { where: Where; members: Array<{ sha: string; rows: Row[] }> }>()

  // 1. Read and normalize each object; a rejection is recorded now (nothing else to write for it).
  const known = new Set<string>()
  const readOne = async (item: RawItem): Promise<void> => {
    try {
      // The same bytes under a second raw key (another upload date) are one key's, as in ingest:
      // re-deriving both would list their rows twice. Of the batch's keys for them, the one the
      // ingest record names owns them, else the first.
      const existing = await deps.catalog.getIngestRecord(item.sha256)
      if (existing) known.add(item.sha256)
      const twins = items.filter((i) => i.sha256 === item.sha256)
      const owner = twins.find((i) => i.key === existing?.raw_key) ?? twins[0]!
      if (owner !== item) {
        fates.set(item.key, { ...itemOf(item), ok: true, record: null, duplicateOf: owner.key })
        return
      }
      if (existing && existing.raw_key !== item.key && (await deps.raw.head(existing.raw_key))) {
        fates.set(item.key, {
          key: item.key,
          sha256: item.sha256,
          ok: true,
          record: null,
          duplicateOf: existing.raw_key,
        })
        return
      }
      const derived = await deriveRows(item.key, item.sha256, item.date, deps)
      if (!derived.ok && derived.mismatch) {
        await evictMismatch(item.key, item.sha256, derived.mismatch, derived.reason, deps)
        fates.set(item.key, { key: item.key, sha256: item.sha256, ok: true, record: null })
        return
      }
      if (!derived.ok) {
        await writeQuarantineNote(item.key, item.sha256, derived.reason, deps)
        const record = await save(deps, known, {
          raw_sha256: item.sha256,
          raw_key: item.key,
          outcome: 'quarantined',
          run_ids: [],
          reason: derived.reason,
          parser_version: PARSER_VERSION,
          at,
        })
        fates.set(item.key, { key: item.key, sha256: item.sha256, ok: true, record })
        return
      }
      ready.push({ item, rows: derived.rows })
      for (const part of derived.parts) {
        const id = `${part.where.table}|${part.where.platform}|${part.where.date}`
        const entry = parts.get(id) ?? parts.set(id, { where: part.where, members: [] }).get(id)!
        entry.members.push({ sha: item.sha256, rows: part.rows })
      }
    } catch (error) {
      fail(item, error)
    }
  }
  // Objects are read a few at a time (their S3 and catalog round trips overlap); rows keep item order.
  const order = new Map(items.map((item, i) => [item.key, i]))
  for (let start = 0; start < items.length; start += CATALOG_PARALLEL)
    await Promise.all(items.slice(start, start + CATALOG_PARALLEL).map(readOne))
  ready.sort((a, b) => order.get(a.item.key)! - order.get(b.item.key)!)

  // 2. One file per partition for the batch. A file that cannot be written fails the whole
  // batch (the others are deleted): an object's rows must be new in every partition or in none.
  const files: WrittenFile[] = []
  try {
    for (const { where, members } of parts.values())
      files.push({ where, file: await writeFile(where, members, deps) })
  } catch (error) {
    for (const { file } of files) await deps.curated.delete(file.key).catch(() => undefined)
    for (const { item } of ready) fail(item, error)
    return { items: items.map((i) => fates.get(i.key)!), files: [] }
  }

  // 3. Per object, its runs then its record (the record last, as in ingest).
  for (let start = 0; start < ready.length; start += CATALOG_PARALLEL)
    await Promise.all(
      ready.slice(start, start + CATALOG_PARALLEL).map(async ({ item, rows }) => {
        try {
          for (const run of rows.runs) await deps.catalog.putRun(run, { overwrite: true })
          const record = await save(deps, known, {
            raw_sha256: item.sha256,
            raw_key: item.key,
            outcome: 'ingested',
            run_ids: rows.runs.map((r) => r.run_id as string),
            reason: null,
            parser_version: PARSER_VERSION,
            at,
          })
          fates.set(item.key, { key: item.key, sha256: item.sha256, ok: true, record })
        } catch (error) {
          fail(item, error, true)
        }
      }),
    )
  return { items: items.map((i) => fates.get(i.key)!), files }
}

type Row = Record<string, unknown>

const itemOf = (item: RawItem) => ({ key: item.key, sha256: item.sha256 })

async function save(
  deps: IngestDeps,
  known: Set<string>,
  record: IngestRecord,
): Promise<IngestRecord> {
  if (known.has(record.raw_sha256)) await deps.catalog.replaceIngestRecord(record)
  else await deps.catalog.putIngestRecord(record)
  return record
}
