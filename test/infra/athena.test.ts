import { TrinoSQL } from 'dt-sql-parser'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { athenaQueries } from '../../infra/stacks/query-stack.ts'

/** Trino's grammar (Athena engine 3 speaks Trino), as dt-sql-parser's ANTLR build of it. */
const trino = new TrinoSQL()

/** The parser's errors for one statement (ANTLR's console listener is muted; the errors are returned). */
function trinoErrors(sql: string): Array<{ message: string }> {
  const mute = vi.spyOn(console, 'error').mockImplementation(() => undefined)
  try {
    return trino.validate(sql)
  } finally {
    mute.mockRestore()
  }
}

/** DuckDB-only constructs the shared SQL used to have, each applied to a valid Athena query. */
const DUCKDB_ONLY: Array<{ what: string; mutate: (sql: string) => string }> = [
  { what: ':: cast', mutate: (sql) => sql.replace(/CAST\((.+?) AS INTEGER\)/, '$1::INTEGER') },
  { what: 'GROUP BY ALL', mutate: (sql) => sql.replace(/GROUP BY [^\n]+/, 'GROUP BY ALL') },
  { what: '$1 parameter', mutate: (sql) => sql.replace(/'2020-01-01'/, '$1') },
]

describe('Athena named queries', () => {
  it('are all valid Trino SQL', () => {
    // Prepare
    const files = athenaQueries()

    // Act
    const errors = files.map(({ name, sql }) => ({
      name,
      errors: trinoErrors(sql).map((e) => e.message),
    }))

    // Assess
    expect(files.length).toBeGreaterThanOrEqual(3)
    expect(errors).toEqual(files.map(({ name }) => ({ name, errors: [] })))
  })

  it.each(DUCKDB_ONLY)('fail the check when a query uses a DuckDB-only $what', ({ mutate }) => {
    // Prepare
    const mutated = athenaQueries()
      .map(({ name, sql }) => ({ name, sql: mutate(sql) }))
      .filter((q, i) => q.sql !== athenaQueries()[i]!.sql)

    // Act
    const errors = mutated.map(({ sql }) => trinoErrors(sql))

    // Assess
    expect(mutated.length).toBeGreaterThan(0)
    for (const [i, e] of errors.entries()) expect(e.length, mutated[i]!.name).toBeGreaterThan(0)
  })

  it('fail the check on the DuckDB originals in sql/queries that use those constructs', () => {
    // Prepare
    const dir = new URL('../../sql/queries/', import.meta.url)
    const duckOnly = readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => ({ name: f, sql: readFileSync(new URL(f, dir), 'utf8') }))
      .filter(({ sql }) => /\$\d|::|\bBY\s+ALL\b/.test(sql.replace(/--.*$/gm, '')))

    // Act
    const valid = duckOnly.filter(({ sql }) => trinoErrors(sql).length === 0).map((q) => q.name)

    // Assess
    expect(duckOnly.length).toBeGreaterThan(0)
    expect(valid).toEqual([])
  })
})
