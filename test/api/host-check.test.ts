import { describe, expect, it } from 'vitest'
import { hostName, LOOPBACK_HOSTS } from '#functions/api/host-check.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'

describe('the Host allow-list', () => {
  it('reads the host name without port, case or trailing dot', () => {
    // Act + Assess
    expect(hostName('LocalHost:8787')).toBe('localhost')
    expect(hostName('[::1]:8787')).toBe('[::1]')
    expect(hostName('evil.example.')).toBe('evil.example')
  })

  it('refuses a rebinding-style request (Host: evil.example) with 421 naming the host', async () => {
    // Prepare
    const { app, setPeer } = await createMemoryApi({
      allowedHosts: [...LOOPBACK_HOSTS],
      anonymousLoopbackReads: true,
    })
    setPeer('127.0.0.1') // the browser on this machine, which would otherwise read anonymously

    // Act
    const evil = await app.request('http://evil.example:8787/v1/runs')
    const evilHeader = await app.request('http://localhost:8787/v1/runs', {
      headers: { Host: 'evil.example:8787' },
    })
    const good = await Promise.all(
      ['localhost:8787', '127.0.0.1:8787', '[::1]:8787'].map((host) =>
        app.request(`http://${host}/v1/runs`, { headers: { Host: host } }),
      ),
    )

    // Assess
    expect(evil.status).toBe(421)
    const body = await evil.json()
    expect(body.error.field).toBe('Host')
    expect(body.error.message).toContain("host 'evil.example' is not served here")
    expect(evilHeader.status).toBe(421)
    expect(good.map((r) => r.status)).toEqual([200, 200, 200])
  })

  it('checks nothing when no host is configured (the default for app.request tests)', async () => {
    // Prepare
    const { app, auth } = await createMemoryApi()

    // Act
    const res = await app.request('http://evil.example/v1/runs', { headers: auth('reader') })

    // Assess
    expect(res.status).toBe(200)
  })
})
