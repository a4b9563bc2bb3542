import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { UploadEnvelopeSchema } from '#schemas/envelope.ts'
import type { Tool } from '#schemas/labels.ts'
import { UsageError, intFlag, parseFlags, retryPolicy, withUsage, UPLOAD_OPTIONS } from './args.ts'
import { resolveEndpoint } from '#functions/collector/endpoint-config.ts'
import {
  LabelInputError,
  mergeLabels,
  validateLabels,
  type LabelInput,
} from '#functions/collector/label-input.ts'
import { createProgress, progressMode, type Progress } from '#functions/collector/progress.ts'
import { planRuns } from '#functions/collector/schedule.ts'
import { openSpool } from '#functions/collector/spool.ts'
import { readSystemInfo } from '#functions/collector/system-info.ts'
import { finishSession, loadLabelInput } from '#functions/collector/upload-session.ts'
import { LAB_PREFIX, type LabScenario } from '../lab/lab-scenario.ts'
import {
  buildScenario,
  isScenarioUp,
  runScenarioOnce,
  teardownScenario,
} from '../lab/lab-runner.ts'
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
                     link_mtu; more with --label/--labels); --api, --token, --spool, --retries as in push
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
    return await measure(scenarios, values, progress, json)
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

async function measure(
  scenarios: LabScenario[],
  values: LabValues,
  progress: Progress,
  json: boolean,
): Promise<number> {
  const str = (k: string) => values[k] as string | undefined
  const toolFlag = str('tool') ?? 'both'
  if (!['iperf3', 'qperf', 'both'].includes(toolFlag))
    throw new UsageError(`--tool must be iperf3, qperf or both`)
  const tools: Tool[] = toolFlag === 'both' ? ['iperf3', 'qperf'] : [toolFlag as Tool]
  const repeat = intFlag(str('repeat'), 'repeat', 1, 1)
  const settings = {
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
  let user: LabelInput = {}
  try {
    user = (
      await loadLabelInput(
        { label: values.label as string[] | undefined, labels: str('labels') },
        process.cwd(),
      )
    ).common
  } catch (error) {
    if (error instanceof LabelInputError) throw new UsageError(error.message)
    throw error
  }
  const system = await readSystemInfo()
  const byId = new Map(scenarios.map((s) => [s.id, s]))
  const plan = planRuns(
    scenarios.map((s) => ({ scenario: s.id, target: s.server.ip })),
    repeat,
    tools,
    seed,
  )
  progress.emit(
    { event: 'plan', seed, order: plan.map((p) => `${p.scenario}#${p.repetition}`), out, settings },
    `seed ${seed}; order: ${plan.map((p) => `${p.scenario}#${p.repetition}`).join(' ')}; outputs in ${out}`,
  )
  progress.setTotal(plan.length)
  const failures: string[] = []
  const envelopes: unknown[] = []
  for (const slot of plan) {
    const s = byId.get(slot.scenario)!
    const results = await runScenarioOnce(s, settings, slot.repetition)
    const dir = join(out, s.id)
    await mkdir(dir, { recursive: true })
    for (const r of results) {
      const labels = mergeLabels(
        {
          platform: s.platform,
          hardware_profile: 'lab-netns',
          mtu: s.mtu,
          link_mtu: s.link_mtu,
          collector_id: system.hostname.slice(0, 128),
          source: { vm: s.client.ns, host: system.hostname },
          destination: { vm: s.server.ns, host: system.hostname },
          software: {
            emulation: 'netns-one-kernel',
            offloads: values.offloads === 'on' ? 'on' : 'off',
            cpu_pin: settings.pin ? '0,0' : 'none',
            ...(system.kernel ? { kernel: system.kernel } : {}),
            ...(system.iperf3_version ? { iperf3: system.iperf3_version } : {}),
            ...(system.qperf_version ? { qperf: system.qperf_version } : {}),
          },
        },
        user,
        { scenario: s.id, repetition: r.repetition, collected_at: r.collected_at },
      )
      const base = join(dir, `rep${r.repetition}-${r.tool}`)
      if (r.raw) await writeFile(`${base}${r.tool === 'iperf3' ? '.json' : '.txt'}`, r.raw)
      if (r.server_raw) await writeFile(`${base}-server.json`, r.server_raw)
      await writeFile(`${base}-labels.json`, `${JSON.stringify(labels, null, 2)}\n`)
      if (r.failure) failures.push(`${s.id} rep ${r.repetition} ${r.tool}: ${r.failure}`)
      progress.emit(
        {
          event: 'run-done',
          scenario: s.id,
          repetition: r.repetition,
          tool: r.tool,
          ok: !r.failure,
          error: r.failure,
          file: r.raw ? `${base}${r.tool === 'iperf3' ? '.json' : '.txt'}` : null,
        },
        `${s.id} rep ${r.repetition} ${r.tool}: ${r.failure ?? 'ok'}`,
      )
      if (r.raw) {
        const check = validateLabels(labels)
        if (!check.ok) failures.push(`${s.id} ${r.tool}: ${check.errors.join('; ')}`)
        else envelopes.push({ labels: check.labels, tool: r.tool, raw: r.raw })
      }
    }
    progress.tick(`${slot.scenario}#${slot.repetition}`)
  }
  progress.end()
  if (!values.push) {
    progress.emit({
      event: 'summary',
      runs: plan.length * tools.length,
      failed: failures.length,
      problems: failures,
      out,
      exit_code: failures.length ? 1 : 0,
    })
    if (!json)
      console.log(
        `${plan.length * tools.length} run(s), ${failures.length} failed; outputs in ${out}${failures.map((f) => `\n  - ${f}`).join('')}`,
      )
    return failures.length ? 1 : 0
  }
  const endpoint = await resolveEndpoint(
    { api: str('api'), token: str('token'), spool: str('spool') },
    process.env,
    process.cwd(),
  )
  const spool = await openSpool(endpoint.spoolDir)
  for (const e of envelopes) await spool.put(UploadEnvelopeSchema.parse(e))
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
