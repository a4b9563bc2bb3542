import { describe, expect, it } from 'vitest'
import { readTolerantJson } from '#core/json/tolerant-json.ts'

describe('readTolerantJson', () => {
  it('reads what JSON.parse reads', () => {
    // Prepare
    const text = '{"a": [1, -2.5e3, "x\\"y", true, false, null, {}], "b": {"c": []}}'
    // Act
    const read = readTolerantJson(text)
    // Assess
    expect(read.ok && read.result.value).toEqual(JSON.parse(text))
  })

  it('keeps every value of a repeated key, the last on the object', () => {
    // Act
    const read = readTolerantJson('{"sum": 1, "sum": 2, "x": 0}')
    // Assess
    if (!read.ok) throw new Error(read.error.message)
    const obj = read.result.value as object
    expect(obj).toEqual({ sum: 2, x: 0 })
    expect(read.result.duplicates.get(obj)).toEqual({ sum: [1, 2] })
  })

  it('reads nan/-nan/inf as null and names the path', () => {
    // Act
    const read = readTolerantJson('{"end": {"s": [1, -nan], "j": inf}}')
    // Assess
    if (!read.ok) throw new Error(read.error.message)
    expect(read.result.value).toEqual({ end: { s: [1, null], j: null } })
    expect(read.result.nonFinite.map((n) => [n.path, n.token])).toEqual([
      ['end.s[1]', '-nan'],
      ['end.j', 'inf'],
    ])
  })

  it('reports truncation at the end offset with the path', () => {
    const read = readTolerantJson('{"a": {"b": [1, 2')
    expect(read.ok ? null : [read.error.code, read.error.offset, read.error.path]).toEqual([
      'truncated-json',
      17,
      'a.b[1]',
    ])
  })

  it('refuses nesting beyond the limit without recursion', () => {
    const read = readTolerantJson('['.repeat(1_000_000))
    expect(read.ok ? null : read.error.code).toBe('too-deep')
  })

  it('reads one value from an offset and says where it ended', () => {
    const read = readTolerantJson('text {"a":1} {"b":2}', 5)
    expect(read.ok ? [read.result.value, read.result.end] : null).toEqual([{ a: 1 }, 12])
  })
})

describe('readTolerantJson: numbers cut at the end of the input', () => {
  it.each(['{"a": 1.', '{"a": 2e', '{"a": -', '{"a": 3e+'])(
    'reports %j as truncated, not malformed',
    (text) => {
      const result = readTolerantJson(text)
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'truncated-json', offset: text.length },
      })
    },
  )
})
