import { readFile } from 'node:fs/promises'
import type { CompareResult } from '#core/compare/compare-runs.ts'
import type { RunFilter } from '#functions/ports.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'
import { resolveEndpoint } from '#collector/endpoint-config.ts'
import { UsageError, intFlag, parseFlags, withUsage } from './args.ts'
import { COMPARE_COLUMNS, COMPARE_RIGHT, compareRow, groupAdvice } from './compare-view.ts'
import { renderTable } from './table.ts'

const USAGE = `usage: netlake compare --candidate SCENARIO [--baseline SCENARIO] [--metric throughput|latency]
       netlake compare --all [--metric throughput|latency]
       netlake compare --lake DIR --candidate SCENARIO ...   (offline, over runs Parquet files)

Compares the candidate scenario's repetitions with a baseline scenario, or with bare-metal runs
matched on hardware profile, NIC speed, link MTU and tool settings (GET /v1/compare of the running
stack). One line per scenario: n, median, CV, the baseline's n and median, the ratio of geometric means
and the overhead with their 95% CIs (Welch t on log values; none below 3 runs a side), and the API's
verdict against its practical band (±5% throughput, ±10% latency): WORSE/BETTER when the whole 95%
interval lies beyond the band, SAME when the 90% interval lies inside it, else INCONCLUSIVE (with
the runs per side the API says would resolve it), with p the p-value of that verdict's test
(Holm-adjusted when given); what limited each side (limited_by: cpu, ceiling, loss, unknown, mixed;
baseline → candidate when they differ) and the kinds of hop on the candidate's path that the
baseline's lacks (+), the reverse (−) and changed settings (~).

  --candidate S        scenario id of the candidate side
  --baseline S         scenario id of the baseline side (default: matched bare metal)
  --all                every non-bare-metal scenario of the catalog against its matched baseline
  --metric M           throughput (iperf3 TCP, default) or latency (qperf tcp_lat)
  --hardware-profile P only runs with this hardware profile
  --campaign C         only runs of this campaign
  --allow-key-mismatch compare even when comparison keys differ (flagged)
  --seed N             seed of the median-ratio bootstrap cross-check (large sets only)
  --lake DIR           offline: compare the runs Parquet files under DIR (a lake's curated/runs/
                       tree or 'netlake normalize --out' folders, searched recursively) with the
                       same selection and statistics as GET /v1/compare, no stack needed
  --api URL            API base (env NETLAKE_API, default: the running local stack)
  --token TOKEN        bearer token (env NETLAKE_TOKEN, default <data dir>/token)
  --data-dir DIR       the local stack's data folder (default ./.netlake or $NETLAKE_DATA_DIR)
  --json               the API's document (with --all: one document per line)

Exit: 0 compared, 1 no runs / refused / API unreachable, 2 usage.`

const OPTIONS = {
  candidate: { type: 'string' },
  baseline: { type: 'string' },
  all: { type: 'boolean' },
  metric: { type: 'string' },
  'hardware-profile': { type: 'string' },
  campaign: { type: 'string' },
  'allow-key-mismatch': { type: 'boolean' },
  seed: { type: 'string' },
  lake: { type: 'string' },
  api: { type: 'string' },
  token: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const METRICS: Record<string, 'throughput_bps' | 'latency_s'> = {
  throughput: 'throughput_bps',
  throughput_bps: 'throughput_bps',
  latency: 'latency_s',
  latency_s: 'latency_s',
}

/** An API answer that is not a comparison. */
class ApiAnswerError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

/** `netlake compare` */
export async function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, () => compare(argv))
}

async function compare(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS)
  if (values.help) return (console.log(USAGE), 0)
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`)
  if (Boolean(values.candidate) === Boolean(values.all))
    throw new UsageError('give --candidate SCENARIO or --all')
  if (values.all && values.baseline)
    throw new UsageError('--all compares with matched bare metal; drop --baseline')
  const metric = METRICS[values.metric ?? 'throughput']
  if (!metric)
    throw new UsageError(`--metric must be throughput or latency, got '${values.metric}'`)
  const seed = values.seed === undefined ? undefined : intFlag(values.seed, 'seed', 0)
  let source: string
  let get: (path: string, query: Record<string, string | undefined>) => Promise<unknown>
  if (values.lake !== undefined) {
    if (values.api || values.token)
      throw new UsageError('--lake compares offline: drop --api/--token')
    get = await offlineApi(values.lake)
    source = `the Parquet files under ${values.lake}`
  } else {
    const endpoint = await resolveEndpoint(values, process.env, process.cwd())
    if (endpoint.api === null) {
      console.error(`netlake compare: ${endpoint.apiProblem}`)
      return 1
    }
    source = endpoint.api
    get = apiGetter(endpoint.api, endpoint.token)
  }
  const query = (candidate: string) => ({
    candidate,
    baseline: values.baseline,
    metric,
    hardware_profile: values['hardware-profile'],
    campaign: values.campaign,
    allow_key_mismatch: values['allow-key-mismatch'] ? 'true' : undefined,
    seed: seed === undefined ? undefined : String(seed),
  })

  try {
    if (values.candidate) {
      const result = (await get('v1/compare', query(values.candidate))) as CompareResult
      if (values.json) console.log(JSON.stringify(result, null, 2))
      else printComparisons([[values.candidate, result]], metric, source)
      printSkippedFiles([result])
      return 0
    }
    const catalog = (await get('v1/scenarios', {})) as {
      scenarios: Array<{ id: string; platform: string }>
    }
    const ids = catalog.scenarios
      .filter((s) => s.platform !== 'baremetal' && s.id !== 'baseline')
      .map((s) => s.id)
    const done: Array<[string, CompareResult]> = []
    const skipped: string[] = []
    for (const id of ids) {
      try {
        const result = (await get('v1/compare', query(id))) as CompareResult
        if (values.json) console.log(JSON.stringify({ scenario: id, ...result }))
        done.push([id, result])
      } catch (error) {
        if (error instanceof ApiAnswerError && error.code !== 'network')
          skipped.push(`${id}: ${error.message}`)
        else throw error
      }
    }
    if (!values.json && done.length) printComparisons(done, metric, source)
    for (const s of skipped) console.error(`skipped ${s}`)
    printSkippedFiles(done.map(([, r]) => r))
    return done.length ? 0 : 1
  } catch (error) {
    if (error instanceof ApiAnswerError) {
      console.error(`netlake compare: ${error.message}`)
      return 1
    }
    throw error
  }
}

function printComparisons(
  results: Array<[string, CompareResult]>,
  metric: string,
  api: string,
): void {
  const what =
    metric === 'throughput_bps' ? 'TCP throughput (iperf3)' : 'TCP latency (qperf tcp_lat)'
  const band = results[0]?.[1].verdict.band
  const against = band === undefined ? '' : `, verdict against ±${+(band * 100).toFixed(1)}%`
  console.log(
    `${what}, candidate vs baseline, 95% CIs (ratio of geometric means, Welch t on logs)${against}, from ${api}`,
  )
  console.log(
    renderTable(
      COMPARE_COLUMNS,
      results.map(([id, r]) => compareRow(id, r)),
      { right: COMPARE_RIGHT },
    ),
  )
  for (const a of groupAdvice(results)) console.log(`note: ${a}`)
}

/** Each lake file the comparisons left out, once, on stderr (their runs' qualification is unknown). */
function printSkippedFiles(results: readonly CompareResult[]): void {
  const seen = new Set<string>()
  for (const { key, reason } of results.flatMap((r) => r.skipped_files ?? [])) {
    if (seen.has(key)) continue
    seen.add(key)
    console.error(
      `netlake compare: skipped unreadable file ${key}: ${reason} (qualification of its runs unknown)`,
    )
  }
}

/** GET against the API with the bearer token; answers other than 2xx become ApiAnswerError. */
function apiGetter(api: string, token: string | null | undefined) {
  return async (path: string, query: Record<string, string | undefined>): Promise<unknown> => {
    const url = new URL(path, api.endsWith('/') ? api : `${api}/`)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v)
    let response: Response
    try {
      response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code
      throw new ApiAnswerError(
        `cannot reach the API at ${api} (${cause ?? (error as Error).message})`,
        'network',
      )
    }
    const body = (await response.json().catch(() => null)) as Record<string, any> | null
    if (!response.ok) {
      const e = body?.error as { code?: string; message?: string } | undefined
      throw new ApiAnswerError(
        `${response.status} ${e?.message ?? response.statusText}`,
        e?.code ?? `http-${response.status}`,
      )
    }
    return body
  }
}

/**
 * The two GETs compare makes, answered offline from runs Parquet files with the API's own
 * selection (`compareScenario`): same validation, same refusals, same document.
 */
async function offlineApi(dir: string) {
  const { findRunsParquet } = await import('./report.ts')
  const { readParquetRows } = await import('#adapters/parquet-writer.ts')
  const { compareScenario } = await import('#functions/compare/compare-scenario.ts')
  const { CompareQuerySchema } = await import('#schemas/api.ts')
  const files = await findRunsParquet(dir)
  if (!files.length) throw new UsageError(`--lake ${dir}: no runs Parquet files below it`)
  const rows: RunRow[] = []
  for (const file of files)
    rows.push(...((await readParquetRows(new Uint8Array(await readFile(file)))) as RunRow[]))
  const runs = rows.filter((r) => r.role !== 'server')
  const load = async (filter: RunFilter) =>
    runs.filter((r) =>
      Object.entries(filter).every(([k, v]) => {
        if (v === undefined) return true
        const have = (r as Record<string, unknown>)[k]
        return k === 'campaign' && v === '' ? have === null || have === '' : have === v
      }),
    )
  return async (path: string, query: Record<string, string | undefined>): Promise<unknown> => {
    if (path === 'v1/scenarios') {
      const platformOf = new Map<string, string>()
      for (const r of runs)
        if (r.scenario && !platformOf.has(r.scenario)) platformOf.set(r.scenario, r.platform ?? '')
      return { scenarios: [...platformOf].sort().map(([id, platform]) => ({ id, platform })) }
    }
    const q = CompareQuerySchema.safeParse(
      Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)),
    )
    if (!q.success) {
      const issue = q.error.issues[0]
      throw new UsageError(`${issue.path.join('.')}: ${issue.message}`)
    }
    const out = await compareScenario(load, q.data, {
      cap: Number.POSITIVE_INFINITY,
      loadIntervals: (chosen) => intervalsBelow(dir, chosen),
    })
    if (!out.ok) throw new ApiAnswerError(`${out.status} ${out.message}`, out.code)
    return out.result
  }
}

/**
 * The interval rows of `runs` from the intervals Parquet files below `dir` (as the API reads them);
 * a file that cannot be read is skipped and named, and the runs with no rows found are then unknown.
 */
async function intervalsBelow(dir: string, runs: RunRow[]) {
  const { readdir } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const { readParquetRows } = await import('#adapters/parquet-writer.ts')
  const { readCuratedRows, UnreadableFileError } =
    await import('#functions/lake/parquet-problem.ts')
  const wanted = new Set(runs.map((r) => r.run_id))
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (p) => /(^|[\\/])intervals[^\\/]*\.parquet$/.test(p) || /(^|[\\/])intervals[\\/]/.test(p),
    )
    .sort()
  const rows: IntervalRow[] = []
  const skipped: Array<{ key: string; reason: string }> = []
  for (const file of files) {
    let read: IntervalRow[]
    try {
      read = (await readCuratedRows(
        file,
        new Uint8Array(await readFile(file)),
        readParquetRows,
      )) as IntervalRow[]
    } catch (error) {
      if (!(error instanceof UnreadableFileError)) throw error
      skipped.push({ key: error.key, reason: error.reason })
      continue
    }
    for (const row of read) if (wanted.has(row.run_id)) rows.push(row)
  }
  const seen = new Set(rows.map((r) => r.run_id))
  const unreadableRuns =
    skipped.length === 0
      ? []
      : runs.map((r) => r.run_id).filter((id): id is string => id !== null && !seen.has(id))
  return { rows, skipped, unreadableRuns }
}
