import type { Labels, Tool } from '#schemas/labels.ts'
import type { RawSidecar } from '#schemas/envelope.ts'
import type { UploadAccepted } from '#schemas/api.ts'
import { decodeRaw } from '#core/decode-raw.ts'
import { detectTool } from '#core/detect-tool.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { rawKey, sidecarKey } from '#core/object-keys.ts'
import type { RawExtension } from '#core/object-keys.ts'
import { runIdFor, sha256Hex } from '#core/rows.ts'
import type { Clock, ObjectStore, RunCatalog } from '#functions/ports.ts'
import { ApiError } from './errors.ts'

export interface UploadDeps {
  raw: ObjectStore
  catalog: RunCatalog
  clock: Clock
}

/**
 * Stores one upload: validates it with the same core the ingest runs (so a caller learns at once
 * that a file is not a result, and learns its run ids), then writes the labels sidecar and the
 * verbatim bytes under a content-addressed key. The same bytes again store nothing new.
 *
 * The two duplicate checks (the ingest ledger, for bytes ingested on any day; a HEAD of today's
 * key, for bytes stored but not yet ingested) go out together and are awaited after validation,
 * so their round trips overlap each other and the CPU work instead of adding up.
 */
export async function storeUpload(
  bytes: Uint8Array,
  upload: { labels: Labels; tool: Tool | null; contentType: string | null },
  deps: UploadDeps,
): Promise<{ status: 200 | 202; body: UploadAccepted }> {
  const sha = sha256Hex(bytes)
  const now = deps.clock.now()
  const key = rawKey(now.toISOString().slice(0, 10), sha, extensionFor(toolOf(bytes, upload.tool), bytes))
  const lookups = Promise.all([deps.catalog.getIngestRecord(sha), deps.raw.head(key)])
  lookups.catch(() => undefined) // awaited below; not an unhandled rejection while validating
  // Let the lookups leave before the synchronous validation holds the thread.
  await new Promise((resolve) => setImmediate(resolve))
  const check = normalizeRaw(bytes, { raw_key: null, raw_sha256: sha, labels: upload.labels, tool: upload.tool, received_at: now.toISOString() })
  const [seen, stored] = await lookups
  if (seen?.outcome === 'ingested') {
    return { status: 200, body: { raw_key: seen.raw_key, raw_sha256: sha, run_ids: seen.run_ids, duplicate: true } }
  }
  if (!check.ok) {
    throw new ApiError(422, `invalid-result.${check.error.code}`, check.error.message, { field: check.error.path ?? (check.error.offset !== undefined ? `byte ${check.error.offset}` : undefined) })
  }
  const runIds = check.runs.map((run) => runIdFor(sha, run.document_index as number))
  if (stored) {
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

/** The tool `normalizeRaw` will take these bytes for (declared, else detected); null when neither. */
function toolOf(bytes: Uint8Array, declared: Tool | null): Tool | null {
  if (declared) return declared
  // Fast path for JSON (detectTool's first rule) without decoding 100 KB a second time.
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  for (let i = start; i < Math.min(bytes.length, 256); i++) {
    const byte = bytes[i]
    if (byte === 0x7b) return 'iperf3'
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) break
  }
  const decoded = decodeRaw(bytes)
  return decoded.ok ? detectTool(decoded.text) : null
}

function extensionFor(tool: string | null, bytes: Uint8Array): RawExtension {
  if (tool === 'qperf') return 'txt'
  // A --json-stream file starts with `{"event"`; a -J document with `{` and a newline.
  const head = new TextDecoder().decode(bytes.subarray(0, 16))
  return /^\s*\{"event"/.test(head) ? 'ndjson' : 'json'
}
