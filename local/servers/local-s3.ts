import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { localCredentials, privateDir } from './local-credentials.ts'
import type { LocalCredentials } from './local-credentials.ts'

/** An object-created notification from the local S3 server (like S3 → SQS in AWS). */
export interface LocalObjectCreated {
  bucket: string
  key: string
  size: number
}

export interface LocalS3Options {
  /** Folder holding the buckets' files (created if missing). */
  dataDir: string
  /** Buckets to create (existing ones are kept). */
  buckets: string[]
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
  /** The only credentials it accepts (SigV4-signed requests); fresh random ones by default. */
  credentials?: LocalCredentials
  /** How long to wait for the server to come up, ms (default 15000). */
  startTimeoutMs?: number
}

/** A running local S3 server. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`, for `NETLAKE_S3_ENDPOINT`. */
  endpoint: string
  port: number
  /** What clients must sign with (`createAwsClients({ ..., credentials })`). */
  credentials: LocalCredentials
  /** Process id of the s3rver child process. */
  pid: number
  /** Subscribe to ObjectCreated events (PUT, POST, copy); returns an unsubscribe function. */
  onObjectCreated(listener: (event: LocalObjectCreated) => void): () => void
  /** Stops the server and its process; idempotent. */
  close(): Promise<void>
}

type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'event'; eventName: string; bucket: string; key: string; size: number }

const CHILD_SCRIPT = fileURLToPath(new URL('./s3rver-child.cjs', import.meta.url))

/**
 * Starts s3rver 3.7.1 on 127.0.0.1, behind a front that refuses every request not signed (SigV4)
 * with `credentials` and every browser request (see s3rver-child.cjs), with its data folder 0700, in a child Node process run with `--openssl-legacy-provider`
 * (s3rver encrypts list continuation tokens with DES, which OpenSSL 3 keeps in its legacy
 * provider; in this process the flag would be needed on the whole app). Object events come back
 * over IPC. The child exits when `close()` is called, when this process exits, or when the IPC
 * channel drops (this process crashed).
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  await privateDir(options.dataDir)
  const credentials = options.credentials ?? localCredentials()
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const child = fork(
    CHILD_SCRIPT,
    [
      JSON.stringify({
        dataDir: options.dataDir,
        buckets: options.buckets,
        port: options.port ?? 0,
        accessKeyId: credentials.accessKeyId,
      }),
    ],
    {
      execArgv: ['--openssl-legacy-provider'],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  const killOnExit = () => child.kill('SIGKILL')
  process.on('exit', killOnExit)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.send({ type: 'secret', secretAccessKey: credentials.secretAccessKey })

  let port: number
  try {
    port = await waitForReady(child, options.startTimeoutMs ?? 15_000)
  } catch (error) {
    child.kill('SIGKILL')
    await exited
    process.off('exit', killOnExit)
    throw error
  }

  const listeners = new Set<(event: LocalObjectCreated) => void>()
  child.on('message', (message: ChildMessage) => {
    if (message.type !== 'event' || !message.eventName.startsWith('ObjectCreated:')) return
    const event = { bucket: message.bucket, key: message.key, size: message.size }
    for (const listener of listeners) listener(event)
  })

  let closed: Promise<void> | null = null
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    credentials,
    pid: child.pid as number,
    onObjectCreated(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      closed ??= (async () => {
        listeners.clear()
        if (child.exitCode === null && child.signalCode === null) {
          if (child.connected) child.send({ type: 'close' })
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

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`s3rver did not start in ${timeoutMs} ms`)),
      timeoutMs,
    )
    const onMessage = (message: ChildMessage) => {
      if (message.type === 'ready') finish(null, message.port)
      if (message.type === 'failed') finish(new Error(`s3rver failed to start: ${message.message}`))
    }
    const onExit = (code: number | null) => finish(new Error(`s3rver exited early (code ${code})`))
    function finish(error: Error | null, port?: number) {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(port as number)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}
