import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { RunCatalog } from '#functions/ports.ts'
import { createCatalogTableAccess } from './dynamodb/catalog-table.ts'
import { createDynamoDbIngestLedger } from './dynamodb/ingest-ledger.ts'
import { createDynamoDbPartitionCatalog } from './dynamodb/partitions.ts'
import { createDynamoDbReportIndex } from './dynamodb/reports.ts'
import { createDynamoDbRunIndex } from './dynamodb/run-index.ts'
import { createDynamoDbTokenStore } from './dynamodb/tokens.ts'

export { CatalogError, createCatalogTable } from './dynamodb/catalog-table.ts'

/** Tuning for `createDynamoDbRunCatalog`. */
export interface DynamoDbRunCatalogOptions {
  /** Items evaluated per Query when a FilterExpression applies (default 100; tests use 1-3). */
  filteredBatch?: number
}

/**
 * The `RunCatalog` on the single DynamoDB table of `schemas/catalog-table.ts`: one adapter per
 * port (dynamodb/*.ts) over the same table. Conditional writes, no transactions (works on
 * dynalite, DynamoDB Local and DynamoDB). Listing rules (order, time bounds, cursors) are shared
 * with the memory twin through catalog/catalog-keys.ts.
 */
export function createDynamoDbRunCatalog(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: DynamoDbRunCatalogOptions = {},
): RunCatalog {
  const table = createCatalogTableAccess(client, tableName, options.filteredBatch ?? 100)
  return {
    ...createDynamoDbRunIndex(table),
    ...createDynamoDbIngestLedger(table),
    ...createDynamoDbPartitionCatalog(table),
    ...createDynamoDbTokenStore(table),
    ...createDynamoDbReportIndex(table),
  }
}
