import type { ReportSummary } from './run-report.ts'

/** A notifier that POSTs the summary as JSON to `url` (a chat or CI webhook); throws on non-2xx. */
export function createWebhookNotifier(
  url: string,
  fetchImpl: typeof fetch = fetch,
): (summary: ReportSummary) => Promise<void> {
  return async (summary) => {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: describeRegressions(summary), ...summary }),
    })
    if (!response.ok) throw new Error(`report webhook ${url} answered ${response.status}`)
  }
}

/** One line per regression, for a notification's text. */
export function describeRegressions(summary: ReportSummary): string {
  const head = `netlake report ${summary.report.window_from} to ${summary.report.window_to}: ${summary.regressions.length} regression(s)`
  const lines = summary.regressions.map(
    (r) =>
      `- ${r.scenario} (${r.platform}, ${r.hardware_profile}) ${r.metric}: ${(r.change * 100).toFixed(1)}% (95% CI ${(r.ci_low * 100).toFixed(1)}% to ${(r.ci_high * 100).toFixed(1)}%)`,
  )
  return [head, ...lines, `report: ${summary.report.keys.html}`].join('\n')
}
