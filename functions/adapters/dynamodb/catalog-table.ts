import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import type { z } from 'zod'
import { CATALOG_TABLE } from '#schemas/catalog-table.ts'
import { CatalogError, ConditionFailedError } from '#core/errors.ts'
import { stripKeys } from '#adapters/catalog/catalog-keys.ts'
import type { CatalogKey } from '#adapters/catalog/catalog-keys.ts'

export { CatalogError }

export const PK = CATALOG_TABLE.partitionKey
export const SK = CATALOG_TABLE.sortKey
export const KIND = CATALOG_TABLE.indexes.byKind

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException')

/** The calls every catalog port makes on the one table: errors mapped, pages assembled. */
export interface CatalogTable {
  name: string
  /** Runs a DynamoDB call; a failed condition becomes `ConditionFailedError(conditionMessage)`. */
  call<T>(operation: string, run: () => Promise<T>, conditionMessage?: string): Promise<T>
  send: DynamoDBDocumentClient['send']
  getItem(key: CatalogKey): Promise<Record<string, unknown> | null>
  queryPage(
    input: QueryCommandInput,
    limit: number,
    start: CatalogKey | null,
    keyOf: (item: Record<string, unknown>) => CatalogKey,
  ): Promise<{ items: Record<string, unknown>[]; next: CatalogKey | null }>
  queryAll(input: QueryCommandInput): AsyncGenerator<Record<string, unknown>>
}

/** Access to the catalog table for the port adapters in this folder. */
export function createCatalogTableAccess(
  client: DynamoDBDocumentClient,
  tableName: string,
  filteredBatch: number,
): CatalogTable {
  async function call<T>(operation: string, run: () => Promise<T>, conditionMessage?: string) {
    try {
      return await run()
    } catch (error) {
      if (conditionMessage !== undefined && isConditionFailure(error)) {
        throw new ConditionFailedError(conditionMessage, { cause: error })
      }
      throw new CatalogError(operation, { cause: error })
    }
  }

  async function getItem(key: CatalogKey): Promise<Record<string, unknown> | null> {
    const out = await call('get', () =>
      client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })),
    )
    return out.Item ?? null
  }

  /**
   * One page of a query, up to `limit` items. Without a filter each request asks for exactly the
   * items still needed. With a FilterExpression, `Limit` counts items *evaluated*, not matched, so
   * it asks for a batch, loops on LastEvaluatedKey until the page is full or the index ends, and
   * when a batch matched more than needed it cuts there: the cursor is then built from the last
   * returned item's table + index keys (a valid ExclusiveStartKey), so nothing is skipped.
   */
  async function queryPage(
    input: QueryCommandInput,
    limit: number,
    start: CatalogKey | null,
    keyOf: (item: Record<string, unknown>) => CatalogKey,
  ): Promise<{ items: Record<string, unknown>[]; next: CatalogKey | null }> {
    const items: Record<string, unknown>[] = []
    let exclusiveStart: CatalogKey | undefined = start ?? undefined
    for (;;) {
      const needed = limit - items.length
      // Ask for a few more than needed when filtering, then cut at a known item key.
      const batch = input.FilterExpression ? Math.max(needed, filteredBatch) : needed
      const out = await call('query', () =>
        client.send(
          new QueryCommand({ ...input, Limit: batch, ExclusiveStartKey: exclusiveStart }),
        ),
      )
      const found = out.Items ?? []
      if (found.length >= needed) {
        items.push(...found.slice(0, needed))
        const cutShort = found.length > needed
        const last = items[items.length - 1]
        const more = cutShort || out.LastEvaluatedKey !== undefined
        return { items, next: more && last ? keyOf(last) : null }
      }
      items.push(...found)
      if (!out.LastEvaluatedKey) return { items, next: null }
      exclusiveStart = out.LastEvaluatedKey as CatalogKey
    }
  }

  async function* queryAll(input: QueryCommandInput) {
    let start: Record<string, unknown> | undefined
    do {
      const out = await call('query', () =>
        client.send(new QueryCommand({ ...input, ExclusiveStartKey: start })),
      )
      yield* out.Items ?? []
      start = out.LastEvaluatedKey
    } while (start)
  }

  return {
    name: tableName,
    call,
    send: client.send.bind(client) as CatalogTable['send'],
    getItem,
    queryPage,
    queryAll,
  }
}

/**
 * A stored item without its key attributes, checked against its record schema: an item written
 * by another version or by hand fails here, naming the field, instead of deep inside a handler.
 */
export function parseItem<S extends z.ZodType>(
  schema: S,
  item: Record<string, unknown>,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(stripKeys(item))
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new CatalogError(`read ${what}`, {
    cause: new Error(`${issue.path.join('.') || '(item)'}: ${issue.message}`, {
      cause: parsed.error,
    }),
  })
}

/**
 * Creates the catalog table with its three GSIs (all attributes projected, on-demand billing) and
 * waits until it is ACTIVE. Idempotent: an existing table is left as is. For local stacks and
 * tests; in AWS the CDK data stack owns the table.
 */
export async function createCatalogTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const indexes = Object.values(CATALOG_TABLE.indexes)
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [PK, SK, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])].map(
          (name) => ({ AttributeName: name, AttributeType: 'S' }),
        ),
        KeySchema: [
          { AttributeName: PK, KeyType: 'HASH' },
          { AttributeName: SK, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    )
  } catch (error) {
    if (!(
      error instanceof ResourceInUseException || (error as Error).name === 'ResourceInUseException'
    )) {
      throw new CatalogError(`create table ${tableName}`, { cause: error })
    }
  }
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }))
  if (described.Table?.TableStatus !== 'ACTIVE') {
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName })
  }
}
