import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { drainSpool, type DrainOptions } from './drain-spool.ts'
import {
  mergeLabels,
  parseLabelFlags,
  parseLabelsYaml,
  LabelInputError,
  type LabelInput,
} from './label-input.ts'
import type { Progress } from './progress.ts'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts'
import { splitScenarioLabels } from './scenario-labels.ts'
import type { EndpointConfig } from './endpoint-config.ts'
import type { Spool } from './spool.ts'
import { formatSummary, summarize, type Summary } from './summary.ts'

/** Label input from `--labels FILE.yaml` then `--label k=v` flags (flags win), split per scenario. */
export async function loadLabelInput(flags: { label?: string[]; labels?: string }, cwd: string) {
  let fromFile: LabelInput = {}
  if (flags.labels) {
    const file = resolve(cwd, flags.labels)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new LabelInputError(
        `--labels ${flags.labels}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      )
    }
    const { parse } = await import('yaml') // only when there is a labels file
    fromFile = parseLabelsYaml(text, flags.labels, parse)
  }
  let split
  try {
    split = splitScenarioLabels(fromFile)
  } catch (error) {
    throw new LabelInputError(`${flags.labels}: ${(error as Error).message}`)
  }
  return {
    common: mergeLabels(split.common, parseLabelFlags(flags.label ?? [])),
    perScenario: split.perScenario,
  }
}

/** Test hooks and settings of the final drain. */
export interface FinishOptions {
  spool: Spool
  endpoint: EndpointConfig
  progress: Progress
  /** Problems found before upload (tool failures, unreadable files). */
  otherFailures: string[]
  /** Skip uploading (results stay spooled and count as such). */
  noPush?: boolean
  policy?: RetryPolicy
  /** Prints the human summary (stdout); unused in JSON mode. */
  print: (text: string) => void
  json: boolean
  /** `push --relabel`: see `DrainOptions.relabel`. */
  relabel?: DrainOptions['relabel']
}

/** Drains the spool with progress events, then reports the summary; returns it. */
export async function finishSession(o: FinishOptions): Promise<Summary> {
  const pending = await o.spool.list()
  let results
  const api = o.endpoint.api
  if (o.noPush || api === null) {
    const reason = o.noPush ? 'not pushed (--no-push)' : 'not pushed: no API'
    results = pending.map((e) => ({ id: e.id, state: 'spooled' as const, reason }))
    if (api === null && !o.noPush)
      o.progress.emit(
        {
          event: 'no-api',
          reason: o.endpoint.apiProblem,
          spooled: pending.length,
          spool: o.endpoint.spoolDir,
        },
        `${o.endpoint.apiProblem}; ${pending.length} result(s) stay spooled in ${o.endpoint.spoolDir}; send them with: netlake push --spool ${o.endpoint.spoolDir} --api URL`,
      )
  } else {
    if (pending.length)
      o.progress.emit(
        {
          event: 'upload-start',
          api,
          entries: pending.length,
          spool: o.endpoint.spoolDir,
        },
        `uploading ${pending.length} result(s) to ${api} (from ${o.endpoint.apiSource}; token: ${o.endpoint.tokenSource})`,
      )
    o.progress.setTotal(pending.length)
    results = await drainSpool(o.spool, {
      target: { api, token: o.endpoint.token },
      policy: o.policy ?? DEFAULT_RETRY_POLICY,
      relabel: o.relabel,
      onEvent: (e) => {
        if (e.event === 'upload-retry') {
          o.progress.emit(e, `retry ${e.attempt} of ${e.id} in ${e.delay_ms} ms: ${e.reason}`)
        } else {
          const text =
            e.state === 'uploaded'
              ? e.relabelled
                ? `relabelled ${e.id}: already stored as ${e.relabelled.raw_sha256.slice(0, 12)}, labels now v${e.relabelled.labels_version}`
                : `uploaded ${e.id} (${e.status}${e.accepted?.duplicate ? ', already stored' : ''})`
              : `${e.state} ${e.id}: ${e.reason}`
          o.progress.emit(e, text)
          o.progress.tick()
        }
      },
    })
  }
  o.progress.end()
  const summary = summarize(results, o.otherFailures, o.endpoint.spoolDir)
  o.progress.emit({ event: 'summary', ...summary, spool: o.endpoint.spoolDir })
  if (!o.json) o.print(formatSummary(summary, o.endpoint.spoolDir))
  return summary
}
