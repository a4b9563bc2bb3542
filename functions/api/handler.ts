import { handle } from 'hono/aws-lambda'
import { createLambdaApi } from './lambda-app.ts'

/**
 * API Gateway HTTP API (payload v2) → the same Hono app the local stack serves. Relabel, delete
 * and the audit log are routed to the repair function instead (functions/repair/handler.ts).
 */
export const handler = handle(createLambdaApi({ repair: false }))
