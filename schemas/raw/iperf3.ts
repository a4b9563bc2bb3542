import { z } from 'zod'

/**
 * The raw iperf3 `-J` document, permissively: what every version 3.0–3.21 shares at the top level
 * and in `start`, with every field optional and unknown keys kept (the format grows per release;
 * see shared/reference/iperf3-qperf-formats.md §1). Numbers may be null: the tolerant reader
 * turns `nan`/`inf` into null. Interval and summary objects are read field by field by the
 * normalizer (functions/core/iperf3/read-fields.ts), which names the JSON path of anything wrong.
 */
const num = z.number().nullable().optional()
const endpoint = z.looseObject({ host: z.string().optional(), port: num })

export const Iperf3TestStartSchema = z.looseObject({
  protocol: z.string().optional(),
  num_streams: num,
  blksize: num,
  omit: num,
  duration: num,
  bytes: num,
  blocks: num,
  reverse: num,
  bidir: num,
  tos: num,
  target_bitrate: num,
  interval: num,
})

export const Iperf3StartSchema = z.looseObject({
  version: z.string().optional(),
  system_info: z.string().optional(),
  /** An object in 3.0.1 (overwritten per stream), an array since 3.0.2. */
  connected: z
    .union([z.array(z.looseObject({ socket: num })), z.looseObject({ socket: num })])
    .optional(),
  timestamp: z
    .looseObject({ time: z.string().optional(), timesecs: num, timemillisecs: num })
    .optional(),
  /** Present on a client's document. */
  connecting_to: endpoint.optional(),
  /** Present on a server's document. */
  accepted_connection: endpoint.optional(),
  cookie: z.string().optional(),
  tcp_mss: num,
  tcp_mss_default: num,
  target_bitrate: num,
  test_start: Iperf3TestStartSchema.optional(),
})

export const Iperf3IntervalSchema = z.looseObject({
  streams: z.array(z.looseObject({})).optional(),
  sum: z.looseObject({}).optional(),
  sum_bidir_reverse: z.looseObject({}).optional(),
})

/**
 * One iperf3 JSON document (`-J`, or reassembled from `--json-stream` events). Intervals are only
 * checked to be an array here: their elements (hundreds per run) are read field by field by the
 * normalizer, which names the path of a bad one; a schema pass over them would double the cost.
 */
export const Iperf3DocumentSchema = z.looseObject({
  start: Iperf3StartSchema,
  intervals: z
    .custom<Array<z.infer<typeof Iperf3IntervalSchema>>>(Array.isArray, 'expected an array')
    .optional(),
  end: z.looseObject({}).optional(),
  /** `error - <message>` (3.x main.c) or the bare message. */
  error: z.string().optional(),
  title: z.string().optional(),
  server_output_json: z.looseObject({}).optional(),
  server_output_text: z.string().optional(),
})
export type Iperf3Document = z.infer<typeof Iperf3DocumentSchema>
