/** A subcommand: its module is imported only when the command runs (or its help is asked for). */
export interface CommandSpec {
  summary: string
  /** Flags it accepts, for shell completion (a test keeps them in step with each usage text). */
  flags: string[]
  /** Words completed after the command name (sub-actions such as `lab up`). */
  words?: string[]
  load: () => Promise<{ run(argv: string[]): Promise<number> }>
}

const UPLOAD = [
  '--api',
  '--token',
  '--spool',
  '--data-dir',
  '--label',
  '--labels',
  '--retries',
  '--json',
  '--help',
]

/** Every `netlake` subcommand, in the order `--help` lists them. */
export const COMMANDS: Record<string, CommandSpec> = {
  start: {
    summary: 'run the whole system locally (embedded S3 + DynamoDB, API, notebook)',
    flags: [
      '--data-dir',
      '--port',
      '--no-sample-data',
      '--no-anonymous-reads',
      '--scenarios',
      '--platforms',
      '--help',
    ],
    load: () => import('./start.ts'),
  },
  normalize: {
    summary: 'parse iperf3/qperf output offline into canonical rows or Parquet',
    flags: ['--json', '--out', '--label', '--workers', '--help'],
    load: () => import('./normalize.ts'),
  },
  push: {
    summary: 'upload existing iperf3/qperf output files (through the spool)',
    flags: ['--tool', '--recursive', '--labels-from-path', '--relabel', ...UPLOAD],
    load: () => import('./push.ts'),
  },
  collect: {
    summary: 'run iperf3/qperf against targets with labels, spool and push the results',
    flags: [
      '--target',
      '--scenario',
      '--tool',
      '--repeat',
      '--duration',
      '--streams',
      '--omit',
      '--iperf3-port',
      '--qperf-port',
      '--seed',
      '--no-push',
      ...UPLOAD,
    ],
    load: () => import('./collect.ts'),
  },
  lab: {
    summary:
      'build the thesis scenarios with network namespaces on this box and measure them (root)',
    flags: [
      '--repeat',
      '--duration',
      '--tool',
      '--seed',
      '--out',
      '--no-pin',
      '--offloads',
      '--push',
      ...UPLOAD,
    ],
    words: ['list', 'up', 'run', 'down'],
    load: () => import('./lab.ts'),
  },
  query: {
    summary: 'run SQL (or a query file) with duckdb-wasm over the lake; prints a table with units',
    flags: [
      '--format',
      '--raw',
      '--json',
      '--csv',
      '--file',
      '--param',
      '--out',
      '--data-dir',
      '--help',
    ],
    load: () => import('./query.ts'),
  },
  compare: {
    summary:
      'compare a scenario with a baseline (or matched bare metal): medians, ratio with CI, verdict',
    flags: [
      '--candidate',
      '--baseline',
      '--all',
      '--metric',
      '--hardware-profile',
      '--campaign',
      '--allow-key-mismatch',
      '--seed',
      '--lake',
      '--api',
      '--token',
      '--data-dir',
      '--json',
      '--help',
    ],
    load: () => import('./compare.ts'),
  },
  report: {
    summary: 'comparison report (HTML, Markdown, JSON) with regression flags over curated Parquet',
    flags: [
      '--lake',
      '--data-dir',
      '--out',
      '--since',
      '--until',
      '--previous',
      '--tolerance',
      '--json',
      '--help',
    ],
    load: () => import('./report.ts'),
  },
  compact: {
    summary: "merge each partition's small Parquet files into one",
    flags: ['--data-dir', '--json', '--help'],
    load: () => import('./compact.ts'),
  },
  doctor: {
    summary: 'list quarantined objects and corrupt Parquet files, with reasons',
    flags: ['--data-dir', '--json', '--help'],
    load: () => import('./doctor.ts'),
  },
  reprocess: {
    summary: 're-derive every curated table from raw/ with this parser version (on every core)',
    flags: ['--data-dir', '--workers', '--json', '--help'],
    load: () => import('./reprocess.ts'),
  },
  relabel: {
    summary: 'change the labels of stored results (a new label version; runs re-derived)',
    flags: [
      '--run',
      '--where',
      '--label',
      '--unset',
      '--dry-run',
      '--api',
      '--token',
      '--data-dir',
      '--json',
      '--help',
    ],
    load: () => import('./relabel.ts'),
  },
  delete: {
    summary: 'delete stored results: runs and rows go, raw bytes tombstoned (admin)',
    flags: [
      '--run',
      '--where',
      '--purge',
      '--dry-run',
      '--api',
      '--token',
      '--data-dir',
      '--json',
      '--help',
    ],
    load: () => import('./delete.ts'),
  },
  audit: {
    summary: 'list the audit log of relabels and deletes (admin)',
    flags: ['--limit', '--api', '--token', '--data-dir', '--json', '--help'],
    load: () => import('./audit.ts'),
  },
  samples: {
    summary: 'remove the bundled sample results from the lake (samples remove)',
    flags: ['--dry-run', '--api', '--token', '--data-dir', '--json', '--help'],
    words: ['remove'],
    load: () => import('./samples.ts'),
  },
  token: {
    summary: 'create, list or revoke API tokens; rotate the local admin token',
    flags: ['--scope', '--label', '--ttl-days', '--data-dir', '--json', '--help'],
    words: ['create', 'list', 'revoke', 'rotate-admin'],
    load: () => import('./token.ts'),
  },
  completion: {
    summary: 'print a shell completion script: source <(netlake completion bash)',
    flags: ['--help'],
    words: ['bash', 'zsh'],
    load: () => import('./completion.ts'),
  },
}
