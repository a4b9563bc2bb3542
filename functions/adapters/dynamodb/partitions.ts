import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { DatasetPartitionSchema } from '#schemas/catalog-records.ts'
import type { DatasetPartition, PartitionCatalog } from '#functions/ports.ts'
import { DATASET_TABLES, partitionSortKey } from '#adapters/catalog/catalog-keys.ts'
import { PK, SK, parseItem } from './catalog-table.ts'
import type { CatalogTable } from './catalog-table.ts'

/** The `PartitionCatalog` port on the catalog table (see catalog-table.ts for the shared calls). */
export function createDynamoDbPartitionCatalog(ddb: CatalogTable): PartitionCatalog {
  return {
    async getPartition(table, platform, date) {
      const item = await ddb.getItem({
        [PK]: `DATASET#${table}`,
        [SK]: partitionSortKey({ platform, date }),
      })
      return item ? parseItem(DatasetPartitionSchema, item, 'partition') : null
    },
    async putPartition(partition, expectedVersion) {
      const item = {
        ...partition,
        [PK]: `DATASET#${partition.table}`,
        [SK]: partitionSortKey(partition),
      }
      await ddb.call(
        'put partition',
        () =>
          ddb.send(
            new PutCommand({
              TableName: ddb.name,
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
        const items = ddb.queryAll({
          TableName: ddb.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':pk': `DATASET#${t}` },
          ConsistentRead: true,
        })
        for await (const item of items)
          result.push(parseItem(DatasetPartitionSchema, item, 'partition'))
      }
      return result
    },
  }
}
