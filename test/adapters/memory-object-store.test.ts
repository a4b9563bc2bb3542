import { describe, expect, it } from 'vitest'
import { createMemoryObjectStore } from '#adapters/memory-object-store.ts'
import { objectStoreContract } from './object-store.contract.ts'

const store = createMemoryObjectStore()
objectStoreContract('memory', () => store, { fetchablePresign: false })

describe('memory object store', () => {
  it('copies bodies: mutating the caller buffer later changes nothing', async () => {
    // Prepare
    const own = createMemoryObjectStore()
    const body = new Uint8Array([1, 2, 3])
    await own.put('k', body)
    // Act
    body[0] = 9
    const got = await own.get('k')
    // Assess
    expect(got).toEqual(new Uint8Array([1, 2, 3]))
    expect(own.size).toBe(1)
  })
})
