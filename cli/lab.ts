import { join, resolve } from 'node:path'
import type { Tool } from '#schemas/labels.ts'
import { UsageError, intFlag, parseFlags, retryPolicy, withUsage, UPLOAD_OPTIONS } from './args.ts'
import { resolveEndpoint } from '#collector/endpoint-config.ts'
import { LabelInputError, type LabelInput } from '#collector/label-input.ts'
import { createProgress, progressMode, type Progress } from '#collector/progress.ts'
import { planRuns } from '#collector/schedule.ts'
import { openSpool } from '#collector/spool.ts'
import { readSystemInfo } from '#collector/system-info.ts'
import { finishSession, loadLabelInput } from '#collector/upload-session.ts'
import { LAB_PREFIX, type LabScenario } from '../lab/lab-scenario.ts'
import {
  buildScenario,
  isScenarioUp,
  teardownScenario,
  type LabRunSettings,
} from '../lab/lab-runner.ts'
import { measureLab } from '../lab/lab-measure.ts'
import { deleteNamespaces, hasCommand, isRoot, listLabNamespaces } from '../lab/netns.ts'
import { LAB_SCENARIOS, selectScenarios } from '../lab/scenarios.ts'

const NOTICE =
  'note: the lab emulates these paths with network namespaces, veth pairs, bridges, VXLAN and NAT on ONE kernel. ' +
  "Its numbers show this machine's CPU and kernel datapath, not NICs, hypervisors or a real cloud: they are no measurement of OpenStack or KubeVirt."

const USAGE = `usage: netlake lab list
       netlake lab up   [SCENARIO...|all]
       netlake lab run  [SCENARIO...|all] [--repeat N] [--duration S] [--push] [--out DIR]
       netlake lab down [SCENARIO...|all]

Emulates the scenarios of DESIGN.md §4 with Linux network namespaces (names start with '${LAB_PREFIX}')
and runs iperf3 and qperf inside them. Needs root. 'run' builds what is not up, measures, and
removes what it built (also on failure and Ctrl-C); repetitions of several scenarios are
interleaved in a seeded random order.

  --repeat N         repetitions per scenario (default 1)
  --duration S       seconds per test (default 3; iperf3 also omits 1 s at the start)
  --tool T           iperf3 | qperf | both (default both)
  --seed N           seed of the run order (default random, printed)
  --out DIR          where outputs go (default ./lab-results/<time>)
  --no-pin           do not pin client and server to CPU 0
  --offloads on      keep TSO/GSO/GRO on (default: off on every lab interface)
  --push             upload results (labels platform, scenario, hardware_profile=lab-netns, mtu,
                     link_mtu; add more with --label/--labels)
  --label, --labels, --api, --token, --spool, --data-dir, --retries   as in push
  --json             one JSON object per event line

${NOTICE}`

/** `netlake lab`: one-box emulation of the scenarios with network namespaces. */
export async function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, () => lab(argv))
}

async function lab(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...UPLOAD_OPTIONS,
    repeat: { type: 'string' },
    duration: { type: 'string' },
    tool: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    push: { type: 'boolean' },
    'no-pin': { type: 'boolean' },
    offloads: { type: 'string' },
  })
  const [action, ...names] = positionals
  if (values.help || !action) {
    console.log(USAGE)
    return values.help ? 0 : 2
  }
  if (!['list', 'up', 'run', 'down'].includes(action))
    throw new UsageError(`unknown lab action '${action}'`)
  const { ids, unknown } = selectScenarios(names)
  if (unknown.length)
    throw new UsageError(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(LAB_SCENARIOS).join(', ')}, all`,
    )
  if (values.offloads !== undefined && !['on', 'off'].includes(values.offloads))
    throw new UsageError(`--offloads must be on or off`)
  const offloadsOff = values.offloads !== 'on'
  const scenarios = ids.map((id) => LAB_SCENARIOS[id]({ offloadsOff }))

  if (action === 'list') {
    const up = new Set(await listLabNamespaces().catch(() => []))
    for (const s of scenarios) {
      const state = s.topology.namespaces.every((ns) => up.has(ns)) ? 'up' : 'down'
      console.log(`${s.id.padEnd(9)} ${state.padEnd(5)} ${s.platform.padEnd(10)} ${s.description}`)
    }
    return 0
  }
  if (!isRoot()) {
    console.error(
      `netlake lab ${action}: needs root (it creates network namespaces, veth pairs, bridges, VXLAN devices and iptables rules); run it with sudo`,
    )
    return 1
  }
  const missing = []
  for (const tool of [
    'ip',
    'bridge',
    'iperf3',
    'qperf',
    'ss',
    ...(scenarios.some((s) => s.id === 'os-s4') ? ['iptables'] : []),
  ])
    if (!(await hasCommand(tool))) missing.push(tool)
  if (missing.length) {
    console.error(
      `netlake lab: missing commands: ${missing.join(', ')} (apt-get install -y iperf3 qperf iproute2 iptables ethtool)`,
    )
    return 1
  }

  if (action === 'down') {
    const targets =
      names.length === 0 || names.includes('all')
        ? await listLabNamespaces()
        : (
            await Promise.all(scenarios.map((s) => listLabNamespaces(`${LAB_PREFIX}${s.id}-`)))
          ).flat()
    await deleteNamespaces(targets)
    console.log(
      `removed ${targets.length} namespace(s)${targets.length ? `: ${targets.join(' ')}` : ''}`,
    )
    return 0
  }

  const runOptions = action === 'run' ? await parseRunOptions(values) : null
  const json = Boolean(values.json)
  const progress = createProgress(
    progressMode(json, process.stderr.isTTY),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  )
  progress.emit({ event: 'notice', message: NOTICE }, NOTICE)
  const built: LabScenario[] = []
  const cleanup = async () => {
    const toRemove = action === 'run' ? built.splice(0) : []
    for (const s of toRemove) await teardownScenario(s)
  }
  const onSignal = (signal: NodeJS.Signals) => {
    progress.end()
    console.error(`\nnetlake lab: ${signal}, removing the namespaces this command built`)
    // Up leaves finished scenarios in place on purpose, but a half-built one goes.
    const all = action === 'run' ? built.splice(0) : building ? [building] : []
    void Promise.all(all.map((s) => teardownScenario(s))).finally(() =>
      process.exit(signal === 'SIGINT' ? 130 : 143),
    )
  }
  let building: LabScenario | null = null
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    for (const s of scenarios) {
      if (action === 'run' && (await isScenarioUp(s))) {
        progress.emit(
          { event: 'lab-reuse', scenario: s.id },
          `${s.id}: already up, reusing it (left up afterwards)`,
        )
        continue
      }
      building = s
      const { skipped, setupMs } = await buildScenario(s)
      building = null
      built.push(s)
      progress.emit(
        {
          event: 'lab-up',
          scenario: s.id,
          namespaces: s.topology.namespaces,
          setup_ms: setupMs,
          skipped_optional: skipped.map((x) => x.argv.join(' ')),
        },
        `${s.id}: up in ${setupMs} ms (${s.topology.namespaces.join(' ')}); client ${s.client.ns} ${s.client.ip} → server ${s.server.ns} ${s.server.ip}${skipped.length ? `; ${skipped.length} optional step(s) failed (e.g. ethtool)` : ''}`,
      )
    }
    if (action === 'up') {
      built.splice(0)
      console.log(
        `run a shell in a namespace with: ip netns exec <name> bash; remove with: netlake lab down ${names.join(' ') || 'all'}`,
      )
      return 0
    }
    return await measure(scenarios, runOptions!, progress, json, offloadsOff)
  } catch (error) {
    if (error instanceof UsageError) throw error
    progress.end()
    console.error(`netlake lab ${action}: ${(error as Error).message}`)
    return 1
  } finally {
    await cleanup()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

type LabValues = Record<string, string | boolean | string[] | undefined>

/** Settings of `lab run`, checked before anything is built. */
interface RunOptions {
  settings: LabRunSettings
  repeat: number
  seed: number
  out: string
  user: LabelInput
  push: boolean
  values: LabValues
}

async function parseRunOptions(values: LabValues): Promise<RunOptions> {
  const str = (k: string) => values[k] as string | undefined
  const toolFlag = str('tool') ?? 'both'
  if (!['iperf3', 'qperf', 'both'].includes(toolFlag)) {
    throw new UsageError(`--tool must be iperf3, qperf or both`)
  }
  const tools: Tool[] = toolFlag === 'both' ? ['iperf3', 'qperf'] : [toolFlag as Tool]
  const settings: LabRunSettings = {
    durationS: intFlag(str('duration'), 'duration', 3, 1),
    omitS: 1,
    pin: !values['no-pin'] && (await hasCommand('taskset')),
    tools,
  }
  const seed =
    str('seed') === undefined
      ? Math.floor(Math.random() * 2 ** 31)
      : intFlag(str('seed'), 'seed', 0)
  const out = resolve(
    str('out') ?? join('lab-results', new Date().toISOString().replace(/[:.]/g, '-')),
  )
  let user: LabelInput
  try {
    const flags = { label: values.label as string[] | undefined, labels: str('labels') }
    user = (await loadLabelInput(flags, process.cwd())).common
  } catch (error) {
    if (error instanceof LabelInputError) throw new UsageError(error.message)
    throw error
  }
  const repeat = intFlag(str('repeat'), 'repeat', 1, 1)
  return { settings, repeat, seed, out, user, push: Boolean(values.push), values }
}

async function measure(
  scenarios: LabScenario[],
  o: RunOptions,
  progress: Progress,
  json: boolean,
  offloadsOff: boolean,
): Promise<number> {
  const str = (k: string) => o.values[k] as string | undefined
  const endpoint = o.push
    ? await resolveEndpoint(
        { api: str('api'), token: str('token'), spool: str('spool') },
        process.env,
        process.cwd(),
      )
    : null
  const spool = endpoint ? await openSpool(endpoint.spoolDir) : null
  const targets = scenarios.map((s) => ({ scenario: s.id, target: s.server.ip }))
  const plan = planRuns(targets, o.repeat, o.settings.tools, o.seed)
  const order = plan.map((p) => `${p.scenario}#${p.repetition}`)
  progress.emit(
    { event: 'plan', seed: o.seed, order, out: o.out, settings: o.settings },
    `seed ${o.seed}; order: ${order.join(' ')}; outputs in ${o.out}`,
  )
  const system = await readSystemInfo()
  const failures = await measureLab({
    scenarios,
    plan,
    settings: o.settings,
    offloadsOff,
    user: o.user,
    system,
    out: o.out,
    spool,
    progress,
  })
  const runs = plan.length * o.settings.tools.length
  if (!spool || !endpoint) {
    const exitCode = failures.length ? 1 : 0
    progress.emit({
      event: 'summary',
      runs,
      failed: failures.length,
      problems: failures,
      out: o.out,
      exit_code: exitCode,
    })
    if (!json)
      console.log(
        `${runs} run(s), ${failures.length} failed; outputs in ${o.out}${failures.map((f) => `\n  - ${f}`).join('')}`,
      )
    return exitCode
  }
  const summary = await finishSession({
    spool,
    endpoint,
    progress,
    otherFailures: failures,
    print: (t) => console.log(t),
    json,
    policy: retryPolicy(str('retries')),
  })
  return summary.exit_code
}
