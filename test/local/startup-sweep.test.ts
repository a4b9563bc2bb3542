import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryObjectStore } from '#adapters/memory-object-store.ts'
import { startLocalStack, type LocalStack } from '#local/stack.ts'
import { sweepPrefixes, sweepRaw } from '#local/startup-sweep.ts'

const quiet = () => undefined

describe('sweepPrefixes', () => {
  it('lists everything without a clean stop, else staging and the dates from the day before it', () => {
    // Prepare
    const now = new Date('2026-11-26T10:00:00Z')

    // Act
    const full = sweepPrefixes(null, now)
    const recent = sweepPrefixes(new Date('2026-11-25T23:00:00Z'), now)
    const ancient = sweepPrefixes(new Date('2024-01-01T00:00:00Z'), now)

    // Assess
    expect(full).toEqual(['raw/'])
    expect(recent).toEqual([
      'raw/staging/',
      'raw/date=2026-11-24/',
      'raw/date=2026-11-25/',
      'raw/date=2026-11-26/',
      'raw/date=2026-11-27/',
    ])
    expect(ancient).toEqual(['raw/'])
  })

  it('does not list old upload dates after a clean stop', async () => {
    // Prepare
    const raw = createMemoryObjectStore()
    for (let i = 0; i < 50; i++)
      await raw.put(`raw/date=2020-01-01/old-${i}.txt`, new Uint8Array(1))
    await raw.put('raw/date=2026-11-26/new.txt', new Uint8Array(1))
    const seen: string[] = []

    // Act
    const result = await sweepRaw(
      raw,
      new Date('2026-11-26T08:00:00Z'),
      new Date('2026-11-26T10:00:00Z'),
      (key) => seen.push(key),
    )

    // Assess
    expect(result.listed).toBe(1)
    expect(seen).toEqual(['raw/date=2026-11-26/new.txt'])
  })
})

describe('the local stack start-up with many objects in raw/', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-sweep-'))
  const objects = 300
  let stack: LocalStack | undefined
  afterAll(async () => {
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('is healthy before the sweep ends, and after a clean stop sweeps only recent dates', async () => {
    // Prepare: a lake with many objects under an old upload date, then a crash-like start (no marker)
    const first = await startLocalStack({ dataDir, port: 0, sampleData: false, log: quiet })
    const { openLake } = await import('#cli/lake.ts')
    const lake = await openLake(dataDir)
    if (typeof lake === 'string') throw new Error(lake)
    for (let i = 0; i < objects; i++)
      await lake.raw.put(`raw/date=2020-01-01/note-${i}.txt`, new TextEncoder().encode('x'))
    lake.close()
    await first.close()
    rmSync(join(dataDir, 'clean-stop.json'), { force: true }) // as after kill -9
    let release = () => undefined as void
    const gate = new Promise<void>((resolve) => (release = resolve))

    // Act
    stack = await startLocalStack({
      dataDir,
      port: 0,
      sampleData: false,
      log: quiet,
      sweepGate: gate,
    })
    const health = await fetch(`${stack.url}/healthz`)
    let sweepDone = false
    void stack.sweep.then(() => (sweepDone = true))
    const doneBeforeRelease = sweepDone
    release()
    const full = await stack.sweep
    await stack.close()
    stack = await startLocalStack({ dataDir, port: 0, sampleData: false, log: quiet })
    const incremental = await stack.sweep

    // Assess
    expect(health.status).toBe(200)
    expect(doneBeforeRelease).toBe(false)
    expect(full).toMatchObject({ since: null, prefixes: ['raw/'], listed: objects })
    expect(incremental?.since).not.toBeNull()
    expect(incremental?.listed).toBe(0)
  }, 120_000)
})
