import { UploadClaimSchema } from '#schemas/envelope.ts'
import type { RawSidecar, UploadClaim } from '#schemas/envelope.ts'
import { parseRawKey, sidecarKey, stagingClaimKey, uploadQuarantineKey } from '#core/object-keys.ts'
import { sha256Hex } from '#core/rows.ts'
import { ObjectExistsError } from '#functions/ports.ts'
import type { Clock, ObjectStore, RunCatalog } from '#functions/ports.ts'
import type { IngestOutcome } from './ingest-object.ts'

/** What promotion needs (a subset of `IngestDeps`). */
export interface PromoteDeps {
  raw: ObjectStore
  catalog: RunCatalog
  clock: Clock
}

/**
 * A presigned upload's bytes (`raw/staging/<upload-id>`) → `raw/`: the bytes must have the size
 * and sha256 the upload claimed, or they are quarantined under the upload's own id
 * (`quarantine/uploads/<id>.{json,bin}`) and the claimed hash stays untouched. Matching bytes are
 * written to the claimed raw key only if nothing is there yet (never overwriting stored bytes or
 * their labels), then ingested with `ingest`. Every step is safe to replay: the claim is deleted
 * last.
 */
export async function promoteUpload<D extends PromoteDeps>(
  key: string,
  uploadId: string,
  deps: D,
  ingest: (rawKey: string, deps: D) => Promise<IngestOutcome>,
): Promise<IngestOutcome> {
  const bytes = await deps.raw.get(key)
  const claim = await readClaim(uploadId, deps.raw)
  if (bytes === null) {
    const gone = {
      outcome: 'skipped' as const,
      key,
      run_ids: [],
      reason: 'staged upload no longer exists (already promoted or quarantined)',
    }
    if (typeof claim === 'string') return gone
    // A replay after the bytes were moved: finish what the first attempt started.
    const result = (await deps.raw.head(claim.raw_key)) ? await ingest(claim.raw_key, deps) : gone
    await deps.raw.delete(stagingClaimKey(uploadId))
    return result
  }
  const problem = typeof claim === 'string' ? claim : mismatchOf(bytes, claim)
  if (problem !== null) {
    await quarantineUpload(
      key,
      uploadId,
      bytes,
      problem,
      typeof claim === 'string' ? null : claim,
      deps,
    )
    return { outcome: 'quarantined', key, run_ids: [], reason: problem }
  }
  const claimed = claim as UploadClaim
  const done = await deps.catalog.getIngestRecord(claimed.raw_sha256)
  if (!done && !(await deps.raw.head(claimed.raw_key))) {
    const { upload_id: _id, raw_key: _key, ...fields } = claimed
    const sidecar: RawSidecar = fields
    // The raw key is free, so this sidecar belongs to no stored bytes yet: labels first, as ever.
    await deps.raw.put(sidecarKey(claimed.raw_key), JSON.stringify(sidecar), {
      contentType: 'application/json',
    })
    try {
      await deps.raw.put(claimed.raw_key, bytes, {
        contentType: claimed.content_type ?? 'application/octet-stream',
        ifAbsent: true,
      })
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error // same bytes got there first: fine
    }
  }
  // The staged bytes go first and the claim last: a replay that finds the bytes finds the claim,
  // and one that finds only the claim ingests its raw key (in case the crash came before).
  await deps.raw.delete(key)
  const result: IngestOutcome = done
    ? {
        outcome: 'skipped',
        key,
        run_ids: done.run_ids,
        reason: `already ${done.outcome} by parser ${done.parser_version}`,
      }
    : await ingest(claimed.raw_key, deps)
  await deps.raw.delete(stagingClaimKey(uploadId))
  return result
}

function mismatchOf(bytes: Uint8Array, claim: UploadClaim): string | null {
  if (bytes.byteLength !== claim.size_bytes)
    return `upload is ${bytes.byteLength} bytes; the upload claimed ${claim.size_bytes}`
  const actual = sha256Hex(bytes)
  if (actual !== claim.raw_sha256)
    return `upload content sha256 ${actual} does not match the claimed ${claim.raw_sha256}`
  if (parseRawKey(claim.raw_key)?.sha256 !== claim.raw_sha256)
    return `claim's raw_key ${claim.raw_key} is not the raw key of ${claim.raw_sha256}`
  return null
}

async function quarantineUpload(
  key: string,
  uploadId: string,
  bytes: Uint8Array,
  reason: string,
  claim: UploadClaim | null,
  deps: PromoteDeps,
): Promise<void> {
  const noteKey = uploadQuarantineKey(uploadId)
  const bytesKey = noteKey.replace(/\.json$/, '.bin')
  const note = {
    upload_id: uploadId,
    staging_key: key,
    bytes_key: bytesKey,
    reason,
    claim,
    content_sha256: sha256Hex(bytes),
    size_bytes: bytes.byteLength,
    at: deps.clock.now().toISOString(),
  }
  await deps.raw.put(noteKey, JSON.stringify(note, null, 2), { contentType: 'application/json' })
  await deps.raw.put(bytesKey, bytes, { contentType: 'application/octet-stream' })
  await deps.raw.delete(key)
  await deps.raw.delete(stagingClaimKey(uploadId))
}

async function readClaim(uploadId: string, raw: ObjectStore): Promise<UploadClaim | string> {
  const bytes = await raw.get(stagingClaimKey(uploadId))
  if (bytes === null)
    return `upload ${uploadId} has no claim (${stagingClaimKey(uploadId)}): not made by POST /v1/uploads`
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    return `upload claim is not JSON: ${(error as Error).message}`
  }
  const parsed = UploadClaimSchema.safeParse(json)
  if (!parsed.success)
    return `upload claim field '${parsed.error.issues[0].path.join('.')}' is invalid: ${parsed.error.issues[0].message}`
  if (parsed.data.upload_id !== uploadId)
    return `upload claim names upload ${parsed.data.upload_id}, not ${uploadId}`
  return parsed.data
}
