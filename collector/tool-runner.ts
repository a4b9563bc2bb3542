import { spawn } from 'node:child_process'
import type { Tool } from '#schemas/labels.ts'

/**
 * Default iperf3 warm-up `netlake collect` omits (-O 2): slow start, CPU frequency ramp-up and
 * cold caches make the first seconds climb; the omit is part of the comparison key.
 */
export const DEFAULT_OMIT_S = 2

/** Settings of one measurement. */
export interface ToolSettings {
  durationS: number
  streams: number
  /** iperf3 seconds to omit at the start (`-O`); 0 leaves the flag out. */
  omitS?: number
  /** Server ports when not the defaults (iperf3 5201 `-p`, qperf 19765 `-lp`). */
  iperf3Port?: number
  qperfPort?: number
}

/** What a tool printed and how it ended. */
export interface ToolOutput {
  tool: Tool
  argv: string[]
  stdout: string
  stderr: string
  code: number | null
  signal: NodeJS.Signals | null
  durationMs: number
}

/** `iperf3 -c HOST -J -t S -P N [-O s] [-p PORT]`. */
export function iperf3ClientArgs(target: string, s: ToolSettings): string[] {
  const args = ['iperf3', '-c', target, '-J', '-t', String(s.durationS), '-P', String(s.streams)]
  if (s.omitS) args.push('-O', String(s.omitS))
  if (s.iperf3Port) args.push('-p', String(s.iperf3Port))
  return args
}

/** `qperf [-lp PORT] -t S HOST tcp_lat tcp_bw`. */
export function qperfClientArgs(target: string, s: ToolSettings): string[] {
  const port = s.qperfPort ? ['-lp', String(s.qperfPort)] : []
  return ['qperf', ...port, '-t', String(s.durationS), target, 'tcp_lat', 'tcp_bw']
}

/** The client command of a tool. */
export function clientArgs(tool: Tool, target: string, s: ToolSettings): string[] {
  return tool === 'iperf3' ? iperf3ClientArgs(target, s) : qperfClientArgs(target, s)
}

/** A generous bound for one run: its duration plus connection setup and qperf's calibration. */
export function runTimeoutMs(tool: Tool, s: ToolSettings): number {
  const tests = tool === 'qperf' ? 2 : 1
  return ((s.durationS + (s.omitS ?? 0)) * tests + 20) * 1000
}

/**
 * Runs a command, capturing stdout verbatim (bytes decoded once as UTF-8). A hung tool is killed
 * after `timeoutMs`; a missing binary is reported as output with code null and the reason in stderr.
 */
export function runCommand(
  argv: string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Omit<ToolOutput, 'tool'>> {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      killSignal: 'SIGKILL',
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    let spawnError: string | null = null
    child.on('error', (e) => {
      spawnError = e.message
    })
    child.on('close', (code, sig) => {
      clearTimeout(timer)
      resolve({
        argv,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + (spawnError ? `\n${spawnError}` : ''),
        code: spawnError ? null : code,
        signal: sig,
        durationMs: Date.now() - started,
      })
    })
  })
}

/** Runs one tool's client against a target (optionally prefixed, e.g. by `ip netns exec NS taskset -c 0`). */
export async function runTool(
  tool: Tool,
  target: string,
  s: ToolSettings,
  prefix: string[] = [],
  signal?: AbortSignal,
): Promise<ToolOutput> {
  const result = await runCommand(
    [...prefix, ...clientArgs(tool, target, s)],
    runTimeoutMs(tool, s),
    signal,
  )
  return { tool, ...result }
}

/**
 * Why a run's output is not a usable measurement, or null when it is. iperf3 3.x may exit 0 with
 * `"error": "..."` in its JSON, so the output is checked too. Such output is still uploaded (it
 * becomes a run with status error).
 */
export function toolFailure(output: ToolOutput): string | null {
  if (output.signal) return `${output.tool} was killed (${output.signal})`
  const iperfError =
    output.tool === 'iperf3' ? /"error"\s*:\s*"([^"]*)"/.exec(output.stdout)?.[1] : undefined
  if (iperfError) return `iperf3 reported: ${iperfError}`
  if (output.code === 0) return output.stdout.trim() ? null : `${output.tool} printed nothing`
  const detail =
    output.stderr.trim().split('\n').pop() || output.stdout.trim().split('\n').pop() || 'no output'
  return `${output.tool} exited ${output.code ?? '(not started)'}: ${detail}`
}
