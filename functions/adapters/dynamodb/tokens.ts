import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { TokenRecordSchema } from '#schemas/catalog-records.ts'
import type { TokenStore } from '#functions/ports.ts'
import { PK, SK, parseItem } from './catalog-table.ts'
import type { CatalogTable } from './catalog-table.ts'

/** The `TokenStore` port on the catalog table (see catalog-table.ts for the shared calls). */
export function createDynamoDbTokenStore(ddb: CatalogTable): TokenStore {
  return {
    async putToken(token) {
      const item = { ...token, [PK]: `TOKEN#${token.hash}`, [SK]: 'TOKEN' }
      await ddb.call('put token', () =>
        ddb.send(new PutCommand({ TableName: ddb.name, Item: item })),
      )
    },
    async getTokenByHash(hash) {
      const item = await ddb.getItem({ [PK]: `TOKEN#${hash}`, [SK]: 'TOKEN' })
      return item ? parseItem(TokenRecordSchema, item, 'token') : null
    },
  }
}
