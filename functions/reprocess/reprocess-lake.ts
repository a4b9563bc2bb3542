import { parseRawKey, sourcesOfFile } from '#core/object-keys.ts'
import { PARSER_VERSION } from '#core/rows.ts'
import {
  deriveObject,
  evictMismatch,
  writeQuarantineNote,
  type WrittenFile,
} from '#functions/ingest/derive-object.ts'
import type { DatasetFile, DatasetPartition, IngestRecord } from '#functions/ports.ts'
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

/** One raw object re-derived: its new ingest record (null when moved aside) and the files it wrote. */
export interface Rederived {
  record: IngestRecord | null
  files: WrittenFile[]
}

/** Re-derives one raw object (in this thread, or in a worker thread with its own adapters). */
export type Rederive = (key: string, sha256: string, rawDate: string) => Promise<Rederived>

export interface ReprocessOptions {
  /** Where each object is re-derived; default: in this thread with `deps`. */
  rederive?: Rederive
  /** Objects re-derived at once (default 1: one after the other). */
  concurrency?: number
}

/**
 * Re-derives the whole curated lake from raw/ with the current parser: every raw object is
 * normalized again, its Parquet rewritten, its runs and ingest record replaced; then each
 * partition's file list is switched in one conditional write to exactly the new files (plus any
 * file a concurrent ingest added meanwhile) and the old files are deleted. Raw bytes are never
 * touched. Quarantined objects are retried, so a parser fix can rescue them. With `concurrency`
 * above 1 (and a `rederive` that runs in worker threads) objects are re-derived in parallel; the
 * partition switch still happens once, here, after every object is done, so a reader never sees
 * a partition half old, half new, and an object that failed keeps its current files.
 */
export async function reprocessLake(
  deps: IngestDeps,
  progress: (done: number, key: string) => void = () => undefined,
  options: ReprocessOptions = {},
): Promise<ReprocessSummary> {
  const rederive: Rederive =
    options.rederive ?? ((key, sha, date) => rederiveObject(key, sha, date, deps))
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1))
  // A relabel or delete a crash left half-done finishes first, so a deleted object is not re-derived.
  await resumePendingRepairs({
    ...deps,
    readParquet: deps.compactAt?.readParquet ?? readParquetRows,
  })
  const before = await deps.catalog.listPartitions()
  const processed = new Set<string>()
  const fresh = new Map<PartitionId, DatasetFile[]>()
  const summary: ReprocessSummary = {
    objects: 0,
    ingested: 0,
    quarantined: 0,
    runs: 0,
    partitions: 0,
    parser_version: PARSER_VERSION,
    failed: [],
  }

  let done = 0
  const one = async (key: string, sha: string, date: string): Promise<void> => {
    let result: Rederived
    try {
      result = await rederive(key, sha, date)
    } catch (error) {
      // One object must not stop the lake: report it and keep its current files (not `processed`).
      summary.failed.push({ key, error: describeError(error) })
      progress(++done, key)
      return
    }
    processed.add(sha)
    for (const { where, file } of result.files) {
      const id = idOf(where)
      fresh.set(id, [...(fresh.get(id) ?? []), file])
    }
    const { record } = result
    if (record === null) summary.quarantined++
    else if (record.outcome === 'ingested') summary.ingested++
    else summary.quarantined++
    summary.runs += record?.run_ids.length ?? 0
    progress(++done, key)
  }

  const inFlight = new Set<Promise<void>>()
  // Two raw keys with the same bytes share one ingest record: they are re-derived in turn.
  const lastOfSha = new Map<string, Promise<void>>()
  for await (const object of deps.raw.list('raw/')) {
    const parsed = parseRawKey(object.key)
    if (!parsed) continue
    summary.objects++
    const previous = lastOfSha.get(parsed.sha256) ?? Promise.resolve()
    const task: Promise<void> = previous
      .then(() => one(object.key, parsed.sha256, parsed.date))
      .finally(() => inFlight.delete(task))
    lastOfSha.set(parsed.sha256, task)
    inFlight.add(task)
    if (inFlight.size >= concurrency) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  summary.failed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))

  const partitions = new Map<PartitionId, Pick<DatasetPartition, 'table' | 'platform' | 'date'>>()
  for (const p of before) partitions.set(idOf(p), p)
  for (const id of fresh.keys()) {
    const [table, platform, date] = id.split('|')
    partitions.set(id, { table: table as DatasetPartition['table'], platform, date })
  }
  const obsolete = new Set<string>()
  const switched: Array<Pick<DatasetPartition, 'table' | 'date'>> = []
  for (const [id, where] of partitions) {
    const next = [...(fresh.get(id) ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1))
    const nextKeys = new Set(next.map((f) => f.key))
    let switchedHere = true
    await updatePartition(deps.catalog, where, (files) => {
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
    }
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

/**
 * Re-derives one raw object: rewrites its Parquet and runs and replaces its ingest record, but
 * lists nothing in a partition (the caller switches partitions once every object is done).
 */
export async function rederiveObject(
  key: string,
  sha: string,
  rawDate: string,
  deps: IngestDeps,
): Promise<Rederived> {
  const at = deps.clock.now().toISOString()
  const derived = await deriveObject(key, sha, rawDate, deps)
  if (!derived.ok && derived.mismatch) {
    await evictMismatch(key, sha, derived.mismatch, derived.reason, deps)
    return { record: null, files: [] }
  }
  if (!derived.ok) {
    await writeQuarantineNote(key, sha, derived.reason, deps)
    const record = await save(deps, {
      raw_sha256: sha,
      raw_key: key,
      outcome: 'quarantined',
      run_ids: [],
      reason: derived.reason,
      parser_version: PARSER_VERSION,
      at,
    })
    return { record, files: [] }
  }
  for (const run of derived.rows.runs) await deps.catalog.putRun(run, { overwrite: true })
  const record = await save(deps, {
    raw_sha256: sha,
    raw_key: key,
    outcome: 'ingested',
    run_ids: derived.rows.runs.map((r) => r.run_id as string),
    reason: null,
    parser_version: PARSER_VERSION,
    at,
  })
  return { record, files: derived.files }
}

async function save(deps: IngestDeps, record: IngestRecord): Promise<IngestRecord> {
  if (await deps.catalog.getIngestRecord(record.raw_sha256))
    await deps.catalog.replaceIngestRecord(record)
  else await deps.catalog.putIngestRecord(record)
  return record
}
