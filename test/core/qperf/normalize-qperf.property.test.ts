import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MetricRowSchema, RunRowSchema } from '#schemas/tables.ts'
import { normalizeQperf } from '#core/qperf/normalize-qperf.ts'
import type { NormalizeResult } from '#schemas/parse-result.ts'
import { qperfFixtures } from './qperf-fixtures.ts'

const sources = qperfFixtures()
  .filter((f) => !f.key.includes('/crafted/'))
  .map((f) => f.text)
const context = { raw_key: null, raw_sha256: 'f00d' }

/** Tokens that stress the grammar: units, separators, huge and signed numbers, line breaks. */
const nasty = fc.constantFrom(
  ',',
  '.',
  '-',
  ' ',
  '\t',
  '\r',
  '\n',
  '\r\n',
  ':',
  '=',
  '  =  ',
  '(',
  ')',
  ' (65,536)',
  'KiB',
  'TiB',
  'GB/sec',
  'Gb/sec',
  '% cpus',
  'sec/GB',
  'trillion',
  'NaN',
  'Infinity',
  '-1',
  '1e308',
  '9'.repeat(400),
  '0',
  'tcp_bw:',
  'conf:',
  '    loc_qperf  =  ',
  'failed to connect',
)

type Mutation = { at: number; cut: number; insert: string }
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 8 }),
  insert: fc.oneof(fc.string({ maxLength: 6 }), nasty),
})

function mutate(text: string, mutations: Mutation[]): string {
  let out = text
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1)
    out = out.slice(0, at) + m.insert + out.slice(at + m.cut)
  }
  return out
}

function numericProblems(result: NormalizeResult): string[] {
  if (!result.ok) return []
  const problems: string[] = []
  for (const run of result.runs) {
    for (const [name, value] of Object.entries(run)) {
      if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) {
        problems.push(`${name}=${value}`)
      }
    }
    if (!RunRowSchema.strict().safeParse(run).success) problems.push(`run ${run.run_id} off-schema`)
  }
  for (const m of result.metrics) {
    if (m.value !== null && !(Number.isFinite(m.value) && m.value >= 0)) {
      problems.push(`${m.name}=${m.value}`)
    }
    if (!MetricRowSchema.strict().safeParse(m).success) problems.push(`metric ${m.name} off-schema`)
  }
  return problems
}

describe('normalizeQperf on mutated real output (property)', () => {
  it('never throws and never yields NaN, Infinity or negative numbers', () => {
    // Prepare
    const input = fc.tuple(
      fc.constantFrom(...sources),
      fc.array(mutation, { minLength: 1, maxLength: 12 }),
    )

    // Act
    const property = fc.property(input, ([source, mutations]) => {
      const result = normalizeQperf(mutate(source, mutations), context)

      // Assess
      expect(numericProblems(result)).toEqual([])
      if (!result.ok) expect(['not-qperf']).toContain(result.error.code)
    })

    // Assess
    fc.assert(property, { numRuns: 250, seed: 20261126 })
  })

  it('keeps warning_count equal to the warnings of each run and document indexes unique', () => {
    // Prepare
    const input = fc.tuple(
      fc.constantFrom(...sources),
      fc.array(mutation, { minLength: 1, maxLength: 6 }),
    )

    // Act
    const property = fc.property(input, ([source, mutations]) => {
      const result = normalizeQperf(mutate(source, mutations), context)
      if (!result.ok) return

      // Assess
      for (const run of result.runs) {
        const own = result.warnings.filter((w) => w.document_index === run.document_index)
        expect(run.warning_count).toBe(own.length)
      }
      const indexes = result.runs.map((r) => r.document_index)
      expect(new Set(indexes).size).toBe(indexes.length)
    })

    // Assess
    fc.assert(property, { numRuns: 300, seed: 7 })
  })

  it('never throws on arbitrary text', () => {
    // Prepare
    const input = fc.array(fc.oneof(fc.string({ maxLength: 20 }), nasty), { maxLength: 30 })

    // Act
    const property = fc.property(input, (parts) => {
      const result = normalizeQperf(parts.join(''), context)

      // Assess
      expect(numericProblems(result)).toEqual([])
      expect(result.ok || result.error.code === 'not-qperf').toBe(true)
    })

    // Assess
    fc.assert(property, { numRuns: 500, seed: 42 })
  })
})
