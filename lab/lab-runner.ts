import type { Tool } from '#schemas/labels.ts'
import { runCommand, runTool, toolFailure } from '#collector/tool-runner.ts'
import type { LabScenario } from './lab-scenario.ts'
import { applySteps, deleteNamespaces, listLabNamespaces } from './netns.ts'
import { scenarioPrefix } from './lab-scenario.ts'
import type { Step } from './topology.ts'

/** How the lab measures. */
export interface LabRunSettings {
  durationS: number
  /** iperf3 `-O`: seconds omitted at the start. */
  omitS: number
  /** Pin client and server to CPU 0 with taskset. */
  pin: boolean
  tools: Tool[]
}

/** One tool's output in one scenario repetition. */
export interface LabToolResult {
  scenario: string
  repetition: number
  tool: Tool
  collected_at: string
  /** Client stdout, verbatim. */
  raw: string
  /** iperf3 server `-J` output, when captured. */
  server_raw: string | null
  failure: string | null
}

const IPERF3_PORT = 5201
const QPERF_PORT = 19765

/** Whether every namespace of the scenario exists already (built by an earlier `lab up`). */
export async function isScenarioUp(s: LabScenario): Promise<boolean> {
  const existing = new Set(await listLabNamespaces(scenarioPrefix(s.id)))
  return s.topology.namespaces.every((ns) => existing.has(ns))
}

/** Builds a scenario from scratch (removing leftovers first); on failure removes what it made. */
export async function buildScenario(s: LabScenario): Promise<{ skipped: Step[]; setupMs: number }> {
  const started = Date.now()
  await teardownScenario(s)
  try {
    const skipped = await applySteps(s.topology.steps)
    await waitForPing(s)
    return { skipped, setupMs: Date.now() - started }
  } catch (error) {
    await teardownScenario(s)
    throw error
  }
}

/** Removes every namespace of the scenario (its prefix), killing processes left in them. */
export async function teardownScenario(s: LabScenario): Promise<void> {
  await deleteNamespaces(await listLabNamespaces(scenarioPrefix(s.id)))
}

/** Runs each tool once between the scenario's client and server namespaces. */
export async function runScenarioOnce(
  s: LabScenario,
  settings: LabRunSettings,
  repetition: number,
): Promise<LabToolResult[]> {
  const results: LabToolResult[] = []
  for (const tool of settings.tools) {
    const collected_at = new Date().toISOString()
    const { raw, server_raw, failure } =
      tool === 'iperf3' ? await runIperf3(s, settings) : await runQperf(s, settings)
    results.push({ scenario: s.id, repetition, tool, collected_at, raw, server_raw, failure })
  }
  return results
}

function inNs(ns: string, pin: boolean): string[] {
  return ['ip', 'netns', 'exec', ns, ...(pin ? ['taskset', '-c', '0'] : [])]
}

async function runIperf3(s: LabScenario, settings: LabRunSettings) {
  const stop = new AbortController()
  const server = runCommand(
    [
      ...inNs(s.server.ns, settings.pin),
      'iperf3',
      '-s',
      '-1',
      '-J',
      '-B',
      s.server.ip,
      '-p',
      String(IPERF3_PORT),
    ],
    (settings.durationS + settings.omitS + 30) * 1000,
    stop.signal,
  )
  try {
    const listening = await waitForListen(s.server.ns, IPERF3_PORT)
    if (!listening)
      return {
        raw: '',
        server_raw: null,
        failure: `iperf3 server in ${s.server.ns} did not start listening`,
      }
    const client = await runTool(
      'iperf3',
      s.server.ip,
      { durationS: settings.durationS, streams: 1, omitS: settings.omitS, iperf3Port: IPERF3_PORT },
      inNs(s.client.ns, settings.pin),
    )
    const serverOut = await Promise.race([server, delay(3_000).then(() => null)])
    return {
      raw: client.stdout,
      server_raw: serverOut?.stdout || null,
      failure: toolFailure(client),
    }
  } finally {
    stop.abort()
    await server.catch(() => undefined)
  }
}

async function runQperf(s: LabScenario, settings: LabRunSettings) {
  const stop = new AbortController()
  const server = runCommand(
    [...inNs(s.server.ns, settings.pin), 'qperf', '-lp', String(QPERF_PORT)],
    (settings.durationS * 2 + 60) * 1000,
    stop.signal,
  )
  try {
    if (!(await waitForListen(s.server.ns, QPERF_PORT)))
      return {
        raw: '',
        server_raw: null,
        failure: `qperf server in ${s.server.ns} did not start listening`,
      }
    const client = await runTool(
      'qperf',
      s.server.ip,
      { durationS: settings.durationS, streams: 1, qperfPort: QPERF_PORT },
      inNs(s.client.ns, settings.pin),
    )
    return { raw: client.stdout, server_raw: null, failure: toolFailure(client) }
  } finally {
    stop.abort()
    await server.catch(() => undefined)
  }
}

/** Polls `ss` inside the namespace until a TCP port listens (at most ~5 s). */
async function waitForListen(ns: string, port: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const out = await runCommand(
      ['ip', 'netns', 'exec', ns, 'ss', '-Hltn', `sport = :${port}`],
      5_000,
    )
    if (out.stdout.trim()) return true
    await delay(100)
  }
  return false
}

/** Waits until the client reaches the server (ARP, FDB flood, NAT all working), at most ~5 s. */
async function waitForPing(s: LabScenario): Promise<void> {
  if ((await runCommand(['sh', '-c', 'command -v ping'], 5_000)).code !== 0) return // no ping: the tools will tell
  for (let i = 0; i < 10; i++) {
    const out = await runCommand(
      ['ip', 'netns', 'exec', s.client.ns, 'ping', '-c', '1', '-W', '1', '-q', s.server.ip],
      5_000,
    )
    if (out.code === 0) return
    await delay(200)
  }
  throw new Error(`lab ${s.id}: ${s.client.ns} cannot reach ${s.server.ip} after setup`)
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
