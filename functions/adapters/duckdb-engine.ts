import { createDuckDb, type SqlColumn, type SqlParam, type SqlRow } from './duckdb-node.ts'

export type { SqlColumn, SqlParam, SqlRow } from './duckdb-node.ts'

/**
 * The small SQL interface Node code runs on, whichever DuckDB is underneath: native DuckDB
 * (`@duckdb/node-api`, what reports, `netlake query` and the report Lambda use) or duckdb-wasm
 * 1.28.0 (the notebook's engine; kept in Node so a test can hold the two to the same answers).
 * Rows come out the same on both: BIGINT/HUGEINT/DECIMAL → number (bigint only beyond 2^53),
 * TIMESTAMP → ISO string (milliseconds, `Z`), DATE → `YYYY-MM-DD`. Column types are the engine's
 * own spelling (Arrow's for wasm, DuckDB's for native): only names are portable.
 */
export interface SqlEngine {
  /** `native` or `wasm`. */
  readonly kind: EngineKind
  /** The DuckDB version, e.g. `v1.5.6` or `v0.9.1`. */
  readonly version: string
  /** Make `bytes` readable under the relative name `name`, e.g. `read_parquet('runs-0.parquet')`. */
  registerBuffer(name: string, bytes: Uint8Array): Promise<void>
  /** Make the local file at `filePath` readable under the relative name `name`. */
  registerFile(name: string, filePath: string): Promise<void>
  /** Run SQL with `$n` / `?` parameters bound in order; rows as plain objects. */
  query(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]>
  /** Like `query`, plus the result columns. */
  queryWithColumns(
    sql: string,
    params?: readonly SqlParam[],
  ): Promise<{ columns: SqlColumn[]; rows: SqlRow[] }>
  /** Release the database (and its registered files). Idempotent. */
  close(): Promise<void>
}

/** Which DuckDB: native (Node default) or the notebook's duckdb-wasm 1.28.0. */
export type EngineKind = 'native' | 'wasm'

/** duckdb-wasm 1.28.0 behind the engine interface. */
export async function createWasmEngine(): Promise<SqlEngine> {
  const db = await createDuckDb()
  return {
    kind: 'wasm',
    version: db.version,
    async registerBuffer(name, bytes) {
      db.registerBuffer(name, bytes)
    },
    async registerFile(name, filePath) {
      db.registerFile(name, filePath)
    },
    async query(sql, params) {
      return db.query(sql, params)
    },
    async queryWithColumns(sql, params) {
      return db.queryWithColumns(sql, params)
    },
    close: () => db.close(),
  }
}

/**
 * Open an engine. Native is loaded lazily (a dynamic import), so code paths that run only on
 * wasm never load the native binary.
 */
export async function createSqlEngine(kind: EngineKind = 'native'): Promise<SqlEngine> {
  if (kind === 'wasm') return createWasmEngine()
  const { createNativeEngine } = await import('./duckdb-native.ts')
  return createNativeEngine()
}
