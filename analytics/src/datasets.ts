import { DatasetsManifestSchema } from '#schemas/api.ts'
import { execute, onDbReset, openDb, registerHttpFiles } from './db.ts'
import {
  planDatasets,
  type DatasetPlan,
  type FileRegistration,
  type SkippedDataset,
} from '#sql/dataset-views.ts'
import { apiGet } from './api-fetch.ts'

/** Progress messages while the lake is opened. */
export type Progress = (message: string) => void

let loading: Promise<DatasetPlan> | null = null

/**
 * Fetch `/v1/datasets` while DuckDB starts, register every Parquet file by URL (read with HTTP range
 * requests) and create the `runs`, `intervals`, `metrics` views. Once; again after a DB reset.
 */
export function loadDatasets(progress: Progress): Promise<DatasetPlan> {
  loading ??= load(progress).catch((error: unknown) => {
    loading = null
    throw error
  })
  return loading
}

async function load(progress: Progress): Promise<DatasetPlan> {
  progress('Fetching the dataset manifest (/v1/datasets) and starting DuckDB…')
  // the wasm download and compile need not wait for the manifest: both start at once
  const [response] = await Promise.all([apiGet('/v1/datasets'), openDb()])
  if (!response.ok) throw new Error(`GET /v1/datasets answered ${response.status}`)
  const manifest = DatasetsManifestSchema.parse(await response.json())
  const plan = planDatasets(manifest, location.href)
  progress(`Registering ${plan.files.length} Parquet files…`)
  await registerHttpFiles(plan.files)
  performance.mark('netlake:files-registered')
  try {
    await execute(plan.statements)
    performance.mark('netlake:views-created')
    return plan
  } catch (error) {
    // One unreadable file fails the whole view without naming itself: find it (or them), one by
    // one, only now, and open the lake without them.
    progress('A Parquet file cannot be read; checking each file…')
    const skipped = await unreadableFiles(plan.files)
    if (skipped.length === 0) throw error
    const rest = planDatasets(manifest, location.href, skipped)
    await execute(rest.statements)
    return rest
  }
}

/** The files DuckDB cannot open alone (their metadata, read with range requests), with why. */
async function unreadableFiles(files: FileRegistration[]): Promise<SkippedDataset[]> {
  const skipped: SkippedDataset[] = []
  for (const file of files) {
    try {
      await execute([`SELECT count(*) FROM read_parquet('${file.name}')`])
    } catch (error) {
      const detail = (error instanceof Error ? error.message : String(error))
        .split(file.name)
        .join(file.key)
      skipped.push({ key: file.key, reason: `DuckDB cannot read it: ${detail}` })
    }
  }
  return skipped
}

onDbReset(() => {
  loading = null
})

/** Shows one step of opening the lake in the status line (boot and main share it). */
export function showLakeProgress(message: string): void {
  const status = document.getElementById('status')
  if (!status) return
  status.textContent = message
  status.dataset.state = 'loading'
}
