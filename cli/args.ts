import { parseArgs, type ParseArgsConfig } from 'node:util'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '#collector/retry-policy.ts'
import { NetlakeError } from '#core/errors.ts'

/** A command-line mistake: the command prints it with its usage and exits 2. */
export class UsageError extends NetlakeError {
  constructor(message: string) {
    super(message)
  }
}

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * Parses flags with `node:util` parseArgs in strict mode, turning its errors into UsageError so a
 * command can answer every mistake the same way (message + usage, exit 2).
 */
export function parseFlags<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** A non-negative integer flag, or the default when absent; UsageError names the flag otherwise. */
export function intFlag(
  value: string | undefined,
  name: string,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${value}'`)
  return n
}

/** Shared flag definitions of the commands that upload: API, token and spool location. */
export const UPLOAD_OPTIONS = {
  api: { type: 'string' },
  token: { type: 'string' },
  spool: { type: 'string' },
  'data-dir': { type: 'string' },
  label: { type: 'string', multiple: true },
  labels: { type: 'string' },
  json: { type: 'boolean' },
  retries: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Help text for the shared upload flags. */
export const UPLOAD_HELP = `  --label k=v        a label (repeatable); nested: software.kernel=6.1, source.host=a
  --labels FILE      labels from a YAML file (flags win)
  --api URL          API base (env NETLAKE_API; default: the local stack's, on any port, from
                     <data dir>/stack.json; with no stack up, results stay spooled)
  --token TOKEN      bearer token (env NETLAKE_TOKEN, default <data dir>/token of the local stack)
  --data-dir DIR     the local stack's data folder (default ./.netlake or $NETLAKE_DATA_DIR)
  --spool DIR        spool directory (env NETLAKE_SPOOL, default ~/.local/state/netlake/spool)
  --retries N        upload retries per result on 408/429/5xx/network errors (default 6)
  --json             one JSON object per event line on stdout`

/** Runs a command body, mapping UsageError to exit 2 with the usage text. */
export async function withUsage(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`netlake: ${error.message}\n\n${usage}`)
      return 2
    }
    throw error
  }
}

/** The retry policy with `--retries` applied. */
export function retryPolicy(retries: string | undefined): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICY,
    retries: intFlag(retries, 'retries', DEFAULT_RETRY_POLICY.retries),
  }
}
