import { describe, expect, it } from 'vitest'
import { compilePathTemplate, formatPathLabels, overlappingLabels } from '#collector/path-labels.ts'

describe('compilePathTemplate', () => {
  it('reads labels from folders above the file at any depth when the template ends with /', () => {
    // Prepare
    const t = compilePathTemplate('{campaign}/r{repetition}/{scenario}/')

    // Act
    const direct = t.match('c1/r2/os-s1/iperf3.json')
    const deeper = t.match('c1/r2/os-s1/host-a/iperf3.json')

    // Assess
    expect(t.names).toEqual(['campaign', 'repetition', 'scenario'])
    expect(direct).toEqual({
      ok: true,
      labels: { campaign: 'c1', repetition: '2', scenario: 'os-s1' },
    })
    expect(deeper).toEqual(direct)
  })

  it('matches the file name as the last segment without a trailing /, with * and nested labels', () => {
    // Prepare
    const t = compilePathTemplate('*/{software.kernel}/{scenario}-{repetition}.json')

    // Act
    const m = t.match('2024-05/6.1.0/os-s2a-12.json')

    // Assess: the earlier placeholder takes the longest part (scenario ids hold '-')
    expect(m).toEqual({
      ok: true,
      labels: { software: { kernel: '6.1.0' }, scenario: 'os-s2a', repetition: '12' },
    })
    expect(formatPathLabels((m as { labels: Record<string, unknown> }).labels)).toBe(
      'software.kernel=6.1.0 scenario=os-s2a repetition=12',
    )
  })

  it('says which segment does not match, and when the path is too shallow', () => {
    // Prepare
    const t = compilePathTemplate('{campaign}/r{repetition}/{scenario}/')

    // Act
    const literal = t.match('c1/3/baseline/x.json')
    const shallow = t.match('c1/r1/x.json')

    // Assess
    expect(literal).toEqual({
      ok: false,
      reason:
        "'3' does not match 'r{repetition}' of the template '{campaign}/r{repetition}/{scenario}/'",
    })
    expect(shallow.ok).toBe(false)
    expect((shallow as { reason: string }).reason).toContain('has 2 folder level(s)')
  })

  it.each([
    ['{campain}/{scenario}/', '{campain} is not a label'],
    ['{scenario}/{scenario}/', '{scenario} appears twice'],
    ['{scenario}{repetition}/', 'two placeholders need literal text between them'],
    ['/{scenario}/', 'must be relative'],
    ['a//{scenario}/', 'empty segment'],
    ['{scenario/', 'stray brace'],
    ['results/', 'no {label} placeholder'],
    ['{software}/', '{software} is not a label'],
  ])('refuses %s, naming the problem', (source, message) => {
    // Act / Assess
    expect(() => compilePathTemplate(source)).toThrow(message)
  })

  it('lists the labels given by both the template and the flags', () => {
    // Prepare
    const t = compilePathTemplate('{scenario}/{source.host}/')

    // Act
    const both = overlappingLabels(t, { scenario: 'x', platform: 'p', source: { vm: 'v' } })

    // Assess
    expect(both).toEqual(['scenario'])
    expect(overlappingLabels(t, { source: { host: 'h' } })).toEqual(['source.host'])
  })
})
