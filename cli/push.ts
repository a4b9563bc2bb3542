import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { detectTool } from '#core/detect-tool.ts'
import { UploadEnvelopeSchema } from '#schemas/envelope.ts'
import { ToolSchema, type Labels, type Tool } from '#schemas/labels.ts'
import { LABEL_NAMES } from '#schemas/repair.ts'
import type { Relabelled } from '#collector/drain-spool.ts'
import { createApiCall, type ApiCall } from './api-client.ts'
import {
  UsageError,
  retryPolicy,
  parseFlags,
  withUsage,
  UPLOAD_HELP,
  UPLOAD_OPTIONS,
} from './args.ts'
import { resolveEndpoint } from '#collector/endpoint-config.ts'
import {
  LabelInputError,
  mergeLabels,
  validateLabels,
  type LabelInput,
} from '#collector/label-input.ts'
import {
  PathTemplateError,
  compilePathTemplate,
  formatPathLabels,
  overlappingLabels,
  type PathTemplate,
} from '#collector/path-labels.ts'
import { createProgress, progressMode } from '#collector/progress.ts'
import { openSpool } from '#collector/spool.ts'
import { finishSession, loadLabelInput } from '#collector/upload-session.ts'

const USAGE = `usage: netlake push FILE... --label platform=P --label scenario=S [options]
       netlake push DIR --recursive --labels-from-path '{campaign}/r{repetition}/{scenario}/' --label platform=P
       netlake push [--spool DIR]          (no files: upload what waits in the spool)

Uploads existing iperf3 (-J) or qperf output files. Each file is written to the spool first and
removed from it only after the API acknowledged it; the tool is detected from the content.
collected_at (the partition date) is the file's modification time unless a label gives it.

  --tool T           iperf3 | qperf: skip detection
  --recursive, -r    a DIR argument stands for every file below it (hidden ones skipped)
  --labels-from-path TEMPLATE
                     labels from each file's path below DIR (or below the current directory for a
                     FILE): {label} captures part of one folder or file name (r{repetition},
                     {scenario}-{repetition}: earlier ones take the longest part, so os-s2a-3 is
                     os-s2a and 3; software.kernel too), * matches any one name, other
                     text must match exactly; a trailing / matches folders only (the file may lie
                     at any depth below them). The labels derived are printed before anything is
                     uploaded; a path that does not match, or labels that do not validate, stop
                     the push before any upload (exit 2), naming the path. A label may not come
                     both from the template and from --label/--labels.
  --relabel          a file whose bytes are stored already with other labels (the API's 409
                     labels-differ) gets its stored labels changed to these instead of failing:
                     a new label version, as 'netlake relabel' makes (runs re-derived, audited)
${UPLOAD_HELP}

Exit: 0 all uploaded, 1 a file was unreadable/refused or results are left spooled, 2 usage
(including a path the template does not match).`

/** `netlake push`: upload files through the spool, or drain the spool. */
export async function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, () => push(argv))
}

async function push(argv: string[]): Promise<number> {
  const { values, positionals: files } = parseFlags(argv, {
    ...UPLOAD_OPTIONS,
    tool: { type: 'string' },
    recursive: { type: 'boolean', short: 'r' },
    'labels-from-path': { type: 'string' },
    relabel: { type: 'boolean' },
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  let forcedTool: Tool | undefined
  if (values.tool !== undefined) {
    const t = ToolSchema.safeParse(values.tool)
    if (!t.success) throw new UsageError(`--tool must be iperf3 or qperf, got '${values.tool}'`)
    forcedTool = t.data
  }
  const json = Boolean(values.json)
  const failures: string[] = []
  let template: PathTemplate | undefined
  if (values['labels-from-path'] !== undefined) {
    try {
      template = compilePathTemplate(values['labels-from-path'])
    } catch (error) {
      if (error instanceof PathTemplateError) throw new UsageError(error.message)
      throw error
    }
  }
  if (!files.length && (values.recursive || template))
    throw new UsageError('--recursive/--labels-from-path need FILE or DIR arguments')
  /** Each file to push with the labels it gets (the common ones merged with its path's). */
  let items: Array<{ file: string; labels: Labels; fromPath?: LabelInput }> = []
  if (files.length) {
    let layers
    try {
      layers = await loadLabelInput(values, process.cwd())
    } catch (error) {
      if (error instanceof LabelInputError) throw new UsageError(error.message)
      throw error
    }
    const found = await listFiles(files, Boolean(values.recursive))
    if (!template) {
      const check = validateLabels(mergeLabels(layers.common))
      if (!check.ok) throw new UsageError(check.errors.join('; '))
      items = found.map(({ file }) => ({ file, labels: check.labels }))
    } else {
      const both = overlappingLabels(template, layers.common)
      if (both.length)
        throw new UsageError(
          `label(s) ${both.map((n) => `'${n}'`).join(', ')} come both from --labels-from-path and from --label/--labels; give each in one place`,
        )
      const problems: string[] = []
      for (const { file, rel } of found) {
        const m = rel === null ? null : template.match(rel)
        if (!m || !m.ok) {
          problems.push(
            `  ${file}: ${m ? m.reason : 'lies outside the current directory (give its folder as DIR with --recursive)'}`,
          )
          continue
        }
        const check = validateLabels(mergeLabels(layers.common, m.labels))
        if (!check.ok) problems.push(`  ${file}: ${check.errors.join('; ')}`)
        else items.push({ file, labels: check.labels, fromPath: m.labels })
      }
      if (problems.length)
        throw new UsageError(
          `${problems.length} of ${found.length} file(s) get no valid labels from --labels-from-path '${template.source}' (nothing was uploaded):\n${problems.join('\n')}`,
        )
    }
  } else if (values.label?.length || values.labels) {
    throw new UsageError(
      '--label/--labels need FILE arguments; the spool entries already carry their labels',
    )
  }

  const endpoint = await resolveEndpoint(values, process.env, process.cwd())
  const spool = await openSpool(endpoint.spoolDir)
  const progress = createProgress(
    progressMode(json, process.stderr.isTTY),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  )
  for (const { file, fromPath } of items)
    if (fromPath)
      progress.emit(
        { event: 'path-labels', file, labels: fromPath },
        `labels ${file}: ${formatPathLabels(fromPath)}`,
      )
  for (const { file, labels } of items) {
    const problem = await spoolFile(file, labels)
    if (problem) {
      failures.push(`${file}: ${problem}`)
      progress.emit({ event: 'file-rejected', file, error: problem }, `${file}: ${problem}`)
    }
  }
  const summary = await finishSession({
    spool,
    endpoint,
    progress,
    otherFailures: failures,
    print: (t) => console.log(t),
    json,
    policy: retryPolicy(values.retries),
    relabel:
      values.relabel && endpoint.api !== null
        ? relabelTo(createApiCall(endpoint.api, endpoint.token))
        : undefined,
  })
  return summary.exit_code

  async function spoolFile(file: string, labels: Labels): Promise<string | null> {
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch (error) {
      return `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
    }
    let raw: string
    try {
      raw = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
    } catch {
      return 'not UTF-8 text; the upload envelope carries text (re-save the tool output as UTF-8)'
    }
    if (!raw.trim()) return 'empty file'
    const tool = forcedTool ?? detectTool(raw)
    if (!tool) return 'neither iperf3 JSON (-J) nor qperf text output (use --tool to force)'
    // One date rule for every tool: qperf prints no timestamp, so the file's mtime stands in.
    const collected_at = labels.collected_at ?? (await stat(file)).mtime.toISOString()
    const envelope = UploadEnvelopeSchema.safeParse({
      labels: { ...labels, collected_at },
      tool,
      raw,
    })
    if (!envelope.success) return envelope.error.issues[0].message
    const entry = await spool.put(envelope.data)
    progress.emit(
      { event: 'spooled', file, tool, id: entry.id },
      `spooled ${file} (${tool}) as ${entry.id}`,
    )
    return null
  }
}

/**
 * `--relabel`: makes the labels stored for an envelope's bytes exactly the envelope's, through
 * `PATCH /v1/raw/{sha256}/labels` (labels it does not carry are unset).
 */
function relabelTo(call: ApiCall): (body: string) => Promise<Relabelled> {
  return async (body) => {
    const envelope = UploadEnvelopeSchema.parse(JSON.parse(body))
    const sha = createHash('sha256').update(new TextEncoder().encode(envelope.raw)).digest('hex')
    const set = Object.fromEntries(
      Object.entries(envelope.labels).filter(([, value]) => value !== undefined && value !== null),
    )
    const unset = LABEL_NAMES.filter(
      (name) => !(name in set) && name !== 'platform' && name !== 'scenario',
    )
    const answer = await call('PATCH', `v1/raw/${sha}/labels`, { body: { set, unset } })
    return { raw_sha256: sha, labels_version: answer.labels_version as number }
  }
}

/**
 * The files named on the command line, folders expanded (sorted, hidden entries skipped) when
 * `recursive`; `rel` is the path a template matches: below the folder for a file found in one,
 * below the current directory for a file given by name (null when it lies outside).
 */
async function listFiles(
  args: string[],
  recursive: boolean,
): Promise<Array<{ file: string; rel: string | null }>> {
  const out: Array<{ file: string; rel: string | null }> = []
  for (const arg of args) {
    const info = await stat(arg).catch(() => null)
    if (!info?.isDirectory()) {
      // A missing file is reported by the upload step ("cannot read"), as before.
      const rel = relative(process.cwd(), arg)
      out.push({
        file: arg,
        rel: rel.startsWith('..') || rel.startsWith(sep) ? null : rel.split(sep).join('/'),
      })
      continue
    }
    if (!recursive)
      throw new UsageError(`${arg} is a folder: give --recursive to push what lies below it`)
    const below = await walk(arg, '')
    if (!below.length) throw new UsageError(`${arg}: no files below this folder`)
    for (const rel of below) out.push({ file: join(arg, rel), rel })
  }
  return out
}

async function walk(root: string, prefix: string): Promise<string[]> {
  const entries = (await readdir(join(root, prefix), { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const out: string[] = []
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...(await walk(root, rel)))
    else if (e.isFile()) out.push(rel)
  }
  return out
}
