import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createDuckDb, type NodeDuckDb } from '#adapters/duckdb-node.ts'
import { clientViewSql, NO_CAMPAIGN } from '#sql/dataset-views.ts'

describe("the filter macros' 'no campaign' value and the samples kept apart", () => {
  let db: NodeDuckDb | undefined

  /** A lake of iperf3 runs with these ids and campaigns (SQL literals), and the client views. */
  async function lake(runs: Array<[id: string, campaign: string]>) {
    db = await createDuckDb({ homeDirectory: mkdtempSync(path.join(tmpdir(), 'netlake-nocamp-')) })
    const values = runs.map(([id, campaign]) => `('${id}', ${campaign})`).join(', ')
    db.query(
      `CREATE TABLE runs AS SELECT run_id, NULL::VARCHAR AS role, 'iperf3' AS tool, 'tcp' AS test, 'ok' AS status, 9.4e9 AS throughput_bps, NULL::DOUBLE AS latency_s, 'openstack' AS platform, 'os-s1' AS scenario, NULL::VARCHAR AS hardware_profile, campaign::VARCHAR AS campaign, '2026-11-26' AS date FROM (VALUES ${values}) t(run_id, campaign)`,
    )
    db.query('CREATE TABLE intervals AS SELECT NULL::VARCHAR AS run_id WHERE false')
    for (const statement of clientViewSql()) db.query(statement)
    return (campaign: string | null) =>
      db!
        .query(
          'SELECT run_id FROM tcp_throughput_runs_where(NULL, NULL, NULL, $1, NULL, NULL) ORDER BY run_id',
          [campaign],
        )
        .map((r) => r.run_id)
  }
  afterEach(async () => {
    await db?.close()
    db = undefined
  })

  it('selects only the runs without a campaign; a campaign selects its own; unset selects all but the samples', async () => {
    // Prepare
    const ids = await lake([
      ['r1', "'c1'"],
      ['r2', 'NULL'],
      ['r3', "'netlake-sample'"],
    ])
    // Act
    const none = ids(NO_CAMPAIGN)
    const c1 = ids('c1')
    const all = ids(null)
    const samples = ids('netlake-sample')
    // Assess
    expect(none).toEqual(['r2'])
    expect(c1).toEqual(['r1'])
    expect(all).toEqual(['r1', 'r2']) // the user's runs exist, so the samples stay apart
    expect(samples).toEqual(['r3'])
  })

  it('shows the samples unfiltered while nothing else is in the lake', async () => {
    // Prepare
    const ids = await lake([
      ['r3', "'netlake-sample'"],
      ['r4', "'netlake-sample'"],
    ])
    // Act
    const all = ids(null)
    // Assess
    expect(all).toEqual(['r3', 'r4'])
  })
})
