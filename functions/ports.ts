import type { RunRow } from '#schemas/tables.ts'
import type {
  DatasetPartition,
  IngestRecord,
  ReportRecord,
  TokenRecord,
} from '#schemas/catalog-records.ts'

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
  /**
   * With `ifAbsent`: send the conditional PUT without the adapter's HEAD first (one round trip
   * fewer; S3 still enforces `If-None-Match: *`, so an existing key still fails). For callers that
   * expect the key to be new, or have just HEADed it.
   */
  absentChecked?: boolean
  metadata?: Record<string, string>
}

/** An object's bytes with the user metadata it was stored with. */
export interface StoredObject {
  bytes: Uint8Array
  metadata: Record<string, string>
}

/** Blob storage: raw bytes, curated Parquet, quarantine, reports. */
export interface ObjectStore {
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<ObjectInfo>
  /** The object's bytes, or null when it does not exist. */
  get(key: string): Promise<Uint8Array | null>
  /**
   * The object's bytes and its user metadata (`PutOptions.metadata`, keys lowercase as S3 returns
   * them) in one GET, or null when it does not exist.
   */
  getWithMetadata(key: string): Promise<StoredObject | null>
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
  presignPut(
    key: string,
    expiresInS: number,
    contentType?: string,
    bind?: PresignBind,
  ): Promise<string>
  /** A URL a browser can GET (with Range) from, valid for `expiresInS` seconds. */
  presignGet(key: string, expiresInS: number): Promise<string>
}

/** What a presigned PUT is bound to. */
export interface PresignBind {
  sizeBytes: number
  /** Lowercase hex sha256 of the bytes. */
  sha256: string
}

export {
  ConditionFailedError,
  InvalidCursorError,
  InvalidFilterError,
  ObjectExistsError,
} from '#core/errors.ts'

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

export type {
  DatasetFile,
  DatasetPartition,
  IngestRecord,
  ReportRecord,
  TokenRecord,
} from '#schemas/catalog-records.ts'

/*
 * The catalog is one DynamoDB table, but callers need only parts of it: a function takes the
 * narrowest port it uses (the API's token check a `TokenStore`, compaction a `PartitionCatalog`),
 * and `RunCatalog` is all of them, what an adapter implements. Writes are conditional; nothing
 * uses transactions (dynalite has none).
 */

/** Run summaries, listed newest first through the catalog's indexes. */
export interface RunIndex {
  /** Create the run summary; `ConditionFailedError` if it exists (unless `overwrite`, for reprocess). */
  putRun(run: RunRow, options?: { overwrite?: boolean }): Promise<void>
  getRun(runId: string): Promise<RunRow | null>
  /** Remove the run summary (delete); removing a missing run is not an error. */
  deleteRun(runId: string): Promise<void>
  listRuns(filter: RunFilter, limit: number, cursor?: string | null): Promise<Page<RunRow>>
}

/** One outcome per unique raw bytes: what makes replays no-ops and rejections visible. */
export interface IngestLedger {
  /** Record the outcome for raw bytes once; `ConditionFailedError` if one exists. */
  putIngestRecord(record: IngestRecord): Promise<void>
  getIngestRecord(rawSha256: string): Promise<IngestRecord | null>
  /** Replace an existing record (reprocess). */
  replaceIngestRecord(record: IngestRecord): Promise<void>
  /** Forget the outcome (delete), so the same bytes can be stored and ingested again. */
  deleteIngestRecord(rawSha256: string): Promise<void>
  listIngestRecords(outcome?: IngestRecord['outcome']): AsyncIterable<IngestRecord>
}

/** The committed file list of every curated partition: the dataset manifest's source. */
export interface PartitionCatalog {
  /** The partition's file list, or null when it has none yet. */
  getPartition(
    table: DatasetPartition['table'],
    platform: string,
    date: string,
  ): Promise<DatasetPartition | null>
  /**
   * Write the partition item if its stored version is still `expectedVersion` (null: must not exist
   * yet); `partition.version` is the new version. `ConditionFailedError` otherwise (re-read, retry).
   */
  putPartition(partition: DatasetPartition, expectedVersion: number | null): Promise<void>
  listPartitions(table?: DatasetPartition['table']): Promise<DatasetPartition[]>
}

/** Hashed API tokens. */
export interface TokenStore {
  putToken(token: TokenRecord): Promise<void>
  getTokenByHash(hash: string): Promise<TokenRecord | null>
  /** Every token, oldest first (records carry the hash: callers strip it before showing them). */
  listTokens(): Promise<TokenRecord[]>
  /** Marks the token revoked (kept, so it stays listed); null when no token has that id. */
  revokeToken(tokenId: string): Promise<TokenRecord | null>
}

/** The index of generated reports, newest window first. */
export interface ReportIndex {
  putReport(report: ReportRecord): Promise<void>
  listReports(limit: number, cursor?: string | null): Promise<Page<ReportRecord>>
  getReport(reportId: string): Promise<ReportRecord | null>
}

/** The whole catalog: every port above, as the DynamoDB adapter and its memory twin implement it. */
export interface RunCatalog
  extends RunIndex, IngestLedger, PartitionCatalog, TokenStore, ReportIndex {}

/** Turns Arrow-shaped rows into Parquet bytes. */
export interface ParquetWriter {
  write(
    table: 'runs' | 'intervals' | 'metrics',
    rows: readonly Record<string, unknown>[],
  ): Uint8Array
}

/** Time, passed in so the core stays pure and tests deterministic. */
export interface Clock {
  now(): Date
}
