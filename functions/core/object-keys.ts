import type { TableName } from '#schemas/tables.ts'

/**
 * The object layout (DESIGN.md §2). Keys are content-addressed, so writing the same thing twice
 * lands on the same key, which is what makes every step of the pipeline safe to replay.
 */

const SHA = /^[0-9a-f]{64}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
const RAW_KEY = /^raw\/date=(\d{4}-\d{2}-\d{2})\/([0-9a-f]{64})\.(json|ndjson|txt)$/
/** Partition values become path segments: keep them to a safe alphabet. */
const PARTITION_VALUE = /^[a-z0-9][a-z0-9._:-]{0,127}$/i

export type RawExtension = 'json' | 'ndjson' | 'txt'

/** `raw/date=YYYY-MM-DD/<sha>.<ext>`: the verbatim bytes. */
export function rawKey(date: string, sha256: string, extension: RawExtension): string {
  assertDate(date)
  assertSha(sha256)
  return `raw/date=${date}/${sha256}.${extension}`
}

/** The labels sidecar stored beside a raw object. */
export function sidecarKey(rawObjectKey: string): string {
  const parsed = parseRawKey(rawObjectKey)
  if (!parsed) throw new RangeError(`not a raw object key: ${rawObjectKey}`)
  return `raw/date=${parsed.date}/${parsed.sha256}.labels.json`
}

/** Date and sha of a raw object key, or null for anything else (sidecars included). */
export function parseRawKey(
  key: string,
): { date: string; sha256: string; extension: RawExtension } | null {
  const m = RAW_KEY.exec(key)
  return m ? { date: m[1], sha256: m[2], extension: m[3] as RawExtension } : null
}

/** `curated/<table>/platform=<p>/date=<d>/` */
export function partitionPrefix(table: TableName, platform: string, date: string): string {
  assertPartitionValue(platform)
  assertDate(date)
  return `curated/${table}/platform=${platform}/date=${date}/`
}

/**
 * The Parquet file holding one raw object's rows of one table and partition. A relabelled object's
 * rows go to a new key per label version (`<sha>-v000002.parquet`), never over the old file: a
 * compaction that read the old file then finds its source gone from the list and loses its
 * conditional switch, instead of merging the old labels back in.
 */
export function curatedKey(
  table: TableName,
  platform: string,
  date: string,
  sha256: string,
  labelsVersion = 1,
): string {
  assertSha(sha256)
  const version = labelsVersion > 1 ? `-v${String(labelsVersion).padStart(6, '0')}` : ''
  return `${partitionPrefix(table, platform, date)}${sha256}${version}.parquet`
}

/** A compacted file; `digest` identifies the set of files it replaces. */
export function compactedKey(
  table: TableName,
  platform: string,
  date: string,
  digest: string,
): string {
  return `${partitionPrefix(table, platform, date)}compacted-${digest.slice(0, 32)}.parquet`
}

/** A batch file: the rows of several raw objects in one partition (`sources` lists them). */
export function batchKey(table: TableName, platform: string, date: string, digest: string): string {
  return `${partitionPrefix(table, platform, date)}batch-${digest.slice(0, 32)}.parquet`
}

/**
 * The raw objects whose rows a curated file holds: a batch file's `sources`, a one-object file's
 * sha (from its key), none for a compacted file.
 */
export function sourcesOfFile(file: { key: string; sources?: string[] }): string[] {
  if (file.sources) return file.sources
  const sha = shaOfCuratedKey(file.key)
  return sha ? [sha] : []
}

/** The sha of the raw object behind a non-compacted curated file, else null. */
export function shaOfCuratedKey(key: string): string | null {
  const m = /\/([0-9a-f]{64})(?:-v\d{6,})?\.parquet$/.exec(key)
  return m ? m[1] : null
}

/** Quarantined input: the reason, beside the untouched raw object. */
export function quarantineKey(sha256: string): string {
  assertSha(sha256)
  return `quarantine/${sha256}.json`
}

const UPLOAD_ID = /^[0-9a-f]{32}$/
const STAGING_KEY = /^raw\/staging\/([0-9a-f]{32})$/

/**
 * Where a presigned upload's bytes land: `raw/staging/<upload-id>`, never the raw key itself, so
 * a client can only write bytes that ingest checks against its claim before moving them into
 * `raw/date=.../` (inside `raw/` so the same object events and grants cover it).
 */
export function stagingKey(uploadId: string): string {
  assertUploadId(uploadId)
  return `raw/staging/${uploadId}`
}

/** The claim (labels, sha256, size, target raw key) written beside a staged upload. */
export function stagingClaimKey(uploadId: string): string {
  assertUploadId(uploadId)
  return `raw/staging/${uploadId}.claim.json`
}

/** The upload id of a staging key, or null for anything else (claims included). */
export function parseStagingKey(key: string): { uploadId: string } | null {
  const m = STAGING_KEY.exec(key)
  return m ? { uploadId: m[1] } : null
}

/** A staged upload whose bytes did not match its claim: noted under the upload's own id. */
export function uploadQuarantineKey(uploadId: string): string {
  assertUploadId(uploadId)
  return `quarantine/uploads/${uploadId}.json`
}

/**
 * Bytes found under a raw key they do not hash to (only an unverified writer can put them there):
 * noted and moved under both digests, never under the key's hash alone, so the hash stays free
 * for the real file.
 */
export function mismatchQuarantineKeys(
  keySha: string,
  actualSha: string,
): { note: string; bytes: string } {
  assertSha(keySha)
  assertSha(actualSha)
  const base = `quarantine/mismatch/${keySha}-${actualSha}`
  return { note: `${base}.json`, bytes: `${base}.bin` }
}

/** `reports/<date>/report.{html,md,json}` */
export function reportKeys(date: string, id: string): { html: string; md: string; json: string } {
  assertDate(date)
  assertPartitionValue(id)
  const base = `reports/${date}/${id}`
  return { html: `${base}/report.html`, md: `${base}/report.md`, json: `${base}/report.json` }
}

/** Partition value for a label that may be missing. */
export function partitionValue(value: string | null | undefined): string {
  return value && PARTITION_VALUE.test(value) ? value.toLowerCase() : 'unknown'
}

function assertSha(sha: string): void {
  if (!SHA.test(sha)) throw new RangeError(`not a sha256 hex digest: ${sha}`)
}
function assertUploadId(id: string): void {
  if (!UPLOAD_ID.test(id)) throw new RangeError(`not an upload id (32 lowercase hex): ${id}`)
}
function assertDate(date: string): void {
  if (!DATE.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`)
}
function assertPartitionValue(value: string): void {
  if (!PARTITION_VALUE.test(value)) throw new RangeError(`not a safe partition value: ${value}`)
}
