import { describe, expect, it } from 'vitest'
import { compactedKey, curatedKey, shaOfCuratedKey, sourcesOfFile } from '#core/object-keys.ts'

const SHA = 'ab'.repeat(32)

describe('curatedKey', () => {
  it('gives each label version of an object its own key, all owned by the object', () => {
    // Prepare
    const versions = [1, 2, 12]

    // Act
    const keys = versions.map((v) => curatedKey('runs', 'openstack', '2026-11-30', SHA, v))

    // Assess
    expect(keys[0]).toBe(`curated/runs/platform=openstack/date=2026-11-30/${SHA}.parquet`)
    expect(keys[1]).toBe(`curated/runs/platform=openstack/date=2026-11-30/${SHA}-v000002.parquet`)
    expect(new Set(keys).size).toBe(3)
    for (const key of keys) {
      expect(shaOfCuratedKey(key)).toBe(SHA)
      expect(sourcesOfFile({ key })).toEqual([SHA])
    }
    expect(shaOfCuratedKey(compactedKey('runs', 'openstack', '2026-11-30', SHA))).toBeNull()
  })
})
