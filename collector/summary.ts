import type { EntryResult } from './drain-spool.ts'

/** The end-of-command tally: what was uploaded, what waits in the spool, what failed and why. */
export interface Summary {
  uploaded: number
  duplicates: number
  spooled: number
  failed: number
  /** One line per problem: spooled or failed uploads and failed measurements or inputs. */
  problems: string[]
  exit_code: 0 | 1
}

/** Tallies drain results plus problems found before upload (tool failures, unreadable files). Pure. */
export function summarize(
  results: readonly EntryResult[],
  otherFailures: readonly string[],
  spoolDir: string,
): Summary {
  const problems: string[] = [...otherFailures]
  let uploaded = 0
  let duplicates = 0
  let spooled = 0
  let failed = otherFailures.length
  for (const r of results) {
    if (r.state === 'uploaded') {
      uploaded++
      if (r.accepted?.duplicate) duplicates++
    } else if (r.state === 'spooled') {
      spooled++
      problems.push(`spooled ${r.id}: ${r.reason}`)
    } else {
      failed++
      problems.push(`failed ${r.id} (kept in ${spoolDir}/failed): ${r.reason}`)
    }
  }
  return {
    uploaded,
    duplicates,
    spooled,
    failed,
    problems,
    exit_code: spooled === 0 && failed === 0 ? 0 : 1,
  }
}

/** Human text of a summary. */
export function formatSummary(s: Summary, spoolDir: string): string {
  const lines = [
    `uploaded ${s.uploaded}${s.duplicates ? ` (${s.duplicates} already stored)` : ''}, spooled ${s.spooled}, failed ${s.failed}`,
  ]
  for (const p of s.problems) lines.push(`  - ${p}`)
  if (s.spooled)
    lines.push(
      `results waiting in ${spoolDir}; send them later with: netlake push --spool ${spoolDir}`,
    )
  return lines.join('\n')
}
