import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { existsSync, readFileSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { DatasetsManifest } from '#schemas/api.ts'
import type { WrittenFile } from './notebook-fixtures.ts'

/** One request the server answered, for assertions (range vs full download). */
export interface LoggedRequest {
  method: string
  path: string
  range: string | null
  status: number
  bytes: number
}

/** A loopback server for the notebook: the built app, `/v1/datasets`, and range-served Parquet. */
export interface NotebookServer {
  url: string
  requests: LoggedRequest[]
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.parquet': 'application/vnd.apache.parquet',
}

/**
 * Serve `distDir` at `/`, a manifest of `files` (in `dataDir`) at `/v1/datasets` with URLs
 * relative to the origin, and the files under `/data/` with `Accept-Ranges: bytes` and 206 answers.
 */
export async function startNotebookServer(options: {
  distDir: string
  dataDir: string
  files: WrittenFile[]
}): Promise<NotebookServer> {
  const requests: LoggedRequest[] = []
  const manifest: DatasetsManifest = {
    generated_at: '2026-11-26T08:30:00.000Z',
    tables: { runs: [], intervals: [], metrics: [] },
  }
  for (const f of options.files) {
    manifest.tables[f.table].push({
      url: `/data/${f.file}`,
      key: `curated/${f.table}/${f.file}`,
      platform: f.file.replace(/^[a-z]+-|\.parquet$/g, ''),
      date: '2026-11-26',
      rows: f.rows,
      bytes: f.bytes,
    })
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const log = (status: number, bytes: number) =>
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        range: req.headers.range ?? null,
        status,
        bytes,
      })
    if (url.pathname === '/v1/datasets') {
      const body = JSON.stringify(manifest)
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      })
      res.end(body)
      return log(200, Buffer.byteLength(body))
    }
    if (url.pathname.startsWith('/data/'))
      return sendFile(req, res, path.join(options.dataDir, path.basename(url.pathname)), log)
    const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1)
    const file = path.resolve(options.distDir, rel)
    if (!file.startsWith(path.resolve(options.distDir))) return notFound(res, log)
    sendFile(req, res, file, log)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function notFound(res: ServerResponse, log: (status: number, bytes: number) => void): void {
  res.writeHead(404, { 'content-type': 'text/plain', 'content-length': 9 })
  res.end('not found')
  log(404, 9)
}

function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  log: (status: number, bytes: number) => void,
): void {
  if (!existsSync(file) || !statSync(file).isFile()) return notFound(res, log)
  const body = readFileSync(file)
  const size = body.byteLength
  const headers = {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    // content-hashed build assets (duckdb's 18 MB wasm among them) are cached as the real server
    // does, so a reload reuses the browser's compiled wasm; the page and the lake never are
    'cache-control': /\/assets\/[^/]+-[\w-]{8}\.\w+$/.test(file)
      ? 'public, max-age=31536000, immutable'
      : 'no-store',
  }
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '')
  if (range) {
    const start = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1])
    const end = range[1] === '' || range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1)
    if (start > end || start >= size) {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': 0 })
      res.end()
      return log(416, 0)
    }
    const slice = body.subarray(start, end + 1)
    res.writeHead(206, {
      ...headers,
      'content-range': `bytes ${start}-${end}/${size}`,
      'content-length': slice.byteLength,
    })
    res.end(req.method === 'HEAD' ? undefined : slice)
    return log(206, req.method === 'HEAD' ? 0 : slice.byteLength)
  }
  res.writeHead(200, { ...headers, 'content-length': size })
  res.end(req.method === 'HEAD' ? undefined : body)
  log(200, req.method === 'HEAD' ? 0 : size)
}
