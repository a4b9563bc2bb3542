import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { IngestRecordSchema } from '#schemas/catalog-records.ts'
import type { IngestLedger, IngestRecord } from '#functions/ports.ts'
import { ingestSortKey } from '#adapters/catalog/catalog-keys.ts'
import { KIND, PK, SK, parseItem } from './catalog-table.ts'
import type { CatalogTable } from './catalog-table.ts'

/** The `IngestLedger` port on the catalog table (see catalog-table.ts for the shared calls). */
export function createDynamoDbIngestLedger(ddb: CatalogTable): IngestLedger {
  return {
    async putIngestRecord(record) {
      await ddb.call(
        'put ingest record',
        () =>
          ddb.send(
            new PutCommand({
              TableName: ddb.name,
              Item: ingestItem(record),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        `ingest record for ${record.raw_sha256} already exists`,
      )
    },
    async getIngestRecord(rawSha256) {
      const item = await ddb.getItem({ [PK]: `RAW#${rawSha256}`, [SK]: 'INGEST' })
      return item ? parseItem(IngestRecordSchema, item, 'ingest record') : null
    },
    async replaceIngestRecord(record) {
      await ddb.call('put ingest record', () =>
        ddb.send(new PutCommand({ TableName: ddb.name, Item: ingestItem(record) })),
      )
    },
    async deleteIngestRecord(rawSha256) {
      await ddb.call('delete ingest record', () =>
        ddb.send(
          new DeleteCommand({
            TableName: ddb.name,
            Key: { [PK]: `RAW#${rawSha256}`, [SK]: 'INGEST' },
          }),
        ),
      )
    },
    async *listIngestRecords(outcome) {
      const items = ddb.queryAll({
        TableName: ddb.name,
        IndexName: KIND.name,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: {
          '#k': KIND.partitionKey,
          ...(outcome ? { '#o': 'outcome' } : {}),
        },
        ExpressionAttributeValues: { ':k': 'INGEST', ...(outcome ? { ':o': outcome } : {}) },
        ...(outcome ? { FilterExpression: '#o = :o' } : {}),
      })
      for await (const item of items) yield parseItem(IngestRecordSchema, item, 'ingest record')
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
