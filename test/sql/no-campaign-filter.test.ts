import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createDuckDb, type NodeDuckDb } from '#adapters/duckdb-node.ts'
import { clientViewSql, NO_CAMPAIGN } from '#sql/dataset-views.ts'

describe("the filter macros' 'no campaign' value", () => {
  let db: NodeDuckDb

  beforeAll(async () => {
    db = await createDuckDb({ homeDirectory: mkdtempSync(path.join(tmpdir(), 'netlake-nocamp-')) })
    db.query(
      "CREATE TABLE runs AS SELECT * FROM (VALUES ('r1', 'c1', 9.4e9), ('r2', NULL, 4.2e9), ('r3', 'netlake-sample', 9.0e9)) t(run_id, campaign, throughput_bps)",
    )
    db.query(
      "CREATE OR REPLACE TABLE runs AS SELECT run_id, NULL::VARCHAR AS role, 'iperf3' AS tool, 'tcp' AS test, 'ok' AS status, throughput_bps, NULL::DOUBLE AS latency_s, 'openstack' AS platform, 'os-s1' AS scenario, NULL::VARCHAR AS hardware_profile, campaign, '2026-11-26' AS date FROM runs",
    )
    db.query('CREATE TABLE intervals AS SELECT NULL::VARCHAR AS run_id WHERE false')
    for (const statement of clientViewSql()) db.query(statement)
  })
  afterAll(async () => {
    await db?.close()
  })

  const ids = (campaign: string | null) =>
    db
      .query(
        'SELECT run_id FROM tcp_throughput_runs_where(NULL, NULL, NULL, $1, NULL, NULL) ORDER BY run_id',
        [campaign],
      )
      .map((r) => r.run_id)

  it('selects only the runs without a campaign; a campaign selects its own; unset selects all', () => {
    // Act
    const none = ids(NO_CAMPAIGN)
    const c1 = ids('c1')
    const all = ids(null)
    // Assess
    expect(none).toEqual(['r2'])
    expect(c1).toEqual(['r1'])
    expect(all).toEqual(['r1', 'r2', 'r3'])
  })
})
