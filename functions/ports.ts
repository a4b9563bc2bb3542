import type { RunRow } from '#schemas/tables.ts'

/**
 * The edges the functions talk through. Real adapters (S3, DynamoDB) and memory twins implement
 * these; one contract suite (test/adapters/*.contract.ts) runs against each implementation.
 */

/** A stored object's metadata. */
export interface ObjectInfo {
  key: string
  size: number
  etag: string | null
  lastModified: Date | null
}

export interface PutOptions {
  contentType?: string
  /** Only create: fail with `ObjectExistsError` if the key exists (S3 `If-None-Match: *`). */
  ifAbsent?: boolean
  metadata?: Record<string, string>
}

/** Blob storage: raw bytes, curated Parquet, quarantine, reports. */
export interface ObjectStore {
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<ObjectInfo>
  /** The object's bytes, or null when it does not exist. */
  get(key: string): Promise<Uint8Array | null>
  head(key: string): Promise<ObjectInfo | null>
  /** Every object under `prefix`, all pages, in key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>
  /**
   * A URL a browser or `curl -T` can PUT to, valid for `expiresInS` seconds. With `bind`, the
   * signature covers the exact Content-Length and the `x-amz-checksum-sha256` header (base64 of
   * the digest), which the client must send: S3 refuses other bytes.
   */
  presignPut(key: string, expiresInS: number, contentType?: string, bind?: PresignBind): Promise<string>
  /** A URL a browser can GET (with Range) from, valid for `expiresInS` seconds. */
  presignGet(key: string, expiresInS: number): Promise<string>
}

/** What a presigned PUT is bound to. */
export interface PresignBind {
  sizeBytes: number
  /** Lowercase hex sha256 of the bytes. */
  sha256: string
}

/** Raised by `ObjectStore.put` with `ifAbsent` when the key exists. */
export class ObjectExistsError extends Error {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super(`object already exists: ${key}`, options)
    this.name = 'ObjectExistsError'
  }
}

/** Raised by conditional catalog writes: the item is already there (means "already done"). */
export class ConditionFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ConditionFailedError'
  }
}

/** Raised for a cursor that is malformed or belongs to another listing (the API answers 400). */
export class InvalidCursorError extends Error {
  constructor(message = 'invalid cursor', options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'InvalidCursorError'
  }
}

/** Raised for a filter or limit the catalog cannot serve, such as an unparseable `from` (400). */
export class InvalidFilterError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message)
    this.name = 'InvalidFilterError'
  }
}

/** Filters for listing runs. All optional; `from`/`to` are ISO instants on `started_at`. */
export interface RunFilter {
  platform?: string
  scenario?: string
  campaign?: string
  hardware_profile?: string
  tool?: string
  test?: string
  status?: string
  from?: string
  to?: string
}

export interface Page<T> {
  items: T[]
  /** Opaque; pass back to get the next page. Null on the last page. */
  cursor: string | null
}

/** Outcome of ingesting one raw object, kept so replays are no-ops and rejections are visible. */
export interface IngestRecord {
  raw_sha256: string
  raw_key: string
  outcome: 'ingested' | 'quarantined'
  run_ids: string[]
  reason: string | null
  parser_version: string
  at: string
}

/** A curated Parquet file registered in the dataset manifest. */
export interface DatasetFile {
  key: string
  rows: number
  bytes: number
}

/**
 * The files of one Hive partition (`curated/<table>/platform=<p>/date=<d>/`), held in ONE catalog
 * item so that compaction switches a partition's file list in a single conditional write: readers
 * see either the small files or the compacted one, never both.
 */
export interface DatasetPartition {
  table: 'runs' | 'intervals' | 'metrics'
  platform: string
  date: string
  /** Optimistic-concurrency counter: 1 for a new partition, +1 on every write. */
  version: number
  files: DatasetFile[]
}

/** Hashed API token with scopes. */
export interface TokenRecord {
  token_id: string
  hash: string
  scopes: Array<'collector' | 'reader' | 'admin'>
  label: string | null
  created_at: string
  expires_at: string | null
  revoked: boolean
}

/** A generated comparison report. */
export interface ReportRecord {
  report_id: string
  window_from: string
  window_to: string
  created_at: string
  keys: { html: string; md: string; json: string }
  regressions: number
  improvements: number
}

/** The DynamoDB single-table catalog. Writes are conditional; nothing uses transactions. */
export interface RunCatalog {
  /** Create the run summary; `ConditionFailedError` if it exists (unless `overwrite`, for reprocess). */
  putRun(run: RunRow, options?: { overwrite?: boolean }): Promise<void>
  getRun(runId: string): Promise<RunRow | null>
  listRuns(filter: RunFilter, limit: number, cursor?: string | null): Promise<Page<RunRow>>

  /** Record the outcome for raw bytes once; `ConditionFailedError` if one exists. */
  putIngestRecord(record: IngestRecord): Promise<void>
  getIngestRecord(rawSha256: string): Promise<IngestRecord | null>
  /** Replace an existing record (reprocess). */
  replaceIngestRecord(record: IngestRecord): Promise<void>
  listIngestRecords(outcome?: IngestRecord['outcome']): AsyncIterable<IngestRecord>

  /** The partition's file list, or null when it has none yet. */
  getPartition(table: DatasetPartition['table'], platform: string, date: string): Promise<DatasetPartition | null>
  /**
   * Write the partition item if its stored version is still `expectedVersion` (null: must not exist
   * yet); `partition.version` is the new version. `ConditionFailedError` otherwise (re-read, retry).
   */
  putPartition(partition: DatasetPartition, expectedVersion: number | null): Promise<void>
  listPartitions(table?: DatasetPartition['table']): Promise<DatasetPartition[]>

  putToken(token: TokenRecord): Promise<void>
  getTokenByHash(hash: string): Promise<TokenRecord | null>

  putReport(report: ReportRecord): Promise<void>
  listReports(limit: number, cursor?: string | null): Promise<Page<ReportRecord>>
  getReport(reportId: string): Promise<ReportRecord | null>
}

/** Turns Arrow-shaped rows into Parquet bytes. */
export interface ParquetWriter {
  write(table: 'runs' | 'intervals' | 'metrics', rows: readonly Record<string, unknown>[]): Uint8Array
}

/** Time, passed in so the core stays pure and tests deterministic. */
export interface Clock {
  now(): Date
}
