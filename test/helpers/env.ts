import { vi } from 'vitest'

/**
 * Sets environment variables through vitest, so `vi.unstubAllEnvs()` in the file's `afterAll`
 * gives them back: test files share a worker process (`isolate: false`), and a lake's
 * `NETLAKE_*` left behind would send the next file's CLI commands to a closed server.
 */
export function stubEnvs(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value)
}
