import type { MiddlewareHandler } from 'hono'
import { ApiError } from './errors.ts'

/** The names a browser uses for the local stack: a page on any other name is refused. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]']

/** The host name of a `Host` header value, lower-cased, without its port (`[::1]` keeps brackets). */
export function hostName(value: string): string {
  const host = value.trim().toLowerCase()
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1)
  const colon = host.indexOf(':')
  return (colon === -1 ? host : host.slice(0, colon)).replace(/\.$/, '')
}

/**
 * Refuses a request whose `Host` names none of `allowed` with 421 (DNS rebinding: a page on
 * evil.example whose name resolves to 127.0.0.1 sends `Host: evil.example`). An empty list checks
 * nothing. The request URL's host is checked too, since behind adapters it comes from the header.
 */
export function allowedHostsCheck(allowed: readonly string[]): MiddlewareHandler {
  const names = new Set(allowed.map(hostName))
  return async (c, next) => {
    if (names.size === 0) return next()
    const header = c.req.header('host')
    for (const value of [header, new URL(c.req.url).host]) {
      if (value === undefined) continue
      const name = hostName(value)
      if (!names.has(name))
        throw new ApiError(
          421,
          'misdirected-request',
          `host '${name}' is not served here (allowed: ${[...names].join(', ')})`,
          { field: 'Host' },
        )
    }
    return next()
  }
}
