import { statSync } from 'node:fs'
import path from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

const INTERVAL = `STRUCT(
  socket INTEGER, "start" DOUBLE, "end" DOUBLE, seconds DOUBLE, bytes BIGINT, bits_per_second DOUBLE,
  retransmits BIGINT, snd_cwnd BIGINT, snd_wnd BIGINT, rtt DOUBLE, rttvar DOUBLE, pmtu INTEGER,
  omitted BOOLEAN, sender BOOLEAN, jitter_ms DOUBLE, lost_packets BIGINT, packets BIGINT, lost_percent DOUBLE)`
const SUM = `STRUCT("start" DOUBLE, "end" DOUBLE, seconds DOUBLE, bytes BIGINT, bits_per_second DOUBLE,
  retransmits BIGINT, jitter_ms DOUBLE, lost_packets BIGINT, packets BIGINT, lost_percent DOUBLE, sender BOOLEAN)`

/**
 * The explicit column schema for iperf3 `-J` documents. Auto-detection fails on `-P` output:
 * iperf3 repeats `sock_bufsize`/`sndbuf_actual`/`rcvbuf_actual` once per stream in `start`.
 */
export const IPERF3_COLUMNS = `{
  "start": 'STRUCT(version VARCHAR, system_info VARCHAR, "timestamp" STRUCT("time" VARCHAR, timesecs BIGINT),
    tcp_mss_default INTEGER, target_bitrate BIGINT,
    test_start STRUCT(protocol VARCHAR, num_streams INTEGER, blksize BIGINT, "omit" INTEGER, duration INTEGER,
      bytes BIGINT, blocks BIGINT, reverse INTEGER, bidir INTEGER, tos INTEGER, target_bitrate BIGINT))',
  "intervals": 'STRUCT(streams ${INTERVAL.replace(/\s+/g, ' ')}[], sum ${SUM.replace(/\s+/g, ' ')})[]',
  "end": 'STRUCT(sum_sent ${SUM.replace(/\s+/g, ' ')}, sum_received ${SUM.replace(/\s+/g, ' ')}, sum ${SUM.replace(/\s+/g, ' ')},
    cpu_utilization_percent STRUCT(host_total DOUBLE, remote_total DOUBLE),
    sender_tcp_congestion VARCHAR, receiver_tcp_congestion VARCHAR)',
  "error": 'VARCHAR'
}`

/**
 * Largest JSON document the reader accepts. DuckDB keeps a buffer of about this size per file
 * while scanning many files (the 16 MB default took ~2 GB RSS per 20 MB of small iperf3 files and
 * ran out of memory at 200 MB), so it is set to 2 MB: 20× the largest document in the corpus.
 */
const MAX_OBJECT_BYTES = 2 * 1024 * 1024

/** What the peer did. */
export interface PeerResult {
  ms: number
  runs: number
  intervals: number
  outBytes: number
}

/**
 * DuckDB native (`@duckdb/node-api`, all cores): `COPY (... read_json with the explicit schema ...)
 * TO ... (FORMAT parquet, COMPRESSION zstd)` of the per-stream interval table and of a run summary.
 * Each COPY streams its own scan: materializing the documents once in a temp table took ~100 bytes
 * of memory per byte of JSON (a mostly empty 2048-row vector per struct field per file) and ran out
 * of memory on the 200 MB corpus.
 */
export async function runPeer(corpusDir: string, outDir: string): Promise<PeerResult> {
  const instance = await DuckDBInstance.create(':memory:')
  const conn = await instance.connect()
  const runsFile = path.join(outDir, 'peer-runs.parquet')
  const intervalsFile = path.join(outDir, 'peer-intervals.parquet')
  const glob = path.join(corpusDir, '*.json').replaceAll("'", "''")
  const started = performance.now()
  const docs = `read_json('${glob}', format = 'auto', filename = true, maximum_object_size = ${MAX_OBJECT_BYTES},
       columns = ${IPERF3_COLUMNS})`
  await conn.run(`COPY (
    WITH iv AS (SELECT filename, unnest(intervals) AS iv FROM ${docs}),
         st AS (SELECT filename, generate_subscripts(iv.streams, 1) - 1 AS stream, unnest(iv.streams) AS s FROM iv)
    SELECT filename AS raw_key, stream, s."start" AS start_s, s."end" AS end_s, s.bytes, s.bits_per_second,
      s.retransmits, s.snd_cwnd AS snd_cwnd_bytes, s.rtt AS rtt_us, s.rttvar AS rttvar_us, s.pmtu AS pmtu_bytes,
      s.omitted, s.jitter_ms, s.lost_packets, s.packets, s.socket, s.sender
    FROM st) TO '${intervalsFile}' (FORMAT parquet, COMPRESSION zstd)`)
  await conn.run(`COPY (
    SELECT filename AS raw_key, 'iperf3' AS tool, replace("start".version, 'iperf ', '') AS tool_version,
      CASE WHEN "error" IS NULL THEN 'ok' ELSE 'error' END AS status, "error" AS error_message,
      lower("start".test_start.protocol) AS protocol, "start".test_start.num_streams AS streams,
      "start".test_start.duration AS duration_s, "start".test_start."omit" AS omit_s,
      to_timestamp("start"."timestamp".timesecs) AS started_at,
      "end".sum_sent.bits_per_second AS sender_bps, "end".sum_received.bits_per_second AS receiver_bps,
      "end".sum_sent.bytes AS sender_bytes, "end".sum_received.bytes AS receiver_bytes,
      "end".sum_sent.retransmits AS retransmits, "end".sum.jitter_ms AS jitter_ms,
      "end".sum.lost_packets AS lost_packets, "end".sum.packets AS packets, "end".sum.lost_percent AS lost_percent,
      coalesce("end".sum_received.bits_per_second, "end".sum.bits_per_second) AS throughput_bps,
      "start".test_start.blksize AS msg_size_bytes,
      "end".cpu_utilization_percent.host_total AS cpu_local_percent,
      "end".cpu_utilization_percent.remote_total AS cpu_remote_percent,
      "end".sender_tcp_congestion AS congestion_control
    FROM ${docs}) TO '${runsFile}' (FORMAT parquet, COMPRESSION zstd)`)
  const ms = performance.now() - started
  const counts = await conn.runAndReadAll(
    `SELECT (SELECT count(*) FROM read_parquet('${runsFile}')) AS runs, (SELECT count(*) FROM read_parquet('${intervalsFile}')) AS intervals`,
  )
  const [runs, intervals] = counts.getRows()[0].map(Number)
  conn.closeSync()
  instance.closeSync()
  return { ms, runs, intervals, outBytes: statSync(runsFile).size + statSync(intervalsFile).size }
}
