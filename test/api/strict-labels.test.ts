import { describe, expect, it } from 'vitest'
import { LabelsSchema } from '#schemas/labels.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes } from '../helpers/memory-lake.ts'

type MemoryApi = Awaited<ReturnType<typeof createMemoryApi>>
const post = (api: MemoryApi, query: string) =>
  api.app.request(`/v1/results?${query}`, {
    method: 'POST',
    body: fixtureBytes('lab/os-s1/iperf3.json'),
    headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
  })
const envelope = (api: MemoryApi, labels: Record<string, unknown>) =>
  api.app.request('/v1/results', {
    method: 'POST',
    body: JSON.stringify({
      labels: { platform: 'openstack', scenario: 'os-s1', ...labels },
      raw: new TextDecoder().decode(fixtureBytes('lab/os-s1/iperf3.json')),
    }),
    headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
  })
const base = { platform: 'openstack', scenario: 'os-s1' }

describe('strict label parsing', () => {
  it.each([
    ['link_mtu', true],
    ['mtu', '0x5dc'],
    ['mtu', '01500'],
    ['mtu', ' 1500'],
    ['nic_speed_bps', '0x2540be400'],
    ['repetition', true],
    ['repetition', '0x1'],
  ])('refuses %s = %j by name instead of coercing it', async (name, value) => {
    // Prepare
    const api = await createMemoryApi()

    // Act
    const response = await envelope(api, { [name]: value })

    // Assess
    expect(response.status).toBe(422)
    const error = (await response.json()).error
    expect(error.field).toBe(`labels.${name}`)
    expect(error.message).toContain(`${name} must be a plain decimal number`)
  })

  it('still reads plain decimals from strings and numbers', () => {
    // Act
    const parsed = LabelsSchema.parse({
      ...base,
      mtu: '1500',
      link_mtu: 9000,
      nic_speed_bps: '1e10',
      repetition: '0',
    })

    // Assess
    expect(parsed).toMatchObject({ mtu: 1500, link_mtu: 9000, nic_speed_bps: 1e10, repetition: 0 })
  })

  it('refuses "mtu=0x5dc" and "link_mtu=true" as query parameters too', async () => {
    // Prepare
    const api = await createMemoryApi()

    // Act
    const hex = await post(api, 'platform=openstack&scenario=os-s1&mtu=0x5dc')
    const bool = await post(api, 'platform=openstack&scenario=os-s1&link_mtu=true')

    // Assess
    expect(hex.status).toBe(422)
    expect((await hex.json()).error.field).toBe('labels.mtu')
    expect(bool.status).toBe(422)
    expect((await bool.json()).error.field).toBe('labels.link_mtu')
  })

  it('refuses a duplicated query parameter with 400 naming it, on any route', async () => {
    // Prepare
    const api = await createMemoryApi()

    // Act
    const upload = await post(api, 'platform=openstack&scenario=os-s1&mtu=1500&mtu=9000')
    const list = await api.app.request('/v1/runs?platform=openstack&platform=kubevirt', {
      headers: api.auth('reader'),
    })

    // Assess
    expect(upload.status).toBe(400)
    const error = (await upload.json()).error
    expect(error.field).toBe('mtu')
    expect(error.message).toContain("query parameter 'mtu' is given 2 times")
    expect(list.status).toBe(400)
    expect((await list.json()).error.field).toBe('platform')
    const stored: string[] = []
    for await (const object of api.lake.raw.list('raw/')) stored.push(object.key)
    expect(stored).toEqual([])
  })

  it.each([
    ['NUL', { collector_id: 'edge\u0000-1' }, 'labels.collector_id', 'U+0000'],
    [
      'a right-to-left override',
      { source: { host: 'node\u202Egpj.exe' } },
      'labels.source.host',
      'U+202E',
    ],
    ['a bidi isolate', { software: { kernel: '6.1\u2066x' } }, 'labels.software.kernel', 'U+2066'],
  ])(
    'refuses %s in a label, naming the label and the code point',
    async (_what, labels, field, point) => {
      // Prepare
      const api = await createMemoryApi()

      // Act
      const response = await envelope(api, labels)

      // Assess
      expect(response.status).toBe(422)
      const error = (await response.json()).error
      expect(error.field).toBe(field)
      expect(error.message).toContain(point)
    },
  )
})
