import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { IPERF3_FIXTURES, expectedPath, goldenOf, normalizeFixture } from './golden.ts'

type Json = Record<string, any>
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8'))
const REAL_AND_LAB = IPERF3_FIXTURES.filter((f) => !f.includes('/crafted/'))

describe('normalizeIperf3 golden files', () => {
  it('finds every iperf3 fixture by name (8 real, 16 lab, 14 crafted), each with a golden file', () => {
    // Act
    const count = (dir: string) => IPERF3_FIXTURES.filter((f) => f.startsWith(dir)).length
    // Assess
    expect([
      count('test/fixtures/real/'),
      count('test/fixtures/lab/'),
      count('test/fixtures/crafted/'),
    ]).toEqual([8, 16, 14])
    expect(IPERF3_FIXTURES.filter((f) => !existsSync(expectedPath(f)))).toEqual([])
  })

  it.each(IPERF3_FIXTURES)('%s matches its reviewed .expected.json', (fixture) => {
    // Prepare
    const expected = readJson(expectedPath(fixture))
    // Act
    const result = normalizeFixture(fixture)
    // Assess
    expect(JSON.parse(JSON.stringify(goldenOf(result)))).toEqual(expected)
  })
})

describe('normalizeIperf3 against the tool fields read independently (real and lab fixtures)', () => {
  it.each(REAL_AND_LAB.filter((f) => !f.includes('error')))(
    '%s: headline values equal iperf3 end summaries',
    (fixture) => {
      // Prepare
      const doc = readJson(fixture)
      const ts = doc.start.test_start
      const role = doc.start.connecting_to ? 'client' : 'server'
      // Act
      const result = normalizeFixture(fixture)
      // Assess
      if (!result.ok) throw new Error(result.error.message)
      const [run] = result.runs
      expect(result.runs).toHaveLength(1)
      expect(run.throughput_bps).toBe(doc.end.sum_received.bits_per_second)
      expect(run.receiver_bytes).toBe(doc.end.sum_received.bytes)
      expect(run.role).toBe(role)
      expect(run.streams).toBe(ts.num_streams)
      expect(run.duration_s).toBe(ts.duration)
      expect(run.omit_s).toBe(ts.omit)
      expect(run.msg_size_bytes).toBe(ts.blksize)
      expect(run.tool_version).toBe(doc.start.version.replace('iperf ', ''))
      expect(run.started_at).toBe(new Date(doc.start.timestamp.timesecs * 1000).toISOString())
      expect(run.cpu_local_percent).toBe(doc.end.cpu_utilization_percent.host_total)
      expect(run.status).toBe('ok')
      if (role === 'client') {
        expect(run.sender_bps).toBe(doc.end.sum_sent.bits_per_second)
        expect(run.cpu_remote_percent).toBe(doc.end.cpu_utilization_percent.remote_total)
      }
      const sums = doc.intervals.length * (doc.intervals[0].sum_bidir_reverse ? 2 : 1)
      const streamRows = doc.intervals.reduce((n: number, i: Json) => n + i.streams.length, 0)
      expect(result.intervals).toHaveLength(streamRows + sums)
      expect(result.intervals.filter((r) => r.stream === -1)).toHaveLength(sums)
      const firstSum = result.intervals.find((r) => r.stream === -1)!
      expect(firstSum.bytes).toBe(doc.intervals[0].sum.bytes)
      expect(firstSum.omitted).toBe(doc.intervals[0].sum.omitted)
    },
  )

  it('60 s x 4 streams gives 60 x (4 + 1) interval rows and the requested target bitrate', () => {
    // Prepare
    const fixture = 'test/fixtures/real/iperf3-tcp-p4-t60-b200M.json'
    const doc = readJson(fixture)
    // Act
    const result = normalizeFixture(fixture)
    // Assess
    if (!result.ok) throw new Error(result.error.message)
    expect(result.intervals).toHaveLength(60 * 5)
    expect(result.runs[0].target_bitrate_bps).toBe(200_000_000)
    expect(result.runs[0].retransmits).toBe(doc.end.sum_sent.retransmits)
    const streams = result.intervals.filter((r) => r.stream !== null && r.stream >= 0)
    expect(new Set(streams.map((r) => r.stream))).toEqual(new Set([0, 1, 2, 3]))
    expect(streams[0].rtt_us).toBe(doc.intervals[0].streams[0].rtt)
    expect(streams[0].snd_cwnd_bytes).toBe(doc.intervals[0].streams[0].snd_cwnd)
  })

  it('-R: all intervals are reverse, rtt is unknown on the receiving client', () => {
    // Prepare
    const fixture = 'test/fixtures/real/iperf3-tcp-reverse-p1-t5.json'
    // Act
    const result = normalizeFixture(fixture)
    // Assess
    if (!result.ok) throw new Error(result.error.message)
    expect(result.runs[0].direction).toBe('reverse')
    expect(new Set(result.intervals.map((r) => r.direction))).toEqual(new Set(['reverse']))
    expect(result.runs[0].rtt_mean_us).toBeNull()
    expect(result.intervals[0].retransmits).toBeNull()
  })

  it('--bidir 3.12: forward from sum_*, reverse from *_bidir_reverse, rtt of the sending stream', () => {
    // Prepare
    const fixture = 'test/fixtures/real/iperf3-tcp-bidir-p1-t5.json'
    const end = readJson(fixture).end
    // Act
    const result = normalizeFixture(fixture)
    // Assess
    if (!result.ok) throw new Error(result.error.message)
    const run = result.runs[0]
    expect(run.direction).toBe('bidir')
    expect(run.throughput_bps).toBe(end.sum_received.bits_per_second)
    expect(run.reverse_sender_bps).toBe(end.sum_sent_bidir_reverse.bits_per_second)
    expect(run.reverse_receiver_bps).toBe(end.sum_received_bidir_reverse.bits_per_second)
    expect(run.rtt_mean_us).toBe(end.streams[0].sender.mean_rtt)
    expect(
      result.intervals.filter((r) => r.stream === -1 && r.direction === 'reverse'),
    ).toHaveLength(5)
    expect(
      result.intervals.filter((r) => r.stream === 1).every((r) => r.direction === 'reverse'),
    ).toBe(true)
  })

  it('server documents: role server, sender summary of 0 bytes read as null with a warning', () => {
    // Prepare
    const fixture = 'test/fixtures/lab/os-s4/iperf3-server.json'
    // Act
    const result = normalizeFixture(fixture)
    // Assess
    if (!result.ok) throw new Error(result.error.message)
    expect(result.runs[0].role).toBe('server')
    expect(result.runs[0].sender_bps).toBeNull()
    expect(result.runs[0].cpu_remote_percent).toBeNull()
    expect(result.warnings.map((w) => w.code)).toEqual(['sender-summary-zero'])
    expect(new Set(result.intervals.map((r) => r.direction))).toEqual(new Set(['forward']))
  })

  it('-O and --get-server-output text: omitted intervals flagged, server text kept as a metric', () => {
    // Prepare
    const fixture = 'test/fixtures/real/iperf3-tcp-p2-t5-omit1-server-output.json'
    const doc = readJson(fixture)
    // Act
    const result = normalizeFixture(fixture)
    // Assess
    if (!result.ok) throw new Error(result.error.message)
    expect(result.intervals).toHaveLength(6 * 3)
    expect(result.intervals.filter((r) => r.omitted).length).toBe(3)
    expect(result.metrics).toEqual([
      {
        run_id: result.runs[0].run_id,
        name: 'server_output_text',
        value: null,
        unit: null,
        text_value: doc.server_output_text,
      },
    ])
  })

  it('connection refused: a run with status error and the message', () => {
    // Act
    const result = normalizeFixture('test/fixtures/real/iperf3-error-connection-refused.json')
    // Assess
    if (!result.ok) throw new Error(result.error.message)
    expect(result.runs[0].status).toBe('error')
    expect(result.runs[0].error_message).toBe('unable to connect to server: Connection refused')
    expect(result.runs[0].throughput_bps).toBeNull()
    expect(result.intervals).toHaveLength(0)
  })
})
