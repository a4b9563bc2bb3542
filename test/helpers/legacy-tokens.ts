import { PutCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { RunCatalog, TokenRecord } from '#functions/ports.ts'
import { CATALOG_TABLE } from '#schemas/catalog-table.ts'

/**
 * Writes tokens as the catalog did before the by-kind token index existed (the item keyed by
 * hash, no `gsi3pk`/`gsi3sk`), into the table of a catalog `track` registered.
 */
export function legacyTokenWriter(client: DynamoDBDocumentClient) {
  const tables = new WeakMap<RunCatalog, string>()
  return {
    track(catalog: RunCatalog, table: string): RunCatalog {
      tables.set(catalog, table)
      return catalog
    },
    async put(catalog: RunCatalog, token: TokenRecord): Promise<void> {
      const table = tables.get(catalog)
      if (!table) throw new Error('legacyTokenWriter: catalog not tracked')
      const item = {
        ...token,
        [CATALOG_TABLE.partitionKey]: `TOKEN#${token.hash}`,
        [CATALOG_TABLE.sortKey]: 'TOKEN',
      }
      await client.send(new PutCommand({ TableName: table, Item: item }))
    },
  }
}
