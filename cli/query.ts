import { readFile, writeFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { csvLine, renderTable } from './table.ts'

const USAGE = `usage: netlake query [--format table|csv|json|parquet] [--raw] [--out FILE] [--data-dir DIR] SQL
       netlake query [--format ...] --file sql/queries/NAME.sql [--param name=value ...]

Runs SQL with native DuckDB (the notebook's views) over the lake's Parquet: tables runs,
intervals, metrics. A query file's '-- params:' are bound from --param (unset = no filter).

  --format F         table (default): aligned, units scaled from the column names
                     (_bps → Gbit/s, _s/_ms/_us → µs/ms/s, _percent/_fraction → %, _bytes → kB, MB);
                     csv: a header line then exact values; json: one JSON object per row;
                     parquet: the result as one Parquet file, written by the lake's own writer
                     (parquet-wasm, ZSTD), to --out FILE or to stdout when it is not a terminal
  --out FILE         write the result to FILE instead of stdout (--format parquet)
  --raw              table with exact values (no unit scaling)
  --json, --csv      short for --format json / --format csv
  --file FILE        a query file instead of SQL
  --param name=value bind a query file's parameter (repeatable)
  --data-dir DIR     the local stack's data folder (default ./.netlake or $NETLAKE_DATA_DIR)`

const FORMATS = ['table', 'csv', 'json', 'parquet'] as const

/** `netlake query` */
export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        raw: { type: 'boolean' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        file: { type: 'string' },
        param: { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    console.error(`netlake query: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) return (console.log(USAGE), 0)
  const format = values.json ? 'json' : values.csv ? 'csv' : (values.format ?? 'table')
  if (!(FORMATS as readonly string[]).includes(format) || (values.json && values.csv)) {
    console.error(
      `netlake query: --format must be table, csv, json or parquet (got '${format}')\n\n${USAGE}`,
    )
    return 2
  }
  if (values.out !== undefined && format !== 'parquet') {
    console.error(`netlake query: --out goes with --format parquet\n\n${USAGE}`)
    return 2
  }
  if (format === 'parquet' && values.out === undefined && process.stdout.isTTY) {
    console.error(
      'netlake query: refusing to write Parquet to a terminal; give --out FILE or redirect stdout',
    )
    return 2
  }
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
    const { bindValues, parseQueryFile } = await import('#sql/query-file.ts')
    const file = parseQueryFile(basename(values.file), await readFile(values.file, 'utf8'))
    const bound = Object.fromEntries(
      (values.param ?? []).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
    )
    sql = file.sql
    params = bindValues(file, bound)
  }
  // The lake's adapters and duckdb-wasm load only now, after the flags were checked.
  const { openLake } = await import('./lake.ts')
  const lake = await openLake(values['data-dir'])
  if (typeof lake === 'string') return (console.error(`netlake query: ${lake}`), 1)
  const { openLakeSql } = await import('#adapters/open-lake-sql.ts')
  const db = await openLakeSql(lake)
  for (const file of db.skipped)
    console.error(`netlake query: skipped unreadable file ${file.key}: ${file.reason}`)
  try {
    const { columns, rows } = await db.queryWithColumns(sql, params as never)
    const names = columns.map((c) => c.name)
    if (format === 'parquet') {
      const { resultToArrow } = await import('#adapters/parquet/result-table.ts')
      const { createWasmArrowWriter } = await import('#adapters/parquet/wasm-writer.ts')
      const bytes = (await createWasmArrowWriter())(resultToArrow(columns, rows))
      if (values.out !== undefined) await writeFile(values.out, bytes)
      else await new Promise<void>((done) => process.stdout.write(bytes, () => done()))
      console.error(
        `(${rows.length} row${rows.length === 1 ? '' : 's'}, ${bytes.length} bytes of Parquet${values.out !== undefined ? ` in ${values.out}` : ''})`,
      )
    } else if (format === 'json') for (const row of rows) console.log(JSON.stringify(row))
    else if (format === 'csv') {
      console.log(csvLine(names))
      for (const row of rows) console.log(csvLine(names.map((c) => row[c])))
    } else {
      console.log(renderTable(names, rows, { raw: values.raw }))
      console.error(`(${rows.length} row${rows.length === 1 ? '' : 's'})`)
    }
    return 0
  } catch (error) {
    console.error(`netlake query: ${(error as Error).message}`)
    return 1
  } finally {
    await db.close()
    lake.close()
  }
}
