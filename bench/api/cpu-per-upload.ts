/**
 * CPU per upload of the API handler on memory adapters (issue 18: ≤ 2.5× the CPU of sha256 +
 * `JSON.parse` of the same body). In this process, serially, no sockets: `app.fetch` on distinct
 * bodies vs decode + `JSON.parse` + sha256 of the same bodies, each timed with
 * `process.cpuUsage()` after a warm-up. Also timed, to show what the web plumbing alone costs: a
 * bare Hono app on the same `fetch` path that reads the body, parses, hashes and answers 202
 * (no token, no validation, no store): the floor any handler on this path starts from.
 */
import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import { memoryApi } from './servers.ts'

export interface CpuPerUpload {
  uploads: number
  apiUs: number
  baselineUs: number
  ratio: number
  /** The bare Hono read + parse + hash + 202 handler on the same path. */
  floorUs: number
}

/** Read the body, parse it, hash it, answer: nothing a durable upload could skip. */
function floorApp(): Hono {
  const app = new Hono()
  app.post('/v1/results', async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    JSON.parse(new TextDecoder().decode(bytes))
    const sha = createHash('sha256').update(bytes).digest('hex')
    return c.json({ raw_sha256: sha }, 202)
  })
  return app
}

const cpuUs = () => {
  const used = process.cpuUsage()
  return used.user + used.system
}

/** `variant(i)` is a distinct document per i; `n` uploads are timed after `n / 5` warm-up ones. */
export async function cpuPerUpload(
  variant: (i: number) => Uint8Array,
  n: number,
  path: string,
): Promise<CpuPerUpload> {
  const warm = Math.max(10, Math.floor(n / 5))
  const bodies = Array.from({ length: warm + n }, (_, i) => variant(i))
  // The limiter allows a burst of 600 per token: one token per 400 uploads keeps it out of the way.
  const { app, tokens } = await memoryApi(Math.ceil((warm + n) / 400))
  const floor = floorApp()
  const upload = async (i: number, target: Pick<Hono, 'fetch'> = app) => {
    const response = await target.fetch(
      new Request(`http://127.0.0.1${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[Math.floor(i / 400)]}`,
        },
        body: bodies[i] as Uint8Array<ArrayBuffer>,
      }),
      undefined,
    )
    if (response.status !== 202)
      throw new Error(`upload ${i}: ${response.status} ${await response.text()}`)
    await response.arrayBuffer()
  }
  const baseline = (i: number) => {
    JSON.parse(new TextDecoder().decode(bodies[i]))
    createHash('sha256').update(bodies[i]).digest('hex')
  }
  for (let i = 0; i < warm; i++) {
    baseline(i)
    await upload(i, floor)
    await upload(i)
  }
  let started = cpuUs()
  for (let i = warm; i < warm + n; i++) baseline(i)
  const baselineUs = (cpuUs() - started) / n
  started = cpuUs()
  for (let i = warm; i < warm + n; i++) await upload(i, floor)
  const floorUs = (cpuUs() - started) / n
  started = cpuUs()
  for (let i = warm; i < warm + n; i++) await upload(i)
  const apiUs = (cpuUs() - started) / n
  return { uploads: n, apiUs, baselineUs, ratio: apiUs / baselineUs, floorUs }
}
