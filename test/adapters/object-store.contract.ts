import { describe, expect, it } from 'vitest'
import { ObjectExistsError } from '#functions/ports.ts'
import type { ObjectInfo, ObjectStore } from '#functions/ports.ts'

/** What a test file hands the contract: a store (lazily: servers start in beforeAll). */
export interface ObjectStoreContractOptions {
  /** Presigned URLs are real HTTP URLs that plain `fetch` can PUT to and GET from. */
  fetchablePresign: boolean
}

const decode = (bytes: Uint8Array | null) =>
  bytes === null ? null : new TextDecoder().decode(bytes)

async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = []
  for await (const item of iterable) out.push(item)
  return out
}

/** Registers the `ObjectStore` contract for one implementation. */
export function objectStoreContract(
  name: string,
  store: () => ObjectStore,
  options: ObjectStoreContractOptions,
): void {
  describe(`ObjectStore contract: ${name}`, () => {
    const base = `contract-${Math.random().toString(36).slice(2, 8)}`

    it('puts, gets and heads an object', async () => {
      // Prepare
      const key = `${base}/raw/date=2025-06-01/a b+c.json`
      // Act
      const info = await store().put(key, '{"x":1}', { contentType: 'application/json' })
      const bytes = await store().get(key)
      const head = await store().head(key)
      // Assess
      expect(info.key).toBe(key)
      expect(info.size).toBe(7)
      expect(decode(bytes)).toBe('{"x":1}')
      expect(head?.size).toBe(7)
      expect(head?.etag).toBe(info.etag)
      expect(head?.etag).toMatch(/^"[0-9a-f]{32}"$/)
    })

    it('round-trips binary bytes exactly', async () => {
      // Prepare
      const body = new Uint8Array(256).map((_, i) => i)
      // Act
      await store().put(`${base}/bin`, body)
      const got = await store().get(`${base}/bin`)
      // Assess
      expect(got).toEqual(body)
    })

    it('returns null for a missing object', async () => {
      // Act
      const got = await store().get(`${base}/missing`)
      const head = await store().head(`${base}/missing`)
      // Assess
      expect(got).toBeNull()
      expect(head).toBeNull()
    })

    it('overwrites by default', async () => {
      // Prepare
      await store().put(`${base}/over`, 'one')
      // Act
      await store().put(`${base}/over`, 'second')
      // Assess
      expect(decode(await store().get(`${base}/over`))).toBe('second')
    })

    it('refuses ifAbsent on an existing key and keeps the bytes', async () => {
      // Prepare
      await store().put(`${base}/once`, 'first', { ifAbsent: true })
      // Act
      const second = store().put(`${base}/once`, 'other', { ifAbsent: true })
      // Assess
      await expect(second).rejects.toBeInstanceOf(ObjectExistsError)
      expect(decode(await store().get(`${base}/once`))).toBe('first')
    })

    it('lets exactly one of concurrent create-only PUTs of a new key win, without a HEAD', async () => {
      // Prepare
      const bodies = ['a', 'b', 'c', 'd', 'e', 'f']
      // Act
      const outcomes = await Promise.allSettled(
        bodies.map((body) =>
          store().put(`${base}/race`, body, { ifAbsent: true, absentChecked: true }),
        ),
      )
      // Assess
      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [bodies[i]] : []))
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []))
      expect(won).toHaveLength(1)
      expect(lost).toHaveLength(bodies.length - 1)
      for (const reason of lost) expect(reason).toBeInstanceOf(ObjectExistsError)
      expect(decode(await store().get(`${base}/race`))).toBe(won[0])
    })

    it('stores user metadata and returns it, keys lowercase, with the bytes', async () => {
      // Prepare
      const value = Buffer.from(JSON.stringify({ labels: { platform: 'kubevirt' } })).toString(
        'base64url',
      )
      await store().put(`${base}/meta`, 'body', { metadata: { 'Netlake-Sidecar': value } })
      await store().put(`${base}/plain`, 'body')
      // Act
      const stored = await store().getWithMetadata(`${base}/meta`)
      const plain = await store().getWithMetadata(`${base}/plain`)
      const missing = await store().getWithMetadata(`${base}/never-written`)
      // Assess
      expect(decode(stored?.bytes ?? null)).toBe('body')
      expect(stored?.metadata).toEqual({ 'netlake-sidecar': value })
      expect(plain?.metadata).toEqual({})
      expect(missing).toBeNull()
    })

    it('deletes, and deleting a missing key is not an error', async () => {
      // Prepare
      await store().put(`${base}/gone`, 'x')
      // Act
      await store().delete(`${base}/gone`)
      await store().delete(`${base}/never-there`)
      // Assess
      expect(await store().head(`${base}/gone`)).toBeNull()
    })

    it('lists every object under a prefix, in key order, across pages', async () => {
      // Prepare: more than one ListObjectsV2 page (1000 keys)
      const prefix = `${base}/many/`
      const keys = Array.from({ length: 1050 }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`)
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(keys.slice(i, i + 50).map((k) => store().put(k, k)))
      }
      await store().put(`${base}/many-not-under-prefix`, 'x')
      // Act
      const listed = await collect(store().list(prefix))
      // Assess
      expect(listed.map((o) => o.key)).toEqual(keys)
      expect(listed[0].size).toBe(keys[0].length)
    })

    it('lists nothing under an unknown prefix', async () => {
      // Act
      const listed = await collect(store().list(`${base}/nothing-here/`))
      // Assess
      expect(listed).toEqual([])
    })

    it('presigns PUT and GET URLs', async () => {
      // Prepare
      const key = `${base}/presigned.json`
      // Act
      const putUrl = await store().presignPut(key, 300, 'application/json')
      const getUrl = await store().presignGet(key, 300)
      // Assess
      if (!options.fetchablePresign) {
        expect(putUrl).toMatch(/^memory:\/\//)
        expect(getUrl).toContain(encodeURI(key))
        return
      }
      const put = await fetch(putUrl, {
        method: 'PUT',
        body: '{"via":"presigned"}',
        headers: { 'content-type': 'application/json' },
      })
      expect(put.status).toBe(200)
      const get = await fetch(getUrl, { headers: { range: 'bytes=0-6' } })
      expect(get.status).toBe(206)
      expect(await get.text()).toBe('{"via":')
      expect(decode(await store().get(key))).toBe('{"via":"presigned"}')
    })
  })
}
