/**
 * The scheduled report on both Node engines: `produceReport` (the report's two query files, the
 * report model and its renderings) over the same `runs` Parquet, native DuckDB against the old
 * duckdb-wasm 1.28.0 path. Timed whole, engine opening included, as a report run pays it.
 */
import { readFileSync } from 'node:fs'
import { produceReport } from '#functions/report/produce-report.ts'
import type { EngineKind } from '#adapters/duckdb-engine.ts'

/** Milliseconds per round and engine, and whether both engines wrote the same report. */
export interface ReportTiming {
  ms: Record<EngineKind, number[]>
  sameReport: boolean
  runs: number
  groups: number
}

/** `rounds` paired report runs (the order alternates per round) over `files`. */
export async function timeReports(
  files: string[],
  window: { from: string; to: string; previousWindows?: number },
  rounds: number,
  log: (m: string) => void,
): Promise<ReportTiming> {
  const bytes = files.map((f) => new Uint8Array(readFileSync(f)))
  const at = new Date(`${window.to}T23:00:00Z`)
  const ms: ReportTiming['ms'] = { native: [], wasm: [] }
  const first: Partial<Record<EngineKind, string>> = {}
  let model: Awaited<ReturnType<typeof produceReport>>['model'] | undefined
  for (let round = 0; round <= rounds; round++) {
    const order: EngineKind[] = round % 2 === 0 ? ['native', 'wasm'] : ['wasm', 'native']
    for (const engine of order) {
      const started = performance.now()
      const report = await produceReport(bytes, window, at, { engine })
      const elapsed = performance.now() - started
      if (round === 0) {
        first[engine] = report.json
        model = report.model
      } else ms[engine].push(elapsed)
    }
    log(
      `report round ${round}/${rounds}${round === 0 ? ' (warm-up)' : ''}: native ${ms.native.at(-1)?.toFixed(0) ?? '-'} ms, wasm ${ms.wasm.at(-1)?.toFixed(0) ?? '-'} ms`,
    )
  }
  return {
    ms,
    sameReport: first.native === first.wasm,
    runs: model?.totals.runs ?? 0,
    groups: model?.totals.groups ?? 0,
  }
}
