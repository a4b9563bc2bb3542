import type { NormalizedRows } from '#schemas/parse-result.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { checkIngestable } from '#core/ingestable.ts'
import { readRawObject } from '#functions/lake/raw-sidecar.ts'
import { curatedKey, mismatchQuarantineKeys, quarantineKey, sidecarKey } from '#core/object-keys.ts'
import { partitionRows, TABLE_NAMES } from '#core/partition-rows.ts'
import { PARSER_VERSION, sha256Hex } from '#core/rows.ts'
import type {
  Clock,
  DatasetFile,
  DatasetPartition,
  ObjectStore,
  ParquetWriter,
} from '#functions/ports.ts'

/** A curated file just written, and the partition it belongs to. */
export interface WrittenFile {
  where: Pick<DatasetPartition, 'table' | 'platform' | 'date'>
  file: DatasetFile
}

export type Derived =
  | { ok: true; rows: NormalizedRows; files: WrittenFile[] }
  /**
   * `gone`: the raw object was deleted after its event; nothing to quarantine. `mismatch`: the
   * bytes do not hash to their key (an unverified writer put them there), so they say nothing
   * about the key's hash: `evictMismatch` moves them aside instead of quarantining that hash.
   */
  | { ok: false; reason: string; gone: boolean; mismatch?: { actual: string; bytes: Uint8Array } }

/** One object's rows per partition and table, not yet written. */
export interface DerivedPart {
  where: Pick<DatasetPartition, 'table' | 'platform' | 'date'>
  rows: Record<string, unknown>[]
}

/** `labelsVersion`: the sidecar's label version (1 until a relabel), part of the file keys. */
export type DerivedRows =
  | { ok: true; rows: NormalizedRows; parts: DerivedPart[]; labelsVersion: number }
  | Extract<Derived, { ok: false }>

/**
 * Raw object → curated Parquet: checks the bytes against their content-addressed key, reads the
 * labels (sidecar object or metadata), normalizes, and writes one file per table and partition under a key derived
 * from the content (so a repeat overwrites with the same bytes). Shared by ingest and reprocess;
 * registering the files and the runs is the caller's step. Rejections come back as a reason.
 */
export async function deriveObject(
  key: string,
  sha: string,
  rawDate: string,
  deps: { raw: ObjectStore; curated: ObjectStore; parquet: ParquetWriter },
): Promise<Derived> {
  const derived = await deriveRows(key, sha, rawDate, deps)
  if (!derived.ok) return derived
  const files: WrittenFile[] = []
  for (const { where, rows } of derived.parts) {
    const fileKey = curatedKey(where.table, where.platform, where.date, sha, derived.labelsVersion)
    const body = deps.parquet.write(where.table, rows)
    await deps.curated.put(fileKey, body, { contentType: 'application/vnd.apache.parquet' })
    files.push({ where, file: { key: fileKey, rows: rows.length, bytes: body.byteLength } })
  }
  return { ok: true, rows: derived.rows, files }
}

/**
 * The reading half of `deriveObject`: the checks and the rows per partition and table, nothing
 * written (the batch writer merges several objects' parts into one file per partition).
 */
export async function deriveRows(
  key: string,
  sha: string,
  rawDate: string,
  deps: { raw: ObjectStore },
): Promise<DerivedRows> {
  const object = await readRawObject(key, deps.raw)
  if (object === null) return { ok: false, reason: 'raw object no longer exists', gone: true }
  const { bytes, sidecar } = object
  const actual = sha256Hex(bytes)
  if (actual !== sha)
    return {
      ok: false,
      reason: `content sha256 ${actual} does not match the key's ${sha}`,
      gone: false,
      mismatch: { actual, bytes },
    }
  if (typeof sidecar === 'string') return { ok: false, reason: sidecar, gone: false }
  const result = normalizeRaw(bytes, {
    raw_key: key,
    raw_sha256: sha,
    labels: sidecar.labels,
    tool: sidecar.tool,
    received_at: sidecar.received_at,
  })
  if (!result.ok)
    return { ok: false, reason: `${result.error.code}: ${result.error.message}`, gone: false }
  const unfit = checkIngestable(result)
  if (unfit) return { ok: false, reason: `${unfit.code}: ${unfit.message}`, gone: false }
  const parts: DerivedPart[] = []
  for (const part of partitionRows(result, rawDate))
    for (const table of TABLE_NAMES) {
      const rows = part.tables[table]
      if (rows.length > 0)
        parts.push({ where: { table, platform: part.platform, date: part.date }, rows })
    }
  return { ok: true, rows: result, parts, labelsVersion: sidecar.labels_version ?? 1 }
}

/** Writes `quarantine/<sha>.json` with the reason; the raw bytes stay where they are. */
export async function writeQuarantineNote(
  key: string,
  sha: string,
  reason: string,
  deps: { raw: ObjectStore; clock: Clock },
): Promise<void> {
  const note = {
    raw_key: key,
    raw_sha256: sha,
    reason,
    parser_version: PARSER_VERSION,
    at: deps.clock.now().toISOString(),
  }
  await deps.raw.put(quarantineKey(sha), JSON.stringify(note, null, 2), {
    contentType: 'application/json',
  })
}

/**
 * Moves bytes that do not match their raw key to `quarantine/mismatch/<key sha>-<actual sha>.*`
 * with a note, then deletes the raw object and its sidecar, so the real file can still be stored
 * under its hash. No ingest record is written for the key's hash. Safe to replay.
 */
export async function evictMismatch(
  key: string,
  sha: string,
  mismatch: { actual: string; bytes: Uint8Array },
  reason: string,
  deps: { raw: ObjectStore; clock: Clock },
): Promise<void> {
  const where = mismatchQuarantineKeys(sha, mismatch.actual)
  const note = {
    raw_key: key,
    key_sha256: sha,
    content_sha256: mismatch.actual,
    bytes_key: where.bytes,
    reason,
    at: deps.clock.now().toISOString(),
  }
  await deps.raw.put(where.note, JSON.stringify(note, null, 2), { contentType: 'application/json' })
  await deps.raw.put(where.bytes, mismatch.bytes, { contentType: 'application/octet-stream' })
  await deps.raw.delete(key)
  await deps.raw.delete(sidecarKey(key))
}
