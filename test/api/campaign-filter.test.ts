import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes, labLabels } from '../helpers/memory-lake.ts'

type MemoryApi = Awaited<ReturnType<typeof createMemoryApi>>

/** A distinct repetition of a lab iperf3 document (new cookie, rates scaled by `factor`). */
function repetition(scenario: string, tag: string, factor: number): Uint8Array {
  const doc = JSON.parse(new TextDecoder().decode(fixtureBytes(`lab/${scenario}/iperf3.json`)))
  doc.start.cookie = `${scenario}-${tag}`.padEnd(36, 'x')
  for (const name of ['sum_sent', 'sum_received']) doc.end[name].bits_per_second *= factor
  return new TextEncoder().encode(JSON.stringify(doc))
}

async function push(
  api: MemoryApi,
  scenario: string,
  tag: string,
  factor: number,
  campaign?: string,
): Promise<string> {
  const labels = labLabels(scenario, campaign ? { campaign } : {})
  const stored = await storeUpload(
    repetition(scenario, tag, factor),
    { labels, tool: null, contentType: null },
    api.lake,
  )
  await ingestObject(stored.body.raw_key, api.lake.deps)
  return stored.body.run_ids[0]
}

const get = async (api: MemoryApi, path: string) => {
  const response = await api.app.request(path, { headers: api.auth('reader') })
  return { status: response.status, body: await response.json() }
}

describe("filters select 'no campaign' with campaign=", () => {
  it('on /v1/runs and /v1/compare, apart from the runs of a named campaign', async () => {
    // Prepare: 3 + 3 runs without a campaign, 2 + 2 in campaign c1
    const api = await createMemoryApi()
    const none: string[] = []
    for (const [i, factor] of [0.98, 1, 1.02].entries()) {
      none.push(
        await push(api, 'os-s1', `n${i}`, factor),
        await push(api, 'baseline', `n${i}`, factor),
      )
    }
    for (const [i, factor] of [0.9, 1.1].entries()) {
      await push(api, 'os-s1', `c${i}`, factor, 'c1')
      await push(api, 'baseline', `c${i}`, factor, 'c1')
    }
    // Act
    const runs = await get(api, '/v1/runs?campaign=&tool=iperf3')
    const compare = await get(api, '/v1/compare?candidate=os-s1&baseline=baseline&campaign=')
    const c1 = await get(api, '/v1/compare?candidate=os-s1&baseline=baseline&campaign=c1')
    const bad = await get(api, `/v1/runs?campaign=${encodeURIComponent('a b')}`)
    // Assess
    expect(runs.status).toBe(200)
    expect(runs.body.runs.map((r: { run_id: string }) => r.run_id).sort()).toEqual([...none].sort())
    expect(runs.body.runs.every((r: { campaign: string | null }) => r.campaign === null)).toBe(true)
    expect(compare.status).toBe(200)
    expect([compare.body.candidate.n, compare.body.baseline.n]).toEqual([3, 3])
    expect([c1.body.candidate.n, c1.body.baseline.n]).toEqual([2, 2])
    expect(bad.status).toBe(422)
  })
})
