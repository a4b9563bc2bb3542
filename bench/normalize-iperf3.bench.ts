/**
 * normalizeIperf3 throughput against bare JSON.parse on the same text (DESIGN.md §6: ≥ 50%), and
 * the warm time of the 60 s × 4-stream file (target ≤ ~2 ms). Run: `npx tsx bench/normalize-iperf3.bench.ts`.
 */
import { readFileSync } from 'node:fs'
import { normalizeIperf3 } from '#core/iperf3/normalize-iperf3.ts'

const files = [
  'test/fixtures/real/iperf3-tcp-p4-t60-b200M.json',
  'test/fixtures/real/iperf3-tcp-p4-t5.json',
  'test/fixtures/real/iperf3-udp-100M-t5.json',
  'test/fixtures/lab/baseline/iperf3.json',
  'test/fixtures/crafted/iperf3-crafted-3.9-bidir-duplicate-keys.json',
]
const ctx = { raw_key: null, raw_sha256: '0'.repeat(64) }

function time(fn: () => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 200); i++) fn()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) fn()
  return Number(process.hrtime.bigint() - t0) / 1e6 / iterations
}

for (const file of files) {
  const text = readFileSync(file, 'utf8')
  const n = Math.max(200, Math.round(20_000_000 / text.length))
  // Alternate the two five times and keep each one's best, so GC and JIT order do not favour either.
  let parse = Infinity
  let normalize = Infinity
  for (let round = 0; round < 5; round++) {
    parse = Math.min(
      parse,
      time(() => JSON.parse(text), n),
    )
    normalize = Math.min(
      normalize,
      time(() => normalizeIperf3(text, ctx), n),
    )
  }
  const mbps = (ms: number) => (text.length / 1e6 / (ms / 1000)).toFixed(0)
  console.log(
    `${file.split('/').at(-1)}: ${text.length} B  JSON.parse ${parse.toFixed(3)} ms (${mbps(parse)} MB/s)  ` +
      `normalize ${normalize.toFixed(3)} ms (${mbps(normalize)} MB/s)  ratio ${((parse / normalize) * 100).toFixed(0)}%`,
  )
}
