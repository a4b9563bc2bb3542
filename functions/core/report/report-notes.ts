import { formatChange, formatCv, formatRatioChange, metricName } from './format.ts'
import type {
  ChangeSummary,
  GroupId,
  GroupSummary,
  OverheadSummary,
  PlatformPairSummary,
  WindowRunRow,
} from './report-model.ts'

/**
 * Plain-language call-outs: regressions and improvements, unstable sets, mixed or mismatched
 * comparison keys, too few repetitions, missing baselines and failed runs.
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
  for (const c of changes) {
    if (c.verdict === 'regression' || c.verdict === 'improvement') {
      notes.push(
        `${c.verdict === 'regression' ? 'Regression' : 'Improvement'}: ${name(c)} ${formatRatioChange(c.ratio)}; the whole CI is beyond ±${formatChange(1 + tolerance).slice(1)}.`,
      )
    }
  }
  for (const g of groups) {
    if (g.stats?.unstable)
      notes.push(
        `Unstable: ${name(g)} CV ${formatCv(g.stats.cv)} > ${g.stats.unstable_cv_threshold}.`,
      )
    if (g.comparison_keys.length > 1)
      notes.push(
        `Comparison keys mixed: ${name(g)} spans ${g.comparison_keys.length} keys (${g.comparison_keys.join(', ')}); its figures mix settings.`,
      )
    if (g.n > 0 && g.n < minN) notes.push(`Few repetitions: ${name(g)} n = ${g.n} < ${minN}.`)
  }
  for (const c of changes)
    if (c.verdict === 'key-mismatch')
      notes.push(`Not compared with the previous window: ${name(c)}: ${c.note}`)
  for (const p of platforms)
    if (p.refused?.startsWith('comparison keys differ'))
      notes.push(
        `OpenStack vs KubeVirt ${p.label} (${p.openstack_scenario} vs ${p.kubevirt_scenario}, ${p.hardware_profile}) ${metricName(p.metric)}: ${p.refused}`,
      )
  for (const o of overhead)
    if (o.note && o.baseline_n === 0)
      notes.push(`No overhead for ${o.scenario} (${o.platform}, ${o.hardware_profile}): ${o.note}.`)
  const failed = current.filter((r) => r.status === 'error')
  if (failed.length > 0) {
    const counts = new Map<string, number>()
    for (const r of failed)
      counts.set(
        `${r.scenario ?? '?'} ${r.tool}`,
        (counts.get(`${r.scenario ?? '?'} ${r.tool}`) ?? 0) + 1,
      )
    notes.push(
      `Failed runs (status error): ${failed.length} in the window (${[...counts].map(([k, n]) => `${k} ×${n}`).join(', ')}).`,
    )
  }
  return notes
}
