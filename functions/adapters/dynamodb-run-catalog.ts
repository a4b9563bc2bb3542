import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import { CATALOG_TABLE } from '#schemas/catalog-table.ts'
import { ConditionFailedError } from '#functions/ports.ts'
import type {
  DatasetPartition,
  IngestRecord,
  ReportRecord,
  RunCatalog,
  TokenRecord,
} from '#functions/ports.ts'
import type { RunRow } from '#schemas/tables.ts'
import {
  DATASET_TABLES,
  checkLimit,
  decodeCursor,
  encodeCursor,
  ingestSortKey,
  partitionSortKey,
  planRunQuery,
  reportCursorShape,
  reportKey,
  residualFilter,
  runCursorScope,
  runCursorShape,
  runIdOf,
  runIndexKeys,
  runTableKey,
  stripKeys,
} from '#adapters/memory-run-catalog.ts'
import type { CatalogKey } from '#adapters/memory-run-catalog.ts'

export { InvalidCursorError, InvalidFilterError } from '#adapters/memory-run-catalog.ts'

const PK = CATALOG_TABLE.partitionKey
const SK = CATALOG_TABLE.sortKey
const KIND = CATALOG_TABLE.indexes.byKind

/** A DynamoDB call failed after the SDK's retries; `cause` is the SDK error. */
export class CatalogError extends Error {
  constructor(operation: string, options: { cause: unknown }) {
    const cause = options.cause
    super(
      `dynamodb ${operation} failed: ${cause instanceof Error ? cause.message : cause}`,
      options,
    )
    this.name = 'CatalogError'
  }
}

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException')

/** Tuning for `createDynamoDbRunCatalog`. */
export interface DynamoDbRunCatalogOptions {
  /** Items evaluated per Query when a FilterExpression applies (default 100; tests use 1-3). */
  filteredBatch?: number
}

/**
 * The `RunCatalog` on the single DynamoDB table of `schemas/catalog-table.ts`. Conditional writes,
 * no transactions (works on dynalite, DynamoDB Local and DynamoDB). Listing rules (order, time
 * bounds, cursors) are shared with the memory twin; see memory-run-catalog.ts.
 */
export function createDynamoDbRunCatalog(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: DynamoDbRunCatalogOptions = {},
): RunCatalog {
  const filteredBatch = options.filteredBatch ?? 100
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
    async putRun(run: RunRow, options = {}) {
      const id = runIdOf(run)
      const item = { ...run, ...runTableKey(id), ...runIndexKeys(run) }
      await call(
        'put run',
        () =>
          client.send(
            new PutCommand({
              TableName: tableName,
              Item: item,
              ...(options.overwrite ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
            }),
          ),
        `run ${id} already exists`,
      )
    },
    async getRun(runId) {
      const item = await getItem(runTableKey(runId))
      return item ? stripKeys<RunRow>(item) : null
    },
    async listRuns(filter, limit, cursor) {
      checkLimit(limit)
      const plan = planRunQuery(filter)
      const index = CATALOG_TABLE.indexes[plan.index]
      const start = cursor ? decodeCursor(cursor, runCursorScope(plan), runCursorShape(plan)) : null
      const names: Record<string, string> = { '#ipk': index.partitionKey }
      if (plan.lower !== null || plan.upper !== null) names['#isk'] = index.sortKey
      const values: Record<string, unknown> = { ':ipk': plan.partition }
      let keyCondition = '#ipk = :ipk'
      if (plan.lower !== null && plan.upper !== null) {
        keyCondition += ' AND #isk BETWEEN :lo AND :hi'
        Object.assign(values, { ':lo': plan.lower, ':hi': plan.upper })
      } else if (plan.lower !== null) {
        keyCondition += ' AND #isk >= :lo'
        values[':lo'] = plan.lower
      } else if (plan.upper !== null) {
        keyCondition += ' AND #isk <= :hi'
        values[':hi'] = plan.upper
      }
      const residual = residualFilter(filter, plan)
      residual.forEach(([field, value], i) => {
        names[`#f${i}`] = field
        values[`:f${i}`] = value
      })
      const filterExpression = residual.map((_, i) => `#f${i} = :f${i}`).join(' AND ')
      const page = await queryPage(
        {
          TableName: tableName,
          IndexName: index.name,
          KeyConditionExpression: keyCondition,
          ...(filterExpression ? { FilterExpression: filterExpression } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
        },
        limit,
        start,
        (item) => ({
          [PK]: item[PK] as string,
          [SK]: item[SK] as string,
          [index.partitionKey]: item[index.partitionKey] as string,
          [index.sortKey]: item[index.sortKey] as string,
        }),
      )
      return {
        items: page.items.map((item) => stripKeys<RunRow>(item)),
        cursor: page.next ? encodeCursor(runCursorScope(plan), page.next) : null,
      }
    },

    async putIngestRecord(record) {
      await call(
        'put ingest record',
        () =>
          client.send(
            new PutCommand({
              TableName: tableName,
              Item: ingestItem(record),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        `ingest record for ${record.raw_sha256} already exists`,
      )
    },
    async getIngestRecord(rawSha256) {
      const item = await getItem({ [PK]: `RAW#${rawSha256}`, [SK]: 'INGEST' })
      return item ? stripKeys<IngestRecord>(item) : null
    },
    async replaceIngestRecord(record) {
      await call('put ingest record', () =>
        client.send(new PutCommand({ TableName: tableName, Item: ingestItem(record) })),
      )
    },
    async *listIngestRecords(outcome) {
      const items = queryAll({
        TableName: tableName,
        IndexName: KIND.name,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: {
          '#k': KIND.partitionKey,
          ...(outcome ? { '#o': 'outcome' } : {}),
        },
        ExpressionAttributeValues: { ':k': 'INGEST', ...(outcome ? { ':o': outcome } : {}) },
        ...(outcome ? { FilterExpression: '#o = :o' } : {}),
      })
      for await (const item of items) yield stripKeys<IngestRecord>(item)
    },

    async getPartition(table, platform, date) {
      const item = await getItem({
        [PK]: `DATASET#${table}`,
        [SK]: partitionSortKey({ platform, date }),
      })
      return item ? stripKeys<DatasetPartition>(item) : null
    },
    async putPartition(partition, expectedVersion) {
      const item = {
        ...partition,
        [PK]: `DATASET#${partition.table}`,
        [SK]: partitionSortKey(partition),
      }
      await call(
        'put partition',
        () =>
          client.send(
            new PutCommand({
              TableName: tableName,
              Item: item,
              ...(expectedVersion === null
                ? { ConditionExpression: 'attribute_not_exists(pk)' }
                : {
                    ConditionExpression: '#v = :v',
                    ExpressionAttributeNames: { '#v': 'version' },
                    ExpressionAttributeValues: { ':v': expectedVersion },
                  }),
            }),
          ),
        `partition ${partition.table}/${partitionSortKey(partition)} is not at version ` +
          `${expectedVersion ?? 'none'}`,
      )
    },
    async listPartitions(table) {
      const result: DatasetPartition[] = []
      for (const t of table ? [table] : DATASET_TABLES) {
        const items = queryAll({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':pk': `DATASET#${t}` },
          ConsistentRead: true,
        })
        for await (const item of items) result.push(stripKeys<DatasetPartition>(item))
      }
      return result
    },

    async putToken(token) {
      const item = { ...token, [PK]: `TOKEN#${token.hash}`, [SK]: 'TOKEN' }
      await call('put token', () =>
        client.send(new PutCommand({ TableName: tableName, Item: item })),
      )
    },
    async getTokenByHash(hash) {
      const item = await getItem({ [PK]: `TOKEN#${hash}`, [SK]: 'TOKEN' })
      return item ? stripKeys<TokenRecord>(item) : null
    },

    async putReport(report) {
      const item = { ...report, ...reportKey(report) }
      await call('put report', () =>
        client.send(new PutCommand({ TableName: tableName, Item: item })),
      )
    },
    async listReports(limit, cursor) {
      checkLimit(limit)
      const start = cursor ? decodeCursor(cursor, 'reports', reportCursorShape()) : null
      const page = await queryPage(
        {
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':pk': 'REPORT' },
          ScanIndexForward: false,
          ConsistentRead: true,
        },
        limit,
        start,
        (item) => ({ [PK]: item[PK] as string, [SK]: item[SK] as string }),
      )
      return {
        items: page.items.map((item) => stripKeys<ReportRecord>(item)),
        cursor: page.next ? encodeCursor('reports', page.next) : null,
      }
    },
    async getReport(reportId) {
      const items = queryAll({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#id = :id',
        ExpressionAttributeNames: { '#pk': PK, '#id': 'report_id' },
        ExpressionAttributeValues: { ':pk': 'REPORT', ':id': reportId },
        ConsistentRead: true,
      })
      for await (const item of items) return stripKeys<ReportRecord>(item)
      return null
    },
  }
}

function ingestItem(record: IngestRecord): Record<string, unknown> {
  return {
    ...record,
    [PK]: `RAW#${record.raw_sha256}`,
    [SK]: 'INGEST',
    [KIND.partitionKey]: 'INGEST',
    [KIND.sortKey]: ingestSortKey(record),
  }
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
