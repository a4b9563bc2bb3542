import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { runCommand } from './tool-runner.ts'

/** What the collector can learn about its own side of a test. */
export interface SystemInfo {
  hostname: string
  kernel: string | null
  iperf3_version: string | null
  qperf_version: string | null
}

/** The interface that routes to a target, with its MTU and speed when the kernel knows them. */
export interface RouteInfo {
  interface: string | null
  mtu: number | null
  speed_mbps: number | null
}

/** Host name, kernel release (`uname -r`) and tool versions; unknown stays null. */
export async function readSystemInfo(): Promise<SystemInfo> {
  const [kernel, iperf3, qperf] = await Promise.all([
    firstLine(['uname', '-r']),
    firstLine(['iperf3', '--version']),
    firstLine(['qperf', '--version']),
  ])
  return {
    hostname: hostname(),
    kernel,
    iperf3_version: iperf3 ? (/iperf\s+(\S+)/.exec(iperf3)?.[1] ?? iperf3) : null,
    qperf_version: qperf ? (/qperf\s+(\S+)/.exec(qperf)?.[1] ?? qperf) : null,
  }
}

/** `ip route get` output → the outgoing device name. Pure. */
export function parseRouteDevice(text: string): string | null {
  return /\bdev\s+(\S+)/.exec(text)?.[1] ?? null
}

/** Interface, MTU and speed on the path to `target` (`ip route get` + /sys/class/net). */
export async function readRouteInfo(target: string, sysNet = '/sys/class/net'): Promise<RouteInfo> {
  const route = await runCommand(['ip', 'route', 'get', target], 5_000)
  const dev = route.code === 0 ? parseRouteDevice(route.stdout) : null
  if (!dev || dev.includes('/')) return { interface: dev, mtu: null, speed_mbps: null }
  const [mtu, speed] = await Promise.all([
    readNumber(`${sysNet}/${dev}/mtu`),
    readNumber(`${sysNet}/${dev}/speed`),
  ])
  return {
    interface: dev,
    mtu: mtu && mtu > 0 ? mtu : null,
    speed_mbps: speed && speed > 0 ? speed : null,
  }
}

async function readNumber(path: string): Promise<number | null> {
  try {
    const n = Number((await readFile(path, 'utf8')).trim())
    return Number.isFinite(n) ? n : null
  } catch {
    return null
  }
}

async function firstLine(argv: string[]): Promise<string | null> {
  const out = await runCommand(argv, 5_000)
  if (out.code === null) return null
  const text = `${out.stdout}\n${out.stderr}`.trim()
  return text.split('\n')[0].trim() || null
}
