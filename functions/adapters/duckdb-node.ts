import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import duckdbBlocking from '@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'
import { NetlakeError } from '#core/errors.ts'

/**
 * duckdb-wasm 1.28.0 (DuckDB 0.9.1, Parquet compiled in) in Node, with the synchronous
 * `duckdb-node-blocking` bundle. Shared by reports, tests and `netlake query`, so the SQL the
 * notebook runs in the browser gives the same answers here. No network at run time: the wasm is
 * read from node_modules and only local files and registered buffers are readable.
 */

/** A query result row: BIGINT → number (bigint only beyond 2^53), timestamps → ISO strings. */
export type SqlRow = Record<string, unknown>

/** Column name and Arrow type as DuckDB returned them. */
export interface SqlColumn {
  name: string
  type: string
}

/** An open duckdb-wasm database with one connection. */
export interface NodeDuckDb {
  /** The engine version, e.g. `v0.9.1`. */
  readonly version: string
  /** Make `bytes` readable as `name`, e.g. `read_parquet('runs.parquet')`. Replaces a previous one. */
  registerBuffer(name: string, bytes: Uint8Array): void
  /** Make the local file at `filePath` readable as `name`. */
  registerFile(name: string, filePath: string): void
  /** Forget a registered name (buffers are freed). */
  dropFile(name: string): void
  /** Run SQL with `?` parameters bound in order (a prepared statement); rows as plain objects. */
  query(sql: string, params?: readonly SqlParam[]): SqlRow[]
  /** Like `query`, plus the result columns and their Arrow types. */
  queryWithColumns(
    sql: string,
    params?: readonly SqlParam[],
  ): { columns: SqlColumn[]; rows: SqlRow[] }
  /** Close the connection and reset the database. Idempotent. */
  close(): Promise<void>
}

/** Values that can be bound to a `?` parameter. */
export type SqlParam = string | number | boolean | null | bigint

/** Options of `createDuckDb`. */
export interface DuckDbOptions {
  /** DuckDB's home directory (`SET home_directory`), needed before anything touches `~`. */
  homeDirectory?: string
}

/** Raised when DuckDB rejects a statement; `cause` is DuckDB's error. */
export class DuckDbQueryError extends NetlakeError {
  constructor(
    readonly sql: string,
    options: { cause: unknown },
  ) {
    super(`${errorMessage(options.cause)} (in: ${sql.replace(/\s+/g, ' ').slice(0, 200)})`, options)
  }
}

/** Raised when a closed database is queried. */
export class DuckDbClosedError extends NetlakeError {
  constructor() {
    super('the duckdb-wasm database is closed')
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

// The subset of duckdb-wasm's API used here (its own types resolve to the browser bundle).
interface WasmTable {
  numRows: number
  schema: { fields: Array<{ name: string; type: WasmType }> }
  getChildAt(i: number): { get(row: number): unknown } | null
}
interface WasmType {
  typeId: number
  scale?: number
  toString(): string
}
interface WasmConnection {
  query(sql: string): WasmTable
  prepare(sql: string): { query(...params: unknown[]): WasmTable; close(): void }
  close(): void
}
interface WasmDb {
  instantiate(progress: () => void): Promise<unknown>
  open(config: Record<string, unknown>): void
  connect(): WasmConnection
  getVersion(): string
  registerFileBuffer(name: string, buffer: Uint8Array): void
  registerFileURL(name: string, url: string, protocol: number, directIO: boolean): void
  dropFile(name: string): void
  reset(): void
}
interface WasmModule {
  createDuckDB(bundles: unknown, logger: unknown, runtime: unknown): Promise<WasmDb>
  VoidLogger: new () => unknown
  NODE_RUNTIME: unknown
  DuckDBDataProtocol: { NODE_FS: number }
}

const require = createRequire(import.meta.url)

/**
 * Where the `.wasm` files are: `NETLAKE_DUCKDB_DIST` (a Lambda bundle ships them beside its code)
 * or the installed package.
 */
function wasmDir(): string {
  return (
    process.env.NETLAKE_DUCKDB_DIST ??
    path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'))
  )
}

/** Open a fresh in-memory duckdb-wasm database (about 200 ms: the wasm is compiled each time). */
export async function createDuckDb(options: DuckDbOptions = {}): Promise<NodeDuckDb> {
  // A static import, so a bundler (esbuild in the CDK app) carries the module and its apache-arrow.
  const duckdb = duckdbBlocking as unknown as WasmModule
  const dist = wasmDir()
  const bundles = {
    mvp: {
      mainModule: path.join(dist, 'duckdb-mvp.wasm'),
      mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs'),
    },
    eh: {
      mainModule: path.join(dist, 'duckdb-eh.wasm'),
      mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs'),
    },
  }
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME)
  await db.instantiate(() => {})
  db.open({})
  const conn = db.connect()
  const home = options.homeDirectory ?? path.join(tmpdir(), 'netlake-duckdb-home')
  mkdirSync(home, { recursive: true })
  run(conn, `SET home_directory='${home.replaceAll("'", "''")}'`, [])
  // Never fetch extensions at run time (no network): Parquet is compiled into this build.
  run(conn, 'SET autoinstall_known_extensions = false', [])
  run(conn, 'SET autoload_known_extensions = false', [])
  let closed = false
  const version = db.getVersion()

  return {
    version,
    registerBuffer(name, bytes) {
      db.dropFile(name)
      db.registerFileBuffer(name, bytes)
    },
    registerFile(name, filePath) {
      db.dropFile(name)
      db.registerFileURL(name, path.resolve(filePath), duckdb.DuckDBDataProtocol.NODE_FS, false)
    },
    dropFile(name) {
      db.dropFile(name)
    },
    query(sql, params = []) {
      if (closed) throw new DuckDbClosedError()
      return toRows(run(conn, sql, params)).rows
    },
    queryWithColumns(sql, params = []) {
      if (closed) throw new DuckDbClosedError()
      return toRows(run(conn, sql, params))
    },
    async close() {
      if (closed) return
      closed = true
      conn.close()
      db.reset()
    },
  }
}

let shared: Promise<NodeDuckDb> | null = null

/** One process-wide database, opened lazily on first use (reports, `netlake query`). */
export function sharedDuckDb(): Promise<NodeDuckDb> {
  shared ??= createDuckDb()
  return shared
}

function run(conn: WasmConnection, sql: string, params: readonly SqlParam[]): WasmTable {
  try {
    if (params.length === 0) return conn.query(sql)
    const statement = conn.prepare(sql)
    try {
      return statement.query(...params)
    } finally {
      statement.close()
    }
  } catch (cause) {
    throw new DuckDbQueryError(sql, { cause })
  }
}

// Arrow type ids (apache-arrow's `Type` enum, stable across versions).
const TYPE_INT = 2
const TYPE_DECIMAL = 7
const TYPE_DATE = 8
const TYPE_TIMESTAMP = 10

type Convert = (value: unknown) => unknown

function converterFor(type: WasmType): Convert {
  switch (type.typeId) {
    case TYPE_INT:
      return (v) => (typeof v === 'bigint' ? bigintToNumber(v) : v)
    case TYPE_TIMESTAMP:
      // apache-arrow 13 yields epoch milliseconds; TIMESTAMP without zone is read as UTC.
      return (v) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString())
    case TYPE_DATE:
      return (v) =>
        v === null || v === undefined ? null : new Date(Number(v)).toISOString().slice(0, 10)
    case TYPE_DECIMAL:
      return (v) =>
        v === null || v === undefined ? null : decimalToNumber(v as Uint32Array, type.scale ?? 0)
    default:
      return plain
  }
}

function plain(v: unknown): unknown {
  if (v === undefined) return null
  if (typeof v === 'bigint') return bigintToNumber(v)
  if (v !== null && typeof v === 'object' && 'toJSON' in v && typeof v.toJSON === 'function') {
    return JSON.parse(
      JSON.stringify(v.toJSON(), (_k, x) => (typeof x === 'bigint' ? bigintToNumber(x) : x)),
    )
  }
  return v
}

/** A bigint as a number when exact, else unchanged (callers decide). */
function bigintToNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v
}

/** Arrow decimal128 (four little-endian uint32 words, two's complement) → number. */
function decimalToNumber(words: Uint32Array, scale: number): number {
  let n = 0n
  for (let i = words.length - 1; i >= 0; i--) n = (n << 32n) | BigInt(words[i])
  if (words.length > 0 && words[words.length - 1] & 0x80000000) n -= 1n << BigInt(32 * words.length)
  return Number(n) / 10 ** scale
}

function toRows(table: WasmTable): { columns: SqlColumn[]; rows: SqlRow[] } {
  const fields = table.schema.fields
  const columns = fields.map((f) => ({ name: f.name, type: f.type.toString() }))
  const rows: SqlRow[] = Array.from({ length: table.numRows }, () => ({}))
  fields.forEach((field, c) => {
    const vector = table.getChildAt(c)
    const convert = converterFor(field.type)
    for (let r = 0; r < rows.length; r++) {
      const raw = vector ? vector.get(r) : null
      rows[r][field.name] = raw === null ? null : convert(raw)
    }
  })
  return { columns, rows }
}
