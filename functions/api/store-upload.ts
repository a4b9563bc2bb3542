import type { Labels, Tool } from '#schemas/labels.ts'
import { RawSidecarSchema } from '#schemas/envelope.ts'
import type { RawSidecar } from '#schemas/envelope.ts'
import type { UploadAccepted } from '#schemas/api.ts'
import { diffLabels } from '#core/label-diff.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { rawKey, sidecarKey } from '#core/object-keys.ts'
import type { RawExtension } from '#core/object-keys.ts'
import { runIdFor, sha256Hex } from '#core/rows.ts'
import type { Clock, ObjectStore, RunCatalog } from '#functions/ports.ts'
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
 * Stores one upload: validates it with the same core the ingest runs (so a caller learns at once
 * that a file is not a result, and learns its run ids), then writes the labels sidecar and the
 * verbatim bytes under a content-addressed key. The same bytes again store nothing new.
 */
export async function storeUpload(
  bytes: Uint8Array,
  upload: { labels: Labels; tool: Tool | null; contentType: string | null },
  deps: UploadDeps,
): Promise<{ status: 200 | 202; body: UploadAccepted }> {
  requireKnownPlatform(upload.labels, deps.platforms)
  const sha = sha256Hex(bytes)
  const seen = await deps.catalog.getIngestRecord(sha)
  if (seen?.outcome === 'ingested') {
    await refuseOtherLabels(seen.raw_key, upload.labels, deps.raw)
    return { status: 200, body: { raw_key: seen.raw_key, raw_sha256: sha, run_ids: seen.run_ids, duplicate: true } }
  }
  const now = deps.clock.now()
  const check = normalizeRaw(bytes, { raw_key: null, raw_sha256: sha, labels: upload.labels, tool: upload.tool, received_at: now.toISOString() })
  if (!check.ok) {
    throw new ApiError(422, `invalid-result.${check.error.code}`, check.error.message, check.error.path ?? (check.error.offset !== undefined ? `byte ${check.error.offset}` : undefined))
  }
  const runIds = check.runs.map((run) => runIdFor(sha, run.document_index as number))
  const key = rawKey(now.toISOString().slice(0, 10), sha, extensionFor(check.runs[0]?.tool ?? upload.tool, bytes))
  if (await deps.raw.head(key)) {
    await refuseOtherLabels(key, upload.labels, deps.raw)
    return { status: 200, body: { raw_key: key, raw_sha256: sha, run_ids: runIds, duplicate: true } }
  }
  const sidecar: RawSidecar = {
    labels: upload.labels,
    tool: upload.tool,
    raw_sha256: sha,
    content_type: upload.contentType,
    received_at: now.toISOString(),
    size_bytes: bytes.byteLength,
  }
  // Sidecar first: the raw object's creation triggers ingest, which needs the labels.
  await deps.raw.put(sidecarKey(key), JSON.stringify(sidecar), { contentType: 'application/json' })
  await deps.raw.put(key, bytes, { contentType: upload.contentType ?? 'application/octet-stream' })
  return { status: 202, body: { raw_key: key, raw_sha256: sha, run_ids: runIds, duplicate: false } }
}

/**
 * The same bytes are one measurement with one set of labels: a re-push with other labels is a
 * 409 naming each difference, never a silent "already stored" that keeps the old ones.
 */
async function refuseOtherLabels(key: string, offered: Labels, raw: ObjectStore): Promise<void> {
  const bytes = await raw.get(sidecarKey(key))
  if (bytes === null) return
  let stored
  try {
    stored = RawSidecarSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)))
  } catch {
    return // an unreadable sidecar is ingest's to quarantine, not the uploader's problem
  }
  if (!stored.success) return
  const differences = diffLabels(stored.data.labels, offered)
  if (differences.length === 0) return
  const show = (v: string | number | null) => (v === null ? 'unset' : `'${v}'`)
  const list = differences.map((d) => `${d.label} stored ${show(d.stored)}, offered ${show(d.offered)}`).join('; ')
  throw new ApiError(409, 'labels-differ', `these bytes are already stored (${key}) with other labels: ${list}. A re-push cannot change labels; relabelling (PATCH /v1/raw/{sha256}/labels) is not built yet`, `labels.${differences[0].label}`)
}

function extensionFor(tool: string | null, bytes: Uint8Array): RawExtension {
  if (tool === 'qperf') return 'txt'
  // A --json-stream file starts with `{"event"`; a -J document with `{` and a newline.
  const head = new TextDecoder().decode(bytes.subarray(0, 16))
  return /^\s*\{"event"/.test(head) ? 'ndjson' : 'json'
}
