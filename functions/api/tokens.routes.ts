import { createRoute, z } from '@hono/zod-openapi'
import { TokenCreateSchema } from '#schemas/api.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { accessNote, errorResponses, jsonBody, securityFor, TOKEN_ERRORS } from './contract.ts'
import { createToken } from './tokens.ts'

const TokenCreatedSchema = z.object({
  token: z.string(),
  token_id: z.string(),
  scopes: z.array(z.string()),
  expires_at: z.string().nullable(),
})

/** `POST /v1/tokens` (admin): a new token, shown once. */
export function registerTokenRoutes(app: ApiApp, { deps, options, auth }: ApiContext): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/tokens',
      summary: 'Create an API token (shown once; only its hash is stored)',
      description: accessNote('admin', false),
      operationId: 'createToken',
      tags: ['tokens'],
      security: securityFor('admin', false),
      middleware: [requireScope('admin', auth), jsonBody(options.maxJsonBodyBytes)] as const,
      request: {
        query: z.object({}).strict(),
        body: { content: { 'application/json': { schema: TokenCreateSchema } }, required: true },
      },
      responses: {
        201: {
          description: 'the token',
          content: { 'application/json': { schema: TokenCreatedSchema } },
        },
        ...errorResponses([400, ...TOKEN_ERRORS, 413, 415, 422]),
      },
    }),
    async (c) => {
      const body = c.req.valid('json')
      const { token, record } = await createToken(deps.catalog, {
        scopes: body.scopes,
        label: body.label,
        ttlDays: body.ttl_days,
        now: deps.clock.now(),
      })
      return c.json(
        { token, token_id: record.token_id, scopes: record.scopes, expires_at: record.expires_at },
        201,
      )
    },
  )
}
