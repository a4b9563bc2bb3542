import { describe, expect, it } from 'vitest'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes } from '../helpers/memory-lake.ts'

type MemoryApi = Awaited<ReturnType<typeof createMemoryApi>>
const post = (api: MemoryApi, query: string) =>
  api.app.request(`/v1/results?${query}`, {
    method: 'POST',
    body: fixtureBytes('lab/os-s1/iperf3.json'),
    headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
  })

describe('labels checked at the door', () => {
  it('refuses a misspelt platform with 422 and "did you mean", on direct and presigned uploads', async () => {
    // Prepare
    const api = await createMemoryApi()
    // Act
    const direct = await post(api, 'platform=openstak&scenario=os-s1')
    const presign = await api.app.request('/v1/uploads', {
      method: 'POST',
      body: JSON.stringify({
        labels: { platform: 'openstak', scenario: 'os-s1' },
        sha256: 'a'.repeat(64),
        size_bytes: 10,
      }),
      headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
    })
    // Assess
    for (const response of [direct, presign]) {
      expect(response.status).toBe(422)
      const error = (await response.json()).error
      expect(error.field).toBe('labels.platform')
      expect(error.message).toContain("did you mean 'openstack'?")
    }
    const stored: string[] = []
    for await (const object of api.lake.raw.list('raw/')) stored.push(object.key)
    expect(stored).toEqual([])
  })

  it('accepts a platform only once the deployment declares it', async () => {
    // Prepare
    const plain = await createMemoryApi()
    const declared = await createMemoryApi({}, { platforms: ['vmware'] })
    // Act
    const refused = await post(plain, 'platform=vmware&scenario=esx-1')
    const accepted = await post(declared, 'platform=vmware&scenario=esx-1')
    // Assess
    expect(refused.status).toBe(422)
    expect(accepted.status).toBe(202)
  })

  it.each([
    ['mtu=65537', 'labels.mtu', '65536 (Linux loopback)'],
    ['mtu=67', 'labels.mtu', '68 (the IPv4 minimum)'],
    ['link_mtu=1500.5', 'labels.link_mtu', 'an integer'],
    ['link_mtu=big', 'labels.link_mtu', 'link_mtu must be a plain decimal number, not "big"'],
    ['nic_speed_bps=10000', 'labels.nic_speed_bps', '10000Mb/s is 1e10'],
    ['nic_speed_bps=1e14', 'labels.nic_speed_bps', 'from 1e6 to 1e13'],
  ])('range-checks %s with a message', async (label, field, says) => {
    const api = await createMemoryApi()
    const response = await post(api, `platform=openstack&scenario=os-s1&${label}`)
    expect(response.status).toBe(422)
    const error = (await response.json()).error
    expect(error.field).toBe(field)
    expect(error.message).toContain(says)
  })

  it("accepts loopback's MTU 65536 and a 400 GbE NIC", async () => {
    const api = await createMemoryApi()
    const response = await post(
      api,
      'platform=baremetal&scenario=baseline&mtu=65536&link_mtu=65536&nic_speed_bps=4e11',
    )
    expect(response.status).toBe(202)
  })
})
