import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createDuckDb, type NodeDuckDb, type SqlParam } from '#adapters/duckdb-node.ts'
import { scopeCellSql } from '../../analytics/src/cell-filters.ts'
import type { Filters } from '../../analytics/src/state.ts'
import { NO_CAMPAIGN } from '#sql/dataset-views.ts'

const NONE: Filters = {
  platform: '',
  scenario: '',
  hardware_profile: '',
  campaign: '',
  date_from: '',
  date_to: '',
}

describe('scopeCellSql on DuckDB 0.9.1 (the notebook engine)', () => {
  let db: NodeDuckDb

  beforeAll(async () => {
    db = await createDuckDb({ homeDirectory: mkdtempSync(path.join(tmpdir(), 'netlake-scope-')) })
    db.query(
      "CREATE TABLE runs AS SELECT * FROM (VALUES ('r1', 'openstack', 'os-s1', '2026-11-20', 'c1'), ('r2', 'kubevirt', 'kv-s1', '2026-11-21', NULL), ('r3', 'openstack', 'os-s3', '2026-11-25', 'c1')) t(run_id, platform, scenario, date, campaign)",
    )
    db.query(
      "CREATE TABLE intervals AS SELECT * FROM (VALUES ('r1', 1.0), ('r2', 2.0), ('r3', 3.0)) t(run_id, bits_per_second)",
    )
    db.query("CREATE TABLE metrics AS SELECT * FROM (VALUES ('r2', 'x')) t(run_id, name)")
  })
  afterAll(async () => {
    await db?.close()
  })

  const run = (sql: string, filters: Filters) => {
    const scoped = scopeCellSql(sql, filters)
    return db.query(scoped.sql, scoped.params as SqlParam[])
  }

  it('leaves a cell alone when no filter is set', () => {
    // Act
    const scoped = scopeCellSql('SELECT 1', NONE)
    // Assess
    expect(scoped).toEqual({ sql: 'SELECT 1', params: [], description: [] })
  })

  it('restricts runs, and intervals and metrics through their run, binding the values', () => {
    // Prepare
    const filters = { ...NONE, platform: 'openstack', date_to: '2026-11-24' }
    // Act
    const runs = run('SELECT run_id FROM runs ORDER BY run_id', filters)
    const joined = run(
      'SELECT r.scenario, i.bits_per_second FROM runs r JOIN intervals i USING (run_id)',
      filters,
    )
    const whole = run('SELECT count(*)::INTEGER AS n FROM main.runs', filters)
    // Assess
    expect(runs).toEqual([{ run_id: 'r1' }])
    expect(joined).toEqual([{ scenario: 'os-s1', bits_per_second: 1 }])
    expect(whole).toEqual([{ n: 3 }])
    expect(scopeCellSql('', filters).description).toEqual([
      'platform = openstack',
      'date <= 2026-11-24',
    ])
    expect(scopeCellSql('SELECT 1', filters).sql).not.toContain("'openstack'")
  })

  it("'no campaign' selects the runs without one, binding nothing for it", () => {
    // Prepare
    const filters = { ...NONE, campaign: NO_CAMPAIGN, platform: 'kubevirt' }
    // Act
    const scoped = scopeCellSql('SELECT run_id FROM runs', filters)
    const rows = run('SELECT run_id FROM runs ORDER BY run_id', filters)
    const none = run('SELECT run_id FROM runs', {
      ...NONE,
      campaign: NO_CAMPAIGN,
      platform: 'openstack',
    })
    // Assess
    expect(rows).toEqual([{ run_id: 'r2' }])
    expect(none).toEqual([])
    expect(scoped.params).toEqual(['kubevirt'])
    expect(scoped.description).toEqual(['platform = kubevirt', 'campaign is not set'])
  })

  it("keeps a cell's own WITH list", () => {
    // Act
    const rows = run(
      'with k AS (SELECT run_id FROM runs) SELECT count(*)::INTEGER AS n FROM k JOIN metrics USING (run_id);',
      { ...NONE, platform: 'kubevirt' },
    )
    // Assess
    expect(rows).toEqual([{ n: 1 }])
  })
})
