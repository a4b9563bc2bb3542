import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface LocalDynamoOptions {
  /** Folder for dynalite's LevelDB files (created if missing); omit for in-memory. */
  dataDir?: string
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
}

/** A running DynamoDB-compatible server. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, for `NETLAKE_DYNAMODB_ENDPOINT`. */
  endpoint: string
  port: number
  /** Stops the server and closes its database; idempotent. */
  close(): Promise<void>
}

type Dynalite = (options: {
  path?: string
  createTableMs?: number
  deleteTableMs?: number
  updateTableMs?: number
}) => Server

const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite

/**
 * Starts dynalite 4 in this process on 127.0.0.1, persisting to `dataDir` when given. Tables
 * become ACTIVE at once (no simulated CREATING delay). Note: dynalite has no transactions or TTL.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true })
  const server = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  })
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
