import type { CompactDeps, CompactOptions, CompactResult } from './compact-partition.ts'
import { compactPartition, DEFAULT_COMPACT_OPTIONS } from './compact-partition.ts'

/** Compacts every partition that has enough small files; one partition at a time. */
export async function compactAll(
  deps: CompactDeps,
  options: CompactOptions = DEFAULT_COMPACT_OPTIONS,
): Promise<CompactResult[]> {
  const results: CompactResult[] = []
  for (const partition of await deps.catalog.listPartitions()) {
    if (partition.files.length < options.minFiles) continue
    results.push(await compactPartition(partition, deps, options))
  }
  return results
}
