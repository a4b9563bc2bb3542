import { describe, expect, it } from 'vitest'
import { judgeChange } from '#core/report/regression-rule.ts'
import {
  InvalidWindowError,
  lastDays,
  previousRange,
  reportIdFor,
  windowDays,
} from '#core/report/report-window.ts'
import { scheduledWindow } from '#core/report/scheduled-window.ts'

describe('judgeChange: the CI-based regression rule', () => {
  it.each([
    ['throughput_bps', 0.8, 0.94, 'regression'],
    ['throughput_bps', 0.8, 0.96, 'inconclusive'],
    ['throughput_bps', 0.96, 1.04, 'within-tolerance'],
    ['throughput_bps', 1.06, 1.2, 'improvement'],
    ['latency_s', 1.06, 1.2, 'regression'],
    ['latency_s', 1.04, 1.2, 'inconclusive'],
    ['latency_s', 0.8, 0.94, 'improvement'],
  ] as const)('%s CI [%f, %f] → %s (tolerance 0.05)', (metric, low, high, verdict) => {
    // Act
    const result = judgeChange({ ci_low: low, ci_high: high }, metric, 0.05)
    // Assess
    expect(result).toBe(verdict)
  })

  it('uses the tolerance it is given', () => {
    // Act
    const strict = judgeChange({ ci_low: 0.96, ci_high: 0.98 }, 'throughput_bps', 0.01)
    const loose = judgeChange({ ci_low: 0.8, ci_high: 0.85 }, 'throughput_bps', 0.2)
    // Assess
    expect([strict, loose]).toEqual(['regression', 'within-tolerance'])
  })
})

describe('report windows', () => {
  it('puts the previous windows right before the window, same length', () => {
    // Act
    const one = previousRange({ from: '2026-11-19', to: '2026-11-25' })
    const three = previousRange({ from: '2026-03-01', to: '2026-03-07' }, 3)
    // Assess
    expect(one).toEqual({ from: '2026-11-12', to: '2026-11-18' })
    expect(three).toEqual({ from: '2026-02-08', to: '2026-02-28' })
    expect(windowDays(three)).toBe(21)
  })

  it('derives a key-safe id from the window and refuses bad dates', () => {
    // Assess
    expect(reportIdFor({ from: '2026-11-19', to: '2026-11-25' })).toBe('w-2026-11-19-2026-11-25')
    expect(() => reportIdFor({ from: '2026-02-30', to: '2026-03-01' })).toThrow(InvalidWindowError)
    expect(() => previousRange({ from: '2026-11-19', to: '2026-11-25' }, 0)).toThrow(
      'previous windows must be an integer ≥ 1, got 0',
    )
  })

  it('schedules the last 7 days ending yesterday unless the event names a window', () => {
    // Prepare
    const now = new Date('2026-11-26T03:00:00Z')
    // Act
    const byDefault = scheduledWindow(undefined, now)
    const explicit = scheduledWindow(
      { from: '2026-10-01', to: '2026-10-31', previousWindows: 2, tolerance: 0.1 },
      now,
    )
    const days = scheduledWindow({ days: 1 }, now)
    // Assess
    expect(byDefault).toEqual({ from: '2026-11-19', to: '2026-11-25' })
    expect(lastDays(now)).toEqual(byDefault)
    expect(explicit).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
      previousWindows: 2,
      tolerance: 0.1,
    })
    expect(days).toEqual({ from: '2026-11-25', to: '2026-11-25' })
  })

  it("counts the days back from the scheduler's scheduledTime, not from the clock", () => {
    // Act
    const window = scheduledWindow(
      { scheduledTime: '2026-11-26T06:00:00Z' },
      new Date('2027-03-01T00:00:00Z'),
    )
    const bad = () => scheduledWindow({ scheduledTime: 'yesterday' }, new Date())
    // Assess
    expect(window).toEqual({ from: '2026-11-19', to: '2026-11-25' })
    expect(bad).toThrow("report event field 'scheduledTime' must be an ISO instant")
  })
})

describe('scheduledWindow: malformed scheduler input', () => {
  it.each([
    [{ from: '2026-10-01' }, "'to' must be given together"],
    [{ from: 'yesterday', to: '2026-10-31' }, "'from' must be a YYYY-MM-DD date"],
    [{ days: 0 }, "'days' must be a positive integer"],
    [{ tolerance: 5 }, "'tolerance' must be a number in [0, 1)"],
    [{ previousWindows: 'two' }, "'previousWindows' must be a positive integer"],
  ])('%j is refused, naming the field', (event, message) => {
    expect(() => scheduledWindow(event as never, new Date('2026-11-26T03:00:00Z'))).toThrow(message)
  })

  it('ignores the keys EventBridge Scheduler adds', () => {
    const window = scheduledWindow(
      {
        source: 'netlake.scheduler',
        job: 'report',
        scheduledTime: '2026-11-26T06:00:00Z',
      } as never,
      new Date('2026-11-26T06:00:00Z'),
    )
    expect(window).toEqual({ from: '2026-11-19', to: '2026-11-25' })
  })
})
