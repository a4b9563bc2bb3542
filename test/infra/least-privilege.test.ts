import { describe, expect, it } from 'vitest'
import { allows, grantsOf, logicalId, synthInline } from './helpers.ts'

const { stacks } = synthInline()
const { data, pipeline, report, api } = stacks
const raw = logicalId(data.raw)
const curated = logicalId(data.curated)
const reports = logicalId(data.reports)

describe('least privilege', () => {
  it('lets ingest read raw, promote checked staged uploads into raw/date=*, and write curated, but never delete stored raw objects', () => {
    // Prepare
    const grants = grantsOf(pipeline.ingest.role)

    // Act
    const can = (action: string, bucket: string, key: string) => allows(grants, action, bucket, key)

    // Assess
    expect(can('s3:GetObject', raw, 'raw/date=2026-01-01/abc.json')).toBe(true)
    expect(can('s3:PutObject', curated, 'curated/runs/platform=x/date=2026-01-01/a.pq')).toBe(true)
    expect(can('s3:PutObject', raw, 'raw/date=2026-01-01/abc.json')).toBe(true)
    expect(can('s3:DeleteObject', raw, 'raw/date=2026-01-01/abc.json')).toBe(false)
    expect(can('s3:DeleteObject', raw, 'raw/staging/0123456789abcdef0123456789abcdef')).toBe(true)
    expect(can('s3:PutObject', raw, 'quarantine/abc.json')).toBe(true)
    expect(can('s3:DeleteObject', curated, 'curated/runs/x.parquet')).toBe(false)
    expect(can('s3:GetObject', reports, 'reports/2026-01-01/report.html')).toBe(false)
  })

  it('lets the API upload raw objects and read the lake, never delete or overwrite it', () => {
    // Prepare
    const grants = grantsOf(api.api.role)

    // Act
    const can = (action: string, bucket: string, key: string) => allows(grants, action, bucket, key)

    // Assess
    expect(can('s3:PutObject', raw, 'raw/date=2026-01-01/abc.json')).toBe(true)
    expect(can('s3:GetObject', raw, 'raw/date=2026-01-01/abc.json')).toBe(true)
    expect(can('s3:DeleteObject', raw, 'raw/date=2026-01-01/abc.json')).toBe(false)
    expect(can('s3:PutObject', raw, 'quarantine/abc.json')).toBe(false)
    expect(allows(grants, 's3:ListBucket', raw, null)).toBe(true)
    expect(can('s3:GetObject', curated, 'curated/runs/x.parquet')).toBe(true)
    expect(can('s3:DeleteObject', curated, 'curated/runs/x.parquet')).toBe(false)
    expect(can('s3:PutObject', curated, 'curated/runs/x.parquet')).toBe(false)
    expect(can('s3:GetObject', reports, 'reports/2026-01-01/report.md')).toBe(true)
    expect(can('s3:PutObject', reports, 'reports/2026-01-01/report.md')).toBe(false)
  })

  it('lets only compaction delete curated objects, and the report write only reports', () => {
    // Prepare
    const compact = grantsOf(pipeline.compact.role)
    const rep = grantsOf(report.report.role)

    // Act
    const key = 'curated/runs/platform=x/date=2026-01-01/small.parquet'

    // Assess
    expect(allows(compact, 's3:DeleteObject', curated, key)).toBe(true)
    expect(allows(compact, 's3:GetObject', raw, 'raw/x.json')).toBe(false)
    expect(allows(rep, 's3:PutObject', reports, 'reports/2026-01-01/report.json')).toBe(true)
    expect(allows(rep, 's3:PutObject', curated, key)).toBe(false)
    expect(allows(rep, 's3:DeleteObject', reports, 'reports/2026-01-01/report.json')).toBe(false)
  })

  it('lets only the repair function change stored results: sidecars, repair records and curated files, never raw bytes or an object version', () => {
    // Prepare
    const repair = grantsOf(api.repair.repair.role)
    const others = [
      pipeline.ingest,
      pipeline.compact,
      pipeline.reprocess.fn,
      report.report,
      api.api,
    ].map((f) => grantsOf(f.role))
    const sha = 'ab'.repeat(32)
    const rawObject = `raw/date=2026-01-01/${sha}.json`

    // Act
    const can = (action: string, bucket: string, key: string) => allows(repair, action, bucket, key)

    // Assess: the repair function re-derives, rewrites the sidecar and keeps its records
    expect(can('s3:GetObject', raw, rawObject)).toBe(true)
    expect(can('s3:PutObject', raw, `raw/date=2026-01-01/${sha}.labels.json`)).toBe(true)
    expect(can('s3:PutObject', raw, rawObject)).toBe(false)
    for (const key of [
      `labels/${sha}/v000002.json`,
      `pending/${sha}.json`,
      `tombstone/${sha}.json`,
    ])
      for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'])
        expect(can(action, raw, key), `${action} ${key}`).toBe(true)
    expect(can('s3:PutObject', raw, 'audit/2026-12-01T10:00:00.000Z-a.json')).toBe(true)
    expect(can('s3:DeleteObject', raw, 'audit/2026-12-01T10:00:00.000Z-a.json')).toBe(false)
    // a delete moves the bytes to tombstone/: a delete marker in the versioned bucket, no more
    expect(can('s3:DeleteObject', raw, rawObject)).toBe(true)
    expect(can('s3:DeleteObjectVersion', raw, rawObject)).toBe(false)
    expect(can('s3:DeleteObjectVersion', raw, `tombstone/${sha}.json`)).toBe(false)
    expect(can('s3:PutObject', curated, 'curated/runs/platform=x/date=2026-01-01/a.parquet')).toBe(
      true,
    )
    expect(can('s3:DeleteObject', curated, 'curated/runs/x.parquet')).toBe(false) // the sweeper's
    // no other role may touch stored raw bytes or the repair records
    for (const grants of others) {
      expect(allows(grants, 's3:DeleteObject', raw, rawObject)).toBe(false)
      expect(allows(grants, 's3:DeleteObjectVersion', raw, rawObject)).toBe(false)
      for (const key of [`labels/${sha}/v000002.json`, `pending/${sha}.json`, 'audit/a.json'])
        expect(allows(grants, 's3:PutObject', raw, key)).toBe(false)
    }
    expect(allows(grantsOf(api.api.role), 's3:GetObject', raw, 'audit/a.json')).toBe(false)
  })

  it('never grants a wildcard action or a wildcard resource to any netlake role', () => {
    // Prepare
    const roles = [
      pipeline.ingest,
      pipeline.compact,
      pipeline.reprocess.fn,
      report.report,
      api.api,
      api.repair.repair,
    ].map((f) => f.role)

    // Act
    const grants = roles.flatMap((role) => grantsOf(role))

    // Assess
    expect(grants.length).toBeGreaterThan(8)
    for (const g of grants) {
      expect(g.actions).not.toContain('*')
      expect(g.actions.filter((a) => a.endsWith(':*'))).toEqual([])
      expect(g.resources).not.toContain('*')
    }
  })

  it('writes logs only to the function’s own log group', () => {
    // Prepare
    const fn = pipeline.ingest

    // Act
    const logGrants = grantsOf(fn.role).filter((g) => g.actions.some((a) => a.startsWith('logs:')))

    // Assess
    expect(logGrants.length).toBeGreaterThan(0)
    const own = `<GetAtt:${logicalId(fn.logGroup)}.Arn>`
    for (const g of logGrants) expect(g.resources).toEqual([own])
  })
})
