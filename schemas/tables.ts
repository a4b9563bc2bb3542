import { z } from 'zod'
import { col } from './columns.ts'

/**
 * The canonical tables (DESIGN.md §2). Column names carry their unit; every column is nullable
 * because unknown is null, never 0. Add columns at the end; never rename.
 */
export const RunRowSchema = z.object({
  run_id: col.str('sha256(raw_sha256 ":" document_index), hex'),
  raw_key: col.str('object key of the raw bytes'),
  raw_sha256: col.str('sha256 of the raw bytes, hex'),
  document_index: col.i32('0-based index of the measurement within the raw file'),
  tool: col.str('iperf3 | qperf'),
  tool_version: col.str('e.g. 3.12, 0.4.11'),
  parser_version: col.str('netlake parser version that produced the row'),
  test: col.str('tcp, udp, sctp (iperf3); qperf test name such as tcp_lat'),
  status: col.str('ok | error'),
  error_message: col.str("the tool's error message when status is error"),
  protocol: col.str('tcp | udp | sctp | rds | ...'),
  direction: col.str('forward (client sends) | reverse (-R) | bidir'),
  streams: col.i32('parallel streams (-P)'),
  duration_s: col.f64('requested test duration, seconds'),
  omit_s: col.f64('omitted warm-up, seconds (-O)'),
  bytes_limit: col.i64('byte limit (-n), bytes'),
  started_at: col.time('test start, UTC'),
  sender_bps: col.f64('sender rate, bits per second'),
  receiver_bps: col.f64('receiver rate (goodput), bits per second'),
  reverse_sender_bps: col.f64('bidir: server-to-client sender rate, bits per second'),
  reverse_receiver_bps: col.f64('bidir: server-to-client receiver rate, bits per second'),
  sender_bytes: col.i64('bytes sent'),
  receiver_bytes: col.i64('bytes received'),
  retransmits: col.i64('TCP retransmits (sender)'),
  rtt_mean_us: col.f64('mean smoothed RTT, microseconds'),
  jitter_ms: col.f64('UDP jitter, milliseconds'),
  lost_packets: col.i64('UDP lost packets'),
  packets: col.i64('UDP packets'),
  lost_percent: col.f64('UDP loss, percent'),
  throughput_bps: col.f64('headline throughput: receiver goodput, bits per second'),
  latency_s: col.f64('qperf one-way latency (RTT/2) as printed, seconds'),
  msg_size_bytes: col.i64('message / block size, bytes'),
  cpu_local_percent: col.f64('local CPU, percent (100 = one core for qperf)'),
  cpu_remote_percent: col.f64('remote CPU, percent'),
  // labels, flattened
  platform: col.str('openstack | kubevirt | baremetal | free text'),
  scenario: col.str('scenario id'),
  campaign: col.str('campaign label'),
  hardware_profile: col.str('hardware profile label'),
  nic_speed_bps: col.f64('physical NIC line rate, bits per second'),
  link_mtu: col.i32('physical link MTU, bytes'),
  mtu: col.i32('MTU of the interface the test ran on, bytes'),
  source_host: col.str('client host'),
  source_node: col.str('client node'),
  source_vm: col.str('client VM'),
  destination_host: col.str('server host'),
  destination_node: col.str('server node'),
  destination_vm: col.str('server VM'),
  software: col.str('software label map, JSON'),
  collector_id: col.str('collector that uploaded'),
  collected_at: col.time('when the collector captured the output, UTC'),
  repetition: col.i32('repetition number within a campaign'),
  comparison_key: col.str('physical setting + tool settings; runs compare only within a key'),
  // additions
  role: col.str('client | server: which side produced the document'),
  blocks_limit: col.i64('block limit (-k)'),
  tcp_mss_bytes: col.i32('TCP MSS (set with -M, else the default reported)'),
  target_bitrate_bps: col.f64('target bitrate (-b), bits per second'),
  congestion_control: col.str('sender TCP congestion control'),
  ceiling_bps: col.f64('theoretical TCP goodput limit of the link, bits per second'),
  ceiling_fraction: col.f64('throughput_bps / ceiling_bps'),
  warning_count: col.i32('parser warnings for this run'),
  date: col.str(
    'UTC date of the collected_at label, else of started_at, else of the upload, YYYY-MM-DD: the partition',
  ),
})
export type RunRow = z.infer<typeof RunRowSchema>

export const IntervalRowSchema = z.object({
  run_id: col.str('run this interval belongs to'),
  stream: col.i32('stream index within the run (0-based); -1 for the sum'),
  direction: col.str('forward (client to server) | reverse (server to client)'),
  start_s: col.f64('interval start, seconds since test start'),
  end_s: col.f64('interval end, seconds since test start'),
  bytes: col.i64('bytes in the interval'),
  bits_per_second: col.f64('rate in the interval, bits per second'),
  retransmits: col.i64('TCP retransmits in the interval'),
  snd_cwnd_bytes: col.i64('congestion window, bytes'),
  rtt_us: col.f64('smoothed RTT, microseconds'),
  rttvar_us: col.f64('RTT variance, microseconds'),
  pmtu_bytes: col.i32('path MTU, bytes'),
  omitted: col.bool('interval within the -O warm-up'),
  jitter_ms: col.f64('UDP jitter, milliseconds'),
  lost_packets: col.i64('UDP lost packets'),
  packets: col.i64('UDP packets'),
  // additions
  socket: col.i32('socket number iperf3 reported for the stream'),
  sender: col.bool('the reporting side was the sender of this stream'),
})
export type IntervalRow = z.infer<typeof IntervalRowSchema>

export const MetricRowSchema = z.object({
  run_id: col.str('run this metric belongs to'),
  name: col.str('metric name, e.g. loc_cpus_used, send_cost'),
  value: col.f64('value in SI base unit (see unit)'),
  unit: col.str('SI unit of value: s, B, B/s, bit/s, 1/s, percent, s/B, count, or null for text'),
  // additions
  text_value: col.str('the value as printed, for text metrics (conf) and audit'),
})
export type MetricRow = z.infer<typeof MetricRowSchema>

/**
 * Columns stored under another name in the Parquet files. The curated tree is Hive-partitioned
 * by `platform=<p>/date=<d>/`, so a file column named `platform` or `date` clashes with the
 * partition column a Hive reader (pyarrow, pandas, Spark, DuckDB `hive_partitioning`) derives from
 * the path ("Unable to merge: Field platform has incompatible types"). In the files they are
 * `platform_label` and `run_date`; the rows, the API and the SQL views keep the canonical names.
 */
export const FILE_COLUMN_NAMES: Readonly<Record<string, string>> = {
  platform: 'platform_label',
  date: 'run_date',
}

/** The Parquet name of a canonical column (the same name unless `FILE_COLUMN_NAMES` says so). */
export function fileColumnName(column: string): string {
  return FILE_COLUMN_NAMES[column] ?? column
}

/** The canonical name of a Parquet column (inverse of `fileColumnName`). */
export function rowColumnName(fileColumn: string): string {
  return ROW_COLUMN_NAMES[fileColumn] ?? fileColumn
}
const ROW_COLUMN_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(FILE_COLUMN_NAMES).map(([row, file]) => [file, row]),
)

/** The three tables by name. */
export const TABLES = {
  runs: RunRowSchema,
  intervals: IntervalRowSchema,
  metrics: MetricRowSchema,
} as const
export type TableName = keyof typeof TABLES
