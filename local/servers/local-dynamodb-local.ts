import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LocalDynamo } from '#local/servers/local-dynamo.ts'

export interface DynamoDbLocalOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
  /** The `java` binary (default `java` on PATH; Java 17 is known to work). */
  java?: string
  /** How long to wait for the JVM to serve, ms (default 30000). */
  startTimeoutMs?: number
}

const LAUNCHER = fileURLToPath(new URL('./dynamodb-local-launcher.java', import.meta.url))
const READY = /NETLAKE_DYNAMODB_LOCAL_READY (\d+)/

/** The folder holding DynamoDBLocal.jar inside the `amplify-dynamodb-simulator` package. */
export function findDynamoDbLocalJarDir(): string {
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('amplify-dynamodb-simulator/package.json')
  const dir = join(dirname(pkg), 'emulator')
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDBLocal.jar not found in ${dir}`)
  }
  return dir
}

/**
 * Starts AWS's DynamoDB Local (in memory) from the jar shipped in `amplify-dynamodb-simulator`,
 * through a small source-mode Java launcher that binds Jetty to 127.0.0.1 (the jar itself only
 * listens on all interfaces) and accepts port 0. The JVM exits when its stdin closes: on `close()`
 * and when this process dies, so no orphan survives a crashed test run. For contract tests that
 * need real DynamoDB semantics; the local stack uses dynalite.
 */
export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions = {},
): Promise<LocalDynamo & { pid: number }> {
  const jarDir = findDynamoDbLocalJarDir()
  const child = spawn(
    options.java ?? 'java',
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-cp',
      `${join(jarDir, 'DynamoDBLocal.jar')}:${join(jarDir, 'DynamoDBLocal_lib', '*')}`,
      LAUNCHER,
      '-inMemory',
      '-disableTelemetry',
      '-port',
      String(options.port ?? 0),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const killOnExit = () => child.kill('SIGKILL')
  process.on('exit', killOnExit)

  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 30_000
    const timer = setTimeout(() => fail(`did not start in ${timeoutMs} ms`), timeoutMs)
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8_000)
      const match = READY.exec(output)
      if (match) done(() => resolve(Number(match[1])))
    }
    const onExit = (code: number | null) => fail(`exited early (code ${code})`)
    const onError = (error: Error) => fail(error.message)
    function done(then: () => void) {
      clearTimeout(timer)
      child.stdout.off('data', onData)
      child.stderr.off('data', onData)
      child.off('exit', onExit)
      child.off('error', onError)
      then()
    }
    function fail(why: string) {
      done(() => {
        child.kill('SIGKILL')
        process.off('exit', killOnExit)
        reject(new Error(`DynamoDB Local ${why}:\n${output}`))
      })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', onExit)
    child.once('error', onError)
  })
  // Keep draining output so the JVM never blocks on a full pipe.
  child.stdout.resume()
  child.stderr.resume()

  let closed: Promise<void> | null = null
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    // DynamoDB Local (the CI contract-test server, never the stack's) accepts any key pair.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    pid: child.pid as number,
    close() {
      closed ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.stdin.end()
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
          await exited
          clearTimeout(timer)
        }
        process.off('exit', killOnExit)
      })()
      return closed
    },
  }
}
