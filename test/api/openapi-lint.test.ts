import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createMemoryApi } from '../helpers/memory-api.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const REDOCLY = path.join(ROOT, 'node_modules/.bin/redocly')

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number }
  problems: Array<{ ruleId: string; severity: string; message: string; location: unknown[] }>
}

describe('the OpenAPI document under Redocly lint (recommended rules, redocly.yaml)', () => {
  it('has no error and no warning, over every operation the API serves', async () => {
    // Prepare: the document as `npm start` serves it (its origin is the `servers` entry)
    const api = await createMemoryApi()
    const response = await api.app.request('http://127.0.0.1:8787/openapi.json')
    expect(response.status).toBe(200)
    const doc = (await response.json()) as { paths: Record<string, object> }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netlake-redocly-'))
    const file = path.join(dir, 'openapi.json')
    writeFileSync(file, JSON.stringify(doc, null, 2))
    // Act
    let stdout: string
    try {
      stdout = await promisify(execFile)(
        REDOCLY,
        ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json'],
        {
          cwd: dir,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
          maxBuffer: 64 * 1024 * 1024,
        },
      ).then((r) => r.stdout)
    } catch (error) {
      // redocly exits 1 when it finds errors; its report is still on stdout
      stdout = (error as { stdout?: string }).stdout ?? ''
      if (!stdout) throw error
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    // Assess: every problem is listed on failure, so a new route's lint finding names itself
    const report = JSON.parse(stdout) as LintReport
    const problems = report.problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${JSON.stringify(p.location[0])}`,
    )
    expect(problems).toEqual([])
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 })
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10) // the whole API was linted
  }, 120_000)
})
