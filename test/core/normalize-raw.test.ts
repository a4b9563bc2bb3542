import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { MAX_RAW_BYTES } from '#core/decode-raw.ts'
import { runIdFor, sha256Hex } from '#core/rows.ts'
import type { NormalizeResult } from '#schemas/parse-result.ts'

const fixture = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${path}`, import.meta.url)))
const normalize = (bytes: Uint8Array, labels?: Parameters<typeof normalizeRaw>[1]['labels']) =>
  normalizeRaw(bytes, {
    raw_key: 'raw/date=2026-11-26/x.json',
    raw_sha256: sha256Hex(bytes),
    labels,
    received_at: '2026-11-26T10:00:00.000Z',
  })
const rejection = (result: NormalizeResult) => {
  if (result.ok) throw new Error('expected a rejection')
  return result.error
}

describe('normalizeRaw: the core entry point', () => {
  it('detects iperf3 and qperf from content, not names, and stamps labels, partition date and ids', () => {
    // Prepare
    const iperf = fixture('lab/os-s1/iperf3.json')
    const qperf = fixture('lab/os-s1/qperf.txt')
    const labels = {
      platform: 'openstack',
      scenario: 'os-s1',
      hardware_profile: 'lab-netns',
      mtu: 1450,
      link_mtu: 1500,
      nic_speed_bps: 10e9,
    }
    // Act
    const a = normalize(iperf, labels)
    const b = normalize(qperf, labels)
    // Assess
    if (!a.ok || !b.ok) throw new Error('fixtures must normalize')
    const source = JSON.parse(new TextDecoder().decode(iperf))
    expect(a.runs).toHaveLength(1)
    expect(a.runs[0]).toMatchObject({
      tool: 'iperf3',
      platform: 'openstack',
      scenario: 'os-s1',
      mtu: 1450,
      link_mtu: 1500,
      throughput_bps: source.end.sum_received.bits_per_second,
    })
    expect(a.runs[0].run_id).toBe(runIdFor(sha256Hex(iperf), 0))
    expect(a.runs[0].date).toBe(
      new Date(source.start.timestamp.timesecs * 1000).toISOString().slice(0, 10),
    )
    expect(a.runs[0].ceiling_bps).toBeCloseTo((10e9 * (1450 - 52)) / (1500 + 38), 3)
    expect(a.runs[0].comparison_key).toContain('link1500')
    expect(b.runs.map((r) => r.test)).toEqual(['tcp_lat', 'tcp_bw'])
    expect(b.runs.every((r) => r.tool === 'qperf' && r.scenario === 'os-s1')).toBe(true)
  })

  it('gives the same run ids for the same bytes and different ids for different bytes', () => {
    const bytes = fixture('real/iperf3-tcp-p1-t5.json')
    const again = normalize(bytes.slice())
    const first = normalize(bytes)
    const other = normalize(fixture('real/iperf3-tcp-p4-t5.json'))
    if (!first.ok || !again.ok || !other.ok) throw new Error('fixtures must normalize')
    expect(again.runs[0].run_id).toBe(first.runs[0].run_id)
    expect(other.runs[0].run_id).not.toBe(first.runs[0].run_id)
  })

  it.each([
    ['empty input', new Uint8Array(0), 'empty', 'input is empty (0 bytes)'],
    [
      'whitespace only',
      new TextEncoder().encode(' \n\t\n'),
      'empty',
      'input contains only whitespace',
    ],
    [
      'a gzip file',
      gzipSync(readFileSync(new URL('../fixtures/real/iperf3-tcp-p1-t5.json', import.meta.url))),
      'compressed',
      'gzip-compressed (magic 1f 8b at byte 0)',
    ],
    [
      'binary garbage with NUL bytes',
      new Uint8Array([0x7b, 0x00, 0x01, 0x02, 0xff, 0x00]),
      'not-text',
      'not UTF-8 text (invalid byte sequence near byte 4)',
    ],
    [
      'NUL in otherwise valid text',
      new TextEncoder().encode('{"start":\u0000}'),
      'binary',
      'NUL character at offset 9',
    ],
    [
      'invalid UTF-8',
      new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      'not-text',
      'near byte 2',
    ],
    [
      'text that is neither tool',
      new TextEncoder().encode('hello world\nthis is a shopping list\n'),
      'unrecognized',
      'neither iperf3 JSON',
    ],
  ])('rejects %s with a reason naming what and where', (_name, bytes, code, says) => {
    const error = rejection(normalize(bytes))
    expect(error.code).toBe(code)
    expect(error.message).toContain(says)
  })

  it('names the byte offset of invalid UTF-8', () => {
    const error = rejection(normalize(new Uint8Array([0x7b, 0x22, 0x61, 0xc3, 0x28, 0x22, 0x7d])))
    expect(error.offset).toBe(3)
    expect(error.message).toContain('byte 3')
  })

  it('refuses input above the documented size limit without reading it', () => {
    const huge = new Uint8Array(MAX_RAW_BYTES + 1)
    const error = rejection(normalize(huge))
    expect(error.code).toBe('too-large')
    expect(error.message).toContain(String(MAX_RAW_BYTES))
  })

  it('accepts UTF-8 and UTF-16 byte order marks with a warning and the same numbers', () => {
    // Prepare
    const text = readFileSync(
      new URL('../fixtures/real/iperf3-tcp-p1-t5.json', import.meta.url),
      'utf8',
    )
    const plain = normalize(new TextEncoder().encode(text))
    const utf8Bom = normalize(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]))
    const utf16 = new Uint8Array(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    )
    // Act
    const utf16Result = normalize(utf16)
    // Assess
    if (!plain.ok || !utf8Bom.ok || !utf16Result.ok) throw new Error('BOM inputs must normalize')
    expect(utf8Bom.runs[0].throughput_bps).toBe(plain.runs[0].throughput_bps)
    expect(utf16Result.runs[0].throughput_bps).toBe(plain.runs[0].throughput_bps)
    expect(utf8Bom.warnings.map((w) => w.code)).toContain('utf8-bom')
    expect(utf16Result.warnings.map((w) => w.code)).toContain('utf16-bom')
  })

  it('rejects a 50 MB file of non-result JSON with a reason, not a crash', () => {
    const big = new TextEncoder().encode(JSON.stringify({ data: 'x'.repeat(50 * 1024 * 1024) }))
    const error = rejection(normalize(big))
    expect(error.code).toBe('not-iperf3')
  })

  it('reads a 60-second, 4-stream run into 300 interval rows', () => {
    const result = normalize(fixture('real/iperf3-tcp-p4-t60-b200M.json'))
    if (!result.ok) throw new Error(result.error.message)
    expect(result.intervals).toHaveLength(60 * (4 + 1))
  })
})
