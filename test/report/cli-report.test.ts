import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { run } from '../../cli/report.ts'
import { CURRENT, createReportLake } from './report-lake.ts'

describe('netlake report --lake DIR --out DIR', () => {
  let dir: string
  let lakeDir: string
  let curatedFiles: string[]

  beforeAll(async () => {
    // Prepare: the memory lake's curated objects as a folder tree (like a copy of the bucket)
    const lake = await createReportLake()
    dir = mkdtempSync(path.join(tmpdir(), 'netlake-report-cli-'))
    lakeDir = path.join(dir, 'lake')
    curatedFiles = []
    for await (const object of lake.curated.list('')) {
      const file = path.join(lakeDir, object.key)
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, (await lake.curated.get(object.key)) as Uint8Array)
      curatedFiles.push(object.key)
    }
  }, 60_000)

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const runQuiet = async (argv: string[]) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const code = await run(argv, new Date('2026-11-26T12:00:00Z'))
      return {
        code,
        stdout: log.mock.calls.map((c) => c.join(' ')),
        stderr: error.mock.calls.map((c) => c.join(' ')),
      }
    } finally {
      log.mockRestore()
      error.mockRestore()
    }
  }

  it('writes the three files from the runs Parquet alone and exits 1 on a regression', async () => {
    // Act
    const out = path.join(dir, 'out')
    const result = await runQuiet(['--lake', lakeDir, '--out', out, '--json'])
    // Assess
    const runsFiles = curatedFiles.filter((k) => k.startsWith('curated/runs/'))
    expect(curatedFiles.length).toBeGreaterThan(runsFiles.length)
    expect(result.code).toBe(1)
    expect(result.stdout.map((l) => JSON.parse(l))).toEqual([
      {
        report_id: 'w-2026-11-19-2026-11-25',
        files: runsFiles.length,
        out,
        runs: 51,
        failed: 1,
        groups: 10,
        regressions: 1,
        improvements: 0,
        skipped: [],
      },
    ])
    const model = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'))
    expect(model.window).toEqual(CURRENT)
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toMatch(
      /^# netlake report 2026-11-19 to 2026-11-25\n/,
    )
    // four summary charts and one history chart per series with at least 6 runs
    expect(readFileSync(path.join(out, 'report.html'), 'utf8').match(/<svg[\s>]/g)).toHaveLength(
      4 + model.history.length,
    )
    expect(model.history.length).toBeGreaterThanOrEqual(1)
  }, 30_000)

  it('takes --tolerance: a 20% drop (CI within ±30%) is not flagged at 30%, and exits 0', async () => {
    // Act
    const out = path.join(dir, 'tolerant')
    const result = await runQuiet([
      '--lake',
      lakeDir,
      '--out',
      out,
      '--since',
      CURRENT.from,
      '--until',
      CURRENT.to,
      '--tolerance',
      '0.3',
    ])
    // Assess
    expect(result.code).toBe(0)
    const model = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'))
    expect(model.tolerance).toBe(0.3)
    expect(
      model.changes.find(
        (c: { scenario: string; metric: string }) =>
          c.scenario === 'os-s1' && c.metric === 'throughput_bps',
      ).verdict,
    ).toBe('within-tolerance')
  }, 30_000)

  it('answers a reversed window with exit 2 and the usage, a missing stack or an unwritable --out with exit 3 (not 1, a regression)', async () => {
    // Act
    const reversed = await runQuiet([
      '--lake',
      lakeDir,
      '--since',
      '2026-11-30',
      '--until',
      '2026-11-01',
    ])
    const missing = await runQuiet(['--data-dir', dir, '--out', dir])
    const aFile = path.join(dir, 'a-file')
    writeFileSync(aFile, '')
    const unwritable = await runQuiet(['--lake', lakeDir, '--out', path.join(aFile, 'out')])
    // Assess
    expect(reversed.code).toBe(2)
    expect(reversed.stderr[0]).toMatch(
      /^netlake: window starts after it ends: 2026-11-30 > 2026-11-01\n\nusage: netlake report/,
    )
    // without --lake the command reports on a running stack, and says when there is none
    expect(missing.code).toBe(3)
    expect(missing.stderr[0]).toMatch(/^netlake report: no local stack is running with data in /)
    expect(unwritable.code).toBe(3)
    expect(unwritable.stderr.at(-1)).toMatch(/^netlake report: ENOTDIR/)
  })

  it('leaves out a corrupt runs file, names it in the three files and on stderr, and exits 0 without a regression', async () => {
    // Prepare: a copy of the lake with one extra runs file that is not Parquet, beside real ones
    const corruptLake = path.join(dir, 'corrupt-lake')
    cpSync(lakeDir, corruptLake, { recursive: true })
    const sibling = curatedFiles.find((k) => k.startsWith('curated/runs/'))!
    const key = path.join(path.dirname(sibling), 'corrupt.parquet')
    writeFileSync(path.join(corruptLake, key), 'not parquet at all')
    const reason = 'does not start with the Parquet magic PAR1'
    const clean = await runQuiet([
      '--lake',
      lakeDir,
      '--out',
      path.join(dir, 'clean'),
      '--tolerance',
      '0.3',
    ])
    // Act: at 30% the 20% drop is not flagged, so exit 1 could only mean a failure
    const out = path.join(dir, 'corrupt-out')
    const result = await runQuiet(['--lake', corruptLake, '--out', out, '--tolerance', '0.3'])
    const json = await runQuiet([
      '--lake',
      corruptLake,
      '--out',
      out,
      '--tolerance',
      '0.3',
      '--json',
    ])
    // Assess
    expect(clean.code).toBe(0)
    expect(result.code).toBe(0)
    expect(json.code).toBe(0)
    const model = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'))
    const cleanModel = JSON.parse(readFileSync(path.join(dir, 'clean', 'report.json'), 'utf8'))
    expect(model.skipped_files).toEqual([{ key, reason }])
    expect(model.totals).toEqual(cleanModel.totals)
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toContain(
      `1 file could not be read and was left out: ${key} (${reason}); see \`netlake doctor\``,
    )
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain(
      `1 file could not be read and was left out: ${key} (${reason}); see <code>netlake doctor</code>`,
    )
    expect(result.stderr.slice(-2)).toEqual([
      "1 file(s) could not be read and were left out of the report (see 'netlake doctor'):",
      `  ${key}: ${reason}`,
    ])
    expect(clean.stderr.join('\n')).not.toContain('could not be read')
    expect(JSON.parse(json.stdout[0]).skipped).toEqual([{ key, reason }])
  }, 60_000)

  it('leaves out a runs file whose frame is whole but whose footer DuckDB cannot parse, and names it', async () => {
    // Prepare: PAR1, junk, a footer length that fits, PAR1: it passes the cheap frame check
    const badLake = path.join(dir, 'bad-footer-lake')
    cpSync(lakeDir, badLake, { recursive: true })
    const sibling = curatedFiles.find((k) => k.startsWith('curated/runs/'))!
    const key = path.join(path.dirname(sibling), 'bad-footer.parquet')
    const bytes = Buffer.alloc(112, 0xff)
    bytes.write('PAR1', 0)
    bytes.writeUInt32LE(50, 104)
    bytes.write('PAR1', 108)
    writeFileSync(path.join(badLake, key), bytes)
    const clean = await runQuiet(['--lake', lakeDir, '--out', path.join(dir, 'clean-2'), '--json'])
    // Act
    const out = path.join(dir, 'bad-footer-out')
    const result = await runQuiet(['--lake', badLake, '--out', out, '--json'])
    // Assess: the same figures as without the file, the file named, no failure exit
    expect(result.code).toBe(clean.code)
    const model = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'))
    const cleanModel = JSON.parse(readFileSync(path.join(dir, 'clean-2', 'report.json'), 'utf8'))
    expect(model.skipped_files).toEqual([{ key, reason: 'DuckDB cannot read its metadata' }])
    expect(model.totals).toEqual(cleanModel.totals)
    expect(JSON.parse(result.stdout[0]).skipped).toEqual(model.skipped_files)
    expect(result.stderr.at(-1)).toBe(`  ${key}: DuckDB cannot read its metadata`)
  }, 60_000)
})
