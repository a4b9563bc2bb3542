import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { bootstrapRatioOfMedians } from '#core/compare/bootstrap.ts'
import { createPrng } from '#core/compare/prng.ts'
import { quantile } from '#core/compare/stats.ts'

/** Naive reference: materialise each resample and sort it, with the same PRNG draws. */
function naiveRatioBounds(
  base: number[],
  cand: number[],
  seed: number,
  resamples: number,
): [number, number] {
  const b = [...base].sort((x, y) => x - y)
  const c = [...cand].sort((x, y) => x - y)
  const prng = createPrng(seed)
  const draw = (xs: number[]) => xs.map(() => xs[prng.int(xs.length)])
  const ratios: number[] = []
  for (let i = 0; i < resamples; i++) {
    const mb = quantile(draw(b), 0.5)
    const mc = quantile(draw(c), 0.5)
    ratios.push(mc / mb)
  }
  const alpha = (1 - 0.95) / 2
  return [quantile(ratios, alpha), quantile(ratios, 1 - alpha)]
}

const positive = fc.double({ min: 1, max: 1e10, noNaN: true })
const sample = fc.array(positive, { minLength: 1, maxLength: 12 })

describe('bootstrapRatioOfMedians', () => {
  it('is reproducible from its seed and changes with it', () => {
    // Prepare
    const base = [9.1, 9.3, 9.2, 9.0, 9.4]
    const cand = [5.2, 5.5, 4.9, 5.1, 5.3]

    // Act
    const a = bootstrapRatioOfMedians(base, cand, { seed: 1 })!
    const b = bootstrapRatioOfMedians(base, cand, { seed: 1 })!
    const c = bootstrapRatioOfMedians(base, cand, { seed: 2, resamples: 500 })!

    // Assess
    expect(a).toEqual(b)
    expect(a.estimate).toBeCloseTo(5.2 / 9.2, 12)
    expect(a.resamples).toBe(2000)
    expect(c.resamples).toBe(500)
    // Resampled medians of 5 values are order statistics, so the bounds are ratios of sample values.
    expect(a.ci_low).toBeGreaterThanOrEqual(4.9 / 9.4)
    expect(a.ci_high).toBeLessThanOrEqual(5.5 / 9.0)
    expect(a.ci_low).toBeLessThan(a.estimate)
    expect(a.ci_high).toBeGreaterThan(a.estimate)
  })

  it('gives a zero-width interval at 1 for constant identical samples', () => {
    // Prepare
    const values = [7, 7, 7, 7]

    // Act
    const result = bootstrapRatioOfMedians(values, values)!

    // Assess
    expect([result.estimate, result.ci_low, result.ci_high]).toEqual([1, 1, 1])
  })

  it('returns null for an empty side or a zero baseline median', () => {
    // Prepare
    const values = [1, 2, 3]

    // Act
    const results = [
      bootstrapRatioOfMedians([], values),
      bootstrapRatioOfMedians([0, 0, 0], values),
    ]

    // Assess
    expect(results).toEqual([null, null])
  })

  it('matches a naive sort-every-resample implementation (property)', () => {
    fc.assert(
      fc.property(sample, sample, fc.integer(), (base, cand, seed) => {
        // Act
        const fast = bootstrapRatioOfMedians(base, cand, { seed, resamples: 200 })!
        const [low, high] = naiveRatioBounds(base, cand, seed, 200)

        // Assess
        expect(fast.ci_low).toBe(low)
        expect(fast.ci_high).toBe(high)
      }),
      { numRuns: 50, seed: 20261126 },
    )
  })

  it('contains the point estimate (property)', () => {
    fc.assert(
      fc.property(sample, sample, fc.integer(), (base, cand, seed) => {
        // Act
        const r = bootstrapRatioOfMedians(base, cand, { seed, resamples: 400 })!

        // Assess
        expect(r.ci_low).toBeLessThanOrEqual(r.estimate * (1 + 1e-12))
        expect(r.ci_high).toBeGreaterThanOrEqual(r.estimate * (1 - 1e-12))
      }),
      { numRuns: 60, seed: 20261126 },
    )
  })

  it('does not depend on input order (property)', () => {
    fc.assert(
      fc.property(sample, sample, (base, cand) => {
        // Act
        const a = bootstrapRatioOfMedians(base, cand, { resamples: 300 })
        const b = bootstrapRatioOfMedians([...base].reverse(), [...cand].reverse(), {
          resamples: 300,
        })

        // Assess
        expect(b).toEqual(a)
      }),
      { numRuns: 40, seed: 20261126 },
    )
  })

  it('is unchanged when both samples are scaled by the same factor (property)', () => {
    fc.assert(
      fc.property(
        sample,
        sample,
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (base, cand, k) => {
          // Act
          const a = bootstrapRatioOfMedians(base, cand, { resamples: 300 })!
          const b = bootstrapRatioOfMedians(
            base.map((v) => v * k),
            cand.map((v) => v * k),
            { resamples: 300 },
          )!

          // Assess
          expect(Math.abs(b.estimate - a.estimate)).toBeLessThanOrEqual(1e-9 * a.estimate)
          expect(Math.abs(b.ci_low - a.ci_low)).toBeLessThanOrEqual(1e-9 * a.ci_low)
          expect(Math.abs(b.ci_high - a.ci_high)).toBeLessThanOrEqual(1e-9 * a.ci_high)
        },
      ),
      { numRuns: 40, seed: 20261126 },
    )
  })
})

describe('createPrng', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    // Prepare
    const a = createPrng(42)
    const b = createPrng(42)

    // Act
    const xs = Array.from({ length: 1000 }, () => a.next())
    const ys = Array.from({ length: 1000 }, () => b.next())

    // Assess
    expect(xs).toEqual(ys)
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    expect(new Set(xs).size).toBe(1000)
  })
})
