import { loadDatasets, showLakeProgress } from './datasets.ts'

/**
 * The entry. Opening the lake (DuckDB's 18 MB wasm, the manifest, every file's metadata) is the
 * long pole of the first chart, so it starts before the rest of the notebook (charts, editor) is
 * fetched and parsed. main.ts awaits the same opening (one that failed is tried again) and
 * reports a failure.
 */
loadDatasets(showLakeProgress).catch(() => undefined)
await import('./main.ts')
