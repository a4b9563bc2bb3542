import { createRoute, z } from '@hono/zod-openapi'
import { UploadEnvelopeSchema } from '#schemas/envelope.ts'
import { ApiErrorSchema, PresignRequestSchema, PresignResponseSchema, UploadAcceptedSchema } from '#schemas/api.ts'
import { ToolSchema } from '#schemas/labels.ts'
import type { Tool } from '#schemas/labels.ts'
import type { RawSidecar } from '#schemas/envelope.ts'
import { MAX_RAW_BYTES } from '#core/decode-raw.ts'
import { rawKey, sidecarKey } from '#core/object-keys.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'
import { hasRequestLabels, labelsFromRequest, requireKnownPlatform, validateLabels } from './labels-from-request.ts'
import { readBody } from './read-body.ts'
import { storeUpload } from './store-upload.ts'

const RAW_TYPES = ['application/json', 'application/x-ndjson', 'text/plain'] as const
const errors = (codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, { description: 'error', content: { 'application/json': { schema: ApiErrorSchema } } }]))

/** `POST /v1/results` (direct upload) and `POST /v1/uploads` (presigned, for large files). */
export function registerResultRoutes(app: ApiApp, { deps, options, auth }: ApiContext): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/results',
    summary: 'Upload one raw iperf3/qperf output',
    description:
      `Either a JSON envelope \`{ labels, tool?, raw }\` (raw = the tool output as a string, verbatim), or the raw output as the body ` +
      `(application/json for iperf3 -J, application/x-ndjson for --json-stream, text/plain for qperf) with labels as query parameters ` +
      `(platform, scenario, campaign, hardware_profile, nic_speed_bps, link_mtu, mtu, source_host, destination_vm, software.<k>, ...) ` +
      `or X-Netlake-<label> headers. Bodies above ${options.directUploadLimitBytes} bytes get 413: use POST /v1/uploads. ` +
      `The same bytes again answer 200 with the same ids and store nothing new. Needs the collector scope.`,
    security: [{ bearer: [] }],
    request: {
      body: {
        content: {
          'application/json': { schema: UploadEnvelopeSchema },
          'application/x-ndjson': { schema: z.string() },
          'text/plain': { schema: z.string() },
        },
      },
    },
    responses: {
      200: { description: 'seen before; nothing stored', content: { 'application/json': { schema: UploadAcceptedSchema } } },
      202: { description: 'stored; ingest follows', content: { 'application/json': { schema: UploadAcceptedSchema } } },
      ...errors([401, 403, 409, 413, 415, 422, 429]),
    },
  })
  app.post('/v1/results', requireScope('collector', auth), async (c) => {
    const contentType = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase()
    if (!(RAW_TYPES as readonly string[]).includes(contentType)) {
      throw new ApiError(415, 'unsupported-media-type', `Content-Type must be one of ${RAW_TYPES.join(', ')} (got '${contentType || 'none'}')`)
    }
    const body = await readBody(c.req.raw, options.directUploadLimitBytes)
    if (body.byteLength === 0) throw new ApiError(422, 'validation', 'body is empty', 'body')
    // Labels beside the body mean a raw body; without them a JSON body must be an envelope.
    // (Deciding here, not by parsing, keeps a raw 100 KB document from being parsed twice.)
    const envelope = contentType === 'application/json' && !hasRequestLabels(c.req.query(), c.req.raw.headers) ? asEnvelope(body) : null
    const upload = envelope
      ? { bytes: new TextEncoder().encode(envelope.raw), labels: validateLabels(envelope.labels), tool: envelope.tool ?? null }
      : { bytes: body, labels: labelsFromRequest(c.req.query(), c.req.raw.headers), tool: toolParam(c.req.query('tool') ?? c.req.header('x-netlake-tool')) }
    const stored = await storeUpload(upload.bytes, { labels: upload.labels, tool: upload.tool, contentType: envelope ? null : contentType }, deps)
    return c.json(stored.body, stored.status)
  })

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/uploads',
      summary: 'Get a presigned PUT for a file above the direct-upload limit',
      description: `Send labels, the file's sha256 and size; PUT the exact bytes to the returned URL within 15 minutes. Files up to ${MAX_RAW_BYTES} bytes. Ingest checks the sha256 and quarantines a mismatch.`,
      security: [{ bearer: [] }],
      middleware: [requireScope('collector', auth)] as const,
      request: { body: { content: { 'application/json': { schema: PresignRequestSchema } }, required: true } },
      responses: { 200: { description: 'presigned PUT', content: { 'application/json': { schema: PresignResponseSchema } } }, ...errors([401, 403, 413, 422]) },
    }),
    async (c) => {
      const request = c.req.valid('json')
      if (request.size_bytes > MAX_RAW_BYTES) throw new ApiError(413, 'too-large', `size_bytes ${request.size_bytes} exceeds the limit of ${MAX_RAW_BYTES} bytes`, 'size_bytes')
      const labels = validateLabels(request.labels)
      requireKnownPlatform(labels, deps.platforms)
      const now = deps.clock.now()
      const key = rawKey(now.toISOString().slice(0, 10), request.sha256, request.tool === 'qperf' ? 'txt' : request.content_type === 'application/x-ndjson' ? 'ndjson' : 'json')
      const sidecar: RawSidecar = { labels, tool: request.tool ?? null, raw_sha256: request.sha256, content_type: request.content_type, received_at: now.toISOString(), size_bytes: request.size_bytes }
      await deps.raw.put(sidecarKey(key), JSON.stringify(sidecar), { contentType: 'application/json' })
      const url = await deps.raw.presignPut(key, 900, request.content_type)
      return c.json({ method: 'PUT' as const, url, raw_key: key, headers: { 'Content-Type': request.content_type }, expires_at: new Date(now.getTime() + 900_000).toISOString() }, 200)
    },
  )
}

/** The envelope `{ labels, tool?, raw }` of a JSON body sent without request labels. */
function asEnvelope(body: Uint8Array): z.infer<typeof UploadEnvelopeSchema> {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(body))
  } catch (error) {
    throw new ApiError(422, 'validation', `body is not a JSON envelope (${(error as Error).message}); to upload raw tool output, pass its labels as query parameters`, 'body')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('raw' in json) || !('labels' in json)) {
    throw new ApiError(422, 'validation', 'a JSON body without query-parameter labels must be an envelope { labels, tool?, raw }; for raw iperf3 output pass labels as query parameters (?platform=...&scenario=...)', 'labels')
  }
  const parsed = UploadEnvelopeSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue.path.join('.') || 'body'
  throw new ApiError(422, 'validation', `${field}: ${issue.message}`, field)
}

function toolParam(value: string | undefined): Tool | null {
  if (value === undefined) return null
  const parsed = ToolSchema.safeParse(value)
  if (!parsed.success) throw new ApiError(422, 'validation', `tool must be iperf3 or qperf (got '${value}')`, 'tool')
  return parsed.data
}
