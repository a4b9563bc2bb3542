import { z } from '@hono/zod-openapi'
import type { ApiApp } from './app.ts'
import { errorResponses } from './contract.ts'
import { errorBody } from './errors.ts'

const INFO = {
  openapi: '3.1.0',
  info: {
    title: 'netlake API',
    version: '1.0.0',
    description:
      'Upload iperf3/qperf results, list runs, compare scenarios, and find the Parquet lake. Every error is `{ error: { code, message, field? } }`, ' +
      'where `field` names the body field, query or path parameter, or header at fault.',
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
  },
  tags: [
    { name: 'uploads', description: 'results from collectors' },
    { name: 'runs', description: 'run summaries, scenarios and comparisons' },
    { name: 'datasets', description: 'the Parquet lake for the notebook' },
    { name: 'reports', description: 'scheduled comparison reports' },
    { name: 'tokens', description: 'API tokens' },
    { name: 'repair', description: 'relabel and delete stored results, and their audit log' },
    { name: 'meta', description: 'health and this document' },
  ],
}

/** The swagger-ui-dist files `/docs` loads, and where they come from (none: a plain page). */
export type DocsAssetName = 'swagger-ui.css' | 'swagger-ui-bundle.js'
export type DocsAssets = (name: DocsAssetName) => Promise<Uint8Array | null>

const ASSET_TYPES: Record<DocsAssetName | 'docs-init.js', string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'docs-init.js': 'text/javascript; charset=utf-8',
}

/** Starts Swagger UI on /openapi.json; a file of its own, so the page needs no inline script. */
const DOCS_INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: false,
  persistAuthorization: true,
  defaultModelsExpandDepth: 0,
  showExtensions: true,
})
`

/**
 * `GET /openapi.json` (generated from the same zod schemas that validate) and `GET /docs`:
 * Swagger UI (try it out, examples, response schemas) from the swagger-ui-dist files `assets`
 * reads, served by this API under `/docs/assets/` (no CDN); without them, or without JavaScript,
 * the same document as one plain HTML page. `servers` is the origin the document was fetched from.
 */
export function registerDocsRoutes(app: ApiApp, assets?: DocsAssets): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'Authorization: Bearer <token> (netlake token create)',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'signedUrl', {
    type: 'apiKey',
    in: 'query',
    name: 'sig',
    description:
      'a file URL signed by this server (with its `expires` parameter), as handed out by GET /v1/datasets',
  })
  for (const [path, operationId, summary, type] of [
    ['/openapi.json', 'getOpenApiDocument', 'This OpenAPI 3.1 document', 'application/json'],
    [
      '/docs',
      'getDocsPage',
      'This document as an interactive page (Swagger UI served by this API; plain HTML without JavaScript)',
      'text/html',
    ],
  ] as const) {
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      summary,
      description: 'Needs no token.',
      operationId,
      tags: ['meta'],
      security: [],
      responses: {
        200: {
          description: summary,
          content: {
            [type]: {
              schema: type === 'text/html' ? z.string() : z.record(z.string(), z.unknown()),
            },
          },
        },
        ...errorResponses([]),
      },
    })
  }
  let cached: Record<string, unknown> | undefined
  const document = (origin: string) => {
    cached ??= withoutRequestNulls(
      withVendorKeywords(app.getOpenAPI31Document(INFO)) as OpenApiDoc,
    ) as unknown as Record<string, unknown>
    return {
      ...cached,
      servers: [{ url: origin, description: 'the server this document came from' }],
    }
  }
  const FileParam = z.object({
    file: z
      .enum(['swagger-ui.css', 'swagger-ui-bundle.js', 'docs-init.js'])
      .meta({ description: 'a file of the /docs page' }),
  })
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/docs/assets/{file}',
    summary: 'The Swagger UI files /docs loads (from swagger-ui-dist, served here: no CDN)',
    description:
      'Needs no token. 404 `not-found` when this deployment does not carry swagger-ui-dist; /docs is then the plain page.',
    operationId: 'getDocsAsset',
    tags: ['meta'],
    security: [],
    request: { params: FileParam },
    responses: {
      200: {
        description: 'the file',
        content: {
          'text/css': { schema: z.string() },
          'text/javascript': { schema: z.string() },
        },
      },
      ...errorResponses([404], {
        404: 'no such file, or this deployment carries no swagger-ui-dist',
      }),
    },
  })
  const interactive = async () =>
    assets !== undefined &&
    (await Promise.all(SWAGGER_FILES.map((f) => assets(f)))).every((b) => b !== null)
  app.get('/openapi.json', (c) => c.json(document(new URL(c.req.url).origin)))
  app.get('/docs', async (c) => {
    const doc = document(new URL(c.req.url).origin) as unknown as OpenApiDoc
    return c.html((await interactive()) ? renderSwaggerPage(doc) : renderDocs(doc))
  })
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file')
    const type = ASSET_TYPES[file as keyof typeof ASSET_TYPES]
    const body =
      type === undefined
        ? null
        : file === 'docs-init.js'
          ? new TextEncoder().encode(DOCS_INIT)
          : ((await assets?.(file as DocsAssetName)) ?? null)
    if (body === null) return c.json(errorBody('not-found', `no docs file ${file}`, 'file'), 404)
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=86400',
    })
  })
}

const SWAGGER_FILES: DocsAssetName[] = ['swagger-ui.css', 'swagger-ui-bundle.js']

/** Swagger UI on this origin's files; the plain page is its `<noscript>` fallback. */
export function renderSwaggerPage(doc: OpenApiDoc): string {
  const plain = renderDocs(doc)
  const body = plain.slice(plain.indexOf('<body>') + '<body>'.length, plain.lastIndexOf('</body>'))
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(doc.info.title)}</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"><style>body{margin:0}noscript{display:block;font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}</style></head><body><div id="swagger-ui"></div><noscript>${body}</noscript><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/assets/docs-init.js"></script></body></html>`
}

/** Schema keywords of our own (`arrow`, the Arrow column type from schemas/columns.ts) as `x-` extensions. */
const VENDOR_KEYWORDS = new Set(['arrow'])

/**
 * A copy of the document with non-standard schema keywords renamed to `x-<keyword>`. Names under
 * `properties` (and other name → schema maps) are field names, not keywords, and stay as they are.
 */
export function withVendorKeywords(node: unknown, isNameMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withVendorKeywords(item))
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    const name = !isNameMap && VENDOR_KEYWORDS.has(key) ? `x-${key}` : key
    out[name] = withVendorKeywords(value, !isNameMap && NAME_MAPS.has(key))
  }
  return out
}
/**
 * The generator marks every coerced number (`z.coerce.number().optional()`) as nullable. No request
 * field or parameter of this API takes null (a query string cannot even say it), so request-side
 * schemas drop it; response schemas keep theirs (there null means unknown).
 */
export function withoutRequestNulls(doc: OpenApiDoc): OpenApiDoc {
  const strip = (schema: unknown): void => {
    if (Array.isArray(schema)) return schema.forEach(strip)
    if (schema === null || typeof schema !== 'object') return
    const node = schema as Record<string, unknown>
    if (Array.isArray(node.type) && node.type.includes('null')) {
      const types = node.type.filter((t) => t !== 'null')
      node.type = types.length === 1 ? types[0] : types
    }
    for (const value of Object.values(node)) strip(value)
  }
  for (const methods of Object.values(doc.paths)) {
    for (const op of Object.values(methods)) {
      for (const parameter of op.parameters ?? []) strip(parameter.schema)
      for (const media of Object.values(op.requestBody?.content ?? {})) strip(media.schema)
    }
  }
  return doc
}

const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'schemas',
  'paths',
  'responses',
  'parameters',
  'securitySchemes',
  'content',
  'headers',
  'examples',
])

interface OpenApiDoc {
  info: { title: string; description?: string }
  paths: Record<string, Record<string, Operation>>
}
interface Operation {
  summary?: string
  description?: string
  parameters?: Array<{
    name: string
    in: string
    required?: boolean
    description?: string
    schema?: { type?: string; enum?: unknown[] }
  }>
  requestBody?: { content: Record<string, { schema?: unknown }> }
  responses?: Record<string, { description?: string }>
}

const escape = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** Renders the OpenAPI document as one HTML page with no external requests. */
export function renderDocs(doc: OpenApiDoc): string {
  const sections = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td>${escape(p.schema?.enum ? p.schema.enum.join(' | ') : p.schema?.type)}</td><td>${escape(p.description)}</td></tr>`,
        )
        .join('')
      const body = op.requestBody
        ? `<p><b>Body:</b> ${Object.keys(op.requestBody.content)
            .map((t) => `<code>${escape(t)}</code>`)
            .join(
              ', ',
            )}</p><details><summary>schema</summary><pre>${escape(JSON.stringify(Object.values(op.requestBody.content)[0]?.schema, null, 2))}</pre></details>`
        : ''
      const responses = Object.entries(op.responses ?? {})
        .map(([code, r]) => `<li><code>${escape(code)}</code> ${escape(r.description)}</li>`)
        .join('')
      return `<section id="${escape(method + path)}"><h2><span class="m">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h2><p>${escape(op.summary)}</p>${op.description ? `<p class="d">${escape(op.description)}</p>` : ''}${params ? `<table><tr><th>name</th><th>in</th><th>required</th><th>type</th><th></th></tr>${params}</table>` : ''}${body}<ul>${responses}</ul></section>`
    }),
  )
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(doc.info.title)}</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}.m{background:#245;color:#fff;padding:0 .4rem;border-radius:3px;font-size:.8em}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}.d{color:#555}pre{background:#f6f6f6;padding:.5rem;overflow:auto}
</style></head><body><h1>${escape(doc.info.title)}</h1><p>${escape(doc.info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>${sections.join('')}</body></html>`
}
