import { RawSidecarSchema } from '#schemas/envelope.ts'
import type { RawSidecar } from '#schemas/envelope.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { curatedKey, parseRawKey, quarantineKey, sidecarKey } from '#core/object-keys.ts'
import { partitionRows, TABLE_NAMES } from '#core/partition-rows.ts'
import { PARSER_VERSION, sha256Hex } from '#core/rows.ts'
import { ConditionFailedError } from '#functions/ports.ts'
import type { Clock, DatasetPartition, IngestRecord, ObjectStore, ParquetWriter, RunCatalog } from '#functions/ports.ts'
import { compactPartition } from '#functions/compact/compact-partition.ts'
import { registerFile } from '#functions/shared/register-file.ts'

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
  compactAt?: { files: number; readParquet: (bytes: Uint8Array) => Promise<Record<string, unknown>[]> }
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
  const parsed = parseRawKey(key)
  if (!parsed) return { outcome: 'skipped', key, run_ids: [], reason: 'not a raw object key' }
  const done = await deps.catalog.getIngestRecord(parsed.sha256)
  if (done) {
    // Re-deriving with a newer parser is `netlake reprocess`'s job: it rewrites whole partitions.
    return { outcome: 'skipped', key, run_ids: done.run_ids, reason: `already ${done.outcome} by parser ${done.parser_version}` }
  }
  const bytes = await deps.raw.get(key)
  if (bytes === null) return { outcome: 'skipped', key, run_ids: [], reason: 'raw object no longer exists' }

  const quarantine = (reason: string) => quarantineObject(key, parsed.sha256, reason, deps)
  if (sha256Hex(bytes) !== parsed.sha256) {
    return quarantine(`content sha256 ${sha256Hex(bytes)} does not match the key's ${parsed.sha256}`)
  }
  const sidecar = await readSidecar(key, deps.raw)
  if (typeof sidecar === 'string') return quarantine(sidecar)

  const result = normalizeRaw(bytes, {
    raw_key: key,
    raw_sha256: parsed.sha256,
    labels: sidecar.labels,
    tool: sidecar.tool,
    received_at: sidecar.received_at,
  })
  if (!result.ok) return quarantine(`${result.error.code}: ${result.error.message}`)

  const crowded: DatasetPartition[] = []
  for (const part of partitionRows(result, parsed.date)) {
    for (const table of TABLE_NAMES) {
      const rows = part.tables[table]
      if (rows.length === 0) continue
      const fileKey = curatedKey(table, part.platform, part.date, parsed.sha256)
      const body = deps.parquet.write(table, rows)
      await deps.curated.put(fileKey, body, { contentType: 'application/vnd.apache.parquet' })
      const partition = await registerFile(deps.catalog, { table, platform: part.platform, date: part.date }, {
        key: fileKey,
        rows: rows.length,
        bytes: body.byteLength,
      })
      if (partition && deps.compactAt && partition.files.length >= deps.compactAt.files) crowded.push(partition)
    }
  }
  for (const run of result.runs) await putOnce(() => deps.catalog.putRun(run))
  const runIds = result.runs.map((run) => run.run_id as string)
  await commit(deps, { raw_sha256: parsed.sha256, raw_key: key, outcome: 'ingested', run_ids: runIds, reason: null })
  // After the commit, so this object's own file is compactable too.
  for (const partition of crowded) await compactPartition(partition, { ...deps, readParquet: deps.compactAt!.readParquet })
  return { outcome: 'ingested', key, run_ids: runIds, reason: null }
}

async function quarantineObject(key: string, sha256: string, reason: string, deps: IngestDeps): Promise<IngestOutcome> {
  const note = { raw_key: key, raw_sha256: sha256, reason, parser_version: PARSER_VERSION, at: deps.clock.now().toISOString() }
  await deps.raw.put(quarantineKey(sha256), JSON.stringify(note, null, 2), { contentType: 'application/json' })
  await commit(deps, { raw_sha256: sha256, raw_key: key, outcome: 'quarantined', run_ids: [], reason })
  return { outcome: 'quarantined', key, run_ids: [], reason }
}

async function readSidecar(key: string, raw: ObjectStore): Promise<RawSidecar | string> {
  const bytes = await raw.get(sidecarKey(key))
  if (bytes === null) return `labels sidecar ${sidecarKey(key)} is missing`
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    return `labels sidecar is not JSON: ${(error as Error).message}`
  }
  const parsed = RawSidecarSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return `labels sidecar field '${issue.path.join('.')}' is invalid: ${issue.message}`
  }
  return parsed.data
}

/** The ingest record is the commit marker: written last, once. */
async function commit(deps: IngestDeps, fields: Omit<IngestRecord, 'parser_version' | 'at'>) {
  const record: IngestRecord = { ...fields, parser_version: PARSER_VERSION, at: deps.clock.now().toISOString() }
  await putOnce(() => deps.catalog.putIngestRecord(record))
}

/** A conditional create that finds the item already there means a replay did it: success. */
async function putOnce(write: () => Promise<void>): Promise<void> {
  try {
    await write()
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error
  }
}
