import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { describeSample, mean, median, quantile, standardDeviation } from '#core/compare/stats.ts'

describe('type-7 quantiles', () => {
  it('match R quantile(type = 7) values computed by hand', () => {
    // Prepare: R: quantile(c(3, 1, 4, 1, 5), c(.05, .5, .95)) → 1, 3, 4.8
    //          quantile(1:10, c(.05, .95)) → 1.45, 9.55 (h = 9p: 0.45 and 8.55)
    const small = [3, 1, 4, 1, 5]
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]

    // Act
    const got = [quantile(small, 0.05), quantile(small, 0.5), quantile(small, 0.95)]
    const gotTen = [quantile(ten, 0.05), quantile(ten, 0.95), median(ten)]

    // Assess
    expect(got[0]).toBe(1)
    expect(got[1]).toBe(3)
    expect(got[2]).toBeCloseTo(4.8, 12)
    expect(gotTen[0]).toBeCloseTo(1.45, 12)
    expect(gotTen[1]).toBeCloseTo(9.55, 12)
    expect(gotTen[2]).toBe(5.5)
  })

  it('rejects an empty sample and probabilities outside [0, 1]', () => {
    // Prepare
    const values = [1, 2]

    // Act
    const empty = () => quantile([], 0.5)
    const outside = () => quantile(values, 1.5)

    // Assess
    expect(empty).toThrow(RangeError)
    expect(outside).toThrow(RangeError)
  })
})

describe('mean and standard deviation', () => {
  it('use the sample (n − 1) standard deviation', () => {
    // Prepare: mean 5, sum of squares 32, sd = sqrt(32 / 7)
    const values = [2, 4, 4, 4, 5, 5, 7, 9]

    // Act
    const result = [mean(values), standardDeviation(values), standardDeviation([42])]

    // Assess
    expect(result[0]).toBe(5)
    expect(result[1]).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(result[2]).toBe(0)
  })
})

describe('describeSample', () => {
  it('summarises a set and flags it unstable above the CV threshold', () => {
    // Prepare
    const values = [2, 4, 4, 4, 5, 5, 7, 9]

    // Act
    const stats = describeSample(values)!
    const lenient = describeSample(values, 0.5)!

    // Assess
    expect(stats.n).toBe(8)
    expect(stats.median).toBe(4.5)
    expect(stats.p5).toBeCloseTo(2 + 0.35 * 2, 12)
    expect(stats.p95).toBeCloseTo(7 + 0.65 * 2, 12)
    expect(stats.cv).toBeCloseTo(Math.sqrt(32 / 7) / 5, 12)
    expect(stats.unstable).toBe(true)
    expect(lenient.unstable).toBe(false)
    expect(lenient.unstable_cv_threshold).toBe(0.5)
  })

  it('keeps a tight set stable and ignores non-finite values', () => {
    // Prepare
    const values = [100, 101, 99, Number.NaN, 100]

    // Act
    const stats = describeSample(values)!

    // Assess
    expect(stats.n).toBe(4)
    expect(stats.mean).toBe(100)
    expect(stats.sd).toBeCloseTo(Math.sqrt(2 / 3), 12)
    expect(stats.unstable).toBe(false)
    expect(describeSample([])).toBeNull()
  })

  it('does not depend on input order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (values) => {
          // Prepare
          const reversed = [...values].reverse()

          // Act
          const a = describeSample(values)
          const b = describeSample(reversed)

          // Assess
          expect(b!.median).toBe(a!.median)
          expect(b!.p5).toBe(a!.p5)
          expect(b!.p95).toBe(a!.p95)
        },
      ),
      { seed: 20261126 },
    )
  })
})
