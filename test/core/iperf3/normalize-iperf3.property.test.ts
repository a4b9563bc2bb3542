import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalizeIperf3 } from '#core/iperf3/normalize-iperf3.ts'
import type { NormalizeResult } from '#schemas/parse-result.ts'

const ctx = { raw_key: null, raw_sha256: 'b'.repeat(64) }
const SOURCES = [
  'test/fixtures/real/iperf3-tcp-p4-t5.json',
  'test/fixtures/real/iperf3-udp-100M-t5.json',
  'test/fixtures/real/iperf3-tcp-bidir-p1-t5.json',
  'test/fixtures/crafted/iperf3-crafted-3.9-bidir-duplicate-keys.json',
  'test/fixtures/crafted/iperf3-crafted-json-stream-complete.json',
].map((f) => readFileSync(f, 'utf8'))
const BYTE_COLUMNS = [
  'sender_bytes',
  'receiver_bytes',
  'bytes',
  'packets',
  'lost_packets',
  'bytes_limit',
  'retransmits',
]

/** Invariants every result must keep, whatever the input. */
function assertSane(result: NormalizeResult): void {
  if (!result.ok) {
    expect(typeof result.error.code).toBe('string')
    expect(result.error.code).not.toBe('internal')
    return
  }
  for (const row of [...result.runs, ...result.intervals] as Array<Record<string, unknown>>) {
    for (const [key, value] of Object.entries(row)) {
      if (typeof value === 'number') {
        expect(Number.isFinite(value), key).toBe(true)
        if (BYTE_COLUMNS.includes(key)) expect(value >= 0, key).toBe(true)
      }
    }
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    char: fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '-', 'x', '9', '\n'),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    at: fc.nat(),
    by: fc.constantFrom(
      '"12"',
      'nan',
      '-nan',
      'inf',
      '-1',
      '18446744073709551615',
      '[]',
      '{}',
      'true',
      '-1e308',
    ),
  }),
  fc.record({
    kind: fc.constant('nest' as const),
    at: fc.nat(),
    depth: fc.integer({ min: 1, max: 5000 }),
  }),
)

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1)
  if (m.kind === 'truncate') return text.slice(0, at)
  if (m.kind === 'flip') return text.slice(0, at) + m.char + text.slice(at + 1)
  if (m.kind === 'nest') return text.slice(0, at) + '['.repeat(m.depth) + text.slice(at)
  const numbers = [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)]
  if (numbers.length === 0) return text
  const hit = numbers[at % numbers.length]
  return text.slice(0, hit.index) + m.by + text.slice(hit.index! + hit[0].length)
}

describe('normalizeIperf3 on mutated real documents', () => {
  it('never throws, never yields NaN/Infinity, never negative counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SOURCES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (source, mutations) => {
          // Prepare
          const text = mutations.reduce((t, m) => mutate(t, m), SOURCES[source])
          // Act
          const result = normalizeIperf3(text, ctx)
          // Assess
          assertSane(result)
        },
      ),
      { numRuns: 400, seed: 42 },
    )
  })
})
