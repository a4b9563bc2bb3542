import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** Where uploads go and where they wait. */
export interface EndpointConfig {
  api: string
  token: string | null
  /** Where the token came from, for messages (never the token itself). */
  tokenSource: string
  spoolDir: string
}

/** The default API: the local stack. */
export const DEFAULT_API = 'http://127.0.0.1:8787'

/** Flags > environment > defaults (empty values count as unset); the default token is the local stack's `<data dir>/token`. */
export async function resolveEndpoint(
  flags: { api?: string; token?: string; spool?: string },
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<EndpointConfig> {
  const api = flags.api || env.NETLAKE_API || DEFAULT_API
  let token: string | null = flags.token || env.NETLAKE_TOKEN || null
  let tokenSource = flags.token ? '--token' : env.NETLAKE_TOKEN ? 'NETLAKE_TOKEN' : 'none'
  if (token === null) {
    const file = join(resolve(cwd, env.NETLAKE_DATA_DIR || '.netlake'), 'token')
    try {
      token = (await readFile(file, 'utf8')).trim() || null
      tokenSource = token ? file : 'none'
    } catch {
      tokenSource = `none (no ${file})`
    }
  }
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state')
  const spoolDir = resolve(cwd, flags.spool || env.NETLAKE_SPOOL || join(state, 'netlake', 'spool'))
  return { api, token, tokenSource, spoolDir }
}
