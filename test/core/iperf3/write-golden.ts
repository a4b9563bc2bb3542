/**
 * Regenerates the iperf3 golden files (`*.expected.json` beside each fixture). Run by hand only
 * (`npx tsx test/core/iperf3/write-golden.ts`), then review every changed value against the
 * document (`git diff test/fixtures`) before committing.
 */
import { writeFileSync } from 'node:fs'
import { IPERF3_FIXTURES, expectedPath, goldenOf, normalizeFixture } from './golden.ts'

for (const fixture of IPERF3_FIXTURES) {
  writeFileSync(
    expectedPath(fixture),
    `${JSON.stringify(goldenOf(normalizeFixture(fixture)), null, 2)}\n`,
  )
  console.log(expectedPath(fixture))
}
