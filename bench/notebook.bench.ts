/**
 * Notebook benchmark (issue 15; not a test): in headless Chromium (playwright-core, Debian's
 * /usr/bin/chromium), on the built notebook (`npm run build:notebook`) served from loopback:
 *   1. first chart of the default page after navigation, over the sample lake (the lab runs of
 *      samples/lab); peer: the time until DuckDB has the lake's views ("Lake ready");
 *   2. a filter change (hardware profile) on the throughput page over a 12,000-run lake until the
 *      new page has rendered; peer: the DuckDB query time the page reports for that render.
 * Targets: (1) ≤ 2 s, (2) ≤ 1 s, medians over the rounds.
 *   npm run bench:notebook
 *   NETLAKE_BENCH_NOTEBOOK_ROUNDS=5 (default)  NETLAKE_BENCH_NOTEBOOK_COPIES=500 (default: 12,000 runs)
 * Timings come from the page's own clock (performance.now(), a MutationObserver installed before
 * the notebook's scripts), not from the driver's polling.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { machineNote } from './lib/machine.ts'
import { median, table } from './lib/stats.ts'
import { labRows, replicateRows, writeLabParquet } from '../test/helpers/notebook-fixtures.ts'
import { startNotebookServer } from '../test/helpers/notebook-server.ts'
import { DIST, ensureNotebookBuilt } from '../test/helpers/notebook-browser.ts'

const ROUNDS = Number(process.env.NETLAKE_BENCH_NOTEBOOK_ROUNDS ?? 5)
const COPIES = Number(process.env.NETLAKE_BENCH_NOTEBOOK_COPIES ?? 500)
const FIRST_CHART_TARGET_MS = 2000
const FILTER_CHANGE_TARGET_MS = 1000
const log = (message: string) => process.stderr.write(`${message}\n`)

/** Installed before any notebook script: records when things first appear, on the page's clock. */
const OBSERVER = `(() => {
  const marks = (window.__marks = { ready: null, chart: null, renders: [] })
  const check = () => {
    const status = document.getElementById('status')
    if (marks.ready === null && status && status.dataset.state === 'ready') marks.ready = performance.now()
    if (marks.chart === null && document.querySelector('figure.chart svg')) marks.chart = performance.now()
    for (const p of document.querySelectorAll('.page[data-rendered="true"]:not([data-seen])')) {
      p.setAttribute('data-seen', '')
      marks.renders.push(performance.now())
    }
  }
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true })
})()`

interface Marks {
  ready: number | null
  chart: number | null
  renders: number[]
}
const marks = (page: Page) => page.evaluate(() => (window as unknown as { __marks: Marks }).__marks)
/** The notebook's own `netlake:*` performance marks: where the time to the first chart goes. */
const stepMarks = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('netlake:'))
        .map((m) => [m.name.slice('netlake:'.length), m.startTime]),
    ),
  )

async function main(): Promise<void> {
  ensureNotebookBuilt()
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  const dirs: string[] = []
  const serve = async (copies: number | null) => {
    const rows = copies === null ? labRows() : replicateRows(labRows(), copies)
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netlake-notebook-bench-'))
    dirs.push(dir)
    const files = await writeLabParquet(dir, rows)
    return {
      runs: rows.runs.length,
      server: await startNotebookServer({ distDir: DIST, dataDir: dir, files }),
    }
  }
  try {
    // 1. first chart on the default page, sample lake; a fresh context each round (cold cache)
    const sample = await serve(null)
    const first: Array<{ ready: number; chart: number; steps: Record<string, number> }> = []
    for (let round = 0; round < ROUNDS; round++) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      await context.addInitScript(OBSERVER)
      const page = await context.newPage()
      await page.goto(`${sample.server.url}/`)
      await page.waitForFunction(
        () => {
          const m = (window as unknown as { __marks: Marks }).__marks
          return m.chart !== null && m.ready !== null
        },
        undefined,
        { timeout: 60_000 },
      )
      const m = await marks(page)
      const steps = await stepMarks(page)
      first.push({ ready: m.ready!, chart: m.chart!, steps })
      log(
        `first chart round ${round + 1}: chart ${m.chart!.toFixed(0)} ms, DuckDB ready ${m.ready!.toFixed(0)} ms (${Object.entries(
          steps,
        )
          .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
          .join(', ')})`,
      )
      await context.close()
    }
    await sample.server.close()

    // 2. filter change on a large lake: the hardware profile filter, back and forth
    const big = await serve(COPIES)
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
    await context.addInitScript(OBSERVER)
    const page = await context.newPage()
    await page.goto(`${big.server.url}/?page=throughput`)
    await page.waitForSelector('.page[data-rendered="true"] figure.chart', { timeout: 120_000 })
    // the pickers fill in after the first chart (their query waits for it)
    await page.waitForSelector('select[name="hardware_profile"] option:nth-child(2)', {
      state: 'attached',
    })
    const profiles = await page
      .locator('select[name="hardware_profile"] option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean))
    const changes: Array<{ total: number; query: number }> = []
    for (let round = 0; round < ROUNDS; round++) {
      const value = round % 2 === 0 ? profiles[0] : ''
      const before = (await marks(page)).renders.length
      const start = await page.evaluate(() => performance.now())
      await page.selectOption('select[name="hardware_profile"]', value)
      await page.waitForFunction(
        (n) => (window as unknown as { __marks: Marks }).__marks.renders.length > n,
        before,
        { timeout: 60_000 },
      )
      const end = (await marks(page)).renders.at(-1)!
      const status = await page.locator('.page p.status.ok').first().textContent()
      const query = Number(/in (\d+) ms/.exec(status ?? '')?.[1] ?? NaN)
      changes.push({ total: end - start, query })
      log(
        `filter change round ${round + 1} (${value || 'all'}): ${(end - start).toFixed(0)} ms, query ${query} ms`,
      )
    }
    await context.close()
    await big.server.close()

    const chart = median(first.map((f) => f.chart))
    const ready = median(first.map((f) => f.ready))
    const stepNames = Object.keys(first[0]?.steps ?? {})
    const steps = stepNames
      .map((name) => `${name} ${median(first.map((f) => f.steps[name] ?? NaN)).toFixed(0)} ms`)
      .join(', ')
    const change = median(changes.map((c) => c.total))
    const query = median(changes.map((c) => c.query))
    process.stdout.write(
      `\nnotebook benchmark, ${ROUNDS} rounds, medians (${machineNote()}, load ${os.loadavg()[0].toFixed(1)})\n` +
        table(
          ['measure', 'lake', 'median', 'peer', 'ratio', 'target', 'met'],
          [
            [
              'first chart after navigation (default page)',
              `sample (${sample.runs} runs)`,
              `${chart.toFixed(0)} ms`,
              `DuckDB ready ${ready.toFixed(0)} ms`,
              `${(chart / ready).toFixed(2)}×`,
              `≤ ${FIRST_CHART_TARGET_MS} ms`,
              chart <= FIRST_CHART_TARGET_MS ? 'yes' : 'no',
            ],
            [
              'filter change → page rendered (throughput)',
              `${big.runs} runs`,
              `${change.toFixed(0)} ms`,
              `its DuckDB query ${query.toFixed(0)} ms`,
              `${(change / query).toFixed(2)}×`,
              `≤ ${FILTER_CHANGE_TARGET_MS} ms`,
              change <= FILTER_CHANGE_TARGET_MS ? 'yes' : 'no',
            ],
          ],
        ) +
        `\nfirst chart, median of each step after navigation: ${steps}\n`,
    )
  } finally {
    await browser.close()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
}

await main()
