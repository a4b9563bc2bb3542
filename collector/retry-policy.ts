/** How an upload answer is treated. */
export type AnswerClass = 'acknowledged' | 'permanent' | 'auth' | 'transient'

/** Backoff settings; tests use tiny numbers. */
export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number
  baseMs: number
  maxMs: number
  /** Longest Retry-After honoured; longer waits give up and leave the entry spooled. */
  maxRetryAfterMs: number
}

/** Defaults: 6 retries, 0.5 s doubling to 30 s with full jitter (about 1 minute worst case). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 6,
  baseMs: 500,
  maxMs: 30_000,
  maxRetryAfterMs: 120_000,
}

/**
 * HTTP status → what to do. 2xx acknowledged; 408, 429 and 5xx transient; 401/403 mean the token
 * is wrong, not the result (kept spooled, draining stops); other 4xx permanent.
 */
export function classifyStatus(status: number): AnswerClass {
  if (status >= 200 && status < 300) return 'acknowledged'
  if (status === 408 || status === 429 || status >= 500) return 'transient'
  if (status === 401 || status === 403) return 'auth'
  return 'permanent'
}

/** Full-jitter exponential backoff: a uniform wait in [0, min(max, base·2^attempt)]. `random` ∈ [0,1). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt)
  return Math.floor(ceiling * random)
}

/** `Retry-After` (seconds or HTTP date) → milliseconds from `nowMs`, or null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs)
}

/** The wait before the next attempt: the server's Retry-After when given (never less), else backoff. */
export function nextDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: number,
  retryAfterMs: number | null,
): number {
  const backoff = backoffMs(attempt, policy, random)
  return retryAfterMs === null ? backoff : Math.max(retryAfterMs, backoff)
}
