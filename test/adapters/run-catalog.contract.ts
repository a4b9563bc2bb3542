import { beforeAll, describe, expect, it } from 'vitest'
import { ConditionFailedError } from '#functions/ports.ts'
import type {
  IngestRecord,
  ReportRecord,
  RunCatalog,
  RunFilter,
  TokenRecord,
} from '#functions/ports.ts'
import type { RunRow } from '#schemas/tables.ts'
import { emptyRunRow } from '#core/rows.ts'
import { InvalidCursorError, InvalidFilterError } from '#functions/ports.ts'

/** A run with every column null except the given ones. */
export function makeRun(overrides: Partial<RunRow> & { run_id: string }): RunRow {
  return { ...emptyRunRow(), ...overrides }
}

/** 30 runs over 2 platform/scenario pairs, 2 hardware profiles, 30 days; every 7th failed. */
function seedRuns(): RunRow[] {
  return Array.from({ length: 30 }, (_, i) =>
    makeRun({
      run_id: `run-${String(i).padStart(2, '0')}`,
      started_at: new Date(Date.UTC(2025, 5, 1 + i, 12)).toISOString(),
      platform: i % 2 === 0 ? 'openstack' : 'kubevirt',
      scenario: i % 3 === 0 ? 's1' : 's2',
      hardware_profile: i % 5 === 0 ? 'r740-1g' : 'r740-10g',
      tool: i % 4 === 0 ? 'qperf' : 'iperf3',
      status: i % 7 === 0 ? 'error' : 'ok',
      campaign: 'c1',
      throughput_bps: 9.41e9 - i,
      retransmits: i,
    }),
  )
}

/** Walks every page; checks page sizes and returns the ids in order. */
async function walk(catalog: RunCatalog, filter: RunFilter, limit: number): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  for (let pages = 0; pages < 100; pages++) {
    const page = await catalog.listRuns(filter, limit, cursor)
    expect(page.items.length).toBeLessThanOrEqual(limit)
    if (page.cursor !== null) expect(page.items.length).toBe(limit)
    ids.push(...page.items.map((r) => r.run_id as string))
    cursor = page.cursor
    if (cursor === null) return ids
  }
  throw new Error('listing did not end')
}

/** The ids a filter should return, newest first, computed from the seed directly. */
function expected(runs: RunRow[], keep: (r: RunRow) => boolean): string[] {
  return runs
    .filter(keep)
    .sort((a, b) => (b.started_at as string).localeCompare(a.started_at as string))
    .map((r) => r.run_id as string)
}

function ingest(sha: string, at: string, outcome: IngestRecord['outcome']): IngestRecord {
  return {
    raw_sha256: sha,
    raw_key: `raw/${sha}.json`,
    outcome,
    run_ids: [`${sha}-0`],
    reason: null,
    parser_version: '1.0.0',
    at,
  }
}

function report(id: string, windowTo: string): ReportRecord {
  return {
    report_id: id,
    window_from: '2025-06-01T00:00:00.000Z',
    window_to: windowTo,
    created_at: windowTo,
    keys: { html: `reports/${id}.html`, md: `reports/${id}.md`, json: `reports/${id}.json` },
    regressions: 1,
    improvements: 0,
  }
}

/** Registers the `RunCatalog` contract; `create` gives a fresh, empty catalog per block. */
/**
 * How an adapter's store held a token before the by-kind token index existed (DynamoDB: the item
 * without its index entry). The memory twin has no index, so its tokens are always found: it
 * writes them with `putToken`, and the same contract holds for both.
 */
export type PutLegacyToken = (catalog: RunCatalog, token: TokenRecord) => Promise<void>

export function runCatalogContract(
  name: string,
  create: () => Promise<RunCatalog>,
  putLegacyToken: PutLegacyToken,
): void {
  describe(`RunCatalog contract: ${name}`, () => {
    describe('run summaries', () => {
      let catalog: RunCatalog
      beforeAll(async () => {
        catalog = await create()
      })

      it('round-trips a run: nulls stay null, numbers stay numbers', async () => {
        // Prepare
        const run = makeRun({
          run_id: 'r1',
          throughput_bps: 9.41e9,
          streams: 4,
          software: '{"k":"v"}',
          platform: 'openstack',
        })
        // Act
        await catalog.putRun(run)
        const got = await catalog.getRun('r1')
        // Assess
        expect(got).toEqual(run)
        expect(got?.jitter_ms).toBeNull()
        expect(typeof got?.throughput_bps).toBe('number')
        expect(got).not.toHaveProperty('pk')
      })

      it('refuses a second putRun with ConditionFailedError unless overwrite', async () => {
        // Prepare
        const run = makeRun({ run_id: 'r2', throughput_bps: 1 })
        await catalog.putRun(run)
        // Act
        const again = await catalog.putRun({ ...run, throughput_bps: 2 }).catch((e: unknown) => e)
        // Assess
        expect(again).toBeInstanceOf(ConditionFailedError)
        expect((await catalog.getRun('r2'))?.throughput_bps).toBe(1)
        await catalog.putRun({ ...run, throughput_bps: 3 }, { overwrite: true })
        expect((await catalog.getRun('r2'))?.throughput_bps).toBe(3)
      })

      it('returns null for an unknown run', async () => {
        // Act
        const got = await catalog.getRun('nope')
        // Assess
        expect(got).toBeNull()
      })
    })

    describe('listing runs', () => {
      let catalog: RunCatalog
      const runs = seedRuns()
      beforeAll(async () => {
        catalog = await create()
        for (const run of runs) await catalog.putRun(run)
        await catalog.putRun(makeRun({ run_id: 'timeless', platform: 'openstack', scenario: 's1' }))
      })

      it('lists all runs newest first across pages of 7', async () => {
        // Act
        const ids = await walk(catalog, {}, 7)
        // Assess
        expect(ids).toEqual([...expected(runs, () => true), 'timeless'])
      })

      it('uses platform+scenario with a time range (inclusive bounds)', async () => {
        // Prepare
        const filter = {
          platform: 'openstack',
          scenario: 's2',
          from: '2025-06-05T12:00:00Z',
          to: '2025-06-21T12:00:00Z',
        }
        // Act
        const ids = await walk(catalog, filter, 3)
        // Assess
        const want = expected(
          runs,
          (r) =>
            r.platform === 'openstack' &&
            r.scenario === 's2' &&
            r.started_at! >= '2025-06-05T12' &&
            r.started_at! <= '2025-06-21T12:00:00.000Z',
        )
        expect(ids).toEqual(want)
        expect(ids).toContain('run-04')
        expect(ids).toContain('run-20')
      })

      it('uses the hardware profile with an upper bound, skipping runs without time', async () => {
        // Act
        const ids = await walk(
          catalog,
          { hardware_profile: 'r740-1g', to: '2025-06-21T12:00:00.000Z' },
          2,
        )
        // Assess
        expect(ids).toEqual(['run-20', 'run-15', 'run-10', 'run-05', 'run-00'])
      })

      it('fills pages up to the limit even when a filter discards most items', async () => {
        // Act: status=error matches runs 0, 7, 14, 21, 28 among 31 items
        const first = await catalog.listRuns({ status: 'error' }, 2)
        const ids = await walk(catalog, { status: 'error' }, 2)
        // Assess
        expect(first.items.map((r) => r.run_id)).toEqual(['run-28', 'run-21'])
        expect(first.cursor).not.toBeNull()
        expect(ids).toEqual(['run-28', 'run-21', 'run-14', 'run-07', 'run-00'])
      })

      it('combines an index with residual filters', async () => {
        // Prepare
        const filter = { platform: 'kubevirt', scenario: 's2', tool: 'iperf3', campaign: 'c1' }
        // Act
        const ids = await walk(catalog, filter, 4)
        // Assess
        expect(ids).toEqual(
          expected(
            runs,
            (r) => r.platform === 'kubevirt' && r.scenario === 's2' && r.tool === 'iperf3',
          ),
        )
        expect(ids.length).toBeGreaterThan(4)
      })

      it("selects runs without a campaign with campaign ''", async () => {
        // Act
        const alone = await walk(catalog, { campaign: '' }, 5)
        const indexed = await walk(
          catalog,
          { platform: 'openstack', scenario: 's1', campaign: '' },
          5,
        )
        // Assess: every seeded run has campaign c1, only 'timeless' has none
        expect(alone).toEqual(['timeless'])
        expect(indexed).toEqual(['timeless'])
      })

      it('applies a lone platform as a filter', async () => {
        // Act
        const ids = await walk(catalog, { platform: 'kubevirt' }, 10)
        // Assess
        expect(ids).toEqual(expected(runs, (r) => r.platform === 'kubevirt'))
      })

      it('round-trips a cursor to the next page without overlap', async () => {
        // Act
        const one = await catalog.listRuns({}, 5)
        const two = await catalog.listRuns({}, 5, one.cursor)
        // Assess
        expect(one.items.map((r) => r.run_id)).toEqual([
          'run-29',
          'run-28',
          'run-27',
          'run-26',
          'run-25',
        ])
        expect(two.items.map((r) => r.run_id)).toEqual([
          'run-24',
          'run-23',
          'run-22',
          'run-21',
          'run-20',
        ])
      })

      it('returns an empty last page with a null cursor for no match', async () => {
        // Act
        const page = await catalog.listRuns({ platform: 'nowhere', scenario: 'x' }, 5)
        // Assess
        expect(page).toEqual({ items: [], cursor: null })
      })

      it('rejects a bad cursor or one from another listing (InvalidCursorError)', async () => {
        // Prepare
        const other = await catalog.listRuns({ hardware_profile: 'r740-10g' }, 2)
        const forged = Buffer.from(
          JSON.stringify({ v: 1, s: 'runs:by-kind', k: { pk: 1 } }),
        ).toString('base64url')
        // Act / Assess
        await expect(catalog.listRuns({}, 2, 'not a cursor!')).rejects.toBeInstanceOf(
          InvalidCursorError,
        )
        await expect(catalog.listRuns({}, 2, 'bm90IGpzb24')).rejects.toBeInstanceOf(
          InvalidCursorError,
        )
        await expect(catalog.listRuns({}, 2, forged)).rejects.toBeInstanceOf(InvalidCursorError)
        await expect(catalog.listRuns({}, 2, other.cursor)).rejects.toBeInstanceOf(
          InvalidCursorError,
        )
        await expect(
          catalog.listRuns({ hardware_profile: 'r740-1g' }, 2, other.cursor),
        ).rejects.toBeInstanceOf(InvalidCursorError)
      })

      it('rejects an unparseable time and a bad limit with InvalidFilterError', async () => {
        // Act / Assess
        await expect(catalog.listRuns({ from: 'yesterday' }, 2)).rejects.toBeInstanceOf(
          InvalidFilterError,
        )
        await expect(catalog.listRuns({}, 0)).rejects.toBeInstanceOf(InvalidFilterError)
      })
    })

    describe('ingest records', () => {
      let catalog: RunCatalog
      beforeAll(async () => {
        catalog = await create()
      })

      it('records once, refuses duplicates, replaces, lists by outcome in time order', async () => {
        // Prepare
        await catalog.putIngestRecord(ingest('bbb', '2025-06-02T00:00:00.000Z', 'ingested'))
        await catalog.putIngestRecord(ingest('aaa', '2025-06-03T00:00:00.000Z', 'quarantined'))
        await catalog.putIngestRecord(ingest('ccc', '2025-06-01T00:00:00.000Z', 'ingested'))
        // Act
        const dup = await catalog
          .putIngestRecord(ingest('bbb', '2025-06-09T00:00:00.000Z', 'ingested'))
          .catch((e: unknown) => e)
        await catalog.replaceIngestRecord({
          ...ingest('aaa', '2025-06-04T00:00:00.000Z', 'ingested'),
          run_ids: [],
        })
        const all: string[] = []
        for await (const r of catalog.listIngestRecords()) all.push(r.raw_sha256)
        const ingested: string[] = []
        for await (const r of catalog.listIngestRecords('ingested')) ingested.push(r.raw_sha256)
        const quarantined: string[] = []
        for await (const r of catalog.listIngestRecords('quarantined'))
          quarantined.push(r.raw_sha256)
        // Assess
        expect(dup).toBeInstanceOf(ConditionFailedError)
        expect(await catalog.getIngestRecord('aaa')).toEqual({
          ...ingest('aaa', '2025-06-04T00:00:00.000Z', 'ingested'),
          run_ids: [],
        })
        expect(await catalog.getIngestRecord('zzz')).toBeNull()
        expect(all).toEqual(['ccc', 'bbb', 'aaa'])
        expect(ingested).toEqual(['ccc', 'bbb', 'aaa'])
        expect(quarantined).toEqual([])
      })

      it('deletes a run and an ingest record (relabel and delete), and deleting twice is no error', async () => {
        // Prepare
        await catalog.putIngestRecord(ingest('ddd', '2025-06-05T00:00:00.000Z', 'ingested'))
        await catalog.putRun(makeRun({ run_id: 'run-del', platform: 'openstack', scenario: 's9' }))
        // Act
        await catalog.deleteRun('run-del')
        await catalog.deleteRun('run-del')
        await catalog.deleteIngestRecord('ddd')
        await catalog.deleteIngestRecord('ddd')
        const listed = await catalog.listRuns({ platform: 'openstack', scenario: 's9' }, 10)
        // Assess
        expect(await catalog.getRun('run-del')).toBeNull()
        expect(listed.items).toEqual([])
        expect(await catalog.getIngestRecord('ddd')).toBeNull()
        await catalog.putIngestRecord(ingest('ddd', '2025-06-06T00:00:00.000Z', 'ingested'))
        expect((await catalog.getIngestRecord('ddd'))?.at).toBe('2025-06-06T00:00:00.000Z')
      })
    })

    describe('dataset partitions', () => {
      let catalog: RunCatalog
      beforeAll(async () => {
        catalog = await create()
      })

      it('writes with optimistic versions and lists by table, platform and date', async () => {
        // Prepare
        const files = [
          { key: 'curated/runs/platform=openstack/date=2025-06-01/a.parquet', rows: 3, bytes: 900 },
        ]
        const p1 = {
          table: 'runs' as const,
          platform: 'openstack',
          date: '2025-06-01',
          version: 1,
          files,
        }
        await catalog.putPartition(p1, null)
        await catalog.putPartition({ ...p1, platform: 'baremetal', files: [] }, null)
        await catalog.putPartition({ ...p1, table: 'intervals' }, null)
        // Act
        const createAgain = await catalog.putPartition(p1, null).catch((e: unknown) => e)
        const stale = await catalog.putPartition({ ...p1, version: 3 }, 2).catch((e: unknown) => e)
        await catalog.putPartition({ ...p1, version: 2, files: [] }, 1)
        // Assess
        expect(createAgain).toBeInstanceOf(ConditionFailedError)
        expect(stale).toBeInstanceOf(ConditionFailedError)
        expect(await catalog.getPartition('runs', 'openstack', '2025-06-01')).toEqual({
          ...p1,
          version: 2,
          files: [],
        })
        expect(await catalog.getPartition('metrics', 'openstack', '2025-06-01')).toBeNull()
        const listed = await catalog.listPartitions()
        expect(listed.map((p) => `${p.table}/${p.platform}/${p.version}`)).toEqual([
          'runs/baremetal/1',
          'runs/openstack/2',
          'intervals/openstack/1',
        ])
        expect((await catalog.listPartitions('intervals')).map((p) => p.files)).toEqual([files])
      })
    })

    describe('tokens and reports', () => {
      let catalog: RunCatalog
      beforeAll(async () => {
        catalog = await create()
      })

      it('stores tokens by hash', async () => {
        // Prepare
        const token = {
          token_id: 't1',
          hash: 'h1',
          scopes: ['collector' as const],
          label: null,
          created_at: '2025-06-01T00:00:00.000Z',
          expires_at: null,
          revoked: false,
        }
        // Act
        await catalog.putToken(token)
        await catalog.putToken({ ...token, revoked: true })
        // Assess
        expect(await catalog.getTokenByHash('h1')).toEqual({ ...token, revoked: true })
        expect(await catalog.getTokenByHash('h2')).toBeNull()
      })

      it('lists tokens oldest first and revokes one by id', async () => {
        // Prepare
        const own = await create()
        const token = (id: string, created: string) => ({
          token_id: id,
          hash: `hash-${id}`,
          scopes: ['reader' as const],
          label: id,
          created_at: created,
          expires_at: '2030-01-01T00:00:00.000Z',
          revoked: false,
        })
        await own.putToken(token('b', '2025-06-02T00:00:00.000Z'))
        await own.putToken(token('a', '2025-06-01T00:00:00.000Z'))
        // Act
        const revoked = await own.revokeToken('b')
        const missing = await own.revokeToken('zzz')
        const listed = await own.listTokens()
        // Assess
        expect(revoked).toEqual({ ...token('b', '2025-06-02T00:00:00.000Z'), revoked: true })
        expect(missing).toBeNull()
        expect(listed.map((t) => [t.token_id, t.revoked])).toEqual([
          ['a', false],
          ['b', true],
        ])
        expect((await own.getTokenByHash('hash-b'))?.revoked).toBe(true)
      })

      it('lists and revokes tokens written before the token index existed', async () => {
        // Prepare
        const own = await create()
        const token = (id: string, created: string) => ({
          token_id: id,
          hash: `hash-${id}`,
          scopes: ['admin' as const],
          label: `${id} token`,
          created_at: created,
          expires_at: null,
          revoked: false,
        })
        await putLegacyToken(own, token('old-admin', '2025-05-01T00:00:00.000Z'))
        await putLegacyToken(own, token('old-reader', '2025-05-02T00:00:00.000Z'))
        await own.putToken(token('new', '2025-06-01T00:00:00.000Z'))
        // Act
        const listed = await own.listTokens()
        const revoked = await own.revokeToken('old-admin')
        const again = await own.listTokens()
        // Assess
        expect(listed).toEqual([
          token('old-admin', '2025-05-01T00:00:00.000Z'),
          token('old-reader', '2025-05-02T00:00:00.000Z'),
          token('new', '2025-06-01T00:00:00.000Z'),
        ])
        expect(revoked).toEqual({
          ...token('old-admin', '2025-05-01T00:00:00.000Z'),
          revoked: true,
        })
        expect(again.map((t) => [t.token_id, t.revoked])).toEqual([
          ['old-admin', true],
          ['old-reader', false],
          ['new', false],
        ])
        expect((await own.getTokenByHash('hash-old-admin'))?.revoked).toBe(true)
      })

      it('lists reports newest window first with cursors and finds one by id', async () => {
        // Prepare
        for (let day = 1; day <= 5; day++) {
          await catalog.putReport(report(`rep-${day}`, `2025-06-0${day}T00:00:00.000Z`))
        }
        // Act
        const one = await catalog.listReports(2)
        const two = await catalog.listReports(2, one.cursor)
        const three = await catalog.listReports(2, two.cursor)
        // Assess
        expect(one.items.map((r) => r.report_id)).toEqual(['rep-5', 'rep-4'])
        expect(two.items.map((r) => r.report_id)).toEqual(['rep-3', 'rep-2'])
        expect(three.items.map((r) => r.report_id)).toEqual(['rep-1'])
        expect(three.cursor).toBeNull()
        expect(await catalog.getReport('rep-3')).toEqual(
          report('rep-3', '2025-06-03T00:00:00.000Z'),
        )
        expect(await catalog.getReport('rep-9')).toBeNull()
        await expect(catalog.listReports(2, 'garbage')).rejects.toBeInstanceOf(InvalidCursorError)
      })
    })
  })
}
