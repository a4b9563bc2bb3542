import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api'
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api'
import type { SqlEngine } from './duckdb-engine.ts'
import { DuckDbClosedError, DuckDbQueryError } from './duckdb-node.ts'
import type { SqlColumn, SqlParam, SqlRow } from './duckdb-node.ts'

/**
 * Native DuckDB (`@duckdb/node-api`, DuckDB 1.5, Parquet built in) behind the engine interface.
 * Registered names are files in a private temporary folder that DuckDB searches for relative paths
 * (`file_search_path`), so `read_parquet('runs-0.parquet')` reads the same name as in duckdb-wasm.
 * Extensions are never installed or loaded at run time (no network).
 */
export async function createNativeEngine(options: { tempDir?: string } = {}): Promise<SqlEngine> {
  const dir = mkdtempSync(path.join(options.tempDir ?? tmpdir(), 'netlake-duckdb-'))
  let instance: DuckDBInstance | undefined
  let conn: DuckDBConnection | undefined
  try {
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      home_directory: dir,
      temp_directory: path.join(dir, '.tmp'),
    })
    conn = await instance.connect()
    await conn.run(`SET file_search_path = '${dir.replaceAll("'", "''")}'`)
  } catch (error) {
    conn?.closeSync()
    instance?.closeSync()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const c = conn
  const db = instance
  const version = String((await c.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0].v)
  let closed = false

  const fileFor = (name: string): string => {
    if (name !== path.basename(name) || name.startsWith('.')) {
      throw new RangeError(`registered names are plain file names, got '${name}'`)
    }
    return path.join(dir, name)
  }
  const run = async (sql: string, params: readonly SqlParam[]) => {
    if (closed) throw new DuckDbClosedError()
    try {
      return await c.runAndReadAll(sql, params.length ? (params as DuckDBValue[]) : undefined)
    } catch (cause) {
      throw new DuckDbQueryError(sql, { cause })
    }
  }

  return {
    kind: 'native',
    version,
    async registerBuffer(name, bytes) {
      writeFileSync(fileFor(name), bytes)
    },
    async registerFile(name, filePath) {
      const target = fileFor(name)
      rmSync(target, { force: true })
      symlinkSync(path.resolve(filePath), target)
    },
    async query(sql, params = []) {
      return toRows(await run(sql, params)).rows
    },
    async queryWithColumns(sql, params = []) {
      return toRows(await run(sql, params))
    },
    async close() {
      if (closed) return
      closed = true
      c.closeSync()
      db.closeSync()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

interface Reader {
  columnNames(): string[]
  columnTypes(): DuckDBType[]
  getRowObjectsJS(): Record<string, unknown>[]
}

const TIMESTAMPS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
])

/** Rows as the wasm adapter gives them (see `SqlEngine`). */
function toRows(reader: Reader): { columns: SqlColumn[]; rows: SqlRow[] } {
  const names = reader.columnNames()
  const types = reader.columnTypes()
  const columns = names.map((name, i) => ({ name, type: types[i].toString() }))
  const convert = types.map((t) => converterFor(t.typeId))
  const rows = reader.getRowObjectsJS().map((raw) => {
    const row: SqlRow = {}
    names.forEach((name, i) => {
      const v = raw[name]
      row[name] = v === null || v === undefined ? null : convert[i](v)
    })
    return row
  })
  return { columns, rows }
}

function converterFor(typeId: DuckDBTypeId): (v: unknown) => unknown {
  if (typeId === DuckDBTypeId.DATE) return (v) => (v as Date).toISOString().slice(0, 10)
  if (TIMESTAMPS.has(typeId)) return (v) => (v as Date).toISOString()
  return plain
}

/** bigint → number when exact; Dates in nested values → ISO strings; containers recursively. */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v
  }
  if (v instanceof Date) return v.toISOString()
  if (v instanceof Uint8Array) return v
  if (Array.isArray(v)) return v.map(plain)
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  }
  return v
}
