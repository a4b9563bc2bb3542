import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { QperfTextSchema } from '#schemas/raw/qperf.ts'
import { Iperf3DocumentSchema } from '#schemas/raw/iperf3.ts'
import { parseQperfText } from '#core/qperf/parse-qperf-text.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'

const dir = (d: string) => new URL(`../fixtures/${d}/`, import.meta.url)
const files = (d: string, pattern: RegExp) =>
  readdirSync(dir(d))
    .filter((f) => pattern.test(f) && !f.endsWith('.expected.json'))
    .map((f) => new URL(f, dir(d)))

describe('raw input schemas', () => {
  it.each(
    files('real', /^qperf.*\.txt$/)
      .concat(files('crafted', /^qperf.*\.txt$/))
      .map((u) => [u.pathname.split('/').pop(), u]),
  )('the qperf splitter output of %s matches QperfTextSchema', (_name, url) => {
    const parsed = parseQperfText(readFileSync(url, 'utf8'))
    expect(QperfTextSchema.parse(parsed)).toEqual(parsed)
  })

  it.each(files('real', /^iperf3-.*\.json$/).map((u) => [u.pathname.split('/').pop(), u]))(
    '%s matches Iperf3DocumentSchema',
    (_name, url) => {
      expect(Iperf3DocumentSchema.safeParse(JSON.parse(readFileSync(url, 'utf8'))).success).toBe(
        true,
      )
    },
  )

  it('rejects a document whose start has the wrong shape, naming the path', () => {
    // Prepare
    const doc = JSON.parse(readFileSync(new URL('real/iperf3-tcp-p1-t5.json', dir('.')), 'utf8'))
    doc.start.test_start.duration = '5'
    // Act
    const asString = normalizeRaw(new TextEncoder().encode(JSON.stringify(doc)), {
      raw_key: null,
      raw_sha256: 'a'.repeat(64),
    })
    doc.start.test_start.duration = 5
    doc.start.connected = 7
    const wrongType = normalizeRaw(new TextEncoder().encode(JSON.stringify(doc)), {
      raw_key: null,
      raw_sha256: 'a'.repeat(64),
    })
    // Assess
    expect(asString).toMatchObject({
      ok: false,
      error: { code: 'number-as-string', path: 'start.test_start.duration' },
    })
    expect(wrongType).toMatchObject({
      ok: false,
      error: { code: 'wrong-type', path: 'start.connected' },
    })
  })
})
