import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { readStackFile } from '#local/stack-file.ts'

/** Where uploads go and where they wait. */
export interface EndpointConfig {
  /** The API base URL; null when none is given and no local stack runs (see `apiProblem`). */
  api: string | null
  /** Where the API came from, for messages: '--api', 'NETLAKE_API' or the stack file. */
  apiSource: string
  /** Why there is no API (no --api, no NETLAKE_API, no running local stack); null when there is one. */
  apiProblem: string | null
  token: string | null
  /** Where the token came from, for messages (never the token itself). */
  tokenSource: string
  spoolDir: string
}

/** Flags of the commands that talk to the API. */
export interface EndpointFlags {
  api?: string
  token?: string
  spool?: string
  /** The local stack's data folder (default `./.netlake` or `$NETLAKE_DATA_DIR`). */
  'data-dir'?: string
}

/**
 * Flags > environment > the running local stack (empty values count as unset). Without `--api` or
 * `NETLAKE_API`, the API is the one the local stack wrote to `<data dir>/stack.json` (any port),
 * and the default token is its `<data dir>/token`; with no stack running, `api` is null and
 * `apiProblem` says so, so callers answer at once instead of retrying a refused connection.
 */
export async function resolveEndpoint(
  flags: EndpointFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<EndpointConfig> {
  const dataDir = resolve(cwd, flags['data-dir'] || env.NETLAKE_DATA_DIR || '.netlake')
  let api: string | null = flags.api || env.NETLAKE_API || null
  let apiSource = flags.api ? '--api' : env.NETLAKE_API ? 'NETLAKE_API' : 'none'
  let apiProblem: string | null = null
  if (api === null) {
    const stack = await readStackFile(dataDir)
    if (typeof stack === 'string') {
      apiProblem = `no netlake API: no --api or NETLAKE_API given and no local stack running with data in ${dataDir} (start one with 'netlake start')`
    } else {
      api = stack.url
      apiSource = `the local stack (${join(dataDir, 'stack.json')})`
    }
  }
  let token: string | null = flags.token || env.NETLAKE_TOKEN || null
  let tokenSource = flags.token ? '--token' : env.NETLAKE_TOKEN ? 'NETLAKE_TOKEN' : 'none'
  if (token === null) {
    const file = join(dataDir, 'token')
    try {
      token = (await readFile(file, 'utf8')).trim() || null
      tokenSource = token ? file : 'none'
    } catch {
      tokenSource = `none (no ${file})`
    }
  }
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state')
  const spoolDir = resolve(cwd, flags.spool || env.NETLAKE_SPOOL || join(state, 'netlake', 'spool'))
  return { api, apiSource, apiProblem, token, tokenSource, spoolDir }
}
