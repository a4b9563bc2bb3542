import { createHash } from 'node:crypto'
import { PresignResponseSchema } from '#schemas/api.ts'
import { classifyStatus } from './retry-policy.ts'
import type { AttemptOutcome, UploadTarget } from './upload-client.ts'

/** Largest raw file the API takes at all (the core's limit, 64 MiB). */
export const MAX_PRESIGNED_BYTES = 64 * 1024 * 1024

/** The content type the API expects for a raw file of this tool. */
export function rawContentType(
  tool: string | undefined,
  raw: string,
): 'application/json' | 'application/x-ndjson' | 'text/plain' {
  if (tool === 'qperf') return 'text/plain'
  return /^\s*\{"event"\s*:/.test(raw) ? 'application/x-ndjson' : 'application/json'
}

/**
 * Large results: `POST /v1/uploads` with labels, sha256 and size for a presigned PUT, then PUT
 * the exact raw bytes there. The key is content-addressed, so a repeated PUT is harmless. A
 * refused PUT (expired or bad signature) is transient: the next attempt asks for a new URL.
 */
export async function sendPresigned(body: string, target: UploadTarget): Promise<AttemptOutcome> {
  const envelope = JSON.parse(body) as { labels: unknown; tool?: string; raw: string }
  const bytes = Buffer.from(envelope.raw, 'utf8')
  if (bytes.length > MAX_PRESIGNED_BYTES) {
    return {
      class: 'permanent',
      status: null,
      code: 'too-large',
      message: `raw output is ${bytes.length} bytes; the API takes at most ${MAX_PRESIGNED_BYTES}`,
      retryAfterMs: null,
    }
  }
  const doFetch = target.fetch ?? fetch
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const contentType = rawContentType(envelope.tool, envelope.raw)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (target.token) headers.authorization = `Bearer ${target.token}`
  const request = {
    labels: envelope.labels,
    ...(envelope.tool ? { tool: envelope.tool } : {}),
    sha256,
    size_bytes: bytes.length,
    content_type: contentType,
  }
  let presign: Response
  try {
    presign = await doFetch(
      new URL('v1/uploads', target.api.endsWith('/') ? target.api : `${target.api}/`),
      {
        method: 'POST',
        headers,
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(target.timeoutMs ?? 60_000),
      },
    )
  } catch (error) {
    return networkError('presign', error)
  }
  const presignText = await presign.text().catch(() => '')
  if (classifyStatus(presign.status) !== 'acknowledged')
    return refused('POST /v1/uploads', presign, presignText, classifyStatus(presign.status))
  const parsed = PresignResponseSchema.safeParse(safeJson(presignText))
  if (!parsed.success)
    return {
      class: 'transient',
      status: presign.status,
      code: 'bad-presign',
      message: 'POST /v1/uploads answered without a usable URL',
      retryAfterMs: null,
    }
  let put: Response
  try {
    put = await doFetch(parsed.data.url, {
      method: 'PUT',
      headers: parsed.data.headers,
      body: bytes,
      signal: AbortSignal.timeout(target.timeoutMs ?? 300_000),
    })
  } catch (error) {
    return networkError('PUT', error)
  }
  const putText = await put.text().catch(() => '')
  const putClass = classifyStatus(put.status)
  if (putClass === 'acknowledged') {
    return {
      class: 'acknowledged',
      status: put.status,
      accepted: { raw_key: parsed.data.raw_key, raw_sha256: sha256, run_ids: [], duplicate: false },
    }
  }
  return refused('presigned PUT', put, putText, putClass === 'auth' ? 'transient' : putClass)
}

function refused(
  what: string,
  response: Response,
  text: string,
  klass: ReturnType<typeof classifyStatus>,
): AttemptOutcome {
  const apiError = safeJson(text) as { error?: { code?: string; message?: string } } | null
  return {
    class: klass === 'acknowledged' ? 'transient' : klass,
    status: response.status,
    code: apiError?.error?.code ?? `http-${response.status}`,
    message: `${what}: ${response.status} ${apiError?.error?.message ?? (text.slice(0, 200) || response.statusText)}`,
    retryAfterMs: null,
  }
}

function networkError(what: string, error: unknown): AttemptOutcome {
  const cause = (error as { cause?: { code?: string } }).cause?.code
  return {
    class: 'transient',
    status: null,
    code: 'network',
    message: `${what}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
    retryAfterMs: null,
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
