import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normalizeIperf3 } from '#core/iperf3/normalize-iperf3.ts'
import { normalizeQperf } from '#core/qperf/normalize-qperf.ts'
import { parseQperfText } from '#core/qperf/parse-qperf-text.ts'
import type { NormalizeResult, RawContext } from '#schemas/parse-result.ts'

const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'latin1')
const context: RawContext = { raw_key: 'raw/date=2026-11-26/abc.json', raw_sha256: 'abc123' }
const ok = (result: NormalizeResult) => {
  if (!result.ok) throw new Error(`rejected: ${result.error.code} ${result.error.message}`)
  return result
}
const codes = (result: NormalizeResult) => (result.ok ? result.warnings.map((w) => w.code) : [])

describe('iperf3 JSON after stray terminal bytes on the line of its opening brace', () => {
  it('reads the document after ESC[F and warns, with the same rows as the clean file', () => {
    // Prepare
    const stray = fixture('tolerance/iperf3-stray-escape-before-brace.json')
    const clean = fixture('real/iperf3-tcp-p1-t5.json')
    expect(stray.startsWith('\u001b[F{')).toBe(true)

    // Act
    const read = ok(normalizeIperf3(stray, context))
    const reference = ok(normalizeIperf3(clean, context))

    // Assess
    expect(read.runs).toEqual(reference.runs)
    expect(read.intervals).toEqual(reference.intervals)
    expect(codes(read)).toContain('stray-bytes-before-json')
    expect(read.warnings.find((w) => w.code === 'stray-bytes-before-json')?.message).toContain(
      '3 byte(s) before the opening brace',
    )
  })

  it('still rejects text with no JSON at all', () => {
    // Act
    const result = normalizeIperf3('user@host:~$ iperf3 -c x -J\n\u001b[F{ not json\n', context)

    // Assess
    expect(result.ok).toBe(false)
  })
})

describe('qperf output followed by a shell prompt', () => {
  it('ignores the prompt with a warning: the runs stay ok and equal the clean file', () => {
    // Prepare
    const prompt = fixture('tolerance/qperf-trailing-shell-prompt.txt')
    const clean = fixture('real/qperf-v-tcp_lat-tcp_bw.txt')

    // Act
    const read = ok(normalizeQperf(prompt, context))
    const reference = ok(normalizeQperf(clean, context))

    // Assess
    expect(read.runs.map((r) => r.status)).toEqual(['ok', 'ok'])
    expect(read.runs).toEqual(reference.runs)
    expect(read.warnings.find((w) => w.code === 'trailing-shell-prompt')?.message).toContain(
      "'[root@node1 ~]#'",
    )
  })

  it('sets aside only prompt lines at the very end, never qperf errors', () => {
    // Prepare
    const text = 'tcp_lat:\n    latency  =  21.7 us\n127.0.0.1: failed to connect\nuser@host:~$\n'

    // Act
    const parsed = parseQperfText(text)
    const result = ok(normalizeQperf(text, context))

    // Assess
    expect(parsed.trailing).toEqual([{ line: 4, text: 'user@host:~$' }])
    expect(parsed.blocks[0].errors).toEqual([{ line: 3, text: '127.0.0.1: failed to connect' }])
    expect(result.runs[0].status).toBe('error')
  })
})
