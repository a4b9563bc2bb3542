import type { MiddlewareHandler } from 'hono'
import { ApiError } from './errors.ts'

/**
 * Refuses a query parameter given more than once (`?mtu=1500&mtu=9000`) with 400 naming it: no
 * operation takes a list in the query, and silently keeping the first value hides a mistake.
 */
export function singleQueryParams(): MiddlewareHandler {
  return async (c, next) => {
    const search = new URL(c.req.url).searchParams
    const seen = new Set<string>()
    for (const name of search.keys()) {
      if (seen.has(name))
        throw new ApiError(
          400,
          'duplicate-parameter',
          `query parameter '${name}' is given ${search.getAll(name).length} times; give it once`,
          { field: name },
        )
      seen.add(name)
    }
    return next()
  }
}
