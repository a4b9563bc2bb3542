/**
 * Profiling aid (not part of `npm run bench:api`): the memory-adapter CPU-per-upload measurement
 * alone, under `node --cpu-prof`, so the profile holds only the upload path.
 *   npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/api/profile-cpu-upload.ts [n]
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { cpuPerUpload } from './cpu-per-upload.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const text = readFileSync(
  path.join(ROOT, 'test/fixtures/real/iperf3-tcp-p4-t60-b200M.json'),
  'utf8',
)
const variant = (i: number) =>
  new TextEncoder().encode(
    text.replace(
      /"cookie":\s*"([a-z0-9]{20})[a-z0-9]+"/,
      (_m, c: string) => `"cookie":\t"${c}8888${String(i).padStart(12, '0')}"`,
    ),
  )
const n = Number(process.argv[2] ?? 500)
const result = await cpuPerUpload(variant, n, '/v1/results?platform=openstack&scenario=os-s1')
process.stdout.write(`${JSON.stringify(result)}\n`)
