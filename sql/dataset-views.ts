import { arrowColumns, type ArrowKind } from '#schemas/columns.ts'
import { fileColumnName, TABLES, type TableName } from '#schemas/tables.ts'
import type { DatasetsManifest } from '#schemas/api.ts'
import { SAMPLE_LABELS } from '#schemas/sample-labels.ts'

/** A Parquet file to register with DuckDB under a generated, SQL-safe name. */
export interface FileRegistration {
  table: TableName
  name: string
  url: string
  /** The file's key in the curated bucket (what an error or a skip note names). */
  key: string
}

/** A manifest file the notebook left out because DuckDB cannot read it, and why. */
export interface SkippedDataset {
  key: string
  reason: string
}

/** What the notebook registers for one manifest: files, one view per table, the client views. */
export interface DatasetPlan {
  files: FileRegistration[]
  statements: string[]
  rows: Record<TableName, number>
  bytes: number
  /** Manifest files left out of the views (they cannot be read), with the reason. */
  skipped: SkippedDataset[]
}

const DUCKDB_TYPES: Record<ArrowKind, string> = {
  utf8: 'VARCHAR',
  float64: 'DOUBLE',
  int64: 'BIGINT',
  int32: 'INTEGER',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
}

/** Table names in a fixed order. */
export const TABLE_NAMES = Object.keys(TABLES) as TableName[]

/**
 * Manifest → registrations and `CREATE VIEW` statements. File URLs resolve against `base` (the
 * page origin). View DDL cannot take bind parameters, so file names are generated here
 * (`runs-0.parquet`) and never come from the manifest. Files named in `skipped` (found unreadable
 * by a first attempt) are left out of the views and their rows out of the counts.
 */
export function planDatasets(
  manifest: DatasetsManifest,
  base: string,
  skipped: readonly SkippedDataset[] = [],
): DatasetPlan {
  const files: FileRegistration[] = []
  const statements: string[] = []
  const rows = { runs: 0, intervals: 0, metrics: 0 } as Record<TableName, number>
  const left = new Set(skipped.map((s) => s.key))
  let bytes = 0
  for (const table of TABLE_NAMES) {
    const names: string[] = []
    // A file's name is its place in the manifest, so leaving one out renames none of the others.
    manifest.tables[table].forEach((ref, i) => {
      if (left.has(ref.key)) return
      const name = `${table}-${i}.parquet`
      files.push({ table, name, url: new URL(ref.url, base).href, key: ref.key })
      rows[table] += ref.rows
      bytes += ref.bytes
      names.push(name)
    })
    statements.push(names.length === 0 ? emptyViewSql(table) : parquetViewSql(table, names))
  }
  statements.push(...clientViewSql())
  return { files, statements, rows, bytes, skipped: [...skipped] }
}

/**
 * A view named `table` (or `view`) over the table's Parquet files, with the canonical columns in
 * order: file columns stored under another name (`platform_label`, `run_date`, which stay clear
 * of the Hive path's `platform=`/`date=`) get their canonical names back.
 */
export function parquetViewSql(table: TableName, names: string[], view: string = table): string {
  const list = names.map((n) => `'${n}'`).join(', ')
  const columns = arrowColumns(TABLES[table]).map((c) =>
    fileColumnName(c.name) === c.name ? c.name : `${fileColumnName(c.name)} AS ${c.name}`,
  )
  return `CREATE OR REPLACE VIEW ${view} AS SELECT ${columns.join(', ')} FROM read_parquet([${list}], union_by_name = true)`
}

/** A view with the table's canonical columns and zero rows, so queries still bind. */
export function emptyViewSql(table: TableName): string {
  const columns = arrowColumns(TABLES[table]).map(
    (c) => `CAST(NULL AS ${DUCKDB_TYPES[c.arrow]}) AS ${c.name}`,
  )
  return `CREATE OR REPLACE VIEW ${table} AS SELECT ${columns.join(', ')} WHERE false`
}

/** The filter bar's parameters, in the order every `*_where(...)` table macro takes them. */
export const FILTER_PARAMS = [
  'platform',
  'scenario',
  'hardware_profile',
  'campaign',
  'date_from',
  'date_to',
] as const

/**
 * The measurements a query may count, defined once for every query file. An iperf3 server-side
 * document (`role = 'server'`) repeats the test of its client document, so it is never counted.
 */
const CLIENT_VIEWS: ReadonlyArray<
  readonly [name: string, select: string, base: TableName, about: string]
> = [
  [
    'client_runs',
    `SELECT * FROM runs WHERE role IS DISTINCT FROM 'server'`,
    'runs',
    'runs without the iperf3 server-side copies',
  ],
  [
    'tcp_throughput_runs',
    `SELECT * FROM client_runs WHERE tool = 'iperf3' AND test = 'tcp' AND status = 'ok' AND throughput_bps IS NOT NULL`,
    'runs',
    'successful iperf3 TCP client runs',
  ],
  [
    'tcp_latency_runs',
    `SELECT * FROM client_runs WHERE tool = 'qperf' AND test = 'tcp_lat' AND status = 'ok' AND latency_s IS NOT NULL`,
    'runs',
    'successful qperf tcp_lat runs',
  ],
  [
    'client_intervals',
    `SELECT i.* FROM intervals i JOIN (SELECT DISTINCT run_id FROM client_runs) c ON i.run_id = c.run_id`,
    'intervals',
    'intervals of client_runs',
  ],
]

/**
 * The campaign filter's value for "runs with no campaign" (the API's `campaign=`): a string no
 * label can be (labels start with a letter or digit), so it never names a real campaign.
 */
export const NO_CAMPAIGN = '~none'

/** A column as the schema panel and the editor's completion show it (its unit is in its name). */
export interface SchemaColumn {
  name: string
  type: string
  description: string
}

/** A table or view a SQL cell can read. */
export interface SchemaObject {
  name: string
  kind: 'table' | 'view'
  about: string
  columns: SchemaColumn[]
  /** `<view>_where(platform, scenario, hardware_profile, campaign, date_from, date_to)` exists. */
  filterMacro: boolean
}

/**
 * The tables and the client views with their columns, types and units, all from `schemas/tables.ts`
 * (the views select `*` of their base table, so they share its columns).
 */
export function schemaObjects(): SchemaObject[] {
  const columns = (table: TableName): SchemaColumn[] =>
    arrowColumns(TABLES[table]).map((c) => ({
      name: c.name,
      type: DUCKDB_TYPES[c.arrow],
      description: c.description,
    }))
  return [
    ...CLIENT_VIEWS.map(([name, , base, about]) => ({
      name,
      kind: 'view' as const,
      about,
      columns: columns(base),
      filterMacro: name.endsWith('_runs'),
    })),
    ...TABLE_NAMES.map((name) => ({
      name,
      kind: 'table' as const,
      about: `the canonical ${name} table (schemas/tables.ts)`,
      columns: columns(name),
      filterMacro: false,
    })),
  ]
}

/**
 * `campaign_matches(f_campaign, campaign)`: the filter bar's campaign test (NULL matches every
 * run, NO_CAMPAIGN the runs without one). The query files use it for the bare-metal side too,
 * whose baseline, like GET /v1/compare's, is taken from the chosen campaign only.
 */
const CAMPAIGN_MATCHES_SQL = `CREATE OR REPLACE MACRO campaign_matches(f_campaign, campaign) AS (CAST(f_campaign AS VARCHAR) IS NULL OR campaign = CAST(f_campaign AS VARCHAR) OR (CAST(f_campaign AS VARCHAR) = '${NO_CAMPAIGN}' AND campaign IS NULL))`

/** The optional filter block: a NULL (unset) filter matches everything; dates are inclusive. */
const FILTER_PREDICATE = [
  `(CAST(f_platform AS VARCHAR) IS NULL OR platform = CAST(f_platform AS VARCHAR))`,
  `(CAST(f_scenario AS VARCHAR) IS NULL OR scenario = CAST(f_scenario AS VARCHAR))`,
  `(CAST(f_hardware_profile AS VARCHAR) IS NULL OR hardware_profile = CAST(f_hardware_profile AS VARCHAR))`,
  `campaign_matches(f_campaign, campaign)`,
  `(CAST(f_date_from AS VARCHAR) IS NULL OR date >= CAST(f_date_from AS VARCHAR))`,
  `(CAST(f_date_to AS VARCHAR) IS NULL OR date <= CAST(f_date_to AS VARCHAR))`,
].join(' AND ')

/**
 * Views and table macros over the three tables, created after them (notebook, reports, CLI):
 * `client_runs`, `tcp_throughput_runs`, `tcp_latency_runs`, `client_intervals`, and for each run
 * view `<view>_where(platform, scenario, hardware_profile, campaign, date_from, date_to)`, the
 * same rows narrowed by the filter bar. Query files read only these, never the tables.
 */
export function clientViewSql(): string[] {
  const params = FILTER_PARAMS.map((p) => `f_${p}`).join(', ')
  return [
    CAMPAIGN_MATCHES_SQL,
    ...CLIENT_VIEWS.flatMap(([name, select]) => [
      `CREATE OR REPLACE VIEW ${name} AS ${select}`,
      ...(name.endsWith('_runs')
        ? [
            `CREATE OR REPLACE MACRO ${name}_where(${params}) AS TABLE SELECT * FROM ${name} WHERE ${FILTER_PREDICATE} AND ${samplesApart(name)}`,
          ]
        : []),
    ]),
  ]
}

/**
 * The bundled samples show only while the view holds nothing else, or when their campaign is
 * chosen: once a user's runs are in, an unfiltered page shows the user's alone (as
 * `/v1/compare` leaves samples out of a side with runs of its own).
 */
function samplesApart(view: string): string {
  const sample = `'${SAMPLE_LABELS.campaign}'`
  return `(CAST(f_campaign AS VARCHAR) IS NOT NULL OR campaign IS DISTINCT FROM ${sample} OR NOT EXISTS (SELECT 1 FROM ${view} WHERE campaign IS DISTINCT FROM ${sample}))`
}
