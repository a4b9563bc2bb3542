import { PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { TokenRecordSchema } from '#schemas/catalog-records.ts'
import type { TokenRecord, TokenStore } from '#functions/ports.ts'
import { tokenSortKey } from '#adapters/catalog/catalog-keys.ts'
import { ConditionFailedError } from '#core/errors.ts'
import { KIND, PK, SK, parseItem } from './catalog-table.ts'
import type { CatalogTable } from './catalog-table.ts'

/**
 * The `TokenStore` port on the catalog table (see catalog-table.ts for the shared calls). Tokens
 * are keyed by hash (the bearer check is one read) and indexed by kind `TOKEN` for list and revoke.
 * Tokens written before the index entry existed get it on the first list or revoke (one scan per
 * table, recorded by a marker item), so they are listed and revocable too.
 */
export function createDynamoDbTokenStore(ddb: CatalogTable): TokenStore {
  let indexed: Promise<number> | null = null
  /** Once per process, and per table once the marker is written. */
  function indexLegacyTokens(): Promise<number> {
    const once = (indexed ??= backfillTokenIndex(ddb).catch((error: unknown) => {
      indexed = null
      throw error
    }))
    return once
  }

  async function* allTokens(): AsyncGenerator<TokenRecord> {
    await indexLegacyTokens()
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

/** The item that says every token in the table has its by-kind index entry. */
const TOKEN_INDEX_MARKER = { [PK]: 'MIGRATION#token-index', [SK]: 'MIGRATION' }

/**
 * Gives each token item written before the by-kind index entry existed (`TOKEN#<hash>` / `TOKEN`
 * without `gsi3pk`) its entry, then writes the marker so no later process scans again. Tokens
 * written since always carry the entry. An item that is not a token record is left as it is.
 */
export async function backfillTokenIndex(ddb: CatalogTable): Promise<number> {
  if (await ddb.getItem(TOKEN_INDEX_MARKER)) return 0
  let start: Record<string, unknown> | undefined
  let backfilled = 0
  do {
    const page = await ddb.call('scan for tokens without an index entry', () =>
      ddb.send(
        new ScanCommand({
          TableName: ddb.name,
          FilterExpression: '#sk = :token AND attribute_not_exists(#k)',
          ExpressionAttributeNames: { '#sk': SK, '#k': KIND.partitionKey },
          ExpressionAttributeValues: { ':token': 'TOKEN' },
          ExclusiveStartKey: start,
        }),
      ),
    )
    for (const item of page.Items ?? []) {
      let token: TokenRecord
      try {
        token = parseItem(TokenRecordSchema, item, 'token')
      } catch {
        continue
      }
      try {
        await ddb.call(
          'index token',
          () =>
            ddb.send(
              new UpdateCommand({
                TableName: ddb.name,
                Key: { [PK]: item[PK], [SK]: 'TOKEN' },
                UpdateExpression: 'SET #k = :k, #ks = :ks',
                ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#k)',
                ExpressionAttributeNames: {
                  '#k': KIND.partitionKey,
                  '#ks': KIND.sortKey,
                  '#pk': PK,
                },
                ExpressionAttributeValues: { ':k': 'TOKEN', ':ks': tokenSortKey(token) },
              }),
            ),
          'indexed or deleted meanwhile',
        )
        backfilled++
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error
      }
    }
    start = page.LastEvaluatedKey
  } while (start)
  await ddb.call('put token index marker', () =>
    ddb.send(
      new PutCommand({
        TableName: ddb.name,
        Item: { ...TOKEN_INDEX_MARKER, migration: 'token-index' },
      }),
    ),
  )
  return backfilled
}
