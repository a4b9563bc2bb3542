import { formatChange, formatCv, formatRatioChange, metricName } from './format.ts'
import { NO_PREVIOUS_RUNS } from './regression-rule.ts'
import type {
  ChangeSummary,
  GroupId,
  GroupSummary,
  OverheadSummary,
  PlatformPairSummary,
  SkippedFileNote,
  WindowRunRow,
} from './report-model.ts'

/**
 * Plain-language call-outs: regressions and improvements one per line, then one folded line per
 * kind of caveat (unstable sets, mixed comparison keys, too few repetitions, groups new in this
 * window, key mismatches, missing baselines, failed runs) listing the groups it concerns. No line
 * is repeated.
 */
export function callOuts(
  groups: GroupSummary[],
  changes: ChangeSummary[],
  overhead: OverheadSummary[],
  platforms: PlatformPairSummary[],
  current: WindowRunRow[],
  tolerance: number,
  minN: number,
): string[] {
  const notes: string[] = []
  const name = (g: GroupId) =>
    `${g.scenario} (${g.platform}, ${g.hardware_profile}) ${metricName(g.metric)}`
  const fold = (title: string, items: string[]) => {
    const unique = [...new Set(items)]
    if (unique.length > 0) notes.push(`${title}: ${unique.join('; ')}.`)
  }
  for (const c of changes) {
    if (c.verdict === 'regression' || c.verdict === 'improvement') {
      notes.push(
        `${c.verdict === 'regression' ? 'Regression' : 'Improvement'}: ${name(c)} ${formatRatioChange(c.ratio)}; the whole CI is beyond ±${formatChange(1 + tolerance).slice(1)}.`,
      )
    }
  }
  fold(
    `Few repetitions (n < ${minN}: no verdict, CIs unreliable)`,
    groups.filter((g) => g.n > 0 && g.n < minN).map((g) => `${name(g)} n = ${g.n}`),
  )
  fold(
    'Unstable',
    groups
      .filter((g) => g.stats?.unstable)
      .map((g) => `${name(g)} CV ${formatCv(g.stats!.cv)} > ${g.stats!.unstable_cv_threshold}`),
  )
  fold(
    'Comparison keys mixed within a group (its figures mix settings)',
    groups
      .filter((g) => g.comparison_keys.length > 1)
      .map(
        (g) =>
          `${name(g)} spans ${g.comparison_keys.length} keys (${g.comparison_keys.join(', ')})`,
      ),
  )
  fold(
    'Not compared with the previous window',
    changes.filter((c) => c.verdict === 'key-mismatch').map((c) => `${name(c)}: ${c.note}`),
  )
  fold(
    `New in this window (${NO_PREVIOUS_RUNS})`,
    changes.filter((c) => c.note === NO_PREVIOUS_RUNS).map(name),
  )
  fold(
    'OpenStack vs KubeVirt not compared, comparison keys differ',
    platforms
      .filter((p) => p.refused?.startsWith('comparison keys differ'))
      .map(
        (p) =>
          `${p.label} (${p.openstack_scenario} vs ${p.kubevirt_scenario}, ${p.hardware_profile}) ${metricName(p.metric)}: ${p.refused!.replace(/^comparison keys differ: /, '')}`,
      ),
  )
  fold(
    'No overhead (no bare-metal run shares the comparison key)',
    overhead
      .filter((o) => o.note && o.baseline_n === 0)
      .map((o) => `${o.scenario} (${o.platform}, ${o.hardware_profile})`),
  )
  const failed = current.filter((r) => r.status === 'error')
  if (failed.length > 0) {
    const counts = new Map<string, number>()
    for (const r of failed) {
      const key = `${r.scenario ?? '?'} ${r.tool}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    notes.push(
      `Failed runs (status error): ${failed.length} in the window (${[...counts].map(([k, n]) => `${k} ×${n}`).join(', ')}).`,
    )
  }
  return [...new Set(notes)]
}

/** The notice of the files the report left out: one line, and the list folded under it. */
export interface SkippedNotice {
  /** One file: the whole sentence with its key and reason; more: the count alone. */
  summary: string
  /** `key (reason)` per file when there are more than one (shown folded); empty for one. */
  items: string[]
}

/** The notice of the skipped files, or null when none was skipped. Pure. */
export function skippedNotice(files: readonly SkippedFileNote[]): SkippedNotice | null {
  if (files.length === 0) return null
  const doctor = 'see `netlake doctor`'
  const item = (f: SkippedFileNote) => `${f.key} (${f.reason})`
  if (files.length === 1)
    return {
      summary: `1 file could not be read and was left out: ${item(files[0])}; ${doctor}`,
      items: [],
    }
  return {
    summary: `${files.length} files could not be read and were left out; ${doctor}`,
    items: files.map(item),
  }
}
