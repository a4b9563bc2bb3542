import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes, labLabels } from '../helpers/memory-lake.ts'

type MemoryApi = Awaited<ReturnType<typeof createMemoryApi>>

/** A lab fixture with its rates scaled, so repetitions differ the way real ones do. */
function repetition(scenario: string, n: number): Uint8Array {
  const doc = JSON.parse(new TextDecoder().decode(fixtureBytes(`lab/${scenario}/iperf3.json`)))
  const factor = 1 + (((n * 7) % 11) - 5) / 100 // deterministic, within ±5%
  doc.start.cookie = `${scenario}-${n}`.padEnd(36, 'x')
  for (const name of ['sum_sent', 'sum_received']) doc.end[name].bits_per_second *= factor
  return new TextEncoder().encode(JSON.stringify(doc, null, '\t'))
}

async function loadRepetitions(
  api: MemoryApi,
  scenarios: string[],
  n: number,
  extra: Parameters<typeof labLabels>[1] = {},
) {
  for (const scenario of scenarios) {
    for (let i = 0; i < n; i++) {
      const stored = await storeUpload(
        repetition(scenario, i),
        { labels: labLabels(scenario, { repetition: i, ...extra }), tool: null, contentType: null },
        api.lake,
      )
      await ingestObject(stored.body.raw_key, api.lake.deps)
    }
    const qperf = await storeUpload(
      fixtureBytes(`lab/${scenario}/qperf.txt`),
      { labels: labLabels(scenario), tool: null, contentType: null },
      api.lake,
    )
    await ingestObject(qperf.body.raw_key, api.lake.deps)
  }
}

const get = (api: MemoryApi, path: string) => api.app.request(path, { headers: api.auth('reader') })

describe('GET /v1/runs', () => {
  it('filters, pages with an opaque cursor and refuses a forged cursor', async () => {
    // Prepare
    const api = await createMemoryApi()
    await loadRepetitions(api, ['baseline', 'os-s1'], 3)
    // Act
    const page1 = await (await get(api, '/v1/runs?scenario=os-s1&tool=iperf3&limit=2')).json()
    const page2 = await (
      await get(
        api,
        `/v1/runs?scenario=os-s1&tool=iperf3&limit=2&cursor=${encodeURIComponent(page1.cursor)}`,
      )
    ).json()
    const forged = await get(api, '/v1/runs?cursor=bm90LWEtY3Vyc29y')
    // Assess
    expect(page1.runs).toHaveLength(2)
    expect(page2.runs).toHaveLength(1)
    expect(page2.cursor).toBeNull()
    const all = [...page1.runs, ...page2.runs]
    expect(new Set(all.map((r: { run_id: string }) => r.run_id)).size).toBe(3)
    expect(
      all.every(
        (r: { scenario: string; tool: string }) => r.scenario === 'os-s1' && r.tool === 'iperf3',
      ),
    ).toBe(true)
    expect(forged.status).toBe(400)
    expect((await forged.json()).error).toMatchObject({ code: 'bad-cursor', field: 'cursor' })
  })

  it('validates filters: bad values are 422 with the field, never passed on', async () => {
    const api = await createMemoryApi()
    const sql = await get(api, `/v1/runs?platform=${encodeURIComponent("openstack' OR 1=1 --")}`)
    const status = await get(api, '/v1/runs?status=maybe')
    const limit = await get(api, '/v1/runs?limit=100000')
    expect([sql.status, status.status, limit.status]).toEqual([422, 422, 422])
    expect((await sql.json()).error.field).toBe('platform')
  })

  it('returns one run with its per-interval rows, before and after compaction; 404 for an unknown id', async () => {
    const api = await createMemoryApi()
    await loadRepetitions(api, ['kv-s1', 'kv-s2'], 1)
    const { runs } = await (await get(api, '/v1/runs?scenario=kv-s2&tool=iperf3')).json()
    const source = JSON.parse(new TextDecoder().decode(fixtureBytes('lab/kv-s2/iperf3.json')))
    // Act
    const before = await (await get(api, `/v1/runs/${runs[0].run_id}`)).json()
    await compactAll({ ...api.lake.deps, readParquet: api.lake.readParquet })
    const after = await (await get(api, `/v1/runs/${runs[0].run_id}`)).json()
    const missing = await get(api, `/v1/runs/${'0'.repeat(32)}`)
    // Assess
    const sums = (detail: { intervals: Array<{ stream: number; bits_per_second: number }> }) =>
      detail.intervals.filter((i) => i.stream === -1).map((i) => i.bits_per_second)
    expect(sums(before)).toEqual(
      source.intervals.map((i: { sum: { bits_per_second: number } }) => i.sum.bits_per_second),
    )
    expect(sums(after)).toEqual(sums(before))
    expect(missing.status).toBe(404)
  })
})

describe('GET /v1/compare', () => {
  it('compares each scenario with matched bare metal and ranks them in the order the data says', async () => {
    // Prepare: 5 repetitions of bare metal, the same-node bridge and VXLAN + remote router
    const api = await createMemoryApi()
    await loadRepetitions(api, ['baseline', 'os-s3', 'os-s2b'], 5)
    // Act
    const bridge = await (await get(api, '/v1/compare?candidate=os-s3')).json()
    const routed = await (await get(api, '/v1/compare?candidate=os-s2b')).json()
    const latency = await get(api, '/v1/compare?candidate=os-s2b&metric=latency_s')
    // Assess
    expect(bridge.baseline.n).toBe(5)
    expect(bridge.candidate.n).toBe(5)
    expect(bridge.baseline.scenarios).toEqual(['baseline'])
    expect(bridge.ratio.estimate).toBeLessThan(1)
    expect(routed.ratio.estimate).toBeLessThan(bridge.ratio.estimate)
    expect(routed.ratio.ci_high).toBeLessThan(bridge.ratio.ci_low)
    expect(routed.overhead.estimate).toBeCloseTo(1 - routed.ratio.estimate, 12)
    expect(routed.hops.only_in_b.map((h: { kind: string }) => h.kind)).toContain('router-namespace')
    expect(routed.mann_whitney.p_value).toBeLessThan(0.05)
    // run qualification reads each run's intervals: 3 measured seconds after a 1 s omit, too few to judge
    expect(bridge.candidate.qualification.with_intervals).toBe(5)
    expect(
      bridge.candidate.qualification.runs.map((q: { intervals: number }) => q.intervals),
    ).toEqual([3, 3, 3, 3, 3])
    expect(bridge.candidate.qualification.not_steady).toBe(0)
    // both sides carry repetition labels 0..4: paired as a cross-check
    expect(bridge.paired.repetitions).toEqual([0, 1, 2, 3, 4])
    // one qperf repetition per scenario: computed, but flagged as too few
    expect(latency.status).toBe(200)
    expect((await latency.json()).advice.join(' ')).toMatch(/n=1/)
  })

  it('gives the verdict, limited_by and CPU cost; the band comes from the query and is validated', async () => {
    // Prepare: the lab pinned client and server to core 0 (each fixture's result.json: cpu_pin_client_server "0,0")
    const api = await createMemoryApi()
    await loadRepetitions(api, ['baseline', 'os-s2b'], 5, { software: { cpu_pin: '0,0' } })
    // Act
    const result = await (await get(api, '/v1/compare?candidate=os-s2b')).json()
    const wide = await (await get(api, '/v1/compare?candidate=os-s2b&band=0.7')).json()
    const bad = await get(api, '/v1/compare?candidate=os-s2b&band=2')
    const doc = await (await api.app.request('/openapi.json')).json()
    // Assess
    expect(result.ratio.method).toBe('Welch t interval on log values (ratio of geometric means)')
    expect(result.verdict).toMatchObject({ verdict: 'WORSE', band: 0.05 })
    expect(result.median_ratio.method).toBe('exact')
    expect(result.baseline.bottleneck.limited_by).toBe('cpu')
    expect(result.candidate.bottleneck.limited_by).toBe('cpu')
    expect(result.candidate.bottleneck.cpu_percent_per_gbps_median).toBeGreaterThan(
      result.baseline.bottleneck.cpu_percent_per_gbps_median,
    )
    expect(result.advice.join(' ')).toMatch(/both sides are CPU-bound/)
    // the ratio is about 0.39: a ±70% band [0.3, 1.7] holds its whole 95% interval, so the verdict is SAME
    expect(wide.verdict).toMatchObject({ verdict: 'SAME', band: 0.7 })
    expect(bad.status).toBe(422)
    expect((await bad.json()).error.field).toBe('band')
    const compare200 =
      doc.paths['/v1/compare'].get.responses['200'].content['application/json'].schema
    expect(JSON.stringify(compare200)).toContain('upper_unbounded')
  })

  it('says when a side hit the run cap instead of silently comparing a subset', async () => {
    const api = await createMemoryApi({ compareMaxRunsPerSide: 3 })
    await loadRepetitions(api, ['baseline', 'os-s3'], 5)
    const result = await (await get(api, '/v1/compare?candidate=os-s3')).json()
    expect(result.candidate.n).toBe(3)
    expect(result.advice).toContain(
      'candidate: only the newest 3 runs were read; narrow the filters (hardware_profile, campaign) for a complete comparison',
    )
  })

  it('refuses runs whose comparison keys differ unless explicitly allowed, and flags the override', async () => {
    const api = await createMemoryApi()
    for (const [scenario, profile] of [
      ['baseline', 'r740-10g'],
      ['os-s1', 'r740-1g'],
    ]) {
      const stored = await storeUpload(
        repetition(scenario, 0),
        {
          labels: labLabels(scenario, { hardware_profile: profile }),
          tool: null,
          contentType: null,
        },
        api.lake,
      )
      await ingestObject(stored.body.raw_key, api.lake.deps)
    }
    const refused = await get(api, '/v1/compare?candidate=os-s1&baseline=baseline')
    const allowed = await get(
      api,
      '/v1/compare?candidate=os-s1&baseline=baseline&allow_key_mismatch=true',
    )
    const none = await get(api, '/v1/compare?candidate=os-s1')
    expect(refused.status).toBe(409)
    expect((await refused.json()).error.message).toContain('hardware')
    expect(allowed.status).toBe(200)
    expect((await allowed.json()).key_mismatch).toBe(true)
    expect(none.status).toBe(404)
    expect((await none.json()).error.code).toBe('no-baseline')
  })
})

describe('GET /v1/changes', () => {
  it("finds the campaign where a scenario's throughput stepped down, per run or per campaign", async () => {
    // Prepare: 8 daily campaigns of 3 runs of os-s1; from the 5th campaign on the rate is 20% lower
    const api = await createMemoryApi()
    for (let campaign = 0; campaign < 8; campaign++) {
      for (let rep = 0; rep < 3; rep++) {
        const doc = JSON.parse(new TextDecoder().decode(repetition('os-s1', campaign * 3 + rep)))
        doc.start.timestamp.timesecs += campaign * 86_400 + rep * 60
        const drop = campaign >= 4 ? 0.8 : 1
        for (const name of ['sum_sent', 'sum_received']) doc.end[name].bits_per_second *= drop
        const bytes = new TextEncoder().encode(JSON.stringify(doc))
        const labels = labLabels('os-s1', { campaign: `c${campaign}`, repetition: rep })
        const stored = await storeUpload(bytes, { labels, tool: null, contentType: null }, api.lake)
        await ingestObject(stored.body.raw_key, api.lake.deps)
      }
    }
    // Act
    const byCampaign = await (await get(api, '/v1/changes?scenario=os-s1')).json()
    const byRun = await (await get(api, '/v1/changes?scenario=os-s1&by=run')).json()
    const filtered = await (await get(api, '/v1/changes?scenario=os-s1&min_magnitude=0.3')).json()
    const bad = await get(api, '/v1/changes?scenario=os-s1&max_p=2')
    const none = await get(api, '/v1/changes?scenario=kv-s2')
    // Assess
    expect(byCampaign.series).toHaveLength(1)
    expect(byCampaign.series[0].points.map((p: { label: string }) => p.label)).toEqual([
      'c0',
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
    ])
    expect(byCampaign.series[0].change_points).toHaveLength(1)
    expect(byCampaign.series[0].change_points[0]).toMatchObject({ index: 4, label: 'c4' })
    expect(byCampaign.series[0].change_points[0].change).toBeCloseTo(-0.2, 1)
    expect(byRun.series[0].change_points.map((c: { index: number }) => c.index)).toEqual([12])
    expect(filtered.series[0].change_points).toEqual([])
    expect(bad.status).toBe(422)
    expect((await bad.json()).error.field).toBe('max_p')
    expect(none.status).toBe(404)
  })
})

describe('datasets, files, scenarios, reports, tokens, docs', () => {
  it('lists every Parquet file of each table and serves it with ranges', async () => {
    const api = await createMemoryApi()
    await loadRepetitions(api, ['baseline'], 2)
    const manifest = await (await get(api, '/v1/datasets')).json()
    expect(manifest.tables.runs).toHaveLength(2 + 1)
    expect(manifest.tables.intervals).toHaveLength(2)
    expect(manifest.tables.metrics).toHaveLength(1)
    const file = manifest.tables.runs[0]
    // Act
    const whole = await get(api, file.url)
    const head = await api.app.request(file.url, {
      headers: { ...api.auth('reader'), Range: 'bytes=0-3' },
    })
    const tail = await api.app.request(file.url, {
      headers: { ...api.auth('reader'), Range: 'bytes=-8' },
    })
    const beyond = await api.app.request(file.url, {
      headers: { ...api.auth('reader'), Range: `bytes=${file.bytes}-` },
    })
    // Assess
    expect(whole.headers.get('content-length')).toBe(String(file.bytes))
    expect(whole.headers.get('accept-ranges')).toBe('bytes')
    expect(head.status).toBe(206)
    expect(new TextDecoder().decode(await head.arrayBuffer())).toBe('PAR1')
    expect(head.headers.get('content-range')).toBe(`bytes 0-3/${file.bytes}`)
    expect(new TextDecoder().decode((await tail.arrayBuffer()).slice(4))).toBe('PAR1')
    expect(beyond.status).toBe(416)
  })

  it('never serves keys outside curated Parquet and reports (path traversal)', async () => {
    const api = await createMemoryApi()
    await api.lake.raw.put('raw/secret.json', 'secret')
    for (const path of [
      '/v1/files/curated/..%2Fraw%2Fsecret.json',
      '/v1/files/curated/raw/secret.json',
      '/v1/files/raw/raw/secret.json',
      '/v1/files/curated/curated/runs/platform=a/date=2026-01-01/..%2F..%2Fx.parquet',
    ]) {
      const response = await get(api, path)
      expect(response.status, path).toBe(404)
    }
  })

  it('serves the scenario catalog with hops', async () => {
    const api = await createMemoryApi()
    const { scenarios } = await (await get(api, '/v1/scenarios')).json()
    expect(scenarios.map((s: { id: string }) => s.id).sort()).toEqual([
      'baseline',
      'kv-s1',
      'kv-s2',
      'os-s1',
      'os-s2a',
      'os-s2b',
      'os-s3',
      'os-s4',
    ])
    expect(
      scenarios
        .find((s: { id: string }) => s.id === 'kv-s2')
        .hops.some((h: { kind: string; vni?: number }) => h.kind === 'vxlan' && h.vni === 1),
    ).toBe(true)
  })

  it('lists reports with links and 404s an unknown one', async () => {
    const api = await createMemoryApi()
    await api.lake.catalog.putReport({
      report_id: 'w-2026-11-26',
      window_from: '2026-11-19T00:00:00.000Z',
      window_to: '2026-11-26T00:00:00.000Z',
      created_at: '2026-11-26T10:00:00.000Z',
      keys: {
        html: 'reports/2026-11-26/w-2026-11-26/report.html',
        md: 'reports/2026-11-26/w-2026-11-26/report.md',
        json: 'reports/2026-11-26/w-2026-11-26/report.json',
      },
      regressions: 1,
      improvements: 0,
    })
    const list = await (await get(api, '/v1/reports')).json()
    expect(list.reports).toHaveLength(1)
    expect(list.reports[0].links.html).toBe(
      '/v1/files/reports/reports/2026-11-26/w-2026-11-26/report.html',
    )
    expect((await get(api, '/v1/reports/w-2026-11-26')).status).toBe(200)
    expect((await get(api, '/v1/reports/nope')).status).toBe(404)
  })

  it('lets only admins create tokens, and a created token works once shown', async () => {
    const api = await createMemoryApi()
    const body = JSON.stringify({ scopes: ['collector'], label: 'edge-1' })
    const byCollector = await api.app.request('/v1/tokens', {
      method: 'POST',
      body,
      headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
    })
    const byAdmin = await api.app.request('/v1/tokens', {
      method: 'POST',
      body,
      headers: { ...api.auth('admin'), 'Content-Type': 'application/json' },
    })
    expect(byCollector.status).toBe(403)
    expect(byAdmin.status).toBe(201)
    const { token } = await byAdmin.json()
    const upload = await api.app.request('/v1/results?platform=openstack&scenario=os-s1', {
      method: 'POST',
      body: fixtureBytes('lab/os-s1/iperf3.json'),
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    })
    expect(upload.status).toBe(202)
  })

  it('documents every route in /openapi.json and renders /docs; unknown routes are JSON 404s', async () => {
    const api = await createMemoryApi()
    const doc = await (await api.app.request('/openapi.json')).json()
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/docs',
      '/docs/assets/{file}',
      '/healthz',
      '/openapi.json',
      '/v1/audit',
      '/v1/changes',
      '/v1/compare',
      '/v1/datasets',
      '/v1/files/{bucket}/{key}',
      '/v1/raw/{sha256}',
      '/v1/raw/{sha256}/labels',
      '/v1/reports',
      '/v1/reports/{id}',
      '/v1/results',
      '/v1/runs',
      '/v1/runs/{id}',
      '/v1/scenarios',
      '/v1/tokens',
      '/v1/tokens/{token_id}',
      '/v1/uploads',
    ])
    const docs = await (await api.app.request('/docs')).text()
    expect(docs).toContain('/v1/compare')
    expect(docs).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/)
    const missing = await api.app.request('/v1/nothing')
    expect(missing.status).toBe(404)
    expect((await missing.json()).error.code).toBe('not-found')
    expect((await api.app.request('/healthz')).status).toBe(200)
  })

  it('answers 500 without internals when a dependency fails', async () => {
    const api = await createMemoryApi()
    api.lake.catalog.listRuns = async () => {
      throw new Error('dynamodb exploded at /secret/path')
    }
    const errorLog = console.error
    console.error = () => undefined
    const response = await get(api, '/v1/runs')
    console.error = errorLog
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(text).not.toContain('secret')
    expect(JSON.parse(text).error.code).toBe('internal')
  })

  it('lets loopback peers read without a token when the stack allows it, and nobody else', async () => {
    const api = await createMemoryApi({ anonymousLoopbackReads: true })
    api.setPeer('127.0.0.1')
    expect((await api.app.request('/v1/runs')).status).toBe(200)
    api.setPeer('192.0.2.7')
    expect((await api.app.request('/v1/runs')).status).toBe(401)
  })
})

describe('CORS', () => {
  it("answers the notebook's origin and no other", async () => {
    const api = await createMemoryApi({ corsOrigins: ['https://notebook.example.org'] })
    const preflight = (origin: string) =>
      api.app.request('/v1/datasets', {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization',
        },
      })
    const allowed = await preflight('https://notebook.example.org')
    const other = await preflight('https://evil.example.com')
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://notebook.example.org')
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    )
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})
