/**
 * A query file: SQL with `$1..$n` placeholders and a header naming them in order, e.g.
 * `-- params: platform, scenario`. Used by the notebook and by the scheduled reports in Node.
 */
export interface QueryFile {
  name: string
  sql: string
  params: string[]
}

/** Parse a query file's text; its placeholders must be exactly `$1..$n` for n declared names. */
export function parseQueryFile(name: string, sql: string): QueryFile {
  const header = /^--\s*params:\s*(.*)$/m.exec(sql)
  const params = header
    ? header[1]
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
    : []
  const used = new Set(Array.from(sql.matchAll(/\$(\d+)/g), (m) => Number(m[1])))
  const expected = new Set(params.map((_, i) => i + 1))
  if (used.size !== expected.size || [...used].some((n) => !expected.has(n))) {
    throw new Error(`${name}: placeholders ${[...used].join(',')} do not match params ${params}`)
  }
  return { name, sql, params }
}

/** Values in placeholder order; a missing or empty value binds as NULL (filter off). */
export function bindValues(file: QueryFile, values: Record<string, unknown>): unknown[] {
  return file.params.map((p) => {
    const v = values[p]
    return v === undefined || v === '' ? null : v
  })
}
