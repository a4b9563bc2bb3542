import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { TokenRecordSchema } from '#schemas/catalog-records.ts'
import type { TokenRecord, TokenStore } from '#functions/ports.ts'
import { tokenSortKey } from '#adapters/catalog/catalog-keys.ts'
import { ConditionFailedError } from '#core/errors.ts'
import { KIND, PK, SK, parseItem } from './catalog-table.ts'
import type { CatalogTable } from './catalog-table.ts'

/**
 * The `TokenStore` port on the catalog table (see catalog-table.ts for the shared calls). Tokens
 * are keyed by hash (the bearer check is one read) and indexed by kind `TOKEN` for list and revoke.
 * Tokens written before the index entry existed are not listed; they still expire by default.
 */
export function createDynamoDbTokenStore(ddb: CatalogTable): TokenStore {
  async function* allTokens(): AsyncGenerator<TokenRecord> {
    const items = ddb.queryAll({
      TableName: ddb.name,
      IndexName: KIND.name,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': KIND.partitionKey },
      ExpressionAttributeValues: { ':k': 'TOKEN' },
    })
    for await (const item of items) yield parseItem(TokenRecordSchema, item, 'token')
  }
  return {
    async putToken(token) {
      const item = {
        ...token,
        [PK]: `TOKEN#${token.hash}`,
        [SK]: 'TOKEN',
        [KIND.partitionKey]: 'TOKEN',
        [KIND.sortKey]: tokenSortKey(token),
      }
      await ddb.call('put token', () =>
        ddb.send(new PutCommand({ TableName: ddb.name, Item: item })),
      )
    },
    async getTokenByHash(hash) {
      const item = await ddb.getItem({ [PK]: `TOKEN#${hash}`, [SK]: 'TOKEN' })
      return item ? parseItem(TokenRecordSchema, item, 'token') : null
    },
    async listTokens() {
      const tokens: TokenRecord[] = []
      for await (const token of allTokens()) tokens.push(token)
      return tokens
    },
    async revokeToken(tokenId) {
      let found: TokenRecord | null = null
      for await (const token of allTokens()) if (token.token_id === tokenId) found = token
      if (!found) return null
      try {
        await ddb.call(
          'revoke token',
          () =>
            ddb.send(
              new UpdateCommand({
                TableName: ddb.name,
                Key: { [PK]: `TOKEN#${found.hash}`, [SK]: 'TOKEN' },
                UpdateExpression: 'SET #r = :t',
                ConditionExpression: 'attribute_exists(#pk)',
                ExpressionAttributeNames: { '#r': 'revoked', '#pk': PK },
                ExpressionAttributeValues: { ':t': true },
              }),
            ),
          `token ${tokenId} is gone`,
        )
      } catch (error) {
        if (error instanceof ConditionFailedError) return null
        throw error
      }
      return { ...found, revoked: true }
    },
  }
}
