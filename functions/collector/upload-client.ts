import { UploadAcceptedSchema, type UploadAccepted } from '#schemas/api.ts'
import { classifyStatus, parseRetryAfter, type AnswerClass } from './retry-policy.ts'

/** Largest JSON body `POST /v1/results` accepts; larger ones need the presigned upload. */
export const MAX_ENVELOPE_BYTES = 10 * 1024 * 1024

/** The answer to one upload attempt. */
export type AttemptOutcome =
  | { class: 'acknowledged'; status: number; accepted: UploadAccepted | null }
  | { class: Exclude<AnswerClass, 'acknowledged'>; status: number | null; code: string; message: string; retryAfterMs: number | null }

/** Where and how to upload. */
export interface UploadTarget {
  api: string
  token: string | null
  fetch?: typeof fetch
  /** Per-attempt timeout. */
  timeoutMs?: number
  now?: () => number
}

/** Sends one envelope body (JSON text) once to `POST {api}/v1/results` and classifies the answer. */
export async function sendEnvelope(body: string, target: UploadTarget): Promise<AttemptOutcome> {
  const size = Buffer.byteLength(body)
  if (size > MAX_ENVELOPE_BYTES) {
    return {
      class: 'permanent',
      status: null,
      code: 'too-large',
      message: `envelope is ${size} bytes, over the ${MAX_ENVELOPE_BYTES}-byte limit of POST /v1/results; large uploads (POST /v1/uploads) are not supported by this collector yet`,
      retryAfterMs: null,
    }
  }
  const doFetch = target.fetch ?? fetch
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (target.token) headers.authorization = `Bearer ${target.token}`
  let response: Response
  try {
    response = await doFetch(new URL('v1/results', withSlash(target.api)), {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(target.timeoutMs ?? 60_000),
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code
    return { class: 'transient', status: null, code: 'network', message: `${(error as Error).message}${cause ? ` (${cause})` : ''}`, retryAfterMs: null }
  }
  const text = await response.text().catch(() => '')
  const klass = classifyStatus(response.status)
  if (klass === 'acknowledged') {
    const parsed = UploadAcceptedSchema.safeParse(safeJson(text))
    return { class: 'acknowledged', status: response.status, accepted: parsed.success ? parsed.data : null }
  }
  const apiError = safeJson(text) as { error?: { code?: string; message?: string; field?: string } } | null
  const code = apiError?.error?.code ?? `http-${response.status}`
  const field = apiError?.error?.field ? ` (field ${apiError.error.field})` : ''
  const message = `${response.status} ${apiError?.error?.message ?? (text.slice(0, 200) || response.statusText)}${field}`
  return { class: klass, status: response.status, code, message, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), (target.now ?? Date.now)()) }
}

function withSlash(api: string): string {
  return api.endsWith('/') ? api : `${api}/`
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
