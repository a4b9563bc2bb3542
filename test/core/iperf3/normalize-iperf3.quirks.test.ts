import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normalizeIperf3 } from '#core/iperf3/normalize-iperf3.ts'
import { normalizeFixture } from './golden.ts'

const ctx = { raw_key: null, raw_sha256: 'a'.repeat(64) }
const crafted = (name: string) =>
  normalizeFixture(`test/fixtures/crafted/iperf3-crafted-${name}.json`)
const ok = (name: string) => {
  const result = crafted(name)
  if (!result.ok) throw new Error(result.error.message)
  return result
}
const p1 = readFileSync('test/fixtures/real/iperf3-tcp-p1-t5.json', 'utf8')

describe('normalizeIperf3 version quirks (crafted fixtures)', () => {
  it('3.0.x: %g numbers read, nan/-nan become null with their JSON paths', () => {
    // Act
    const result = ok('3.0-g-numbers-nan')
    // Assess
    expect(result.runs[0].sender_bps).toBe(10484500)
    expect(result.runs[0].jitter_ms).toBeNull()
    expect(
      result.warnings.filter((w) => w.code === 'non-finite-number').map((w) => w.path),
    ).toEqual([
      'end.streams[0].udp.jitter_ms',
      'end.streams[0].udp.lost_percent',
      'end.sum.jitter_ms',
    ])
  })

  it('3.1.3: %e numbers above 1e9', () => {
    expect(ok('3.1.3-e-numbers').runs[0].throughput_bps).toBe(9.41564e9)
  })

  it('3.9 --bidir duplicate keys: both directions recovered', () => {
    // Act
    const run = ok('3.9-bidir-duplicate-keys').runs[0]
    // Assess
    expect([
      run.direction,
      run.throughput_bps,
      run.sender_bps,
      run.reverse_sender_bps,
      run.reverse_receiver_bps,
    ]).toEqual(['bidir', 7.996e9, 8e9, 2e9, 1.996e9])
    expect(run.retransmits).toBe(2)
  })

  it('3.12 wrapped negative int64 → null with a warning', () => {
    // Act
    const result = ok('3.12-wrapped-negative-int')
    // Assess
    expect(result.runs[0].retransmits).toBeNull()
    expect(result.intervals[2].retransmits).toBeNull()
    expect(result.warnings.map((w) => [w.code, w.path])).toEqual([
      ['wrapped-integer', 'end.sum_sent.retransmits'],
      ['wrapped-integer', 'intervals[1].streams[0].retransmits'],
    ])
  })

  it('UDP ≤ 3.10: goodput derived from packets - lost, never the sender rate', () => {
    // Act
    const run = ok('3.9-udp-sum-only').runs[0]
    // Assess
    expect(run.throughput_bps).toBe(((17264 - 264) * 1448 * 8) / 2)
    expect(run.sender_bps).toBe(99993088)
    expect([run.lost_packets, run.packets, run.jitter_ms]).toEqual([264, 17264, 0.05])
  })

  it('UDP 3.11+: loss and goodput from end.sum_received', () => {
    const run = ok('3.17-udp').runs[0]
    expect([run.throughput_bps, run.lost_packets, run.packets, run.jitter_ms]).toEqual([
      99413888, 100, 17164, 0.031,
    ])
  })

  it('SCTP, -n bytes limit', () => {
    expect([ok('sctp').runs[0].test, ok('sctp').runs[0].retransmits]).toEqual(['sctp', null])
    const run = ok('bytes-limit').runs[0]
    expect([run.bytes_limit, run.duration_s]).toEqual([234000000, null])
  })

  it('server_output_json becomes a second run with role server', () => {
    const result = ok('server-output-json')
    expect(result.runs.map((r) => [r.document_index, r.role])).toEqual([
      [0, 'client'],
      [1, 'server'],
    ])
    expect(result.intervals.filter((r) => r.run_id === result.runs[1].run_id)).toHaveLength(4)
  })

  it('back-to-back server documents: one run each, the last an error', () => {
    const result = ok('multi-document-server')
    expect(result.runs.map((r) => [r.document_index, r.status])).toEqual([
      [0, 'ok'],
      [1, 'ok'],
      [2, 'error'],
    ])
    expect(result.runs[2].error_message).toBe('the client has unexpectedly closed the connection')
    expect(new Set(result.runs.map((r) => r.run_id)).size).toBe(3)
  })

  it('json-stream: complete → ok; without end → status error + incomplete-stream warning', () => {
    expect(ok('json-stream-complete').runs[0].throughput_bps).toBe(935200000)
    const incomplete = ok('json-stream-incomplete')
    expect([
      incomplete.runs[0].status,
      incomplete.warnings[0].code,
      incomplete.intervals.length,
    ]).toEqual(['error', 'incomplete-stream', 4])
  })

  it('json-stream without start is rejected', () => {
    const result = normalizeIperf3('{"event":"interval","data":{}}\n', ctx)
    expect(result.ok ? null : result.error.code).toBe('incomplete-stream')
  })

  it('text around the JSON and partial results with an error', () => {
    expect(ok('text-around-json').warnings.map((w) => w.code)).toEqual([
      'text-outside-json',
      'tool-error-text',
      'text-outside-json',
    ])
    const run = ok('partial-results-error').runs[0]
    expect([run.status, run.error_message]).toEqual([
      'error',
      'unable to receive results: Bad file descriptor',
    ])
  })

  it('text only with an iperf3 error line → one error run', () => {
    const result = normalizeIperf3(
      'iperf3: error - unable to connect to server: No route to host\n',
      ctx,
    )
    if (!result.ok) throw new Error(result.error.message)
    expect([result.runs[0].status, result.runs[0].error_message]).toEqual([
      'error',
      'unable to connect to server: No route to host',
    ])
  })
})

describe('normalizeIperf3 rejections', () => {
  const reject = (text: string) => {
    const result = normalizeIperf3(text, ctx)
    if (result.ok) throw new Error('expected a rejection')
    return result.error
  }
  it('truncated JSON names the offset where it ended', () => {
    const cut = p1.slice(0, 2000)
    expect(reject(cut)).toMatchObject({ code: 'truncated-json', offset: 2000 })
  })
  it('JSON that is not iperf3 names the missing key', () => {
    expect(reject('{"hello": 1}')).toMatchObject({ code: 'not-iperf3', path: 'start' })
  })
  it('arrays are refused', () => {
    expect(reject('[{"start": {}}]').code).toBe('not-object')
  })
  it('numbers as strings name the path', () => {
    const bytes = JSON.parse(p1).intervals[0].streams[0].bytes
    const text = p1.replace(`"bytes":\t${bytes}`, `"bytes":\t"${bytes}"`)
    expect(reject(text)).toMatchObject({
      code: 'number-as-string',
      path: 'intervals[0].streams[0].bytes',
    })
  })
  it('negative durations name the path', () => {
    expect(reject(p1.replace('"duration":\t5', '"duration":\t-5'))).toMatchObject({
      code: 'negative-duration',
      path: 'start.test_start.duration',
    })
  })
  it('deep nesting is refused without a stack overflow', () => {
    expect(reject('x\n' + '['.repeat(100_000)).code).toBe('no-json')
    expect(reject('x\n{"a":' + '['.repeat(100_000)).code).toBe('too-deep')
  })
  it('no JSON at all', () => {
    expect(reject('hello world').code).toBe('no-json')
  })
})
