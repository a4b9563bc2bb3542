import type { z } from 'zod'
import { type ArrowKind, arrowColumns } from '#schemas/columns.ts'

/** Glue/Hive type for each Arrow kind the canonical tables use. */
export const GLUE_TYPE: Record<ArrowKind, string> = {
  utf8: 'string',
  float64: 'double',
  int64: 'bigint',
  int32: 'int',
  bool: 'boolean',
  timestamp: 'timestamp',
}

/** Partition columns, in key order: `curated/<table>/platform=<p>/date=YYYY-MM-DD/`. */
export const PARTITION_KEYS = ['platform', 'date'] as const

/** A Glue column: name, type and the schema's description as comment. */
export interface GlueColumn {
  name: string
  type: string
  comment: string
}

/**
 * The Glue columns of a canonical table, in declaration order. Partition keys are left out: Glue
 * forbids a column and a partition key with the same name, and Athena reads them from the path.
 */
export function glueColumns(table: z.ZodObject): GlueColumn[] {
  return arrowColumns(table)
    .filter((c) => !(PARTITION_KEYS as readonly string[]).includes(c.name))
    .map((c) => ({ name: c.name, type: GLUE_TYPE[c.arrow], comment: c.description.slice(0, 255) }))
}
