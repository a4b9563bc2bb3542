import { describe, expect, it } from 'vitest'
import { createFileSigner } from '#functions/api/file-signatures.ts'

describe('signed file URLs (the local stand-in for S3 presigned GETs)', () => {
  const path = '/v1/files/curated/curated/runs/platform=openstack/date=2026-11-26/a.parquet'
  const params = (url: string) => new URL(url, 'http://x').searchParams

  it('accepts its own signature until it expires, for that path only', () => {
    // Prepare
    let now = 1_800_000_000_000
    const signer = createFileSigner(new Uint8Array(32).fill(7), () => now)
    const url = signer.sign(path, 60)
    const q = params(url)
    // Act + Assess
    expect(signer.verify(path, q.get('expires') ?? undefined, q.get('sig') ?? undefined)).toBe(true)
    expect(
      signer.verify(
        path.replace('a.parquet', 'b.parquet'),
        q.get('expires') ?? undefined,
        q.get('sig') ?? undefined,
      ),
    ).toBe(false)
    expect(
      signer.verify(path, String(Number(q.get('expires')) + 1), q.get('sig') ?? undefined),
    ).toBe(false)
    now += 61_000
    expect(signer.verify(path, q.get('expires') ?? undefined, q.get('sig') ?? undefined)).toBe(
      false,
    )
  })

  it('refuses another secret, a tampered or missing signature', () => {
    const a = createFileSigner(new Uint8Array(32).fill(1))
    const b = createFileSigner(new Uint8Array(32).fill(2))
    const q = params(a.sign(path, 60))
    expect(b.verify(path, q.get('expires') ?? undefined, q.get('sig') ?? undefined)).toBe(false)
    expect(a.verify(path, q.get('expires') ?? undefined, `${q.get('sig')}x`)).toBe(false)
    expect(a.verify(path, undefined, undefined)).toBe(false)
    expect(a.verify(path, 'soon', q.get('sig') ?? undefined)).toBe(false)
  })
})
