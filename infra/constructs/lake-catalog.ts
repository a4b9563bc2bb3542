import { Stack } from 'aws-cdk-lib'
import * as glue from 'aws-cdk-lib/aws-glue'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { TABLES, type TableName } from '#schemas/tables.ts'
import { glueColumns, PARTITION_KEYS } from './glue-columns.ts'

export interface LakeCatalogProps {
  /** Glue database name (lowercase, underscores). */
  databaseName: string
  curated: s3.IBucket
  /** Key prefix of the curated tables inside the bucket. */
  prefix: string
  /** Platform values partition projection enumerates. */
  platforms: string[]
  /** First date partition projection considers, `YYYY-MM-DD`. */
  firstDate: string
}

/**
 * A Glue database with one external Parquet table per canonical table over
 * `<prefix><table>/platform=<p>/date=YYYY-MM-DD/`, using partition projection (no crawler, no
 * `MSCK REPAIR`): `platform` is an enum from config, `date` a daily range up to today.
 */
export class LakeCatalog extends Construct {
  readonly database: glue.CfnDatabase
  readonly tables: Record<TableName, glue.CfnTable>

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id)
    const account = Stack.of(this).account
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: props.databaseName, description: 'netlake curated Parquet tables' },
    })
    const entries = Object.entries(TABLES) as Array<[TableName, (typeof TABLES)[TableName]]>
    this.tables = Object.fromEntries(
      entries.map(([name, schema]) => {
        const location = `s3://${props.curated.bucketName}/${props.prefix}${name}/`
        const table = new glue.CfnTable(this, `${name}Table`, {
          catalogId: account,
          databaseName: props.databaseName,
          tableInput: {
            name,
            description: `netlake ${name} (curated Parquet)`,
            tableType: 'EXTERNAL_TABLE',
            parameters: {
              classification: 'parquet',
              EXTERNAL: 'TRUE',
              'parquet.compression': 'ZSTD',
              'projection.enabled': 'true',
              'projection.platform.type': 'enum',
              'projection.platform.values': props.platforms.join(','),
              'projection.date.type': 'date',
              'projection.date.format': 'yyyy-MM-dd',
              'projection.date.range': `${props.firstDate},NOW`,
              'projection.date.interval': '1',
              'projection.date.interval.unit': 'DAYS',
              'storage.location.template': `${location}platform=\${platform}/date=\${date}/`,
            },
            partitionKeys: PARTITION_KEYS.map((key) => ({ name: key, type: 'string' })),
            storageDescriptor: {
              location,
              columns: glueColumns(schema),
              inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
              outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
              serdeInfo: {
                serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
              },
            },
          },
        })
        table.node.addDependency(this.database)
        return [name, table]
      }),
    ) as Record<TableName, glue.CfnTable>
  }
}
