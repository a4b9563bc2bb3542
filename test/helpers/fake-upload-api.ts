import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { UploadEnvelopeSchema } from '#schemas/envelope.ts'

/** A canned answer the fake returns instead of processing the next request. */
export interface ScriptedAnswer {
  /** HTTP status to answer (ignored for drop and hang). */
  status?: number
  body?: unknown
  headers?: Record<string, string>
  /** Destroy the socket without answering (a network error for the client). */
  drop?: boolean
  /** Never answer (the request hangs until the client gives up or dies). */
  hang?: boolean
}

/** A loopback test double of `POST /v1/results` (schemas/api.ts contract). */
export interface FakeUploadApi {
  url: string
  token: string
  /** raw sha256 → envelope body, what was stored. */
  stored: Map<string, string>
  /** Every request to /v1/results seen: status answered (0 dropped, -1 hung) and time. */
  requests: Array<{ status: number; at: number; auth: string | undefined }>
  /** raw sha256 → raw bytes PUT to a presigned URL (large uploads). */
  presigned: Map<string, string>
  /** Answers to give to `POST /v1/results` (in order) before behaving normally again. */
  script: ScriptedAnswer[]
  close(): Promise<void>
}

/**
 * Starts the double on 127.0.0.1 (random port): bearer auth (401), envelope validation (422),
 * content-addressed storage (202 new, 200 duplicate), `POST /v1/uploads` + presigned PUT. Point tests at a real stack by swapping
 * `url` and `token` for its values.
 */
export async function startFakeUploadApi(token = 'test-token'): Promise<FakeUploadApi> {
  const stored = new Map<string, string>()
  const requests: FakeUploadApi['requests'] = []
  const script: ScriptedAnswer[] = []
  const presigned = new Map<string, string>()
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req)
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      requests.push({ status, at: Date.now(), auth: req.headers.authorization })
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(payload))
    }
    const path = req.url?.split('?')[0] ?? ''
    if (req.method === 'PUT' && path.startsWith('/presigned/')) {
      const sha = createHash('sha256').update(body).digest('hex')
      if (path !== `/presigned/${sha}`)
        return send(400, err('checksum', 'bytes do not match the presigned sha256'))
      presigned.set(sha, body)
      return send(200, {})
    }
    if (req.method === 'POST' && path === '/v1/uploads') {
      if (req.headers.authorization !== `Bearer ${token}`)
        return send(401, err('unauthorized', 'missing or invalid bearer token'))
      const request = JSON.parse(body) as {
        sha256: string
        size_bytes: number
        content_type: string
      }
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned/${request.sha256}`
      return send(200, {
        method: 'PUT',
        url,
        raw_key: `raw/date=2026-01-01/${request.sha256}.json`,
        headers: { 'Content-Type': request.content_type },
        expires_at: '2026-01-01T00:15:00Z',
      })
    }
    if (req.method !== 'POST' || path !== '/v1/results')
      return send(404, err('not_found', 'no such route'))
    const scripted = script.shift()
    if (scripted?.hang) {
      requests.push({ status: -1, at: Date.now(), auth: req.headers.authorization })
      return
    }
    if (scripted?.drop) {
      requests.push({ status: 0, at: Date.now(), auth: req.headers.authorization })
      req.socket.destroy()
      return
    }
    if (scripted)
      return send(
        scripted.status ?? 500,
        scripted.body ?? err('scripted', `scripted ${scripted.status}`),
        scripted.headers,
      )
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(401, err('unauthorized', 'missing or invalid bearer token'))
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      return send(400, err('bad_json', 'body is not JSON'))
    }
    const parsed = UploadEnvelopeSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return send(422, err('validation', issue.message, issue.path.join('.')))
    }
    const sha = createHash('sha256').update(parsed.data.raw).digest('hex')
    const duplicate = stored.has(sha)
    if (!duplicate) stored.set(sha, body)
    send(duplicate ? 200 : 202, {
      raw_key: `raw/date=2026-01-01/${sha}.json`,
      raw_sha256: sha,
      run_ids: [`${sha.slice(0, 16)}-0`],
      duplicate,
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stored,
    presigned,
    requests,
    script,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function err(code: string, message: string, field?: string) {
  return { error: field ? { code, message, field } : { code, message } }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
