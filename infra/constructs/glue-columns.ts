import type { z } from 'zod'
import { type ArrowKind, arrowColumns } from '#schemas/columns.ts'
import { fileColumnName } from '#schemas/tables.ts'

/** Glue/Hive type for each Arrow kind the canonical tables use. */
export const GLUE_TYPE: Record<ArrowKind, string> = {
  utf8: 'string',
  float64: 'double',
  int64: 'bigint',
  int32: 'int',
  bool: 'boolean',
  timestamp: 'timestamp',
}

/**
 * Partition columns of the Glue tables, in key order: the manifests are per day
 * (`curated/_symlink/<table>/date=YYYY-MM-DD/manifest`); the platform is a column.
 */
export const PARTITION_KEYS = ['date'] as const

/** A Glue column: name, type and the schema's description as comment. */
export interface GlueColumn {
  name: string
  type: string
  comment: string
}

/**
 * The Glue columns of a canonical table's files, in declaration order, under their file names
 * (`platform_label`, `run_date`: never a partition key's name, which Glue forbids).
 */
export function glueColumns(table: z.ZodObject): GlueColumn[] {
  return arrowColumns(table)
    .map((c) => ({ ...c, name: fileColumnName(c.name) }))
    .filter((c) => !(PARTITION_KEYS as readonly string[]).includes(c.name))
    .map((c) => ({ name: c.name, type: GLUE_TYPE[c.arrow], comment: c.description.slice(0, 255) }))
}
