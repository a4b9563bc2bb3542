import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalStack, type LocalStack } from '#local/stack.ts'
import { freePort, waitForListen, type CliResult } from './run-cli.ts'

/** The single-file collector the build writes (dist/netlake-collector.mjs). */
export const COLLECTOR_BUNDLE = new URL('../../dist/netlake-collector.mjs', import.meta.url)
  .pathname

/**
 * A test VM for the edge collector: a local stack, an iperf3 server on loopback, and an empty
 * folder that holds only a copy of the collector bundle, run by the `node` given.
 */
export interface CollectorVm {
  stack: LocalStack
  /** The stack's admin token. */
  token: string
  iperf3Port: number
  /** The folder the collector runs in. */
  dir: string
  /** The stack's data dir (where its address and token are found). */
  dataDir: string
  /** `node netlake-collector.mjs ...args` in `dir`, with a bare environment (PATH, HOME=dir). */
  collector(args: string[], env?: Record<string, string>): Promise<CliResult>
  /** `GET /v1/runs?campaign=` on the stack. */
  runsOf(campaign: string): Promise<Array<Record<string, any>>>
  close(): Promise<void>
}

/** Starts the stack and iperf3 and prepares the folder; `name` prefixes the temp folders. */
export async function startCollectorVm(node: string, name: string): Promise<CollectorVm> {
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-stack-`))
  const dir = mkdtempSync(join(tmpdir(), `${name}-vm-`))
  let iperf3: ChildProcess | undefined
  let stack: LocalStack | undefined
  const close = async () => {
    iperf3?.kill()
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    stack = await startLocalStack({ dataDir, port: 0, sampleData: false, log: () => undefined })
    const token = readFileSync(stack.tokenFile, 'utf8').trim()
    copyFileSync(COLLECTOR_BUNDLE, join(dir, 'netlake-collector.mjs'))
    const iperf3Port = await freePort()
    iperf3 = spawn('iperf3', ['-s', '-B', '127.0.0.1', '-p', String(iperf3Port)], {
      stdio: 'ignore',
    })
    await waitForListen(iperf3Port)
    const url = stack.url
    return {
      stack,
      token,
      iperf3Port,
      dir,
      dataDir,
      collector: (args, env = {}) =>
        new Promise((resolve, reject) => {
          const child = spawn(node, ['netlake-collector.mjs', ...args], {
            cwd: dir,
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          })
          let stdout = ''
          let stderr = ''
          child.stdout.on('data', (c) => (stdout += c))
          child.stderr.on('data', (c) => (stderr += c))
          child.on('error', reject)
          child.on('close', (code) => resolve({ code, stdout, stderr }))
        }),
      runsOf: async (campaign) =>
        (
          await (
            await fetch(`${url}/v1/runs?campaign=${campaign}`, {
              headers: { authorization: `Bearer ${token}` },
            })
          ).json()
        ).runs,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
