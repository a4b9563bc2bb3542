import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { ReportRecordSchema } from '#schemas/catalog-records.ts'
import type { ReportIndex } from '#functions/ports.ts'
import {
  checkLimit,
  decodeCursor,
  encodeCursor,
  reportCursorShape,
  reportKey,
} from '#adapters/catalog/catalog-keys.ts'
import { PK, SK, parseItem } from './catalog-table.ts'
import type { CatalogTable } from './catalog-table.ts'

/** The `ReportIndex` port on the catalog table (see catalog-table.ts for the shared calls). */
export function createDynamoDbReportIndex(ddb: CatalogTable): ReportIndex {
  return {
    async putReport(report) {
      const item = { ...report, ...reportKey(report) }
      await ddb.call('put report', () =>
        ddb.send(new PutCommand({ TableName: ddb.name, Item: item })),
      )
    },
    async listReports(limit, cursor) {
      checkLimit(limit)
      const start = cursor ? decodeCursor(cursor, 'reports', reportCursorShape()) : null
      const page = await ddb.queryPage(
        {
          TableName: ddb.name,
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
        items: page.items.map((item) => parseItem(ReportRecordSchema, item, 'report')),
        cursor: page.next ? encodeCursor('reports', page.next) : null,
      }
    },
    async getReport(reportId) {
      const items = ddb.queryAll({
        TableName: ddb.name,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#id = :id',
        ExpressionAttributeNames: { '#pk': PK, '#id': 'report_id' },
        ExpressionAttributeValues: { ':pk': 'REPORT', ':id': reportId },
        ConsistentRead: true,
      })
      for await (const item of items) return parseItem(ReportRecordSchema, item, 'report')
      return null
    },
  }
}
