import { parseRawKey, sourcesOfFile } from '#core/object-keys.ts'
import { PARSER_VERSION } from '#core/rows.ts'
import type { DatasetFile, DatasetPartition } from '#functions/ports.ts'
import type { ReprocessBatchItem, ReprocessBatchReport } from '#schemas/reprocess-map.ts'
import { rederiveBatch, type RawItem, type RederivedBatch } from './rederive-batch.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import { publishManifests } from '#functions/lake/symlink-manifest.ts'
import { updatePartition } from '#functions/lake/update-partition.ts'
import { describeError } from '#core/errors.ts'
import { resumePendingRepairs } from '#functions/repair/repair-object.ts'
import { readParquetRows } from '#adapters/parquet-writer.ts'

export interface ReprocessSummary {
  objects: number
  ingested: number
  quarantined: number
  runs: number
  partitions: number
  /** Raw keys holding the same bytes as another key, which owns their rows (left to it). */
  duplicates: number
  parser_version: string
  /**
   * Objects whose re-derivation threw (an infrastructure error or a bug, not bad input): skipped
   * with the error, their current files and runs kept as they were, the rest of the lake done.
   */
  failed: Array<{ key: string; error: string }>
}

type PartitionId = string
const idOf = (p: Pick<DatasetPartition, 'table' | 'platform' | 'date'>): PartitionId =>
  `${p.table}|${p.platform}|${p.date}`

/** Re-derives a batch of raw objects (in this thread, or in a worker thread with its own adapters). */
export type Rederive = (items: RawItem[]) => Promise<RederivedBatch>

export interface ReprocessOptions {
  /** Where each batch is re-derived; default: in this thread with `deps`. */
  rederive?: Rederive
  /** Batches re-derived at once (default 1: one after the other). */
  concurrency?: number
  /** Raw objects per batch: one Parquet file per partition and batch (default 32). */
  batchSize?: number
}

/** Raw objects per batch by default: 32 objects' rows make one file per partition. */
export const REPROCESS_BATCH_SIZE = 32

/**
 * What a reprocess has re-derived so far: the summary, the shas whose rows are now in `fresh`
 * files (their old files are replaced by the switch) and the fresh files per partition. Built
 * batch by batch, here or (in AWS) from the Distributed Map's results.
 */
export interface ReprocessTally {
  summary: ReprocessSummary
  processed: Set<string>
  fresh: Map<
    PartitionId,
    { where: Pick<DatasetPartition, 'table' | 'platform' | 'date'>; files: DatasetFile[] }
  >
}

/** An empty tally. */
export function newTally(): ReprocessTally {
  return {
    summary: {
      objects: 0,
      ingested: 0,
      quarantined: 0,
      runs: 0,
      partitions: 0,
      duplicates: 0,
      parser_version: PARSER_VERSION,
      failed: [],
    },
    processed: new Set(),
    fresh: new Map(),
  }
}

/** A re-derived batch in the compact form a batch invocation returns (pure). */
export function reportOfBatch(batch: RederivedBatch): ReprocessBatchReport {
  return {
    items: batch.items.map((item): ReprocessBatchItem => {
      const { key, sha256 } = item
      if (!item.ok)
        return {
          key,
          sha256,
          outcome: 'failed',
          runs: 0,
          error: item.error,
          rows_written: item.rowsWritten,
        }
      if (item.duplicateOf !== undefined) return { key, sha256, outcome: 'duplicate', runs: 0 }
      if (item.record === null) return { key, sha256, outcome: 'moved', runs: 0 }
      return { key, sha256, outcome: item.record.outcome, runs: item.record.run_ids.length }
    }),
    files: batch.files,
  }
}

/** Adds one batch's report to the tally (pure). */
export function addReport(tally: ReprocessTally, report: ReprocessBatchReport): void {
  const { summary } = tally
  for (const item of report.items) {
    summary.objects++
    if (item.outcome === 'failed') {
      // One object must not stop the lake: report it; its current files stay unless its new rows
      // are already in this batch's files.
      summary.failed.push({ key: item.key, error: item.error ?? 'failed' })
      if (item.rows_written) tally.processed.add(item.sha256)
      continue
    }
    if (item.outcome === 'duplicate') {
      summary.duplicates++
      continue
    }
    tally.processed.add(item.sha256)
    if (item.outcome === 'ingested') summary.ingested++
    else summary.quarantined++
    summary.runs += item.runs
  }
  for (const { where, file } of report.files) {
    const id = idOf(where)
    const entry = tally.fresh.get(id) ?? tally.fresh.set(id, { where, files: [] }).get(id)!
    entry.files.push(file)
  }
}

/** Counts a batch that could not be re-derived at all (a dead worker, a Lambda that failed). */
export function failBatch(tally: ReprocessTally, items: RawItem[], error: string): void {
  addReport(tally, {
    items: items.map((i) => ({ key: i.key, sha256: i.sha256, outcome: 'failed', runs: 0, error })),
    files: [],
  })
}

/**
 * Re-derives the whole curated lake from raw/ with the current parser: every raw object is
 * normalized again, its Parquet rewritten (one file per partition and batch), its runs and ingest
 * record replaced; then each partition's file list is switched in one conditional write to
 * exactly the new files (plus any file a concurrent ingest added meanwhile). Raw bytes are never
 * touched. Quarantined objects are retried, so a parser fix can rescue them. With `concurrency`
 * above 1 (and a `rederive` that runs in worker threads) batches are re-derived in parallel; the
 * partition switch still happens once, here, after every batch is done, so a reader never sees
 * a partition half old, half new, and an object that failed keeps its current files.
 */
export async function reprocessLake(
  deps: IngestDeps,
  progress: (done: number, key: string) => void = () => undefined,
  options: ReprocessOptions = {},
): Promise<ReprocessSummary> {
  const rederive: Rederive = options.rederive ?? ((items) => rederiveBatch(items, deps))
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1))
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? REPROCESS_BATCH_SIZE))
  // A relabel or delete a crash left half-done finishes first, so a deleted object is not re-derived.
  await resumePendingRepairs({
    ...deps,
    readParquet: deps.compactAt?.readParquet ?? readParquetRows,
  })
  const tally = newTally()
  let done = 0
  const run = async (items: RawItem[]): Promise<void> => {
    try {
      addReport(tally, reportOfBatch(await rederive(items)))
    } catch (error) {
      failBatch(tally, items, describeError(error))
    }
    done += items.length
    progress(done, items[items.length - 1].key)
  }

  const inFlight = new Set<Promise<void>>()
  // Two raw keys with the same bytes share one ingest record: never in one batch, and in turn.
  const lastOfSha = new Map<string, Promise<void>>()
  let batch: RawItem[] = []
  const flush = async () => {
    if (batch.length === 0) return
    const items = batch
    batch = []
    const before = Promise.all(items.map((i) => lastOfSha.get(i.sha256)))
    const task: Promise<void> = before.then(() => run(items)).finally(() => inFlight.delete(task))
    for (const i of items) lastOfSha.set(i.sha256, task)
    inFlight.add(task)
    if (inFlight.size >= concurrency) await Promise.race(inFlight)
  }
  for await (const object of deps.raw.list('raw/')) {
    const parsed = parseRawKey(object.key)
    if (!parsed) continue
    if (batch.some((i) => i.sha256 === parsed.sha256)) await flush()
    batch.push({ key: object.key, sha256: parsed.sha256, date: parsed.date })
    if (batch.length >= batchSize) await flush()
  }
  await flush()
  await Promise.all(inFlight)
  return switchPartitions(deps, tally)
}

/**
 * The end of a reprocess: switches every partition, each in one conditional write, to its fresh
 * files plus what a concurrent ingest added for bytes this run never saw; then publishes the
 * days' manifests (the replaced files are the sweeper's) or, without manifests, deletes the
 * replaced files. Returns the summary, failures sorted by key.
 */
export async function switchPartitions(
  deps: Pick<IngestDeps, 'catalog' | 'curated' | 'manifestBucket'>,
  tally: ReprocessTally,
): Promise<ReprocessSummary> {
  const { summary, processed, fresh } = tally
  summary.failed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const partitions = new Map<PartitionId, Pick<DatasetPartition, 'table' | 'platform' | 'date'>>()
  for (const p of await deps.catalog.listPartitions()) partitions.set(idOf(p), p)
  for (const [id, { where }] of fresh) partitions.set(id, where)
  const obsolete = new Set<string>()
  const switched: Array<Pick<DatasetPartition, 'table' | 'date'>> = []
  for (const [id, where] of partitions) {
    const next = [...(fresh.get(id)?.files ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1))
    const nextKeys = new Set(next.map((f) => f.key))
    let switchedHere = true
    let current: DatasetFile[] = []
    await updatePartition(deps.catalog, where, (files) => {
      current = files
      // A compacted or batched file holds rows of many objects: with any object failed, it may
      // hold that object's only rows, and dropping it would lose them while keeping it would
      // double the others. Such a partition stays as it was (consistent, old) until a run with
      // no failures.
      if (summary.failed.length > 0 && files.some((f) => sourcesOfFile(f).length !== 1)) {
        switchedHere = false
        return null
      }
      switchedHere = true
      // Keep what a concurrent ingest added for bytes this run never saw; everything else is replaced.
      const kept = files.filter(
        (f) =>
          !nextKeys.has(f.key) &&
          sourcesOfFile(f).length > 0 &&
          sourcesOfFile(f).every((sha) => !processed.has(sha)),
      )
      for (const f of files) if (!nextKeys.has(f.key) && !kept.includes(f)) obsolete.add(f.key)
      return [...next, ...kept]
    })
    if (switchedHere) {
      summary.partitions++
      switched.push(where)
    } else
      // never listed: the fresh files go (unless one overwrote a listed key with the same rows)
      for (const f of next) if (!current.some((c) => c.key === f.key)) obsolete.add(f.key)
  }
  if (deps.manifestBucket !== undefined) {
    // External readers switch with each day's manifest; the replaced files are the sweeper's
    // (after its grace period), so a reader holding the previous manifest can still read them.
    const curatedBucket = deps.manifestBucket
    await publishManifests(
      { curated: deps.curated, catalog: deps.catalog, curatedBucket },
      switched,
    )
  } else for (const key of obsolete) await deps.curated.delete(key)
  return summary
}
