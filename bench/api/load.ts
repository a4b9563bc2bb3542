/**
 * The load generator of `bench/api.bench.ts`, run in its own process so it never shares an event
 * loop with the server under test. Reads a JSON config (argv[2]), posts distinct iperf3 documents
 * with autocannon, writes the summary and the accepted uploads' keys and run ids to argv[3].
 *
 * Each request is a distinct document: the fixture's cookie is rewritten to
 * `<first 20 chars><salt, 4 digits><counter, 12 digits>`, so every body has its own sha256.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import autocannon from 'autocannon'

/** What the parent asks for. */
export interface LoadConfig {
  url: string
  path: string
  fixture: string
  /** 0–9999; distinct per phase so no two phases post the same bytes to one server. */
  salt: number
  connections: number
  durationS: number
  /** Upper bound on requests, whatever the duration (keeps memory and disk bounded). */
  maxRequests: number
  /** Bearer tokens, one per connection round-robin (empty: no Authorization header). */
  tokens: string[]
  /** Keep the accepted responses' raw keys and run ids (for the persistence check). */
  collect: boolean
}

/** What the parent gets back. */
export interface LoadResult {
  requests: number
  durationS: number
  rps: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
  status: Record<string, number>
  errors: number
  timeouts: number
  bodyBytes: number
  /** CPU the load generator itself used, ms. */
  cpuMs: number
  accepted: Array<{ raw_key: string; run_ids: string[]; status: number }>
}

const [configFile, outFile] = process.argv.slice(2)
const config = JSON.parse(readFileSync(configFile, 'utf8')) as LoadConfig
const text = readFileSync(config.fixture, 'utf8')
const cookie = /"cookie":\s*"([a-z0-9]{20})[a-z0-9]+"/.exec(text)
if (!cookie || cookie.index === undefined) throw new Error('fixture has no cookie')
const cut = cookie.index + cookie[0].indexOf(cookie[1]) + 20
const prefix = text.slice(0, cut)
const suffix = text.slice(text.indexOf('"', cut))
const salt = String(config.salt).padStart(4, '0')

const cpuStart = process.cpuUsage()
let sequence = 0
let nextToken = 0
const accepted: LoadResult['accepted'] = []
const status: Record<string, number> = {}

const instance = autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.durationS,
  maxOverallRequests: config.maxRequests,
  timeout: 30,
  requests: [
    {
      method: 'POST',
      path: config.path,
      setupRequest(request: Record<string, unknown>, context: Record<string, unknown>) {
        if (context.token === undefined)
          context.token = config.tokens.length
            ? config.tokens[nextToken++ % config.tokens.length]
            : null
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        if (context.token) headers.authorization = `Bearer ${context.token}`
        const n = sequence++
        return { ...request, headers, body: prefix + salt + String(n).padStart(12, '0') + suffix }
      },
      onResponse(code: number, body: string) {
        status[code] = (status[code] ?? 0) + 1
        if (config.collect && code >= 200 && code < 300) {
          const parsed = JSON.parse(body) as { raw_key: string; run_ids: string[] }
          accepted.push({ raw_key: parsed.raw_key, run_ids: parsed.run_ids, status: code })
        }
      },
    },
  ],
})

instance.on('done', (result: autocannon.Result) => {
  const requests = result.requests.total
  const out: LoadResult = {
    requests,
    durationS: result.duration,
    rps: requests / result.duration,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    status,
    errors: result.errors,
    timeouts: result.timeouts,
    bodyBytes: Buffer.byteLength(prefix + suffix) + 16,
    cpuMs: (() => {
      const used = process.cpuUsage(cpuStart)
      return (used.user + used.system) / 1000
    })(),
    accepted,
  }
  writeFileSync(outFile, JSON.stringify(out))
})
