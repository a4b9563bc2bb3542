import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { openLakeSql } from '#adapters/open-lake-sql.ts'
import { bindValues, parseQueryFile } from '#sql/query-file.ts'
import { openLake } from './lake.ts'

const USAGE = `usage: netlake query [--json | --csv] [--data-dir DIR] SQL
       netlake query [--json | --csv] --file sql/queries/NAME.sql [--param name=value ...]

Runs SQL with native DuckDB (the notebook's views) over the lake's Parquet: tables runs,
intervals, metrics. A query file's '-- params:' are bound from --param (unset = no filter).`

/** `netlake query` */
export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, csv: { type: 'boolean' }, file: { type: 'string' }, param: { type: 'string', multiple: true }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  } catch (error) {
    console.error(`netlake query: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) return (console.log(USAGE), 0)
  if (Boolean(values.file) === positionals.length > 0 || positionals.length > 1) {
    console.error(`netlake query: give either one SQL string or --file\n\n${USAGE}`)
    return 2
  }
  let sql = positionals[0]
  let params: unknown[] = []
  const badParam = (values.param ?? []).find((p) => p.indexOf('=') <= 0)
  if (badParam !== undefined) {
    console.error(`netlake query: --param expects name=value (got '${badParam}')\n\n${USAGE}`)
    return 2
  }
  if (values.file) {
    const file = parseQueryFile(basename(values.file), await readFile(values.file, 'utf8'))
    const bound = Object.fromEntries((values.param ?? []).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]))
    sql = file.sql
    params = bindValues(file, bound)
  }
  const lake = await openLake(values['data-dir'])
  if (typeof lake === 'string') return (console.error(`netlake query: ${lake}`), 1)
  const db = await openLakeSql(lake)
  try {
    const { columns, rows } = await db.queryWithColumns(sql, params as never)
    if (values.json) for (const row of rows) console.log(JSON.stringify(row))
    else if (values.csv) {
      console.log(columns.map((c) => c.name).join(','))
      for (const row of rows) console.log(columns.map((c) => csvCell(row[c.name])).join(','))
    } else console.table(rows)
    return 0
  } catch (error) {
    console.error(`netlake query: ${(error as Error).message}`)
    return 1
  } finally {
    await db.close()
    lake.close()
  }
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
