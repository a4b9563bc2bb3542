import { createRoute, z } from '@hono/zod-openapi'
import {
  AuditPageSchema,
  DeleteResultSchema,
  RelabelRequestSchema,
  RelabelResultSchema,
} from '#schemas/repair.ts'
import type { TokenRecord } from '#functions/ports.ts'
import { deleteObject, relabelObject } from '#functions/repair/repair-object.ts'
import type { RepairDeps, RepairRefusal } from '#functions/repair/repair-object.ts'
import { listAudit } from '#functions/repair/audit-log.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'
import { accessNote, errorResponses, jsonBody, securityFor, TOKEN_ERRORS } from './contract.ts'
import { requireKnownPlatform } from './labels-from-request.ts'

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

const ShaParam = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (a sha256)'),
})

/** Who made a change, as the audit log names them. */
const whoOf = (token: TokenRecord | null) =>
  token ? `token:${token.token_id}${token.label ? ` (${token.label})` : ''}` : null

/**
 * `PATCH /v1/raw/{sha256}/labels` (collector), `DELETE /v1/raw/{sha256}` (admin) and
 * `GET /v1/audit` (admin): repairing stored results, each change an audit record.
 */
export function registerRepairRoutes(app: ApiApp, { deps, options, auth }: ApiContext): void {
  const repairDeps = async (): Promise<RepairDeps> => {
    const parquet = deps.parquet ?? (await deps.openParquetWriter?.())
    if (!parquet)
      throw new ApiError(
        501,
        'not-configured',
        'this function cannot rewrite curated Parquet (in AWS, relabel and delete are routed to the repair function)',
      )
    return { ...deps, parquet, manifestBucket: deps.manifestBucket }
  }
  const refuse = (refusal: RepairRefusal): never => {
    throw new ApiError(refusal.status, refusal.code, refusal.message, { field: refusal.field })
  }

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/raw/{sha256}/labels',
      summary: "Change a stored result's labels (a new version; runs and Parquet re-derived)",
      description: `The raw bytes never change: the labels are a versioned record beside them and every version is kept. \`set\` adds or replaces labels, \`unset\` removes them (not platform or scenario); the result is checked like an upload's labels. The object's runs are re-derived at once: the catalog and the curated Parquet hold the new labels and none of the old rows (run ids stay; a new platform or date moves them to another partition). Answers the current version unchanged when nothing differs. Writes an audit record. ${accessNote('collector', false)}`,
      operationId: 'relabelRaw',
      tags: ['repair'],
      security: securityFor('collector', false),
      middleware: [requireScope('collector', auth), jsonBody(options.maxJsonBodyBytes)] as const,
      request: {
        params: ShaParam,
        query: z.object({}).strict(),
        body: { content: { 'application/json': { schema: RelabelRequestSchema } }, required: true },
      },
      responses: {
        200: json(RelabelResultSchema, 'the labels now stored, their version and the runs'),
        ...errorResponses([400, ...TOKEN_ERRORS, 404, 409, 413, 415, 422, 501], {
          404: 'no ingested object has this sha256',
          409: 'another relabel or delete of the object was in progress; retry',
        }),
      },
    }),
    async (c) => {
      const { sha256 } = c.req.valid('param')
      const change = c.req.valid('json')
      const result = await relabelObject(
        sha256,
        change,
        whoOf(c.get('token')),
        await repairDeps(),
        (labels) => requireKnownPlatform(labels, deps.platforms),
      )
      if (!result.ok) return refuse(result)
      return c.json(
        {
          raw_sha256: sha256,
          raw_key: result.raw_key,
          labels_version: result.labels_version,
          labels: result.labels,
          run_ids: result.run_ids,
          audit_id: result.audit_id,
        },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/raw/{sha256}',
      summary: 'Delete a stored result: its runs and rows go, its bytes are tombstoned',
      description: `The runs leave the catalog and the curated Parquet (the partition switched in one conditional write, as compaction does). The raw bytes move to a tombstone kept for the retention period (30 days) unless \`purge=true\`. The same bytes can be pushed again afterwards. Writes an audit record. ${accessNote('admin', false)}`,
      operationId: 'deleteRaw',
      tags: ['repair'],
      security: securityFor('admin', false),
      middleware: [requireScope('admin', auth)] as const,
      request: {
        params: ShaParam,
        query: z
          .object({
            purge: z
              .enum(['true', 'false'])
              .default('false')
              .describe('remove the bytes now instead of keeping a tombstone'),
          })
          .strict(),
      },
      responses: {
        200: json(DeleteResultSchema, 'what was deleted'),
        ...errorResponses([...TOKEN_ERRORS, 404, 409, 422, 501], {
          404: 'no ingested object has this sha256',
          409: 'another relabel or delete of the object was in progress; retry',
        }),
      },
    }),
    async (c) => {
      const { sha256 } = c.req.valid('param')
      const purge = c.req.valid('query').purge === 'true'
      const result = await deleteObject(
        sha256,
        { purge },
        whoOf(c.get('token')),
        await repairDeps(),
      )
      if (!result.ok) return refuse(result)
      return c.json(
        {
          raw_sha256: sha256,
          raw_key: result.raw_key,
          run_ids: result.run_ids,
          purged: purge,
          retain_until: result.retain_until,
          audit_id: result.audit_id,
        },
        200,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/audit',
      summary: 'The audit log of relabels and deletes, oldest first',
      description: `Pass \`cursor\` from one page to get the next. ${accessNote('admin', false)}`,
      operationId: 'listAudit',
      tags: ['repair'],
      security: securityFor('admin', false),
      middleware: [requireScope('admin', auth)] as const,
      request: {
        query: z
          .object({
            limit: z.coerce.number().int().min(1).max(1000).default(100),
            cursor: z.string().max(512).optional(),
            sha256: ShaParam.shape.sha256.optional(),
          })
          .strict(),
      },
      responses: {
        200: json(AuditPageSchema, 'a page of audit records'),
        ...errorResponses([...TOKEN_ERRORS, 422]),
      },
    }),
    async (c) => {
      const query = c.req.valid('query')
      const page = await listAudit(deps.raw, {
        limit: query.limit,
        cursor: query.cursor ?? null,
        sha256: query.sha256,
      })
      return c.json(page, 200)
    },
  )
}
