import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { partitionDate } from '#core/apply-labels.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'
import type { Labels } from '#schemas/labels.ts'

const fixture = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${path}`, import.meta.url)))
/** Received a week after the lab fixtures' own timestamps (2026-11-26): a fixed clock, never today. */
const RECEIVED_AT = '2026-12-03T09:00:00.000Z'

function dates(path: string, labels: Labels): Array<string | null> {
  const bytes = fixture(path)
  const result = normalizeRaw(bytes, {
    raw_key: null,
    raw_sha256: sha256Hex(bytes),
    labels,
    received_at: RECEIVED_AT,
  })
  if (!result.ok) throw new Error(`${path} must normalize`)
  return result.runs.map((run) => run.date)
}

describe('one partition date per measurement', () => {
  it('puts the iperf3 and qperf files of one repetition on the UTC day of collected_at', () => {
    // Prepare: 23:30 at UTC-2 is the next day in UTC, and neither the tool's day nor the upload's
    const labels: Labels = {
      platform: 'openstack',
      scenario: 'os-s1',
      collected_at: '2026-03-04T23:30:00-02:00',
    }
    // Act
    const iperf3 = dates('lab/os-s1/iperf3.json', labels)
    const qperf = dates('lab/os-s1/qperf.txt', labels)
    // Assess
    expect(iperf3).toEqual(['2026-03-05'])
    expect(qperf).toEqual(['2026-03-05', '2026-03-05']) // tcp_lat and tcp_bw
  })

  it("without collected_at takes the tool's own timestamp, else the upload time", () => {
    // Prepare
    const labels: Labels = { platform: 'openstack', scenario: 'os-s1' }
    const source = JSON.parse(new TextDecoder().decode(fixture('lab/os-s1/iperf3.json')))
    const iperf3Day = new Date(source.start.timestamp.timesecs * 1000).toISOString().slice(0, 10)
    // Act
    const iperf3 = dates('lab/os-s1/iperf3.json', labels)
    const qperf = dates('lab/os-s1/qperf.txt', labels)
    // Assess: qperf prints no timestamp of its own
    expect(iperf3Day).not.toBe(RECEIVED_AT.slice(0, 10))
    expect(iperf3).toEqual([iperf3Day])
    expect(qperf).toEqual([RECEIVED_AT.slice(0, 10), RECEIVED_AT.slice(0, 10)])
  })

  it('orders the sources collected_at, started_at, upload time', () => {
    expect(
      partitionDate(
        '2026-01-02T00:00:00.000Z',
        '2026-02-03T00:00:00.000Z',
        '2026-03-04T00:00:00.000Z',
      ),
    ).toBe('2026-01-02')
    expect(partitionDate(null, '2026-02-03T23:59:59.999Z', '2026-03-04T00:00:00.000Z')).toBe(
      '2026-02-03',
    )
    expect(partitionDate(null, null, '2026-03-04T00:00:00.000Z')).toBe('2026-03-04')
    expect(partitionDate(null, null, null)).toBeNull()
  })
})
