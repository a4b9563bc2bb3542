import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { sha256Hex } from '#core/rows.ts'
import type { RawContext } from '#schemas/parse-result.ts'

/** Repository root, from this file's location (test/core/qperf/). */
export const ROOT = join(import.meta.dirname, '..', '..', '..')

/** One qperf fixture: its text, its context and where its reviewed golden file lives. */
export interface QperfFixture {
  /** Path from the repository root, used as raw_key. */
  key: string
  text: string
  context: RawContext
  expectedPath: string
}

/** Every qperf fixture: real (`qperf-*.txt`), lab (`<scenario>/qperf.txt`) and crafted. */
export function qperfFixtures(): QperfFixture[] {
  const keys: string[] = []
  for (const name of readdirSync(join(ROOT, 'test/fixtures/real')).sort()) {
    if (/^qperf-.*\.txt$/.test(name)) keys.push(`test/fixtures/real/${name}`)
  }
  for (const dir of readdirSync(join(ROOT, 'test/fixtures/lab'), { withFileTypes: true })) {
    if (dir.isDirectory()) keys.push(`test/fixtures/lab/${dir.name}/qperf.txt`)
  }
  for (const name of readdirSync(join(ROOT, 'test/fixtures/crafted')).sort()) {
    if (/^qperf-.*\.txt$/.test(name)) keys.push(`test/fixtures/crafted/${name}`)
  }
  return keys.sort().map((key) => {
    const bytes = readFileSync(join(ROOT, key))
    return {
      key,
      text: bytes.toString('utf8'),
      context: { raw_key: key, raw_sha256: sha256Hex(bytes) },
      expectedPath: join(ROOT, key.replace(/\.txt$/, '.expected.json')),
    }
  })
}

/** Read a fixture's text by path from the repository root. */
export function fixtureText(key: string): string {
  return readFileSync(join(ROOT, key), 'utf8')
}
