/**
 * A synthetic lake for `bench/query.bench.ts`: iperf3 TCP runs (60 one-second intervals × 4
 * streams + the sum) written as canonical Parquet with netlake's writer, twice:
 *   compacted/<table>/platform=<p>/date=<d>/compacted.parquet   (one file per table and partition)
 *   small/<table>/platform=<p>/date=<d>/<n>.parquet             (ingest-sized files, before compaction)
 * Values are deterministic (seeded), throughput depends on platform, scenario and profile.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createParquetWriter } from '#adapters/parquet-writer.ts'
import type { NetlakeParquetWriter, ParquetFileBuilder } from '#adapters/parquet-writer.ts'
import type { TableName } from '#schemas/tables.ts'

/** The lake's shape. */
export interface LakeShape {
  platforms: string[]
  scenarios: number
  hardwareProfiles: number
  repetitions: number
  dates: number
  intervals: number
  streams: number
  /** Runs per file in the uncompacted layout (1 is what ingest writes; see the report). */
  runsPerSmallFile: number
  /** File layout version: 2 = `platform_label`/`run_date` in the files (a cached lake of 1 is rebuilt). */
  fileLayout: number
}

/** What was written. */
export interface LakeManifest {
  shape: LakeShape
  runs: number
  intervalRows: number
  partitions: number
  layouts: Record<
    'compacted' | 'small',
    Record<TableName & ('runs' | 'intervals'), { files: string[]; bytes: number }>
  >
  generateMs: number
}

export const DEFAULT_SHAPE: LakeShape = {
  platforms: ['baremetal', 'openstack', 'kubevirt'],
  scenarios: 8,
  hardwareProfiles: 4,
  repetitions: 360,
  dates: 7,
  intervals: 60,
  streams: 4,
  runsPerSmallFile: 20,
  fileLayout: 2,
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex')

/** The lake under `dir`, generated unless a manifest for the same shape is already there. */
export async function ensureLake(
  dir: string,
  shape: LakeShape,
  log: (m: string) => void,
): Promise<LakeManifest> {
  const manifestFile = path.join(dir, 'manifest.json')
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as LakeManifest
    if (JSON.stringify(manifest.shape) === JSON.stringify(shape)) {
      log(`reusing the lake in ${dir} (generated in ${(manifest.generateMs / 1000).toFixed(0)} s)`)
      return manifest
    }
  }
  rmSync(dir, { recursive: true, force: true })
  const started = performance.now()
  const writer = await createParquetWriter()
  const manifest = await generate(dir, shape, writer, log)
  manifest.generateMs = performance.now() - started
  writeFileSync(manifestFile, JSON.stringify(manifest))
  return manifest
}

async function generate(
  dir: string,
  shape: LakeShape,
  writer: NetlakeParquetWriter,
  log: (m: string) => void,
): Promise<LakeManifest> {
  const random = prng(42)
  const layouts: LakeManifest['layouts'] = {
    compacted: { runs: { files: [], bytes: 0 }, intervals: { files: [], bytes: 0 } },
    small: { runs: { files: [], bytes: 0 }, intervals: { files: [], bytes: 0 } },
  }
  const write = (
    layout: 'compacted' | 'small',
    table: 'runs' | 'intervals',
    rel: string,
    builder: ParquetFileBuilder,
  ) => {
    const file = path.join(dir, layout, table, rel)
    mkdirSync(path.dirname(file), { recursive: true })
    const bytes = builder.finish()
    writeFileSync(file, bytes)
    layouts[layout][table].files.push(file)
    layouts[layout][table].bytes += bytes.byteLength
  }
  let runs = 0
  let intervalRows = 0
  let partitions = 0
  for (const [p, platform] of shape.platforms.entries()) {
    for (let d = 0; d < shape.dates; d++) {
      const date = `2026-11-${String(d + 1).padStart(2, '0')}`
      const part = `platform=${platform}/date=${date}`
      const big = { runs: writer.builder('runs'), intervals: writer.builder('intervals') }
      const small = { runs: writer.builder('runs'), intervals: writer.builder('intervals') }
      // Rows of the current small file, appended to both layouts at once (fewer Arrow batches).
      let chunk: { runs: Record<string, unknown>[]; intervals: Record<string, unknown>[] } = {
        runs: [],
        intervals: [],
      }
      let smallIndex = 0
      const flushSmall = () => {
        if (chunk.runs.length === 0) return
        for (const table of ['runs', 'intervals'] as const) {
          big[table].append(chunk[table])
          small[table].append(chunk[table])
          write(
            'small',
            table,
            `${part}/${String(smallIndex).padStart(5, '0')}.parquet`,
            small[table],
          )
        }
        smallIndex++
        chunk = { runs: [], intervals: [] }
      }
      for (let s = 0; s < shape.scenarios; s++) {
        for (let h = 0; h < shape.hardwareProfiles; h++) {
          for (let r = d; r < shape.repetitions; r += shape.dates) {
            const { run, intervals } = syntheticRun(shape, random, { p, platform, s, h, r, date })
            chunk.runs.push(run)
            for (const row of intervals) chunk.intervals.push(row)
            runs++
            intervalRows += intervals.length
            if (chunk.runs.length === shape.runsPerSmallFile) flushSmall()
          }
        }
      }
      flushSmall()
      write('compacted', 'runs', `${part}/compacted.parquet`, big.runs)
      write('compacted', 'intervals', `${part}/compacted.parquet`, big.intervals)
      partitions++
      log(`  ${part}: ${runs} runs, ${intervalRows} interval rows so far`)
    }
  }
  return { shape, runs, intervalRows, partitions, layouts, generateMs: 0 }
}

function syntheticRun(
  shape: LakeShape,
  random: () => number,
  at: { p: number; platform: string; s: number; h: number; r: number; date: string },
) {
  const rawSha = sha(`${at.platform}/${at.s}/${at.h}/${at.r}`)
  const runId = sha(`${rawSha}:0`)
  const nic = [10e9, 25e9, 40e9, 100e9][at.h % 4]
  // Bare metal near line rate, virtual platforms lose 5–40% depending on the scenario.
  const overhead = at.platform === 'baremetal' ? 0.02 : (at.p === 1 ? 0.05 : 0.1) + 0.04 * at.s
  const mean = nic * 0.94 * (1 - overhead) * (0.97 + 0.06 * random())
  const failed = random() < 0.02
  const started = new Date(Date.parse(`${at.date}T00:00:00Z`) + Math.floor(random() * 86_000_000))
  const intervals: Record<string, unknown>[] = []
  let total = 0
  let retransmits = 0
  if (!failed) {
    for (let i = 0; i < shape.intervals; i++) {
      let sumBits = 0
      let sumRetr = 0
      for (let stream = 0; stream < shape.streams; stream++) {
        const bps = (mean / shape.streams) * (0.85 + 0.3 * random())
        const retr = random() < 0.1 ? Math.floor(random() * 50) : 0
        sumBits += bps
        sumRetr += retr
        intervals.push(intervalRow(runId, stream, i, bps, retr, 100 + Math.floor(random() * 300)))
      }
      total += sumBits
      retransmits += sumRetr
      intervals.push(intervalRow(runId, -1, i, sumBits, sumRetr, null))
    }
  }
  const throughput = failed ? null : total / shape.intervals
  const run: Record<string, unknown> = {
    run_id: runId,
    raw_key: `raw/date=${at.date}/${rawSha}.json`,
    raw_sha256: rawSha,
    document_index: 0,
    tool: 'iperf3',
    tool_version: '3.16',
    parser_version: '1',
    test: 'tcp',
    status: failed ? 'error' : 'ok',
    error_message: failed ? 'unable to connect to server: Connection refused' : null,
    protocol: 'tcp',
    direction: 'forward',
    streams: shape.streams,
    duration_s: shape.intervals,
    omit_s: 0,
    started_at: started.toISOString(),
    sender_bps: throughput === null ? null : throughput * 1.001,
    receiver_bps: throughput,
    sender_bytes: throughput === null ? null : Math.round((throughput * shape.intervals) / 8),
    receiver_bytes: throughput === null ? null : Math.round((throughput * shape.intervals) / 8),
    retransmits: failed ? null : retransmits,
    rtt_mean_us: failed ? null : 150 + random() * 200,
    throughput_bps: throughput,
    msg_size_bytes: 131072,
    cpu_local_percent: failed ? null : 20 + random() * 60,
    cpu_remote_percent: failed ? null : 20 + random() * 60,
    platform: at.platform,
    scenario: `scenario-${at.s + 1}`,
    campaign: `campaign-${(at.r % 3) + 1}`,
    hardware_profile: `profile-${at.h + 1}`,
    nic_speed_bps: nic,
    link_mtu: 9000,
    mtu: at.platform === 'baremetal' ? 9000 : 8950,
    source_host: `host-${at.h}-a`,
    destination_host: `host-${at.h}-b`,
    collector_id: 'synthetic',
    collected_at: started.toISOString(),
    repetition: at.r,
    comparison_key: `nic=${nic}/link_mtu=9000/P=${shape.streams}/t=${shape.intervals}`,
    role: 'client',
    congestion_control: 'cubic',
    ceiling_bps: nic * 0.949,
    ceiling_fraction: throughput === null ? null : throughput / (nic * 0.949),
    warning_count: 0,
    date: at.date,
  }
  return { run, intervals }
}

function intervalRow(
  runId: string,
  stream: number,
  i: number,
  bps: number,
  retransmits: number,
  cwndKb: number | null,
): Record<string, unknown> {
  return {
    run_id: runId,
    stream,
    direction: 'forward',
    start_s: i,
    end_s: i + 1,
    bytes: Math.round(bps / 8),
    bits_per_second: bps,
    retransmits,
    snd_cwnd_bytes: cwndKb === null ? null : cwndKb * 1024,
    rtt_us: stream === -1 ? null : 120 + (i % 7) * 10,
    rttvar_us: stream === -1 ? null : 20,
    pmtu_bytes: stream === -1 ? null : 9000,
    omitted: false,
    socket: stream === -1 ? null : 5 + stream,
    sender: true,
  }
}
