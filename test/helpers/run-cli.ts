import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The package's bin: runs the built CLI in dist/ (kept current by the suite's global setup). */
export const CLI_BIN = fileURLToPath(new URL('../../bin/netlake.js', import.meta.url))

/** `node` arguments that run `netlake ...args` as users do. */
export const cliArgs = (args: string[]): string[] => [CLI_BIN, ...args]

/** Exit code and output of one CLI process. */
export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `netlake <command> ...args` (the built CLI) as a child process with extra env. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), {
      cwd: ROOT,
      env: { ...process.env, NETLAKE_API: 'http://127.0.0.1:9', NETLAKE_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** JSON lines of `--json` output. */
export function jsonLines(stdout: string): Array<Record<string, any>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
}

/** A loopback TCP port free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Whether something listens on TCP `port` (from /proc/net/tcp{,6}: no probe connection is made). */
function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((file) => {
    try {
      // columns: sl local_address rem_address st ...; st 0A = LISTEN
      return readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => {
          const cols = line.trim().split(/\s+/)
          return cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A'
        })
    } catch {
      return false
    }
  })
}

/**
 * Waits until a server the test spawned listens on `port`, instead of sleeping a guessed time
 * (too short on a loaded machine); fails after `timeoutMs` naming the port.
 */
export async function waitForListen(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!listening(port)) {
    if (Date.now() > deadline)
      throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
