import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import type { Labels } from '#schemas/labels.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import type { UploadDeps } from '#functions/api/store-upload.ts'

/** The bundled lab fixtures: one directory per scenario (see test/fixtures/lab/README.md). */
export const SAMPLE_DIR = fileURLToPath(new URL('../../test/fixtures/lab/', import.meta.url))

const PLATFORM_OF = (scenario: string): string => (scenario === 'baseline' ? 'baremetal' : scenario.startsWith('kv-') ? 'kubevirt' : 'openstack')
/** Lab fixtures ran on veth pairs: 1500 on bare metal, 1450 inside the overlays. */
const MTU_OF = (scenario: string): number => (scenario === 'baseline' ? 1500 : 1450)

/**
 * Loads the lab fixtures through the same upload path collectors use, so the first start shows
 * real data in the notebook. Runs only when the lake has never ingested anything.
 */
export async function loadSampleData(deps: UploadDeps): Promise<number> {
  let empty = true
  for await (const _ of deps.catalog.listIngestRecords()) {
    empty = false
    break
  }
  if (!empty) return 0
  let stored = 0
  for (const scenario of (await readdir(SAMPLE_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const labels: Labels = {
      platform: PLATFORM_OF(scenario),
      scenario,
      campaign: 'lab-sample',
      hardware_profile: 'lab-netns',
      mtu: MTU_OF(scenario),
      link_mtu: 1500,
      software: { source: 'netlake bundled lab fixtures (one-box emulation, not a cloud measurement)' },
    }
    for (const file of ['iperf3.json', 'iperf3-server.json', 'qperf.txt']) {
      const bytes = new Uint8Array(await readFile(join(SAMPLE_DIR, scenario, file)))
      await storeUpload(bytes, { labels, tool: file.startsWith('qperf') ? 'qperf' : 'iperf3', contentType: null }, deps)
      stored++
    }
  }
  return stored
}
