import { z } from 'zod'

/**
 * Column helpers for the canonical tables. Each column is a zod schema carrying its Arrow/Parquet
 * type and unit as metadata, so the row types, validation and the Parquet schema come from one
 * definition (see `arrowColumns`). Every column is nullable: unknown is null, never 0.
 */
export type ArrowKind = 'utf8' | 'float64' | 'int64' | 'int32' | 'bool' | 'timestamp'

/** Metadata attached to every canonical column. */
export interface ColumnMeta {
  arrow: ArrowKind
  description: string
}

const tag = <T extends z.ZodType>(schema: T, arrow: ArrowKind, description: string) =>
  schema.meta({ arrow, description } satisfies ColumnMeta)

/** Column constructors: `col.f64('bits per second')` etc. */
export const col = {
  str: (description: string) => tag(z.string().nullable(), 'utf8', description),
  f64: (description: string) => tag(z.number().nullable(), 'float64', description),
  /** 64-bit integer counts (bytes, packets). Held as JS numbers: exact up to 2^53. */
  i64: (description: string) => tag(z.number().int().nullable(), 'int64', description),
  i32: (description: string) => tag(z.number().int().nullable(), 'int32', description),
  bool: (description: string) => tag(z.boolean().nullable(), 'bool', description),
  /** UTC instant, held as an ISO-8601 string ending in `Z`; written as a Parquet timestamp (ms, UTC). */
  time: (description: string) => tag(z.iso.datetime().nullable(), 'timestamp', description),
}

/** Column name → Arrow kind, in declaration order, for a table schema built with `col`. */
export function arrowColumns(table: z.ZodObject): Array<{ name: string } & ColumnMeta> {
  return Object.entries(table.shape).map(([name, schema]) => {
    const meta = (schema as z.ZodType).meta() as ColumnMeta | undefined
    if (!meta?.arrow) throw new Error(`column ${name} has no arrow metadata`)
    return { name, arrow: meta.arrow, description: meta.description }
  })
}
