import { Stack } from 'aws-cdk-lib'
import * as glue from 'aws-cdk-lib/aws-glue'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { TABLES, type TableName } from '#schemas/tables.ts'
import { manifestTablePrefix } from '#functions/lake/symlink-manifest.ts'
import { glueColumns, PARTITION_KEYS } from './glue-columns.ts'

/** Hive's input format for tables whose location holds manifests (lists of files), not data. */
export const SYMLINK_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'

export interface LakeCatalogProps {
  /** Glue database name (lowercase, underscores). */
  databaseName: string
  curated: s3.IBucket
  /** First date partition projection considers, `YYYY-MM-DD`. */
  firstDate: string
}

/**
 * A Glue database with one external Parquet table per canonical table, read through the lake's
 * symlink manifests (`curated/_symlink/<table>/date=YYYY-MM-DD/manifest`, one per day listing the
 * committed files of every platform; see functions/lake/symlink-manifest.ts): Athena reads exactly
 * the files the catalog committed, switched in one PUT, never a half-compacted folder or the files
 * of an ingest that died before its commit. Partitioned by `date` only, with projection (no
 * crawler, no `MSCK REPAIR`): a daily range up to today. The platform is the `platform_label`
 * column, so no list of platforms can hide one (a `platform=lab` day is read like any other).
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
        const location = `s3://${props.curated.bucketName}/${manifestTablePrefix(name)}`
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
              'projection.date.type': 'date',
              'projection.date.format': 'yyyy-MM-dd',
              'projection.date.range': `${props.firstDate},NOW`,
              'projection.date.interval': '1',
              'projection.date.interval.unit': 'DAYS',
              'storage.location.template': `${location}date=\${date}/`,
            },
            partitionKeys: PARTITION_KEYS.map((key) => ({ name: key, type: 'string' })),
            storageDescriptor: {
              location,
              columns: glueColumns(schema),
              inputFormat: SYMLINK_INPUT_FORMAT,
              outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
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
