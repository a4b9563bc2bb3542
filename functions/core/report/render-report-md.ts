import { formatPercent } from './format.ts'
import type { ReportModel } from './report-model.ts'
import { skippedNotice } from './report-notes.ts'
import { reportTables, type ReportTable } from './report-tables.ts'

/** The report as Markdown (GitHub-flavoured tables), readable in a ticket or a pull request. */
export function renderReportMarkdown(model: ReportModel): string {
  const lines: string[] = [
    `# netlake report ${model.window.from} to ${model.window.to}`,
    '',
    `Compared with ${model.previous.from} to ${model.previous.to} (${model.previous.windows} previous window(s)). ` +
      `Tolerance ${formatPercent(model.tolerance)}, at least ${model.min_n} repetitions per side. Generated ${model.created_at}.`,
    '',
    `**${model.totals.regressions} regression(s), ${model.totals.improvements} improvement(s)** over ${model.totals.runs} runs (${model.totals.failed} failed).`,
    '',
  ]
  const skipped = skippedNotice(model.skipped_files)
  if (skipped && skipped.items.length === 0) lines.push(`> **Warning:** ${skipped.summary}`, '')
  else if (skipped)
    lines.push(
      `<details><summary><b>Warning:</b> ${escapeHtml(skipped.summary).replace(/`([^`]+)`/g, '<code>$1</code>')}</summary>`,
      '',
      ...skipped.items.map((i) => `- ${escapeInline(i)}`),
      '',
      '</details>',
      '',
    )
  const table = (t: ReportTable) => {
    lines.push(`## ${t.title}`, '')
    if (t.rows.length === 0) lines.push('_No data in this window._', '')
    else {
      lines.push(row(t.header), row(t.header.map(() => '---')), ...t.rows.map(row), '')
      for (const note of t.footnotes ?? []) lines.push(`_${escapeInline(note)}_`, '')
    }
  }
  const [summary, ...details] = reportTables(model)
  table(summary)
  if (model.notes.length > 0) {
    lines.push('## Call-outs', '', ...model.notes.map((n) => `- ${escapeInline(n)}`), '')
  }
  for (const t of details) table(t)
  lines.push(
    '## Method',
    '',
    ...Object.entries(model.method).map(([k, v]) => `- ${k}: ${escapeInline(v)}`),
    '',
  )
  return lines.join('\n')
}

function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`
}

function escapeInline(text: string): string {
  return text.replaceAll('|', '\\|')
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}
