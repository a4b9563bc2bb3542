/**
 * Regenerates the qperf golden files (`*.expected.json` beside each fixture). Run by hand only
 * (`npx tsx test/core/qperf/write-golden.ts`), then review every changed value against the text.
 */
import { writeFileSync } from 'node:fs'
import { normalizeQperf } from '#core/qperf/normalize-qperf.ts'
import { qperfFixtures } from './qperf-fixtures.ts'

for (const fixture of qperfFixtures()) {
  const result = normalizeQperf(fixture.text, fixture.context)
  writeFileSync(fixture.expectedPath, `${JSON.stringify(result, null, 2)}\n`)
  console.log(fixture.expectedPath)
}
