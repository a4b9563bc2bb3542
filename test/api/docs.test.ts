import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompareQuerySchema, DatasetsManifestSchema, UploadAcceptedSchema } from '#schemas/api.ts'
import { UploadEnvelopeSchema } from '#schemas/envelope.ts'
import { swaggerUiAssets, swaggerUiPackageDir } from '#adapters/swagger-ui-assets.ts'
import { COMPARE_EXAMPLE } from '#functions/api/compare.routes.ts'
import { DATASETS_EXAMPLE } from '#functions/api/datasets.routes.ts'
import { UPLOAD_ACCEPTED_EXAMPLE, UPLOAD_EXAMPLE } from '#functions/api/results.routes.ts'
import { labRows } from '../helpers/notebook-fixtures.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { ARTIFACTS, launchGuardedBrowser } from '../helpers/notebook-browser.ts'

const SWAGGER_DIR = swaggerUiPackageDir()!

describe('GET /docs: Swagger UI served by netlake itself, examples that work', () => {
  it('serves the swagger-ui-dist files under /docs/assets and a page that loads only them', async () => {
    // Prepare
    const api = await createMemoryApi({}, { docsAssets: swaggerUiAssets([SWAGGER_DIR]) })
    const bundle = readFileSync(path.join(SWAGGER_DIR, 'swagger-ui-bundle.js'))

    // Act
    const page = await (await api.app.request('/docs')).text()
    const js = await api.app.request('/docs/assets/swagger-ui-bundle.js')
    const css = await api.app.request('/docs/assets/swagger-ui.css')
    const init = await (await api.app.request('/docs/assets/docs-init.js')).text()
    const other = await api.app.request('/docs/assets/index.html')

    // Assess
    expect(page).toContain('<div id="swagger-ui"></div>')
    expect([...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])).toEqual(
      expect.arrayContaining([
        '/docs/assets/swagger-ui.css',
        '/docs/assets/swagger-ui-bundle.js',
        '/docs/assets/docs-init.js',
      ]),
    )
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/)
    expect(page).toContain('/v1/compare') // the plain page, for a browser without JavaScript
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(Buffer.from(await js.arrayBuffer()).equals(bundle)).toBe(true)
    expect(css.headers.get('content-type')).toMatch(/^text\/css/)
    expect(init).toContain("url: '/openapi.json'")
    expect(other.status).toBe(404)
    expect((await other.json()).error).toMatchObject({ code: 'not-found', field: 'file' })
  })

  it('without the files (a bundle that lacks them) /docs is the plain page and the assets 404', async () => {
    // Prepare
    const api = await createMemoryApi({}, { docsAssets: swaggerUiAssets(['/nonexistent']) })

    // Act
    const page = await (await api.app.request('/docs')).text()
    const css = await api.app.request('/docs/assets/swagger-ui.css')

    // Assess
    expect(page).not.toContain('id="swagger-ui"')
    expect(page).toContain('/v1/compare')
    expect(css.status).toBe(404)
  })

  it('the upload, datasets and compare examples in /openapi.json are what the API accepts and answers', async () => {
    // Prepare
    const api = await createMemoryApi()
    const doc = await (await api.app.request('/openapi.json')).json()
    const upload = doc.paths['/v1/results'].post
    const compare = doc.paths['/v1/compare'].get.parameters as Array<{
      name: string
      schema: { example?: string }
    }>
    for (const run of labRows().runs) await api.lake.catalog.putRun(run)

    // Act
    const uploaded = await api.app.request('/v1/results', {
      method: 'POST',
      body: JSON.stringify(UPLOAD_EXAMPLE),
      headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
    })
    const compared = await api.app.request(`/v1/compare?${new URLSearchParams(COMPARE_EXAMPLE)}`, {
      headers: api.auth('reader'),
    })

    // Assess
    expect(upload.requestBody.content['application/json'].example).toEqual(UPLOAD_EXAMPLE)
    expect(upload.requestBody.content['text/plain'].example).toBe(UPLOAD_EXAMPLE.raw)
    expect(upload.responses['202'].content['application/json'].example).toEqual(
      UPLOAD_ACCEPTED_EXAMPLE,
    )
    expect(UploadEnvelopeSchema.safeParse(UPLOAD_EXAMPLE).success).toBe(true)
    expect(uploaded.status).toBe(202)
    expect(await uploaded.json()).toEqual(UPLOAD_ACCEPTED_EXAMPLE)
    expect(UPLOAD_ACCEPTED_EXAMPLE.raw_sha256).toBe(
      createHash('sha256').update(UPLOAD_EXAMPLE.raw).digest('hex'),
    )
    expect(UploadAcceptedSchema.safeParse(UPLOAD_ACCEPTED_EXAMPLE).success).toBe(true)
    expect(
      doc.paths['/v1/datasets'].get.responses['200'].content['application/json'].example,
    ).toEqual(DATASETS_EXAMPLE)
    expect(DatasetsManifestSchema.safeParse(DATASETS_EXAMPLE).success).toBe(true)
    expect(
      Object.fromEntries(
        compare
          .filter((p) => p.schema.example !== undefined)
          .map((p) => [p.name, p.schema.example]),
      ),
    ).toEqual(COMPARE_EXAMPLE)
    expect(CompareQuerySchema.safeParse(COMPARE_EXAMPLE).success).toBe(true)
    expect(compared.status).toBe(200)
    expect((await compared.json()).candidate ?? {}).toBeDefined()
  })

  describe('in headless Chromium', () => {
    let server: ServerType
    let url: string

    beforeAll(async () => {
      const api = await createMemoryApi(
        { anonymousLoopbackReads: true },
        { docsAssets: swaggerUiAssets([SWAGGER_DIR]) },
      )
      server = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' })
      await new Promise((resolve) => server.once('listening', resolve))
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      mkdirSync(ARTIFACTS, { recursive: true })
    })

    afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())))

    it('renders every operation with its examples, loading nothing from another host', async () => {
      // Prepare
      const { browser, page, foreign, pageErrors } = await launchGuardedBrowser()
      try {
        const doc = await (await fetch(`${url}/openapi.json`)).json()
        const operations = Object.values(doc.paths as Record<string, object>).flatMap((m) =>
          Object.keys(m),
        ).length

        // Act
        await page.goto(`${url}/docs`)
        await page.waitForSelector('.swagger-ui .opblock', { timeout: 30_000 })
        const blocks = await page.locator('.swagger-ui .opblock').count()
        await page.click('#operations-runs-compareScenarios .opblock-summary')
        await page.waitForSelector('#operations-runs-compareScenarios .parameters')
        await page.click('#operations-runs-compareScenarios button.try-out__btn')
        const candidate = await page
          .locator('#operations-runs-compareScenarios tr[data-param-name="candidate"] input')
          .inputValue()
        await page.click('#operations-uploads-uploadResult .opblock-summary')
        await page.waitForSelector(
          '#operations-uploads-uploadResult .body-param__example, #operations-uploads-uploadResult .microlight',
        )
        const body = await page
          .locator('#operations-uploads-uploadResult .opblock-body')
          .textContent()
        await page.screenshot({ path: path.join(ARTIFACTS, 'docs-swagger.png'), fullPage: false })
        const tryIt = await page
          .locator('#operations-runs-compareScenarios button.try-out__btn')
          .count()

        // Assess
        expect(blocks).toBe(operations)
        expect(candidate).toBe('os-s1')
        expect(body).toContain('lab-2026-11-26')
        expect(foreign).toEqual([])
        expect(pageErrors).toEqual([])
      } finally {
        await browser.close()
      }
    }, 60_000)
  })
})
