import { readFile, stat } from 'node:fs/promises'
import { detectTool } from '#core/detect-tool.ts'
import { UploadEnvelopeSchema } from '#schemas/envelope.ts'
import { ToolSchema, type Labels, type Tool } from '#schemas/labels.ts'
import {
  UsageError,
  retryPolicy,
  parseFlags,
  withUsage,
  UPLOAD_HELP,
  UPLOAD_OPTIONS,
} from './args.ts'
import { resolveEndpoint } from '#collector/endpoint-config.ts'
import { LabelInputError, mergeLabels, validateLabels } from '#collector/label-input.ts'
import { createProgress, progressMode } from '#collector/progress.ts'
import { openSpool } from '#collector/spool.ts'
import { finishSession, loadLabelInput } from '#collector/upload-session.ts'

const USAGE = `usage: netlake push FILE... --label platform=P --label scenario=S [options]
       netlake push [--spool DIR]          (no files: upload what waits in the spool)

Uploads existing iperf3 (-J) or qperf output files. Each file is written to the spool first and
removed from it only after the API acknowledged it; the tool is detected from the content.
collected_at (the partition date) is the file's modification time unless a label gives it.

  --tool T           iperf3 | qperf: skip detection
${UPLOAD_HELP}

Exit: 0 all uploaded, 1 a file was unreadable/refused or results are left spooled, 2 usage.`

/** `netlake push`: upload files through the spool, or drain the spool. */
export async function run(argv: string[]): Promise<number> {
  return withUsage(USAGE, () => push(argv))
}

async function push(argv: string[]): Promise<number> {
  const { values, positionals: files } = parseFlags(argv, {
    ...UPLOAD_OPTIONS,
    tool: { type: 'string' },
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
  let labels: Labels | undefined
  if (files.length) {
    let layers
    try {
      layers = await loadLabelInput(values, process.cwd())
    } catch (error) {
      if (error instanceof LabelInputError) throw new UsageError(error.message)
      throw error
    }
    const check = validateLabels(mergeLabels(layers.common))
    if (!check.ok) throw new UsageError(check.errors.join('; '))
    labels = check.labels
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
  for (const file of files) {
    const problem = await spoolFile(file)
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
  })
  return summary.exit_code

  async function spoolFile(file: string): Promise<string | null> {
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
    const collected_at = labels?.collected_at ?? (await stat(file)).mtime.toISOString()
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
