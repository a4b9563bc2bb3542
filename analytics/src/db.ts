import * as duckdb from '@duckdb/duckdb-wasm'
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url'
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url'
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url'
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url'
import { toPlainValue } from './values.ts'

/** The only module that touches duckdb-wasm. The database opens lazily, once, in a worker. */

/** A result column: its name and the Arrow type DuckDB returned. */
export interface QueryColumn {
  name: string
  type: string
}

/** A materialized result with plain JS values (BigInt converted, timestamps as ISO strings). */
export interface QueryResult {
  columns: QueryColumn[]
  rows: Record<string, unknown>[]
  elapsedMs: number
}

/** Options for one query. */
export interface QueryOptions {
  timeoutMs?: number
  signal?: AbortSignal
}

/** Thrown when a query is cancelled or exceeds its timeout. */
export class QueryCancelledError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'QueryCancelledError'
  }
}

const BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
  eh: { mainModule: ehWasm, mainWorker: ehWorker },
}

let opening: Promise<duckdb.AsyncDuckDB> | null = null
let worker: Worker | null = null

/** The database, instantiated on first use. */
export function openDb(): Promise<duckdb.AsyncDuckDB> {
  opening ??= instantiate().catch((error: unknown) => {
    opening = null
    throw error
  })
  return opening
}

async function instantiate(): Promise<duckdb.AsyncDuckDB> {
  const bundle = await duckdb.selectBundle(BUNDLES)
  performance.mark('netlake:duckdb-start')
  worker = new Worker(bundle.mainWorker!)
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker)
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker)
  performance.mark('netlake:duckdb-open')
  return db
}

/** Drop the worker (after a query that would not stop); the next query opens a fresh database. */
async function discardDb(): Promise<void> {
  worker?.terminate()
  worker = null
  opening = null
  afterReset?.()
}

let afterReset: (() => void) | null = null

/** Called when the database had to be recreated, so views can be registered again. */
export function onDbReset(callback: () => void): void {
  afterReset = callback
}

/** Make remote files readable by name with HTTP range requests (never a full download). */
export async function registerHttpFiles(
  files: Array<{ name: string; url: string }>,
): Promise<void> {
  const db = await openDb()
  await Promise.all(
    files.map((file) =>
      db.registerFileURL(file.name, file.url, duckdb.DuckDBDataProtocol.HTTP, false),
    ),
  )
}

/** Run statements that return nothing useful (DDL), in order. */
export async function execute(statements: string[]): Promise<void> {
  const db = await openDb()
  const conn = await db.connect()
  try {
    for (const sql of statements) await conn.query(sql)
  } finally {
    await conn.close()
  }
}

/**
 * Run one query. With parameters it is a prepared statement (values bound, never interpolated);
 * without, it is sent as a cancellable pending query. A timeout or abort cancels it.
 */
export async function runQuery(
  sql: string,
  params: unknown[] = [],
  options: QueryOptions = {},
): Promise<QueryResult> {
  const db = await openDb()
  const conn = await db.connect()
  const started = performance.now()
  let stop: ((reason: string) => void) | null = null
  const stopped = new Promise<never>((_, reject) => {
    stop = (reason) => reject(new QueryCancelledError(reason))
  })
  const onAbort = () => stop?.('query cancelled')
  options.signal?.addEventListener('abort', onAbort)
  const timer =
    options.timeoutMs === undefined
      ? null
      : setTimeout(() => stop?.(`query timed out after ${options.timeoutMs} ms`), options.timeoutMs)
  const work = (async () => {
    if (params.length === 0) return await (await conn.send(sql)).readAll()
    const statement = await conn.prepare(sql)
    try {
      return await statement.query(...params)
    } finally {
      await statement.close()
    }
  })()
  try {
    const result = await Promise.race([work, stopped])
    const batches = Array.isArray(result) ? result : result.batches
    return toResult(batches, performance.now() - started)
  } catch (error) {
    if (error instanceof QueryCancelledError) await cancel(conn, work)
    throw error
  } finally {
    if (timer) clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
    void work
      .then(
        () => conn.close(),
        () => conn.close(),
      )
      .catch(() => undefined)
  }
}

async function cancel(conn: duckdb.AsyncDuckDBConnection, work: Promise<unknown>): Promise<void> {
  const cancelled = await conn.cancelSent().catch(() => false)
  const settled = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000)),
  ])
  if (!cancelled || !settled) await discardDb()
}

type Batch = {
  schema: { fields: Array<{ name: string; type: { toString(): string } }> }
  numRows: number
  get(i: number): { toJSON(): Record<string, unknown> } | null
}

function toResult(batches: unknown[], elapsedMs: number): QueryResult {
  const typed = batches as Batch[]
  const fields = typed[0]?.schema.fields ?? []
  const columns = fields.map((f) => ({ name: f.name, type: String(f.type) }))
  const rows: Record<string, unknown>[] = []
  for (const batch of typed) {
    for (let i = 0; i < batch.numRows; i++) {
      const raw = batch.get(i)?.toJSON() ?? {}
      const row: Record<string, unknown> = {}
      for (const c of columns) row[c.name] = toPlainValue(raw[c.name], c.type)
      rows.push(row)
    }
  }
  return { columns, rows, elapsedMs }
}

/**
 * Run `sql` into a file in the wasm FS with `COPY ... TO` and return its bytes (exact values, as
 * DuckDB holds them). `params` are bound (a prepared COPY), e.g. the filter bar's values.
 */
export async function exportQuery(
  sql: string,
  format: 'csv' | 'parquet',
  params: unknown[] = [],
): Promise<Uint8Array> {
  const db = await openDb()
  const name = `export-${Date.now()}.${format}`
  const body = sql.trim().replace(/;+\s*$/, '')
  const options = format === 'csv' ? '(FORMAT CSV, HEADER)' : '(FORMAT PARQUET)'
  const copy = `COPY (${body}) TO '${name}' ${options}`
  if (params.length === 0) await execute([copy])
  else {
    const conn = await db.connect()
    try {
      const statement = await conn.prepare(copy)
      try {
        await statement.query(...params)
      } finally {
        await statement.close()
      }
    } finally {
      await conn.close()
    }
  }
  try {
    return await db.copyFileToBuffer(name)
  } finally {
    await db.dropFile(name)
  }
}
