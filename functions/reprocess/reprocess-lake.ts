import { parseRawKey, sourcesOfFile } from '#core/object-keys.ts'
import { PARSER_VERSION } from '#core/rows.ts'
import {
  deriveObject,
  evictMismatch,
  writeQuarantineNote,
} from '#functions/ingest/derive-object.ts'
import type { DatasetFile, DatasetPartition, IngestRecord } from '#functions/ports.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import { updatePartition } from '#functions/lake/update-partition.ts'
import { describeError } from '#core/errors.ts'

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

/**
 * Re-derives the whole curated lake from raw/ with the current parser: every raw object is
 * normalized again, its Parquet rewritten, its runs and ingest record replaced; then each
 * partition's file list is switched in one conditional write to exactly the new files (plus any
 * file a concurrent ingest added meanwhile) and the old files are deleted. Raw bytes are never
 * touched. Quarantined objects are retried, so a parser fix can rescue them.
 */
export async function reprocessLake(
  deps: IngestDeps,
  progress: (done: number, key: string) => void = () => undefined,
): Promise<ReprocessSummary> {
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

  for await (const object of deps.raw.list('raw/')) {
    const parsed = parseRawKey(object.key)
    if (!parsed) continue
    summary.objects++
    let record: IngestRecord | null
    try {
      record = await rederive(object.key, parsed.sha256, parsed.date, deps, fresh)
    } catch (error) {
      // One object must not stop the lake: report it and keep its current files (not `processed`).
      summary.failed.push({ key: object.key, error: describeError(error) })
      progress(summary.objects, object.key)
      continue
    }
    processed.add(parsed.sha256)
    if (record === null) summary.quarantined++
    else if (record.outcome === 'ingested') summary.ingested++
    else summary.quarantined++
    summary.runs += record?.run_ids.length ?? 0
    progress(summary.objects, object.key)
  }

  const partitions = new Map<PartitionId, Pick<DatasetPartition, 'table' | 'platform' | 'date'>>()
  for (const p of before) partitions.set(idOf(p), p)
  for (const id of fresh.keys()) {
    const [table, platform, date] = id.split('|')
    partitions.set(id, { table: table as DatasetPartition['table'], platform, date })
  }
  const obsolete = new Set<string>()
  for (const [id, where] of partitions) {
    const next = fresh.get(id) ?? []
    const nextKeys = new Set(next.map((f) => f.key))
    await updatePartition(deps.catalog, where, (files) => {
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
    summary.partitions++
  }
  for (const key of obsolete) await deps.curated.delete(key)
  return summary
}

/** The object's new ingest record; null when its bytes did not match its key and were moved aside. */
async function rederive(
  key: string,
  sha: string,
  rawDate: string,
  deps: IngestDeps,
  fresh: Map<PartitionId, DatasetFile[]>,
): Promise<IngestRecord | null> {
  const at = deps.clock.now().toISOString()
  const derived = await deriveObject(key, sha, rawDate, deps)
  if (!derived.ok && derived.mismatch) {
    await evictMismatch(key, sha, derived.mismatch, derived.reason, deps)
    return null
  }
  if (!derived.ok) {
    await writeQuarantineNote(key, sha, derived.reason, deps)
    return save(deps, {
      raw_sha256: sha,
      raw_key: key,
      outcome: 'quarantined',
      run_ids: [],
      reason: derived.reason,
      parser_version: PARSER_VERSION,
      at,
    })
  }
  for (const { where, file } of derived.files) {
    const id = idOf(where)
    fresh.set(id, [...(fresh.get(id) ?? []), file])
  }
  for (const run of derived.rows.runs) await deps.catalog.putRun(run, { overwrite: true })
  return save(deps, {
    raw_sha256: sha,
    raw_key: key,
    outcome: 'ingested',
    run_ids: derived.rows.runs.map((r) => r.run_id as string),
    reason: null,
    parser_version: PARSER_VERSION,
    at,
  })
}

async function save(deps: IngestDeps, record: IngestRecord): Promise<IngestRecord> {
  if (await deps.catalog.getIngestRecord(record.raw_sha256))
    await deps.catalog.replaceIngestRecord(record)
  else await deps.catalog.putIngestRecord(record)
  return record
}
