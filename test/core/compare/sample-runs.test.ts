import { describe, expect, it } from 'vitest'
import { preferOwnRuns } from '#core/compare/sample-runs.ts'

const run = (id: string, campaign: string | null) => ({ id, campaign })

describe('preferOwnRuns', () => {
  it("leaves the bundled samples out once a side has the user's own runs", () => {
    // Prepare
    const runs = [run('s', 'netlake-sample'), run('a', null), run('b', 'c1')]
    // Act
    const own = preferOwnRuns(runs, false)
    // Assess
    expect(own.runs.map((r) => r.id)).toEqual(['a', 'b'])
    expect(own.samplesLeftOut).toBe(1)
    expect(own.samplesOnly).toBe(false)
  })

  it('keeps the samples while nothing else matches, or when a campaign is chosen', () => {
    // Prepare
    const samples = [run('s1', 'netlake-sample'), run('s2', 'netlake-sample')]
    // Act
    const alone = preferOwnRuns(samples, false)
    const chosen = preferOwnRuns([...samples, run('a', null)], true)
    // Assess
    expect(alone).toEqual({ runs: samples, samplesLeftOut: 0, samplesOnly: true })
    expect(chosen.runs.map((r) => r.id)).toEqual(['s1', 's2', 'a'])
  })

  it('gives a candidate of samples a baseline of samples, even when the user has runs there', () => {
    // Prepare: the user pushed bare metal only; os-s1 has the sample run alone
    const pool = [run('user-bm', null), run('sample-bm', 'netlake-sample')]
    // Act
    const candidate = preferOwnRuns([run('sample-os-s1', 'netlake-sample')], false)
    const baseline = preferOwnRuns(pool, false, candidate.samplesOnly)
    const ownBaseline = preferOwnRuns(pool, false, false)
    // Assess
    expect(candidate.samplesOnly).toBe(true)
    expect(baseline.runs.map((r) => r.id)).toEqual(['sample-bm'])
    expect(ownBaseline.runs.map((r) => r.id)).toEqual(['user-bm'])
  })
})
