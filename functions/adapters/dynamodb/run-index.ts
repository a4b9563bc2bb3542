import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { CATALOG_TABLE } from '#schemas/catalog-table.ts'
import type { RunRow } from '#schemas/tables.ts'
import type { RunIndex } from '#functions/ports.ts'
import {
  checkLimit,
  decodeCursor,
  encodeCursor,
  planRunQuery,
  residualFilter,
  runCursorScope,
  runCursorShape,
  runIdOf,
  runIndexKeys,
  runTableKey,
  stripKeys,
} from '#adapters/catalog/catalog-keys.ts'
import { PK, SK } from './catalog-table.ts'
import type { CatalogTable } from './catalog-table.ts'

/** The `RunIndex` port on the catalog table (see catalog-table.ts for the shared calls). */
export function createDynamoDbRunIndex(ddb: CatalogTable): RunIndex {
  return {
    async putRun(run: RunRow, options = {}) {
      const id = runIdOf(run)
      const item = { ...run, ...runTableKey(id), ...runIndexKeys(run) }
      await ddb.call(
        'put run',
        () =>
          ddb.send(
            new PutCommand({
              TableName: ddb.name,
              Item: item,
              ...(options.overwrite ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
            }),
          ),
        `run ${id} already exists`,
      )
    },
    async getRun(runId) {
      const item = await ddb.getItem(runTableKey(runId))
      return item ? stripKeys<RunRow>(item) : null
    },
    async deleteRun(runId) {
      await ddb.call('delete run', () =>
        ddb.send(new DeleteCommand({ TableName: ddb.name, Key: runTableKey(runId) })),
      )
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
        values[`:f${i}`] = value === '' ? 'NULL' : value
      })
      // '' selects runs without the label (a null attribute, or none).
      const filterExpression = residual
        .map(([, value], i) =>
          value === ''
            ? `(attribute_not_exists(#f${i}) OR attribute_type(#f${i}, :f${i}))`
            : `#f${i} = :f${i}`,
        )
        .join(' AND ')
      const page = await ddb.queryPage(
        {
          TableName: ddb.name,
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
  }
}
