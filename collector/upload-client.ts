import { UploadAcceptedSchema, type UploadAccepted } from '#schemas/api.ts'
import { sendPresigned } from './presigned-upload.ts'
import { classifyStatus, parseRetryAfter, type AnswerClass } from './retry-policy.ts'

/** Envelopes above this go straight to the presigned upload (the API's direct limit is 8 MiB). */
export const DIRECT_UPLOAD_LIMIT_BYTES = 8 * 1024 * 1024

/** The answer to one upload attempt. */
export type AttemptOutcome =
  | { class: 'acknowledged'; status: number; accepted: UploadAccepted | null }
  | {
      class: Exclude<AnswerClass, 'acknowledged'>
      status: number | null
      code: string
      message: string
      retryAfterMs: number | null
    }

/** Where and how to upload. */
export interface UploadTarget {
  api: string
  token: string | null
  fetch?: typeof fetch
  /** Per-attempt timeout. */
  timeoutMs?: number
  now?: () => number
  /** Envelope size from which the presigned upload is used without trying the direct one. */
  directLimitBytes?: number
}

/**
 * Sends one envelope body (JSON text) once to `POST {api}/v1/results` and classifies the answer.
 * Large envelopes, and any the API answers 413, go through the presigned upload instead.
 */
export async function sendEnvelope(body: string, target: UploadTarget): Promise<AttemptOutcome> {
  if (Buffer.byteLength(body) > (target.directLimitBytes ?? DIRECT_UPLOAD_LIMIT_BYTES))
    return sendPresigned(body, target)
  const outcome = await sendDirect(body, target)
  return outcome.class === 'permanent' && outcome.status === 413
    ? sendPresigned(body, target)
    : outcome
}

async function sendDirect(body: string, target: UploadTarget): Promise<AttemptOutcome> {
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
    return {
      class: 'transient',
      status: null,
      code: 'network',
      message: `${(error as Error).message}${cause ? ` (${cause})` : ''}`,
      retryAfterMs: null,
    }
  }
  const text = await response.text().catch(() => '')
  const klass = classifyStatus(response.status)
  if (klass === 'acknowledged') {
    const parsed = UploadAcceptedSchema.safeParse(safeJson(text))
    return {
      class: 'acknowledged',
      status: response.status,
      accepted: parsed.success ? parsed.data : null,
    }
  }
  const apiError = safeJson(text) as {
    error?: { code?: string; message?: string; field?: string }
  } | null
  const code = apiError?.error?.code ?? `http-${response.status}`
  const field = apiError?.error?.field ? ` (field ${apiError.error.field})` : ''
  const message = `${response.status} ${apiError?.error?.message ?? (text.slice(0, 200) || response.statusText)}${field}`
  return {
    class: klass,
    status: response.status,
    code,
    message,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), (target.now ?? Date.now)()),
  }
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
