import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Vitest global setup: tests that spawn `netlake` run the built CLI (bin/netlake.js → dist/cli/),
 * as users do, so dist/ is rebuilt once before the suite when a source is newer than it.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs', '--if-stale'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}
