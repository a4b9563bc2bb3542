import { describe, expect, it } from 'vitest'
import { csvLine, renderTable } from '#cli/table.ts'

describe('renderTable', () => {
  const rows = [
    { scenario: 'baseline', n: 5, median_bps: 9.41e9 },
    { scenario: 'os-s1', n: 12, median_bps: 4.2e9 },
  ]

  it('aligns columns, right-aligns numbers and scales units from the column names', () => {
    // Act
    const lines = renderTable(['scenario', 'n', 'median_bps'], rows).split('\n')
    // Assess
    expect(lines).toEqual([
      'scenario   n   median_bps',
      '────────  ──  ───────────',
      'baseline   5  9.41 Gbit/s',
      'os-s1     12  4.20 Gbit/s',
    ])
  })

  it('prints exact values with raw, and missing values as a dash', () => {
    // Act and assess: each call is checked against its hand-computed string
    const lines = renderTable(
      ['scenario', 'median_bps'],
      [
        { scenario: 'x', median_bps: 4200000000.5 },
        { scenario: 'y', median_bps: null },
      ],
      { raw: true },
    ).split('\n')
    expect(lines[2]).toBe('x         4200000000.5')
    expect(lines[3]).toBe('y                    –')
  })
})

describe('csvLine', () => {
  it('quotes fields with commas, quotes or newlines (RFC 4180) and leaves null empty', () => {
    // Act and assess: each call is checked against its hand-computed string
    expect(csvLine(['a', 'b,c', 'say "hi"', null, 9410000000, 'x\ny'])).toBe(
      'a,"b,c","say ""hi""",,9410000000,"x\ny"',
    )
  })
})
