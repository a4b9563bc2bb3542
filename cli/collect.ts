import { defaultScenarioCatalog, findScenario } from '#core/compare/scenario-catalog.ts'
import { UploadEnvelopeSchema } from '#schemas/envelope.ts'
import type { Tool } from '#schemas/labels.ts'
import {
  UsageError,
  retryPolicy,
  intFlag,
  parseFlags,
  withUsage,
  UPLOAD_HELP,
  UPLOAD_OPTIONS,
} from './args.ts'
import { resolveEndpoint } from '#collector/endpoint-config.ts'
import {
  LabelInputError,
  mergeLabels,
  validateLabels,
  type LabelInput,
} from '#collector/label-input.ts'
import { createProgress, progressMode } from '#collector/progress.ts'
import { parseScenarioFlags, planRuns, platformForScenario } from '#collector/schedule.ts'
import { openSpool } from '#collector/spool.ts'
import { readRouteInfo, readSystemInfo, type RouteInfo } from '#collector/system-info.ts'
import { DEFAULT_OMIT_S, runTool, toolFailure } from '#collector/tool-runner.ts'
import { finishSession, loadLabelInput } from '#collector/upload-session.ts'
import { collectorLabels } from '#collector/collector-labels.ts'
import {
  describeMeasured,
  measuredValues,
  summarizeMeasured,
  type MeasuredRun,
} from '#collector/measured.ts'
import { renderTable } from './table.ts'

const USAGE = `usage: netlake collect --target HOST --scenario ID [options]
       netlake collect --scenario ID=HOST [--scenario ID=HOST ...] [options]

Runs iperf3 and/or qperf against servers already listening on the targets (iperf3 -s, qperf),
spools each result durably, then uploads. Several scenarios are interleaved: each repetition
runs every scenario once in a seeded random order (seed and order are printed), so drift over
time does not look like a scenario effect.

  --target HOST      host for scenarios given without =HOST
  --scenario ID[=HOST]  a scenario (repeatable); platform defaults from the id (os-*, kv-*, baseline)
  --tool T           iperf3 | qperf | both (default both)
  --repeat N         repetitions per scenario (default 1)
  --duration S       seconds per test (default 10)
  --streams N        iperf3 parallel streams -P (default 1)
  --omit S           iperf3 -O warm-up seconds left out of the result (default ${DEFAULT_OMIT_S};
                     0 keeps them; runs with a different -O are never compared)
  --iperf3-port N    iperf3 server port (default 5201)
  --qperf-port N     qperf server listen port (default 19765)
  --seed N           seed of the run order (default: random, printed)
  --no-push          only spool; send later with 'netlake push --spool DIR'
${UPLOAD_HELP}

Labels: platform and scenario are required (scenario comes from --scenario). A --labels YAML
file may hold per-scenario overrides under 'scenarios: { os-s1: { platform: openstack } }'.
Collector metadata fills software.kernel/iperf3/qperf/interface, mtu, source.host,
destination.host, collector_id, collected_at and repetition unless given.
Exit: 0 all uploaded, 1 a run failed or results are left spooled, 2 usage.`

/** `netlake collect`: run the tools, spool, push. */
export async function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, () => collect(argv))
}

async function collect(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...UPLOAD_OPTIONS,
    target: { type: 'string' },
    scenario: { type: 'string', multiple: true },
    tool: { type: 'string' },
    repeat: { type: 'string' },
    duration: { type: 'string' },
    streams: { type: 'string' },
    omit: { type: 'string' },
    seed: { type: 'string' },
    'iperf3-port': { type: 'string' },
    'qperf-port': { type: 'string' },
    'no-push': { type: 'boolean' },
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`)
  if (!values.scenario?.length) throw new UsageError('--scenario is required')
  const scenarios = parseScenarioFlags(values.scenario, values.target)
  if (typeof scenarios === 'string') throw new UsageError(scenarios)
  const toolFlag = values.tool ?? 'both'
  if (!['iperf3', 'qperf', 'both'].includes(toolFlag))
    throw new UsageError(`--tool must be iperf3, qperf or both, got '${toolFlag}'`)
  const tools: Tool[] = toolFlag === 'both' ? ['iperf3', 'qperf'] : [toolFlag as Tool]
  const repeat = intFlag(values.repeat, 'repeat', 1, 1)
  const settings = {
    durationS: intFlag(values.duration, 'duration', 10, 1),
    streams: intFlag(values.streams, 'streams', 1, 1),
    omitS: intFlag(values.omit, 'omit', DEFAULT_OMIT_S),
    iperf3Port: intFlag(values['iperf3-port'], 'iperf3-port', 0),
    qperfPort: intFlag(values['qperf-port'], 'qperf-port', 0),
  }
  const seed =
    values.seed === undefined
      ? Math.floor(Math.random() * 2 ** 31)
      : intFlag(values.seed, 'seed', 0)
  const json = Boolean(values.json)

  let layers
  try {
    layers = await loadLabelInput(values, process.cwd())
  } catch (error) {
    if (error instanceof LabelInputError) throw new UsageError(error.message)
    throw error
  }
  // Validate every scenario's labels before measuring anything.
  const userLabels = new Map<string, LabelInput>()
  const catalog = defaultScenarioCatalog()
  for (const s of scenarios) {
    const inferred = findScenario(catalog, s.scenario)?.platform ?? platformForScenario(s.scenario)
    const input = mergeLabels(
      inferred ? { platform: inferred } : {},
      layers.common,
      layers.perScenario[s.scenario] ?? {},
      { scenario: s.scenario },
    )
    const check = validateLabels(input)
    if (!check.ok) throw new UsageError(`scenario ${s.scenario}: ${check.errors.join('; ')}`)
    userLabels.set(s.scenario, input)
  }

  const endpoint = await resolveEndpoint(values, process.env, process.cwd())
  const spool = await openSpool(endpoint.spoolDir)
  const progress = createProgress(
    progressMode(json, process.stderr.isTTY),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  )
  const plan = planRuns(scenarios, repeat, tools, seed)
  const order = plan.map((p) => `${p.scenario}#${p.repetition}`)
  progress.emit(
    {
      event: 'plan',
      seed,
      omit_s: settings.omitS,
      runs: plan.length * tools.length,
      order,
      spool: endpoint.spoolDir,
    },
    `seed ${seed}; iperf3 warm-up omitted: ${settings.omitS} s${values.omit === undefined ? ' (default; --omit 0 keeps it)' : ''}; order: ${order.join(' ')}\nspool: ${endpoint.spoolDir}`,
  )

  const system = await readSystemInfo()
  const routes = new Map<string, RouteInfo>()
  for (const s of scenarios)
    if (!routes.has(s.target)) routes.set(s.target, await readRouteInfo(s.target))

  const failures: string[] = []
  // Ctrl-C / SIGTERM: stop the running tool, keep what is spooled, skip the upload.
  const stop = new AbortController()
  let interrupted: NodeJS.Signals | null = null
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal
    stop.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let spooledNow = 0
  const measured: MeasuredRun[] = []
  progress.setTotal(plan.length * tools.length)
  try {
    runs: for (const slot of plan) {
      for (const tool of tools) {
        if (interrupted) break runs
        const what = `${slot.scenario} rep ${slot.repetition} ${tool} → ${slot.target}`
        progress.emit(
          {
            event: 'run-start',
            index: slot.index,
            scenario: slot.scenario,
            repetition: slot.repetition,
            tool,
            target: slot.target,
          },
          `running ${what}`,
        )
        const collectedAt = new Date().toISOString()
        const output = await runTool(tool, slot.target, settings, [], stop.signal)
        if (interrupted) break runs
        const failure = toolFailure(output)
        if (failure) failures.push(`${what}: ${failure}`)
        let spoolId: string | null = null
        if (output.stdout.trim()) {
          const labels = collectorLabels(
            userLabels.get(slot.scenario)!,
            system,
            routes.get(slot.target)!,
            slot.target,
            slot.repetition,
            collectedAt,
          )
          const envelope = UploadEnvelopeSchema.safeParse({ labels, tool, raw: output.stdout })
          if (envelope.success) {
            spoolId = (await spool.put(envelope.data)).id
            spooledNow++
          } else
            failures.push(
              `${what}: labels invalid after adding collector metadata: ${envelope.error.issues[0].path.join('.')} ${envelope.error.issues[0].message}`,
            )
        }
        const values = output.stdout.trim() ? measuredValues(tool, output.stdout) : []
        for (const v of values) measured.push({ ...v, scenario: slot.scenario, tool })
        progress.emit(
          {
            event: 'run-done',
            index: slot.index,
            scenario: slot.scenario,
            repetition: slot.repetition,
            tool,
            ok: failure === null,
            error: failure,
            duration_ms: output.durationMs,
            spool_id: spoolId,
            measured: values,
          },
          `  ${failure ?? `${values.length ? `${describeMeasured(values)}, ` : ''}done in ${(output.durationMs / 1000).toFixed(1)} s`}${spoolId ? `, spooled ${spoolId}` : ', nothing spooled'}`,
        )
        progress.tick(what)
      }
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  progress.end()
  if (interrupted) {
    progress.emit(
      { event: 'interrupted', signal: interrupted, spooled: spooledNow, spool: endpoint.spoolDir },
      `interrupted (${interrupted}): the run in progress was dropped; ${spooledNow} finished result(s) stay in ${endpoint.spoolDir}; send them with: netlake push --spool ${endpoint.spoolDir}`,
    )
    return interrupted === 'SIGINT' ? 130 : 143
  }
  if (!json && measured.length)
    console.log(
      `measured:\n${renderTable(['scenario', 'tool', 'test', 'n', 'median', 'min', 'max'], summarizeMeasured(measured), { right: new Set(['n', 'median', 'min', 'max']) })}`,
    )
  const summary = await finishSession({
    spool,
    endpoint,
    progress,
    otherFailures: failures,
    noPush: values['no-push'],
    print: (t) => console.log(t),
    json,
    policy: retryPolicy(values.retries),
  })
  return summary.exit_code
}
