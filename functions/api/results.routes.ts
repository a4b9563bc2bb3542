import { randomUUID } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import { UploadEnvelopeSchema } from '#schemas/envelope.ts'
import { PresignRequestSchema, PresignResponseSchema, UploadAcceptedSchema } from '#schemas/api.ts'
import { ToolSchema } from '#schemas/labels.ts'
import type { Tool } from '#schemas/labels.ts'
import { MAX_RAW_BYTES } from '#core/decode-raw.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'
import {
  accessNote,
  errorResponses,
  jsonBody,
  securityFor,
  TOKEN_ERRORS,
  validationError,
} from './contract.ts'
import {
  hasRequestLabels,
  labelsFromRequest,
  requireKnownPlatform,
  validateLabels,
} from './labels-from-request.ts'
import { readBody } from './read-body.ts'
import { createPresignedUpload, storeUpload } from './store-upload.ts'

const RAW_TYPES = ['application/json', 'application/x-ndjson', 'text/plain'] as const
/** Labels a bare raw upload may carry as query parameters (documented; `labelsFromRequest` reads them). */
const LABEL_PARAMS = [
  [
    'platform',
    'openstack | kubevirt | baremetal | free text (required unless in an X-Netlake-Platform header)',
  ],
  [
    'scenario',
    'scenario id from the catalog or free text (required unless in an X-Netlake-Scenario header)',
  ],
  ['campaign', ''],
  ['hardware_profile', ''],
  ['nic_speed_bps', 'line rate of the physical NIC'],
  ['link_mtu', 'MTU of the physical link'],
  ['mtu', 'MTU of the interface the test ran on'],
  ['collector_id', ''],
  ['collected_at', 'ISO 8601 time'],
  ['repetition', 'integer ≥ 0'],
  ['source_host', ''],
  ['source_node', ''],
  ['source_vm', ''],
  ['destination_host', ''],
  ['destination_node', ''],
  ['destination_vm', ''],
] as const
const LabelQuerySchema = z.object({
  tool: ToolSchema.optional().describe('iperf3 or qperf (default: detected from the bytes)'),
  ...Object.fromEntries(
    LABEL_PARAMS.map(([name, description]) => [
      name,
      description ? z.string().optional().describe(description) : z.string().optional(),
    ]),
  ),
})

/** `/docs` example: a qperf tcp_lat output with its labels (test/api/docs.test.ts uploads it). */
export const UPLOAD_EXAMPLE = {
  labels: {
    platform: 'openstack',
    scenario: 'os-s1',
    campaign: 'lab-2026-11-26',
    hardware_profile: 'one-box-2vcpu',
  },
  tool: 'qperf' as const,
  raw: 'tcp_lat:\n    latency  =  6.74 us\n',
}

/** `/docs` example: the answer to UPLOAD_EXAMPLE uploaded on 2026-11-26 (test/api/docs.test.ts checks it). */
export const UPLOAD_ACCEPTED_EXAMPLE = {
  raw_key:
    'raw/date=2026-11-26/a4a850f1062caad2c0d6aacf6a109bfa87bbcdf5f3a49854c996faadb24960d1.txt',
  raw_sha256: 'a4a850f1062caad2c0d6aacf6a109bfa87bbcdf5f3a49854c996faadb24960d1',
  run_ids: ['4f76e49364b8c971d4e8b72015fadef1'],
  duplicate: false,
}

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
      `or \`X-Netlake-<label>\` headers. Bodies above ${options.directUploadLimitBytes} bytes get 413: use POST /v1/uploads. ` +
      `The same bytes again (the same UTC day: the raw key holds the date) store nothing new and answer 200 with the same ids once their runs exist (202 before); on a later day they answer 200 \`duplicate\` with the first copy's raw key and store nothing; with other labels, 409 \`labels-differ\`. Software labels go as \`software.<key>=value\`. ` +
      accessNote('collector', false),
    operationId: 'uploadResult',
    tags: ['uploads'],
    security: securityFor('collector', false),
    request: {
      query: LabelQuerySchema,
      body: {
        required: true,
        description:
          'an envelope, or the raw tool output with labels as query parameters or headers',
        content: {
          'application/json': { schema: UploadEnvelopeSchema, example: UPLOAD_EXAMPLE },
          'application/x-ndjson': { schema: z.string() },
          'text/plain': { schema: z.string(), example: UPLOAD_EXAMPLE.raw },
        },
      },
    },
    responses: {
      200: {
        description: 'seen before and its runs exist; nothing stored',
        content: { 'application/json': { schema: UploadAcceptedSchema } },
      },
      202: {
        description: 'stored (now, or by an earlier upload not ingested yet); ingest follows',
        content: {
          'application/json': { schema: UploadAcceptedSchema, example: UPLOAD_ACCEPTED_EXAMPLE },
        },
      },
      ...errorResponses([400, ...TOKEN_ERRORS, 409, 413, 415, 422], {
        400: 'the envelope is not valid JSON, or the body was cut off',
        409: 'the same bytes are stored with other labels (named in the message)',
      }),
    },
  })
  app.post('/v1/results', requireScope('collector', auth), async (c) => {
    const contentType = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase()
    if (!(RAW_TYPES as readonly string[]).includes(contentType)) {
      throw new ApiError(
        415,
        'unsupported-media-type',
        `Content-Type must be one of ${RAW_TYPES.join(', ')} (got '${contentType || 'none'}')`,
        { field: 'Content-Type' },
      )
    }
    const body = await readBody(c.req.raw, options.directUploadLimitBytes)
    if (body.byteLength === 0)
      throw new ApiError(422, 'validation', 'body is empty', { field: 'body' })
    // Labels beside the body mean a raw body; without them a JSON body must be an envelope.
    // (Deciding here, not by parsing, keeps a raw 100 KB document from being parsed twice.)
    const envelope =
      contentType === 'application/json' && !hasRequestLabels(c.req.query(), c.req.raw.headers)
        ? asEnvelope(body)
        : null
    const upload = envelope
      ? {
          bytes: new TextEncoder().encode(envelope.raw),
          labels: validateLabels(envelope.labels),
          tool: envelope.tool ?? null,
        }
      : {
          bytes: body,
          labels: labelsFromRequest(c.req.query(), c.req.raw.headers),
          tool: toolParam(c.req.query('tool') ?? c.req.header('x-netlake-tool')),
        }
    const stored = await storeUpload(
      upload.bytes,
      { labels: upload.labels, tool: upload.tool, contentType: envelope ? null : contentType },
      deps,
    )
    return c.json(stored.body, stored.status)
  })

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/uploads',
      summary: 'Get a presigned PUT for a file above the direct-upload limit',
      description: `Send labels, the file's sha256 and size; PUT the exact bytes with the returned headers to the returned URL within 15 minutes. Files up to ${MAX_RAW_BYTES} bytes. The bytes land in raw/staging/<upload_id>; ingest checks size and sha256 and moves them to raw_key, or quarantines a mismatch under quarantine/uploads/<upload_id>. Stored raw bytes are never overwritten. ${accessNote('collector', false)}`,
      operationId: 'createUpload',
      tags: ['uploads'],
      security: securityFor('collector', false),
      middleware: [requireScope('collector', auth), jsonBody(options.maxJsonBodyBytes)] as const,
      request: {
        query: z.object({}).strict(),
        body: { content: { 'application/json': { schema: PresignRequestSchema } }, required: true },
      },
      responses: {
        200: {
          description: 'presigned PUT',
          content: { 'application/json': { schema: PresignResponseSchema } },
        },
        ...errorResponses([400, ...TOKEN_ERRORS, 413, 415, 422], {
          413: 'size_bytes above the largest file the lake takes, or the request body too large',
        }),
      },
    }),
    async (c) => {
      const request = c.req.valid('json')
      if (request.size_bytes > MAX_RAW_BYTES)
        throw new ApiError(
          413,
          'too-large',
          `size_bytes ${request.size_bytes} exceeds the limit of ${MAX_RAW_BYTES} bytes`,
          { field: 'size_bytes' },
        )
      requireKnownPlatform(request.labels, deps.platforms)
      const upload = await createPresignedUpload(
        { ...request, tool: request.tool ?? null },
        { ...deps, newUploadId: () => randomUUID().replaceAll('-', '') },
      )
      return c.json({ method: 'PUT' as const, ...upload }, 200)
    },
  )
}

/** The envelope `{ labels, tool?, raw }` of a JSON body sent without request labels. */
function asEnvelope(body: Uint8Array): z.infer<typeof UploadEnvelopeSchema> {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(body))
  } catch (error) {
    throw new ApiError(
      400,
      'bad-json',
      `body is not a JSON envelope (${(error as Error).message}); to upload raw tool output, pass its labels as query parameters`,
      { field: 'body', cause: error },
    )
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    Array.isArray(json) ||
    !('raw' in json) ||
    !('labels' in json)
  ) {
    throw new ApiError(
      422,
      'validation',
      'a JSON body without query-parameter labels must be an envelope { labels, tool?, raw }; for raw iperf3 output pass labels as query parameters (?platform=...&scenario=...)',
      { field: 'labels' },
    )
  }
  const parsed = UploadEnvelopeSchema.safeParse(json)
  if (parsed.success) return parsed.data
  throw validationError('json', parsed.error.issues)
}

function toolParam(value: string | undefined): Tool | null {
  if (value === undefined) return null
  const parsed = ToolSchema.safeParse(value)
  if (!parsed.success)
    throw new ApiError(422, 'validation', `tool must be iperf3 or qperf (got '${value}')`, {
      field: 'tool',
    })
  return parsed.data
}
