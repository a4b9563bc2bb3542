import { createHash } from 'node:crypto'
import { connect } from 'node:net'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack } from '#local/stack.ts'
import { createAwsClients, destroyAwsClients } from '#adapters/aws-clients.ts'
import { createS3ObjectStore } from '#adapters/s3-object-store.ts'
import type { LocalStack } from '#local/stack.ts'

describe('the local stack over real HTTP (@hono/node-server, s3rver, dynalite)', () => {
  let stack: LocalStack
  let token: string
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-http-'))

  beforeAll(async () => {
    stack = await startLocalStack({
      dataDir,
      port: 0,
      sampleData: false,
      requestTimeoutMs: 1500,
      log: () => undefined,
    })
    token = readFileSync(stack.tokenFile, 'utf8').trim()
  }, 60_000)
  afterAll(async () => {
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('ingests an upload end to end and serves its Parquet with range requests', async () => {
    // Act
    const upload = await fetch(`${stack.url}/v1/results?platform=kubevirt&scenario=kv-s1`, {
      method: 'POST',
      body: readFileSync(new URL('../fixtures/lab/kv-s1/iperf3.json', import.meta.url)),
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    })
    await stack.idle()
    const run = await (
      await fetch(`${stack.url}/v1/runs/${(await upload.clone().json()).run_ids[0]}`)
    ).json()
    const manifest = await (await fetch(`${stack.url}/v1/datasets`)).json()
    const file = manifest.tables.intervals[0]
    const head = await fetch(`${stack.url}${file.url}`, { method: 'HEAD' })
    const tail = await fetch(`${stack.url}${file.url}`, { headers: { Range: 'bytes=-4' } })
    // Assess
    expect(upload.status).toBe(202)
    expect(run.run.scenario).toBe('kv-s1')
    const source = JSON.parse(
      readFileSync(new URL('../fixtures/lab/kv-s1/iperf3.json', import.meta.url), 'utf8'),
    )
    expect(run.intervals).toHaveLength(source.intervals.length * 2) // one stream + the sum per second
    expect(head.headers.get('content-length')).toBe(String(file.bytes))
    expect(head.headers.get('accept-ranges')).toBe('bytes')
    expect(tail.status).toBe(206)
    expect(Buffer.from(await tail.arrayBuffer()).toString()).toBe('PAR1')
  })

  it('takes a presigned upload through the closed S3 server into runs, quarantines junk under its upload id, and refuses anonymous writes', async () => {
    // Prepare
    const bytes = readFileSync(new URL('../fixtures/lab/os-s2b/iperf3.json', import.meta.url))
    const sha = createHash('sha256').update(bytes).digest('hex')
    const presign = async (size: number) => {
      const response = await fetch(`${stack.url}/v1/uploads`, {
        method: 'POST',
        body: JSON.stringify({
          labels: { platform: 'openstack', scenario: 'os-s2b' },
          sha256: sha,
          size_bytes: size,
        }),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      })
      expect(response.status).toBe(200)
      return (await response.json()) as {
        url: string
        headers: Record<string, string>
        raw_key: string
        upload_id: string
      }
    }
    const info = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8'))
    // Act
    const junk = await presign(9)
    const junkPut = await fetch(junk.url, {
      method: 'PUT',
      headers: junk.headers,
      body: 'junk junk',
    })
    const real = await presign(bytes.byteLength)
    const realPut = await fetch(real.url, { method: 'PUT', headers: real.headers, body: bytes })
    const anonymous = await fetch(`${info.s3_endpoint}/${info.buckets.raw}/${real.raw_key}`, {
      method: 'PUT',
      body: 'overwrite',
    })
    await stack.idle()
    const again = await fetch(`${stack.url}/v1/results?platform=openstack&scenario=os-s2b`, {
      method: 'POST',
      body: bytes,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    })
    // Assess
    expect(junkPut.status).toBe(200)
    expect(realPut.status).toBe(200)
    expect(anonymous.status).toBe(403)
    expect(again.status).toBe(200)
    const accepted = await again.json()
    expect(accepted).toMatchObject({ duplicate: true, raw_key: real.raw_key })
    const run = await (await fetch(`${stack.url}/v1/runs/${accepted.run_ids[0]}`)).json()
    expect(run.run.scenario).toBe('os-s2b')
    const clients = createAwsClients({
      region: 'us-east-1',
      s3Endpoint: info.s3_endpoint,
      dynamoDbEndpoint: info.dynamodb_endpoint,
      credentials: {
        accessKeyId: info.credentials.access_key_id,
        secretAccessKey: info.credentials.secret_access_key,
      },
    })
    try {
      const raw = createS3ObjectStore(clients.s3, info.buckets.raw)
      expect(
        new TextDecoder().decode(
          (await raw.get(`quarantine/uploads/${junk.upload_id}.json`)) as Uint8Array,
        ),
      ).toContain('does not match the claimed')
      expect(await raw.get(real.raw_key)).toEqual(new Uint8Array(bytes))
    } finally {
      destroyAwsClients(clients)
    }
  })

  it('drops a client that sends its body too slowly (408), without holding the upload open', async () => {
    // Prepare
    const { port } = new URL(stack.url)
    const socket = connect(Number(port), '127.0.0.1')
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk))
    const closed = new Promise<number>((resolve) => {
      const started = Date.now()
      socket.on('close', () => resolve(Date.now() - started))
    })
    // Act: headers promise 100 kB, then one byte and silence
    socket.write(
      `POST /v1/results?platform=a&scenario=b HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
    )
    const after = await closed
    // Assess
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
    expect(after).toBeLessThan(10_000)
  }, 20_000)

  it('serves the notebook at / and the API docs without a third-party request', async () => {
    const page = await fetch(`${stack.url}/`)
    const docs = await (await fetch(`${stack.url}/docs`)).text()
    expect([200, 503]).toContain(page.status) // 503 names the build command when analytics/dist is missing
    expect(await page.text()).toMatch(/netlake/i)
    expect(docs).toContain('POST</span> <code>/v1/results')
  })

  it('netlake report without --lake reports on the running stack and indexes the report', async () => {
    // Prepare
    const { run } = await import('../../cli/report.ts')
    const fixture = new URL('../fixtures/lab/os-s3/iperf3.json', import.meta.url)
    const upload = await fetch(`${stack.url}/v1/results?platform=openstack&scenario=os-s3`, {
      method: 'POST',
      body: readFileSync(fixture),
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    })
    await stack.idle()
    // The window is the day the fixture was measured, never the day the suite runs
    const measuredOn = new Date(
      JSON.parse(readFileSync(fixture, 'utf8')).start.timestamp.timesecs * 1000,
    )
      .toISOString()
      .slice(0, 10)
    const stderr = console.error
    console.error = () => undefined
    // Act
    let code: number
    try {
      code = await run(['--data-dir', dataDir, '--since', measuredOn, '--until', measuredOn])
    } finally {
      console.error = stderr
    }
    const { reports } = await (await fetch(`${stack.url}/v1/reports`)).json()
    const ours = reports.find(
      (r: { report_id: string }) => r.report_id === `w-${measuredOn}-${measuredOn}`,
    )
    const html = await fetch(`${stack.url}${ours.links.html}`)
    const text = await html.text()
    // Assess
    expect(upload.status).toBe(202)
    expect(code).toBe(0)
    expect(html.headers.get('content-type')).toContain('text/html')
    expect(text).toContain('<svg')
    expect(text).toContain('os-s3')
  })

  it('netlake token, query and compact work on the running stack', async () => {
    // Prepare
    const out: string[] = []
    const log = console.log
    const error = console.error
    console.log = (line: string) => out.push(String(line))
    console.error = () => undefined
    let codes: number[]
    try {
      // Act
      const token = await (
        await import('../../cli/token.ts')
      ).run(['create', '--scope', 'collector', '--data-dir', dataDir])
      const minted = out.pop() as string
      const upload = await fetch(`${stack.url}/v1/results?platform=openstack&scenario=os-s2a`, {
        method: 'POST',
        body: readFileSync(new URL('../fixtures/lab/os-s2a/qperf.txt', import.meta.url)),
        headers: { Authorization: `Bearer ${minted}`, 'Content-Type': 'text/plain' },
      })
      await stack.idle()
      const query = await (
        await import('../../cli/query.ts')
      ).run([
        '--json',
        '--data-dir',
        dataDir,
        "SELECT test, latency_s FROM runs WHERE scenario = 'os-s2a' ORDER BY test",
      ])
      const compact = await (
        await import('../../cli/compact.ts')
      ).run(['--json', '--data-dir', dataDir])
      const badScope = await (
        await import('../../cli/token.ts')
      ).run(['create', '--scope', 'root', '--data-dir', dataDir])
      codes = [token, upload.status, query, compact, badScope]
    } finally {
      console.log = log
      console.error = error
    }
    // Assess
    expect(codes).toEqual([0, 202, 0, 0, 2])
    const rows = out.filter((l) => l.startsWith('{"test"')).map((l) => JSON.parse(l))
    expect(rows.map((r) => r.test)).toEqual(['tcp_bw', 'tcp_lat'])
    expect(rows[1].latency_s).toBeCloseTo(6.18e-6, 12) // the fixture prints "latency = 6.18 us"
  })
})
