import type { ObjectStore, PartitionCatalog } from '#functions/ports.ts'
import { parquetProblem } from './parquet-problem.ts'

/** One thing `netlake doctor` found: where it is and why it is out of the read set. */
export interface DoctorFinding {
  kind:
    | 'quarantined-raw'
    | 'quarantined-upload'
    | 'mismatched-raw'
    | 'quarantined-parquet'
    | 'corrupt-parquet'
  key: string
  reason: string
}

const decoder = new TextDecoder()

/** The reason a quarantine note gives, else a sentence saying it has none. */
function noteReason(bytes: Uint8Array | null): string {
  if (!bytes) return 'note vanished while listing'
  try {
    const note = JSON.parse(decoder.decode(bytes)) as { reason?: unknown }
    return typeof note.reason === 'string' ? note.reason : 'note without a reason'
  } catch {
    return 'note is not JSON'
  }
}

/**
 * What is out of the lake's read set, with reasons: quarantined raw objects and uploads (their
 * notes under `quarantine/` in the raw bucket), curated files compaction moved aside
 * (`quarantine/` in the curated bucket), and files the catalog still lists whose Parquet frame is
 * broken (the readers skip those). Reads every listed curated file once: a diagnostic, not a hot path.
 */
export async function diagnoseLake(deps: {
  raw: ObjectStore
  curated: ObjectStore
  catalog: PartitionCatalog
}): Promise<DoctorFinding[]> {
  const findings: DoctorFinding[] = []
  for await (const object of deps.raw.list('quarantine/')) {
    if (!object.key.endsWith('.json')) continue
    const kind = object.key.startsWith('quarantine/uploads/')
      ? 'quarantined-upload'
      : object.key.startsWith('quarantine/mismatch/')
        ? 'mismatched-raw'
        : 'quarantined-raw'
    findings.push({ kind, key: object.key, reason: noteReason(await deps.raw.get(object.key)) })
  }
  for await (const object of deps.curated.list('quarantine/'))
    findings.push({
      kind: 'quarantined-parquet',
      key: object.key,
      reason:
        parquetProblem((await deps.curated.get(object.key)) ?? new Uint8Array()) ??
        'moved aside by compaction: its frame is whole but it could not be read',
    })
  for (const partition of await deps.catalog.listPartitions())
    for (const file of partition.files) {
      const bytes = await deps.curated.get(file.key)
      const problem = bytes ? parquetProblem(bytes) : 'listed by the catalog but missing'
      if (problem) findings.push({ kind: 'corrupt-parquet', key: file.key, reason: problem })
    }
  return findings
}
