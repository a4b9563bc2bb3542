import type { Labels, Tool } from '#schemas/labels.ts'
import type { RawSidecar, UploadClaim } from '#schemas/envelope.ts'
import type { UploadAccepted } from '#schemas/api.ts'
import { diffLabels } from '#core/label-diff.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { checkIngestable } from '#core/ingestable.ts'
import { rawKey, sidecarKey, stagingClaimKey, stagingKey } from '#core/object-keys.ts'
import type { RawExtension } from '#core/object-keys.ts'
import { runIdFor, sha256Hex } from '#core/rows.ts'
import { ObjectExistsError } from '#functions/ports.ts'
import type { Clock, IngestRecord, ObjectStore, RunCatalog } from '#functions/ports.ts'
import { evictMismatch } from '#functions/ingest/derive-object.ts'
import { readRawSidecar } from '#functions/lake/raw-sidecar.ts'
import { sidecarMetadata } from '#core/sidecar-metadata.ts'
import { ApiError } from './errors.ts'
import { requireKnownPlatform } from './labels-from-request.ts'

export interface UploadDeps {
  raw: ObjectStore
  catalog: RunCatalog
  clock: Clock
  /** Platforms the deployment declares beyond the known ones (NETLAKE_PLATFORMS). */
  platforms?: readonly string[]
}

/**
 * Stores one upload: checks it with the same core the ingest runs (the verdict only, no interval
 * rows), so a caller learns at once that a file is not a result, and learns its run ids; then
 * stores the verbatim bytes under a content-addressed key in ONE create-only PUT
 * (`If-None-Match: *`) that carries the labels as object metadata (a sidecar object only when
 * they do not fit in S3's 2 KB). One ledger read first: bytes already ingested under an earlier
 * day's key answer 200 `duplicate` (409 when the labels differ) and store nothing. When the key
 * exists (the same bytes again the same UTC day, or a race) the PUT's 412 leads to the same
 * answers, 202 while ingest has not finished. Stored raw bytes are never overwritten.
 */
export async function storeUpload(
  bytes: Uint8Array,
  upload: { labels: Labels; tool: Tool | null; contentType: string | null },
  deps: UploadDeps,
): Promise<{ status: 200 | 202; body: UploadAccepted }> {
  requireKnownPlatform(upload.labels, deps.platforms)
  const sha = sha256Hex(bytes)
  const now = deps.clock.now()
  const check = normalizeRaw(
    bytes,
    {
      raw_key: null,
      raw_sha256: sha,
      labels: upload.labels,
      tool: upload.tool,
      received_at: now.toISOString(),
    },
    { verdictOnly: true },
  )
  if (!check.ok) {
    throw new ApiError(422, `invalid-result.${check.error.code}`, check.error.message, {
      field:
        check.error.path ??
        (check.error.offset !== undefined ? `byte ${check.error.offset}` : undefined),
    })
  }
  const unfit = checkIngestable(check)
  if (unfit)
    throw new ApiError(422, `invalid-result.${unfit.code}`, unfit.message, { field: unfit.path })
  const runIds = check.runs.map((run) => runIdFor(sha, run.document_index as number))
  const key = rawKey(
    now.toISOString().slice(0, 10),
    sha,
    extensionFor(check.runs[0]?.tool ?? upload.tool, bytes),
  )
  const accepted = { raw_key: key, raw_sha256: sha, run_ids: runIds, duplicate: false }
  const sidecar: RawSidecar = {
    labels: upload.labels,
    tool: upload.tool,
    raw_sha256: sha,
    content_type: upload.contentType,
    received_at: now.toISOString(),
    size_bytes: bytes.byteLength,
  }
  const metadata = sidecarMetadata(sidecar)
  // The same bytes already ingested (this day's key or an earlier day's): answer from their
  // record (200 `duplicate`, or 409 when the labels differ), with no PUT, and never a second copy
  // whose labels ingest would skip. Ingest checked that those bytes hash to their key.
  const seen = await deps.catalog.getIngestRecord(sha)
  if (seen?.outcome === 'ingested' && (await runsExist(seen, deps.catalog))) {
    await refuseOtherLabels(seen.raw_key, upload.labels, deps.raw)
    return {
      status: 200,
      body: { raw_key: seen.raw_key, raw_sha256: sha, run_ids: seen.run_ids, duplicate: true },
    }
  }
  // Twice at most: a second time only after moving aside bytes that did not hash to the key.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (metadata === null) {
      // Labels too large for metadata: a sidecar object, written first (the raw object's creation
      // triggers ingest, which needs the labels), and only for a key not stored yet (a sidecar
      // must never replace the labels of bytes already stored).
      if ((await deps.raw.head(key)) === null) {
        await deps.raw.put(sidecarKey(key), JSON.stringify(sidecar), {
          contentType: 'application/json',
        })
        if (await putRawOnce(key, bytes, upload.contentType, undefined, deps.raw))
          return { status: 202, body: accepted }
      }
    } else if (await putRawOnce(key, bytes, upload.contentType, metadata, deps.raw))
      return { status: 202, body: accepted }
    const existing = await alreadyStored(key, sha, upload.labels, runIds, deps)
    if (existing !== null) return existing
  }
  throw new Error(`${key}: the key is taken by other bytes again after moving them aside`)
}

/** Create-only PUT of the raw bytes: false when the key exists (S3 answered 412). */
async function putRawOnce(
  key: string,
  bytes: Uint8Array,
  contentType: string | null,
  metadata: Record<string, string> | undefined,
  raw: ObjectStore,
): Promise<boolean> {
  try {
    await raw.put(key, bytes, {
      contentType: contentType ?? 'application/octet-stream',
      ifAbsent: true,
      absentChecked: true, // no HEAD first: a new key is the common case, S3 enforces the rest
      metadata,
    })
    return true
  } catch (error) {
    if (error instanceof ObjectExistsError) return false
    throw error
  }
}

/**
 * The key exists: the same bytes stored before (200 `duplicate` once their runs exist, else
 * 202: ingest follows), after refusing other labels (409). Bytes that do not hash to the key
 * (left by an unverified writer) are moved aside: null, store ours.
 */
async function alreadyStored(
  key: string,
  sha: string,
  labels: Labels,
  runIds: string[],
  deps: UploadDeps,
): Promise<{ status: 200 | 202; body: UploadAccepted } | null> {
  const existing = await deps.raw.get(key)
  if (existing !== null && sha256Hex(existing) !== sha) {
    await evictMismatch(
      key,
      sha,
      { actual: sha256Hex(existing), bytes: existing },
      `found under ${key} by an upload of the real bytes`,
      deps,
    )
    return null
  }
  const seen = await deps.catalog.getIngestRecord(sha)
  if (seen?.outcome === 'ingested' && (await runsExist(seen, deps.catalog))) {
    await refuseOtherLabels(seen.raw_key, labels, deps.raw)
    return {
      status: 200,
      body: { raw_key: seen.raw_key, raw_sha256: sha, run_ids: seen.run_ids, duplicate: true },
    }
  }
  await refuseOtherLabels(key, labels, deps.raw)
  return { status: 202, body: { raw_key: key, raw_sha256: sha, run_ids: runIds, duplicate: false } }
}

/** Every run an ingest record names is in the catalog (reprocess may have moved them on). */
async function runsExist(record: IngestRecord, catalog: RunCatalog): Promise<boolean> {
  for (const id of record.run_ids) if ((await catalog.getRun(id)) === null) return false
  return true
}

/** How long a presigned PUT stays valid. */
export const PRESIGN_EXPIRES_S = 900

/** A presigned upload: where to PUT, with which headers, and the raw key the bytes will get. */
export interface PresignedUpload {
  upload_id: string
  url: string
  raw_key: string
  headers: Record<string, string>
  expires_at: string
}

/**
 * `POST /v1/uploads`: the bytes go to `raw/staging/<upload-id>` (a fresh random id), never to the
 * raw key itself; the claim beside it holds the labels, size and sha256. The URL's signature
 * covers Content-Length and `x-amz-checksum-sha256`, so S3 refuses other bytes; ingest checks
 * both again (for S3-compatible servers that do not) before moving the bytes into `raw/`.
 */
export async function createPresignedUpload(
  request: {
    labels: Labels
    tool: Tool | null
    sha256: string
    size_bytes: number
    content_type: string
  },
  deps: UploadDeps & { newUploadId: () => string },
): Promise<PresignedUpload> {
  const now = deps.clock.now()
  const extension: RawExtension =
    request.tool === 'qperf'
      ? 'txt'
      : request.content_type === 'application/x-ndjson'
        ? 'ndjson'
        : 'json'
  const key = rawKey(now.toISOString().slice(0, 10), request.sha256, extension)
  const uploadId = deps.newUploadId()
  const claim: UploadClaim = {
    upload_id: uploadId,
    raw_key: key,
    labels: request.labels,
    tool: request.tool,
    raw_sha256: request.sha256,
    content_type: request.content_type,
    received_at: now.toISOString(),
    size_bytes: request.size_bytes,
  }
  await deps.raw.put(stagingClaimKey(uploadId), JSON.stringify(claim), {
    contentType: 'application/json',
    ifAbsent: true,
  })
  const url = await deps.raw.presignPut(
    stagingKey(uploadId),
    PRESIGN_EXPIRES_S,
    request.content_type,
    { sizeBytes: request.size_bytes, sha256: request.sha256 },
  )
  const headers = {
    'Content-Type': request.content_type,
    'x-amz-checksum-sha256': Buffer.from(request.sha256, 'hex').toString('base64'),
  }
  return {
    upload_id: uploadId,
    url,
    raw_key: key,
    headers,
    expires_at: new Date(now.getTime() + PRESIGN_EXPIRES_S * 1000).toISOString(),
  }
}

/**
 * The same bytes are one measurement with one set of labels: a re-push with other labels is a
 * 409 naming each difference, never a silent "already stored" that keeps the old ones.
 */
async function refuseOtherLabels(key: string, offered: Labels, raw: ObjectStore): Promise<void> {
  const stored = await readRawSidecar(key, raw)
  // Missing or unreadable labels are ingest's to quarantine, not the uploader's problem.
  if (typeof stored === 'string') return
  const differences = diffLabels(stored.labels, offered)
  if (differences.length === 0) return
  const show = (v: string | number | null) => (v === null ? 'unset' : `'${v}'`)
  const list = differences
    .map((d) => `${d.label} stored ${show(d.stored)}, offered ${show(d.offered)}`)
    .join('; ')
  const flags = differences
    .map((d) =>
      d.offered === null
        ? `--unset ${d.label.split('.')[0]}`
        : `--label ${d.label}=${String(d.offered).includes(' ') ? `'${d.offered}'` : d.offered}`,
    )
    .filter((flag, i, all) => all.indexOf(flag) === i)
    .join(' ')
  const sha = key.slice(key.lastIndexOf('/') + 1, key.lastIndexOf('.'))
  throw new ApiError(
    409,
    'labels-differ',
    `these bytes are already stored (${key}) with other labels: ${list}. A re-push cannot change labels; to change the stored ones: netlake relabel ${sha} ${flags} (PATCH /v1/raw/${sha}/labels), or push again with --relabel`,
    { field: `labels.${differences[0].label}` },
  )
}

function extensionFor(tool: string | null, bytes: Uint8Array): RawExtension {
  if (tool === 'qperf') return 'txt'
  // A --json-stream file starts with `{"event"`; a -J document with `{` and a newline.
  const head = new TextDecoder().decode(bytes.subarray(0, 16))
  return /^\s*\{"event"/.test(head) ? 'ndjson' : 'json'
}
