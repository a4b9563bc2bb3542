import { describe, expect, it } from 'vitest'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes } from '../helpers/memory-lake.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'

type MemoryApi = Awaited<ReturnType<typeof createMemoryApi>>
const post = (api: MemoryApi, query: string) =>
  api.app.request(`/v1/results?${query}`, {
    method: 'POST',
    body: fixtureBytes('lab/os-s1/iperf3.json'),
    headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
  })

describe('re-pushing stored bytes', () => {
  it('with the same labels is accepted again (202 before ingest, 200 "already stored" after)', async () => {
    // Prepare
    const api = await createMemoryApi()
    const first = await post(api, 'platform=openstack&scenario=os-s1&mtu=1450')
    // Act
    const beforeIngest = await post(api, 'scenario=os-s1&mtu=1450&platform=openstack')
    await ingestObject((await first.json()).raw_key, api.lake.deps)
    const afterIngest = await post(api, 'platform=openstack&scenario=os-s1&mtu=1450')
    // Assess
    expect(first.status).toBe(202)
    // before ingest the bytes are kept and ingest follows (202); 'already stored' once the runs exist
    expect([beforeIngest.status, afterIngest.status]).toEqual([202, 200])
    expect((await afterIngest.json()).duplicate).toBe(true)
  })

  it('with different labels is 409 naming each difference, and keeps the stored labels', async () => {
    // Prepare
    const api = await createMemoryApi()
    const first = await post(api, 'platform=openstack&scenario=os-s1&mtu=1450')
    const { raw_key, run_ids } = await first.json()
    // Act
    const beforeIngest = await post(api, 'platform=openstack&scenario=os-s2a&mtu=1450')
    await ingestObject(raw_key, api.lake.deps)
    const afterIngest = await post(api, 'platform=openstack&scenario=os-s2a&campaign=c2')
    // Assess
    expect(beforeIngest.status).toBe(409)
    const early = (await beforeIngest.json()).error
    expect(early).toMatchObject({ code: 'labels-differ', field: 'labels.scenario' })
    expect(early.message).toContain("scenario stored 'os-s1', offered 'os-s2a'")
    expect(afterIngest.status).toBe(409)
    const late = (await afterIngest.json()).error
    expect(late.field).toBe('labels.campaign')
    expect(late.message).toContain("campaign stored unset, offered 'c2'")
    expect(late.message).toContain("mtu stored '1450', offered unset")
    expect(late.message).toContain(raw_key)
    expect((await api.lake.catalog.getRun(run_ids[0]))?.scenario).toBe('os-s1')
  })
})
