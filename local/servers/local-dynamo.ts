import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { localCredentials, privateDir } from './local-credentials.ts'
import type { LocalCredentials } from './local-credentials.ts'

export interface LocalDynamoOptions {
  /** Folder for dynalite's LevelDB files (created if missing); omit for in-memory. */
  dataDir?: string
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
  /** The only credentials it accepts (SigV4-signed requests); fresh random ones by default. */
  credentials?: LocalCredentials
}

/** A running DynamoDB-compatible server. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, for `NETLAKE_DYNAMODB_ENDPOINT`. */
  endpoint: string
  port: number
  /** What clients must sign with. */
  credentials: LocalCredentials
  /** Stops the server and closes its database; idempotent. */
  close(): Promise<void>
}

type Dynalite = (options: {
  path?: string
  createTableMs?: number
  deleteTableMs?: number
  updateTableMs?: number
}) => Server

const require = createRequire(import.meta.url)
const dynalite = require('dynalite') as Dynalite
const { verifySigV4 } = require('./sigv4-verify.cjs') as {
  verifySigV4(
    request: IncomingMessage,
    options: LocalCredentials & { bodySha256?: string },
  ): string | null
}

/** dynalite's own limit on a request body. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024

function deny(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({
    __type: 'com.amazon.coral.service#UnrecognizedClientException',
    message,
  })
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  })
  res.end(body)
}

/**
 * The verifying front: reads the body (DynamoDB signs its sha256), checks the SigV4 signature
 * against `credentials`, refuses browser requests (any Origin header, so dynalite's wildcard CORS
 * is never sent), and replays the request to dynalite's own handler.
 */
function guard(handler: RequestListener, credentials: LocalCredentials): RequestListener {
  return (req, res) => {
    if (req.headers.origin !== undefined || req.method === 'OPTIONS')
      return deny(res, 403, 'browser requests are not served')
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_REQUEST_BYTES) {
        req.removeAllListeners('data')
        req.resume()
        deny(res, 413, 'request too large')
      } else chunks.push(chunk)
    })
    req.on('end', () => {
      if (res.headersSent || res.writableEnded) return
      const body = Buffer.concat(chunks)
      const problem = verifySigV4(req, {
        ...credentials,
        bodySha256: createHash('sha256').update(body).digest('hex'),
      })
      if (problem !== null) return deny(res, 403, `request refused: ${problem}`)
      const replay = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
        headers: req.headers,
        method: req.method,
        url: req.url,
      })
      handler(replay as unknown as IncomingMessage, res)
    })
  }
}

/**
 * Starts dynalite 4 in this process on 127.0.0.1 behind a front that accepts only requests
 * signed (SigV4) with `credentials`, persisting to `dataDir` (0700) when given. Tables
 * become ACTIVE at once (no simulated CREATING delay). Note: dynalite has no transactions or TTL.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  if (options.dataDir) await privateDir(options.dataDir)
  const credentials = options.credentials ?? localCredentials()
  const server = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  })
  // Swap dynalite's handler for the front before the server listens: no unguarded moment.
  const [handler] = server.listeners('request') as RequestListener[]
  server.removeAllListeners('request')
  server.on('request', guard(handler, credentials))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  let closed: Promise<void> | null = null
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    credentials,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()))
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections()
      })
      return closed
    },
  }
}
