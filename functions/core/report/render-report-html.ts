import { platformColor, sortPlatforms } from '#core/palette.ts'
import { formatPercent } from './format.ts'
import { renderReportCharts } from './report-charts.ts'
import type { ReportModel } from './report-model.ts'
import { skippedNotice } from './report-notes.ts'
import { reportTables, type ReportTable } from './report-tables.ts'

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;background:#fff}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #ddd}
.summary{font-size:1.05rem}.bad{color:#b00020;font-weight:600}.good{color:#1b7a1b}
ul.notes li{margin:.2rem 0}p.table-note{margin:.3rem 0;color:#444;font-size:13px}details.notes summary{cursor:pointer;color:#444}
ul.legend{display:flex;gap:1rem;list-style:none;padding:0;margin:.3rem 0}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;border-radius:2px;vertical-align:-.1rem}.swatch.hollow{border:2px solid #9e9e9e;border-radius:50%;width:.5rem;height:.5rem}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ddd;padding:.25rem .45rem;text-align:left}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr.regression td{background:#fde7e9}
tr.improvement td{background:#e6f4e6}td.short{white-space:nowrap}td.text{min-width:16rem}b.verdict{letter-spacing:.02em}.muted{color:#666}.skipped{background:#fff4e5;border-left:4px solid #e08a00;padding:.4rem .7rem;margin:.6rem 0}svg{max-width:100%;height:auto}
`

/**
 * The report as one self-contained HTML page: inline CSS and server-rendered SVG charts, no
 * script and no external URL, so it opens the same from S3, a mail attachment or a disk.
 */
export function renderReportHtml(model: ReportModel): string {
  const charts = renderReportCharts(model)
  const tables = reportTables(model)
  const { totals } = model
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>netlake report ${esc(model.window.from)} to ${esc(model.window.to)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>netlake report ${esc(model.window.from)} to ${esc(model.window.to)}</h1>`,
    `<p class="muted">Compared with ${esc(model.previous.from)} to ${esc(model.previous.to)} (${model.previous.windows} previous window(s)); tolerance ${esc(formatPercent(model.tolerance))}; at least ${model.min_n} repetitions per side; generated ${esc(model.created_at)}; report <code>${esc(model.report_id)}</code>.</p>`,
    `<p class="summary" data-regressions="${totals.regressions}" data-improvements="${totals.improvements}"><span class="${totals.regressions > 0 ? 'bad' : 'good'}">${totals.regressions} regression(s)</span>, ${totals.improvements} improvement(s) over ${totals.runs} runs (${totals.failed} failed).</p>`,
  ]
  const skipped = skippedNotice(model.skipped_files)
  if (skipped) {
    const summary = esc(skipped.summary).replace(/`([^`]+)`/g, '<code>$1</code>')
    parts.push(
      skipped.items.length === 0
        ? `<p class="skipped" data-skipped="1"><b>Warning:</b> ${summary}</p>`
        : `<details class="skipped" data-skipped="${skipped.items.length}"><summary><b>Warning:</b> ${summary}</summary><ul>${skipped.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul></details>`,
    )
  }
  const headline = model.notes.filter((n) => /^(Regression|Improvement): /.test(n))
  if (headline.length > 0)
    parts.push('<ul class="headline">', ...headline.map((n) => `<li>${esc(n)}</li>`), '</ul>')
  const [summary, ...details] = tables
  parts.push(...tableHtml(summary))
  const platforms = sortPlatforms(model.groups.map((g) => g.platform))
  if (charts.length > 0)
    parts.push(
      '<h2>Charts</h2>',
      `<ul class="legend">${platforms.map((p) => `<li data-platform="${esc(p)}" data-color="${platformColor(p)}"><span class="swatch" style="background:${platformColor(p)}"></span>${esc(p)}</li>`).join('')}<li><span class="swatch hollow"></span>previous window median</li></ul>`,
      ...charts.map(
        (c) => `<figure id="${c.id}"><figcaption>${esc(c.title)}</figcaption>${c.svg}</figure>`,
      ),
    )
  if (model.notes.length > 0)
    parts.push(
      `<h2>Call-outs</h2><details class="notes"><summary>${model.notes.length} call-out(s): caveats behind the figures above</summary><ul class="notes">`,
      ...model.notes.map((n) => `<li>${esc(n)}</li>`),
      '</ul></details>',
    )
  for (const table of details) parts.push(...tableHtml(table))
  parts.push(
    '<h2>Method</h2><ul>',
    ...Object.entries(model.method).map(([k, v]) => `<li><b>${esc(k)}</b>: ${esc(v)}</li>`),
    '</ul>',
    '</body></html>',
  )
  return parts.join('\n')
}

function tableHtml(table: ReportTable): string[] {
  const parts = [`<h2>${esc(table.title)}</h2>`]
  if (table.rows.length === 0) return [...parts, '<p class="muted">No data in this window.</p>']
  const verdictColumn = table.header.indexOf('Verdict')
  parts.push(
    `<table id="${table.id}"><thead><tr>${table.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>`,
    ...table.rows.map((cells) => {
      const verdict = verdictColumn >= 0 ? cells[verdictColumn] : ''
      const cls = verdict.includes('REGRESSION')
        ? ' class="regression"'
        : verdict === 'improvement'
          ? ' class="improvement"'
          : ''
      return `<tr${cls}>${cells.map(cellHtml).join('')}</tr>`
    }),
    '</tbody></table>',
    ...(table.footnotes ?? []).map((n) => `<p class="table-note">${esc(n)}</p>`),
  )
  return parts
}

/** A cell: numbers right-aligned, short labels unbroken, verdict words bold so they stand out. */
function cellHtml(cell: string): string {
  const cls = /^[−+±\d–]/.test(cell)
    ? 'num'
    : cell.length <= 16
      ? 'short'
      : cell.length > 80
        ? 'text'
        : null
  const text = esc(cell.replaceAll('**', '')).replace(
    /\b(SAME|BETTER|WORSE|INCONCLUSIVE|REGRESSION)\b/g,
    '<b class="verdict">$1</b>',
  )
  return `<td${cls === null ? '' : ` class="${cls}"`}>${text}</td>`
}

function esc(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
}
