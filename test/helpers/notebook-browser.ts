import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../..')
/** The built notebook. */
export const DIST = path.join(ROOT, 'analytics/dist')
/** Screenshots go here (gitignored). */
export const ARTIFACTS = path.join(ROOT, 'test-artifacts')

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

function newest(p: string): number {
  const s = statSync(p)
  if (!s.isDirectory()) return s.mtimeMs
  return Math.max(s.mtimeMs, ...readdirSync(p).map((n) => newest(path.join(p, n))))
}

/** Build the notebook once when `analytics/dist` is missing or older than its sources. */
export function ensureNotebookBuilt(): void {
  const index = path.join(DIST, 'index.html')
  const sources = [
    'analytics/src',
    'sql',
    'analytics/index.html',
    'analytics/vite.config.ts',
    'schemas',
  ]
  const stale =
    !existsSync(index) ||
    Math.max(...sources.map((s) => newest(path.join(ROOT, s)))) > statSync(index).mtimeMs
  if (stale) {
    execFileSync(
      'npx',
      ['vite', 'build', '--config', 'analytics/vite.config.ts', '--logLevel', 'error'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    )
  }
}

/** A headless Chromium page that refuses (and records) every request to a non-loopback host. */
export interface GuardedBrowser {
  browser: Browser
  page: Page
  /** URLs of refused requests to other hosts. */
  foreign: string[]
  /** Uncaught page errors. */
  pageErrors: string[]
}

/** Launch Debian's Chromium headless through playwright-core. */
export async function launchGuardedBrowser(): Promise<GuardedBrowser> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  })
  const foreign: string[] = []
  const pageErrors: string[] = []
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (url.protocol === 'blob:' || url.protocol === 'data:' || LOOPBACK.has(url.hostname))
      return route.continue()
    foreign.push(route.request().url())
    return route.abort()
  })
  const page = await context.newPage()
  page.on('pageerror', (e) => pageErrors.push(e.message))
  return { browser, page, foreign, pageErrors }
}

/**
 * Show a notebook URL in the app already open on it: pushed into history, as a page link or Back
 * does, so the view changes without reloading DuckDB and the lake (a reload costs seconds). The
 * first call, or another path, loads the URL (`openNotebook`).
 */
export async function showNotebook(page: Page, url: string, screenshot?: string): Promise<void> {
  const target = new URL(url)
  const here = page.url().startsWith('http') ? new URL(page.url()) : null
  if (here?.origin !== target.origin || here.pathname !== target.pathname)
    return openNotebook(page, url, screenshot)
  await page.evaluate((search) => {
    history.pushState(null, '', search)
    dispatchEvent(new PopStateEvent('popstate'))
  }, target.search)
  await page.waitForSelector('.page[data-rendered="true"]', { timeout: 45_000 })
  if (screenshot)
    await page.screenshot({ path: path.join(ARTIFACTS, `${screenshot}.png`), fullPage: true })
}

/** Open a notebook URL and wait until its page has rendered. */
export async function openNotebook(page: Page, url: string, screenshot?: string): Promise<void> {
  await page.goto(url)
  await page.waitForSelector('.page[data-rendered="true"]', { timeout: 45_000 })
  if (screenshot)
    await page.screenshot({ path: path.join(ARTIFACTS, `${screenshot}.png`), fullPage: true })
}
