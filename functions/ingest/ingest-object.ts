import { parseRawKey, parseStagingKey } from '#core/object-keys.ts'
import { PARSER_VERSION } from '#core/rows.ts'
import { ConditionFailedError } from '#functions/ports.ts'
import type {
  Clock,
  DatasetPartition,
  IngestRecord,
  ObjectStore,
  ParquetWriter,
  RunCatalog,
} from '#functions/ports.ts'
import { compactPartition } from '#functions/compact/compact-partition.ts'
import { registerFile } from '#functions/lake/update-partition.ts'
import { publishManifests } from '#functions/lake/symlink-manifest.ts'
import { deriveObject, evictMismatch, writeQuarantineNote } from './derive-object.ts'
import { promoteUpload } from './promote-upload.ts'
import { describeError } from '#core/errors.ts'

/** What ingest needs; the handler (AWS) and the local worker pass real or memory adapters. */
export interface IngestDeps {
  raw: ObjectStore
  curated: ObjectStore
  catalog: RunCatalog
  parquet: ParquetWriter
  clock: Clock
  /**
   * Compact a partition as soon as it lists this many files (and read Parquet with `readParquet`),
   * so its catalog item stays far below DynamoDB's 400 KB however fast uploads arrive.
   */
  compactAt?: {
    files: number
    readParquet: (bytes: Uint8Array) => Promise<Record<string, unknown>[]>
  }
  /** The curated bucket's name: when set, the symlink manifests of the days touched are republished after the commit. */
  manifestBucket?: string
}

export type IngestOutcome =
  | { outcome: 'ingested' | 'quarantined'; key: string; run_ids: string[]; reason: string | null }
  | { outcome: 'skipped'; key: string; run_ids: string[]; reason: string }

/**
 * Ingests one raw object. Every write lands on a content-derived key and the ingest record is
 * written last, so a replayed event, a duplicate upload or a crash at any step converges on
 * exactly one set of runs. Throws only for infrastructure failures (the queue redelivers).
 */
export async function ingestObject(key: string, deps: IngestDeps): Promise<IngestOutcome> {
  const staged = parseStagingKey(key)
  if (staged) return promoteUpload(key, staged.uploadId, deps, ingestObject)
  const parsed = parseRawKey(key)
  if (!parsed) return { outcome: 'skipped', key, run_ids: [], reason: 'not a raw object key' }
  const done = await deps.catalog.getIngestRecord(parsed.sha256)
  if (done) {
    // Re-deriving with a newer parser is `netlake reprocess`'s job: it rewrites whole partitions.
    return {
      outcome: 'skipped',
      key,
      run_ids: done.run_ids,
      reason: `already ${done.outcome} by parser ${done.parser_version}`,
    }
  }
  const derived = await deriveObject(key, parsed.sha256, parsed.date, deps)
  if (!derived.ok) {
    if (derived.gone) return { outcome: 'skipped', key, run_ids: [], reason: derived.reason }
    if (derived.mismatch) {
      await evictMismatch(key, parsed.sha256, derived.mismatch, derived.reason, deps)
      return { outcome: 'quarantined', key, run_ids: [], reason: derived.reason }
    }
    await writeQuarantineNote(key, parsed.sha256, derived.reason, deps)
    await commit(deps, {
      raw_sha256: parsed.sha256,
      raw_key: key,
      outcome: 'quarantined',
      run_ids: [],
      reason: derived.reason,
    })
    return { outcome: 'quarantined', key, run_ids: [], reason: derived.reason }
  }
  const crowded: DatasetPartition[] = []
  for (const { where, file } of derived.files) {
    const partition = await registerFile(deps.catalog, where, file)
    if (partition && isCrowded(partition, deps)) crowded.push(partition)
  }
  const result = derived.rows
  for (const run of result.runs) await putOnce(() => deps.catalog.putRun(run))
  const runIds = result.runs.map((run) => run.run_id as string)
  await commit(deps, {
    raw_sha256: parsed.sha256,
    raw_key: key,
    outcome: 'ingested',
    run_ids: runIds,
    reason: null,
  })
  if (deps.manifestBucket !== undefined)
    await publishManifests(
      { ...deps, curatedBucket: deps.manifestBucket },
      derived.files.map((f) => f.where),
    )
  // After the commit, so this object's own file is compactable too.
  for (const partition of crowded)
    await compactPartition(partition, { ...deps, readParquet: deps.compactAt!.readParquet })
  return { outcome: 'ingested', key, run_ids: runIds, reason: null }
}

/**
 * A partition to compact now: it lists `compactAt.files` files, or its batch files name ten times
 * that many raw objects (each sha is 64 bytes of the one catalog item, ≤ 400 KB in DynamoDB).
 */
export function isCrowded(partition: DatasetPartition, deps: Pick<IngestDeps, 'compactAt'>) {
  if (!deps.compactAt) return false
  const sources = partition.files.reduce((n, f) => n + (f.sources?.length ?? 0), 0)
  return partition.files.length >= deps.compactAt.files || sources >= deps.compactAt.files * 10
}

/**
 * After its retries: an object whose ingest kept failing is quarantined with the last error as
 * its reason (note + ingest record), so later events and start-up sweeps skip it instead of
 * failing again; `netlake reprocess` retries quarantined objects. False when `key` is not a raw
 * object or the catalog already holds an outcome for it.
 */
export async function quarantineAfterRetries(
  key: string,
  attempts: number,
  error: unknown,
  deps: IngestDeps,
): Promise<boolean> {
  const parsed = parseRawKey(key)
  if (!parsed || (await deps.catalog.getIngestRecord(parsed.sha256))) return false
  const reason = `ingest failed ${attempts} times: ${describeError(error)}`
  await writeQuarantineNote(key, parsed.sha256, reason, deps)
  await commit(deps, {
    raw_sha256: parsed.sha256,
    raw_key: key,
    outcome: 'quarantined',
    run_ids: [],
    reason,
  })
  return true
}

/** The ingest record is the commit marker: written last, once. */
export async function commit(
  deps: IngestDeps,
  fields: Omit<IngestRecord, 'parser_version' | 'at'>,
) {
  const record: IngestRecord = {
    ...fields,
    parser_version: PARSER_VERSION,
    at: deps.clock.now().toISOString(),
  }
  await putOnce(() => deps.catalog.putIngestRecord(record))
}

/** A conditional create that finds the item already there means a replay did it: success. */
export async function putOnce(write: () => Promise<void>): Promise<void> {
  try {
    await write()
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error
  }
}
