import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { SAMPLE_LABELS } from '#schemas/labels.ts'
import type { Labels } from '#schemas/labels.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import type { UploadDeps } from '#functions/api/store-upload.ts'
import { defaultScenarioCatalog, findScenario } from '#core/compare/scenario-catalog.ts'
import { AUDIT_PREFIX } from '#core/repair-keys.ts'

/** The bundled lab samples: one directory per scenario (see samples/README.md). */
export const SAMPLE_DIR = fileURLToPath(new URL('../samples/lab/', import.meta.url))

/**
 * Loads the lab fixtures through the same upload path collectors use, so the first start shows
 * real data in the notebook. Runs only when the lake has never ingested or repaired anything. They carry
 * `SAMPLE_LABELS` (campaign `netlake-sample`, hardware profile `sample-lab-netns`). Returns how
 * many files it stored.
 */
export async function loadSampleData(deps: UploadDeps): Promise<number> {
  let empty = true
  for await (const _ of deps.catalog.listIngestRecords()) {
    empty = false
    break
  }
  // A lake whose samples (or anything) were deleted or relabelled is not fresh: no samples again.
  for await (const _ of deps.raw.list(AUDIT_PREFIX)) {
    empty = false
    break
  }
  if (!empty) return 0
  let stored = 0
  const catalog = defaultScenarioCatalog()
  for (const scenario of (await readdir(SAMPLE_DIR, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    // The scenario catalog knows each lab directory's platform and the MTU inside its path.
    const known = findScenario(catalog, scenario)
    if (!known) throw new Error(`sample directory ${scenario} is not in the scenario catalog`)
    // One repetition: the qperf text (no timestamp of its own) gets the iperf3 client's day.
    const client = JSON.parse(await readFile(join(SAMPLE_DIR, scenario, 'iperf3.json'), 'utf8'))
    const labels: Labels = {
      collected_at: new Date(client.start.timestamp.timesecs * 1000).toISOString(),
      platform: known.platform,
      scenario,
      // Their own campaign and profile: a user's os-s1 or lab-netns runs never share a key with them.
      ...SAMPLE_LABELS,
      mtu: known.expected_mtu,
      link_mtu: 1500,
      software: {
        source: 'netlake bundled lab fixtures (one-box emulation, not a cloud measurement)',
      },
    }
    for (const file of ['iperf3.json', 'iperf3-server.json', 'qperf.txt']) {
      const bytes = new Uint8Array(await readFile(join(SAMPLE_DIR, scenario, file)))
      await storeUpload(
        bytes,
        { labels, tool: file.startsWith('qperf') ? 'qperf' : 'iperf3', contentType: null },
        deps,
      )
      stored++
    }
  }
  return stored
}
