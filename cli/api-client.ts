import { resolveEndpoint } from '#collector/endpoint-config.ts'
import type { EndpointFlags } from '#collector/endpoint-config.ts'
import { NetlakeError } from '#core/errors.ts'
import { UsageError } from './args.ts'

/** An API answer that is not 2xx, or no answer: the command prints the message and exits 1. */
/** The flags every command that calls the API takes (`withApi` reads them), for its `parseFlags` options. */
export const API_OPTIONS = {
  api: { type: 'string' },
  token: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

export class ApiCallError extends NetlakeError {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message)
  }
}

/** A JSON call to the netlake API the flags, environment or local stack name. */
export type ApiCall = (
  method: string,
  path: string,
  options?: { query?: Record<string, string | undefined>; body?: unknown },
) => Promise<Record<string, any>>

/** The API client of the repair commands (relabel, delete, audit); null with the reason when no API. */
export async function openApi(flags: EndpointFlags): Promise<ApiCall | string> {
  const endpoint = await resolveEndpoint(flags, process.env, process.cwd())
  if (endpoint.api === null) return endpoint.apiProblem as string
  return createApiCall(endpoint.api, endpoint.token)
}

/** A JSON client of the API at `api` with a bearer `token`; non-2xx answers throw ApiCallError. */
export function createApiCall(api: string, token: string | null): ApiCall {
  return async (method, path, options = {}) => {
    const url = new URL(path, api.endsWith('/') ? api : `${api}/`)
    for (const [k, v] of Object.entries(options.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, v)
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
    if (options.body !== undefined) headers['content-type'] = 'application/json'
    let response: Response
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      })
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code
      throw new ApiCallError(
        `cannot reach the API at ${api} (${cause ?? (error as Error).message})`,
        null,
      )
    }
    const body = (await response.json().catch(() => null)) as Record<string, any> | null
    if (!response.ok) {
      const e = body?.error as { code?: string; message?: string } | undefined
      throw new ApiCallError(
        `${response.status} ${e?.message ?? response.statusText}`,
        response.status,
      )
    }
    return body ?? {}
  }
}

/**
 * The shared frame of the repair commands: opens the API client from the flags (exit 1 with the
 * reason when there is none), runs `work`, and turns an API error it throws into its message on
 * stderr and exit 1.
 */
export async function withApi(
  command: string,
  flags: EndpointFlags,
  work: (call: ApiCall) => Promise<number>,
): Promise<number> {
  const call = await openApi(flags)
  if (typeof call === 'string') return (console.error(`netlake ${command}: ${call}`), 1)
  try {
    return await work(call)
  } catch (error) {
    if (error instanceof ApiCallError)
      return (console.error(`netlake ${command}: ${error.message}`), 1)
    throw error
  }
}

/**
 * Applies one API call to each object in turn: `--dry-run` only lists them; `--json` prints each
 * answer as a line, else `line(sha, answer)`. An object the API refuses is named on stderr and the
 * others still go; unreachable API stops. Exit 1 when any was refused.
 */
export async function forEachObject(
  shas: readonly string[],
  options: { dryRun: boolean; json: boolean; command: string },
  act: (sha: string) => Promise<Record<string, any>>,
  line: (sha: string, answer: Record<string, any>) => string,
): Promise<number> {
  let failed = 0
  for (const sha of shas) {
    if (options.dryRun) {
      console.log(options.json ? JSON.stringify({ raw_sha256: sha, dry_run: true }) : sha)
      continue
    }
    try {
      const answer = await act(sha)
      console.log(options.json ? JSON.stringify(answer) : line(sha, answer))
    } catch (error) {
      if (!(error instanceof ApiCallError) || error.status === null) throw error
      failed++
      console.error(`netlake ${options.command}: ${sha}: ${error.message}`)
    }
  }
  return failed > 0 ? 1 : 0
}

/** The run filters `--where` accepts (the filters of `GET /v1/runs`). */
const WHERE_FIELDS = [
  'platform',
  'scenario',
  'campaign',
  'hardware_profile',
  'tool',
  'test',
  'status',
  'from',
  'to',
]

/** `scenario=os-s1 AND campaign=c1` → filters; `campaign=` selects runs with no campaign. */
export function parseWhere(where: string): Record<string, string> {
  const filter: Record<string, string> = {}
  for (const term of where.split(/\s+AND\s+/i)) {
    const m = /^\s*([a-z_]+)\s*=\s*'?([^']*?)'?\s*$/.exec(term)
    if (!m)
      throw new UsageError(`--where: '${term.trim()}' is not field=value (join terms with AND)`)
    if (!WHERE_FIELDS.includes(m[1]))
      throw new UsageError(`--where: '${m[1]}' is not a filter (use ${WHERE_FIELDS.join(', ')})`)
    filter[m[1]] = m[2]
  }
  return filter
}

const SHA = /^[0-9a-f]{64}$/
const RUN_ID = /^[0-9a-f]{32}$/

/**
 * The raw objects a repair command acts on: a SHA256 argument, the objects behind `--run` ids, or
 * every object with a run matching `--where`. Each object once, in the order found.
 */
export async function resolveTargets(
  call: ApiCall,
  target: { positionals: string[]; run?: string[]; where?: string },
): Promise<string[]> {
  const given = [
    target.positionals.length > 0,
    (target.run ?? []).length > 0,
    target.where !== undefined,
  ]
  if (given.filter(Boolean).length !== 1)
    throw new UsageError('give SHA256..., --run RUN_ID or --where FILTER (one of them)')
  const shas = new Set<string>()
  for (const sha of target.positionals) {
    if (!SHA.test(sha))
      throw new UsageError(`'${sha}' is not a sha256 (64 lowercase hex characters)`)
    shas.add(sha)
  }
  for (const id of target.run ?? []) {
    if (!RUN_ID.test(id))
      throw new UsageError(`--run '${id}' is not a run id (32 lowercase hex characters)`)
    const run = (await call('GET', `v1/runs/${id}`)).run as { raw_sha256: string }
    shas.add(run.raw_sha256)
  }
  if (target.where !== undefined) {
    const filter = parseWhere(target.where)
    let cursor: string | undefined
    do {
      const page = await call('GET', 'v1/runs', { query: { ...filter, limit: '500', cursor } })
      for (const run of page.runs as Array<{ raw_sha256: string }>) shas.add(run.raw_sha256)
      cursor = page.cursor ?? undefined
    } while (cursor)
  }
  return [...shas]
}
