import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** The real iperf3 documents the corpus is made of (golden `*.expected.json` files excluded). */
export function fixtureFiles(root: string): string[] {
  const real = path.join(root, 'test/fixtures/real')
  const lab = path.join(root, 'test/fixtures/lab')
  const isDoc = (f: string) => /^iperf3.*\.json$/.test(f) && !f.endsWith('.expected.json')
  const files = readdirSync(real)
    .filter(isDoc)
    .map((f) => path.join(real, f))
  for (const scenario of readdirSync(lab, { withFileTypes: true })) {
    if (!scenario.isDirectory()) continue
    const dir = path.join(lab, scenario.name)
    files.push(
      ...readdirSync(dir)
        .filter(isDoc)
        .map((f) => path.join(dir, f)),
    )
  }
  return files.sort()
}

/** A corpus on disk. */
export interface Corpus {
  dir: string
  files: string[]
  bytes: number
  /** Bytes of each fixture in one set, for the composition note. */
  sources: Array<{ file: string; bytes: number }>
}

/**
 * Copies of every fixture until `targetBytes` is reached, each copy a distinct document: its
 * `timesecs` is shifted by the copy number (documents without it get trailing whitespace), so
 * every file has its own sha256 and run ids, like real repeated runs.
 */
export function buildCorpus(root: string, dir: string, targetBytes: number): Corpus {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const sources = fixtureFiles(root).map((file) => ({ file, text: readFileSync(file, 'utf8') }))
  const files: string[] = []
  let bytes = 0
  for (let copy = 0; bytes < targetBytes; copy++) {
    for (const { file, text } of sources) {
      const varied = vary(text, copy)
      const name = path.join(
        dir,
        `${String(copy).padStart(5, '0')}-${path.basename(path.dirname(file))}-${path.basename(file)}`,
      )
      writeFileSync(name, varied)
      files.push(name)
      bytes += Buffer.byteLength(varied)
    }
  }
  return {
    dir,
    files,
    bytes,
    sources: sources.map((s) => ({ file: s.file, bytes: Buffer.byteLength(s.text) })),
  }
}

function vary(text: string, copy: number): string {
  let changed = false
  const out = text.replace(/("timesecs":\s*)(\d+)/, (_m, key: string, secs: string) => {
    changed = true
    return `${key}${Number(secs) + copy * 97}`
  })
  return changed ? out : `${text}${' '.repeat(copy % 64)}\n`
}
