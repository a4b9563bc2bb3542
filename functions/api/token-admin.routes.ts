import { createRoute, z } from '@hono/zod-openapi'
import { TokenIdParamSchema, TokenListItemSchema, TokenListSchema } from '#schemas/api.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { accessNote, errorResponses, securityFor, TOKEN_ERRORS } from './contract.ts'
import { ApiError } from './errors.ts'
import { publicToken } from './tokens.ts'

/** `GET /v1/tokens` and `DELETE /v1/tokens/{token_id}` (admin): list without secrets, revoke. */
export function registerTokenAdminRoutes(app: ApiApp, { deps, auth }: ApiContext): void {
  const admin = requireScope('admin', auth)
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/tokens',
      summary: 'Every token: id, scopes, label, dates, revoked (never the token or its hash)',
      description: accessNote('admin', false),
      operationId: 'listTokens',
      tags: ['tokens'],
      security: securityFor('admin', false),
      middleware: [admin] as const,
      request: { query: z.object({}).strict() },
      responses: {
        200: {
          description: 'the tokens, oldest first',
          content: { 'application/json': { schema: TokenListSchema } },
        },
        ...errorResponses([...TOKEN_ERRORS, 422]),
      },
    }),
    async (c) => {
      const tokens = await deps.catalog.listTokens()
      return c.json({ tokens: tokens.map(publicToken) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/tokens/{token_id}',
      summary: 'Revoke a token: every later request with it gets 401',
      description: `${accessNote('admin', false)} Revoking is idempotent; the record stays listed as revoked.`,
      operationId: 'revokeToken',
      tags: ['tokens'],
      security: securityFor('admin', false),
      middleware: [admin] as const,
      request: { params: TokenIdParamSchema, query: z.object({}).strict() },
      responses: {
        200: {
          description: 'the revoked token',
          content: { 'application/json': { schema: TokenListItemSchema } },
        },
        ...errorResponses([...TOKEN_ERRORS, 404, 422], { 404: 'no token with this id' }),
      },
    }),
    async (c) => {
      const { token_id } = c.req.valid('param')
      const revoked = await deps.catalog.revokeToken(token_id)
      if (!revoked)
        throw new ApiError(404, 'not-found', `no token ${token_id}`, { field: 'token_id' })
      return c.json(publicToken(revoked), 200)
    },
  )
}
