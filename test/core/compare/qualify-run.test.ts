import { describe, expect, it } from 'vitest'
import { emptyIntervalRow } from '#core/rows.ts'
import { jainIndex, linearTrend, qualifyRun } from '#core/compare/qualify-run.ts'
import type { IntervalRow } from '#schemas/tables.ts'
import { tcpRun } from './run-fixtures.ts'

/** One-second sum intervals of a run, starting at 0 after the omitted part. */
function sums(rates: number[], extra: Partial<IntervalRow> = {}): IntervalRow[] {
  return rates.map((bps, i) => ({
    ...emptyIntervalRow(),
    run_id: 'r1',
    stream: -1,
    direction: 'forward',
    start_s: i,
    end_s: i + 1,
    bytes: bps / 8,
    bits_per_second: bps,
    omitted: false,
    ...extra,
  }))
}

describe('qualifyRun', () => {
  it('flags a run that climbs after the omitted second and suggests a longer omit (scipy linregress)', () => {
    // Prepare: like the lab's os-s4 run, 1.6 → 2.5 Gbit/s over the first seconds; one omitted interval
    const run = tcpRun({ run_id: 'r1', omit_s: 1 })
    const rates = [1.6e9, 2.2e9, 2.45e9, 2.5e9, 2.48e9, 2.52e9]
    const rows = [...sums([1.0e9], { omitted: true }), ...sums(rates)]

    // Act
    const q = qualifyRun(run, rows)

    // Assess: second-half median 2.5e9, 90 % of it 2.25e9: the first two intervals are warm-up
    expect(q.intervals).toBe(6)
    expect(q.warmup_s).toBe(2)
    expect(q.suggested_omit_s).toBe(3)
    expect(q.steady).toBe(false)
    // scipy.stats.linregress(midpoints, rates): slope 156857142.857, p 0.0464812
    expect(q.trend).toBeCloseTo(0.3422337662337663, 12)
    expect(q.trend_p_value).toBeCloseTo(0.04648120877628339, 8)
    expect(q.interval_cv).toBeCloseTo(0.15646947792033167, 12)
    expect(q.issues[0]).toBe('climbs during its first 2 s (1.6 → 2.5 Gbit/s): use -O 3')
  })

  it('flags a significant downward drift without a warm-up', () => {
    // Prepare: 2.75 → 2.40 Gbit/s over 8 s with ±10 Mbit/s alternation
    const run = tcpRun({ run_id: 'r1', omit_s: 2 })
    const base = [2.75e9, 2.7e9, 2.65e9, 2.6e9, 2.55e9, 2.5e9, 2.45e9, 2.4e9]
    const rates = base.map((r, i) => r + (i % 2 ? 1e7 : -1e7))

    // Act
    const q = qualifyRun(run, sums(rates))

    // Assess: scipy linregress slope −49047619.05, p 1.3138e-7; trend = slope × 7 s / mean
    expect(q.warmup_s).toBe(0)
    expect(q.suggested_omit_s).toBeNull()
    expect(q.trend).toBeCloseTo(-0.13333333333333333, 12)
    expect(q.trend_p_value).toBeCloseTo(1.3138065782774977e-7, 12)
    expect(q.interval_cv).toBeCloseTo(0.04683253168467191, 12)
    expect(q.steady).toBe(false)
    expect(q.issues).toEqual(['drifts -13.3% across the run (slope p=1.31e-7)'])
  })

  it('calls a flat run steady and gives no verdict below 4 intervals', () => {
    // Prepare
    const run = tcpRun({ run_id: 'r1', retransmits: 50, sender_bytes: 2.5e9 })
    const flat = [9.4e9, 9.42e9, 9.39e9, 9.41e9, 9.4e9]

    // Act
    const steady = qualifyRun(run, sums(flat))
    const short = qualifyRun(run, sums(flat.slice(0, 3)))

    // Assess
    expect(steady.steady).toBe(true)
    expect(steady.issues).toEqual([])
    expect(steady.retransmits_per_gb).toBe(20)
    expect(short.steady).toBeNull()
    expect(short.intervals).toBe(3)
  })

  it("gives Jain's index of the per-stream bytes for -P > 1 and flags unfair sharing", () => {
    // Prepare: three streams moving 3, 3 and 1 GB over two measured seconds
    const run = tcpRun({ run_id: 'r1', streams: 3 })
    const perStream = [1.5e9, 1.5e9, 0.5e9]
    const rows: IntervalRow[] = []
    for (const t of [0, 1])
      perStream.forEach((bytes, stream) =>
        rows.push({
          ...emptyIntervalRow(),
          run_id: 'r1',
          stream,
          direction: 'forward',
          start_s: t,
          end_s: t + 1,
          bytes,
          bits_per_second: bytes * 8,
          omitted: false,
        }),
      )
    rows.push({ ...rows[0], stream: 2, bytes: 9e9, omitted: true })

    // Act
    const q = qualifyRun(run, rows)

    // Assess: (3+3+1)² / (3 × (9+9+1)) = 49/57, omitted bytes left out
    expect(q.streams).toBe(3)
    expect(q.jain_fairness).toBeCloseTo(49 / 57, 14)
    expect(q.issues).toContain("streams share unfairly: Jain's index 0.86 < 0.9")
    expect(jainIndex([5, 5, 5, 5])).toBe(1)
    expect(jainIndex([1, 0, 0, 0])).toBe(0.25)
  })

  it('fits an exact line with p 0 and a constant with p 1', () => {
    // Prepare
    const x = [0, 1, 2, 3]

    // Act
    const line = linearTrend(x, [1, 3, 5, 7])
    const flat = linearTrend(x, [2, 2, 2, 2])

    // Assess
    expect(line.slope).toBe(2)
    expect(line.intercept).toBe(1)
    expect(line.p_value).toBe(0)
    expect(flat.p_value).toBe(1)
  })
})
