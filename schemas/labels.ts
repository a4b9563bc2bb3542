import { z } from 'zod'

/**
 * Labels a collector attaches to raw output (DESIGN.md §2). They come in an upload envelope, as
 * query parameters or headers, so numeric labels accept plain decimal strings (nothing looser:
 * see `strictNumber`), and no text may hide control or bidi characters. Free text is allowed for
 * platform and scenario, but it must be a plain token so it can name a partition and a filter.
 */
const token = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only')

/** A plain decimal as query parameters and headers carry it: no sign, hex, padding or spaces. */
const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/

/**
 * A number label: a JSON number, or a string holding a plain decimal (`"1500"`, `"1e10"`).
 * Booleans, hex (`"0x5dc"`), zero-padded (`"01500"`) and empty values are refused by name instead
 * of being coerced (`true` would become 1, `"0x5dc"` 1500).
 */
export const strictNumber = (name: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value),
    z.number({
      error: (issue) =>
        `${name} must be a plain decimal number, not ${JSON.stringify(issue.input) ?? String(issue.input)}`,
    }),
  )

/** NUL and other C0/C1 controls, and the bidirectional marks and overrides that disguise text. */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/

/** Free text of at most `max` characters, without control or bidi characters (named by code point). */
export const labelText = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      const at = value.search(HIDDEN)
      if (at !== -1)
        ctx.addIssue({
          code: 'custom',
          message: `must not contain control or bidirectional characters (U+${value
            .charCodeAt(at)
            .toString(16)
            .toUpperCase()
            .padStart(4, '0')} at offset ${at})`,
        })
    })

/** An MTU in bytes: IPv4's minimum of 68 up to Linux loopback's 65536. */
const mtuBytes = (name: string) => {
  const range = `${name} is an MTU in bytes, an integer from 68 (the IPv4 minimum) to 65536 (Linux loopback)`
  return strictNumber(name).pipe(z.number().int(range).min(68, range).max(65536, range))
}

/** A line rate in bits per second, 1 Mbit/s to 10 Tbit/s. */
const NIC_SPEED =
  'nic_speed_bps is bits per second, from 1e6 to 1e13 (10 GbE is 10e9; ethtool prints Mb/s: 10000Mb/s is 1e10)'

/** Known platforms; a deployment declares others (NETLAKE_PLATFORMS), anything else is refused at upload. */
export const KNOWN_PLATFORMS = ['openstack', 'kubevirt', 'baremetal'] as const

/**
 * The labels of the sample results `npm start` loads (samples/lab/): their own campaign and
 * hardware profile, so they never share a comparison key or a filter value with a user's runs.
 */
export { SAMPLE_LABELS } from './sample-labels.ts'

/** Where one side of the test ran. */
export const EndpointSchema = z
  .object({
    host: labelText(255).optional(),
    node: labelText(255).optional(),
    vm: labelText(255).optional(),
  })
  .strict()

/** Labels of one upload. `platform` and `scenario` are required for anything to be comparable. */
export const LabelsSchema = z
  .object({
    platform: token.transform((s) => s.toLowerCase()),
    scenario: token,
    campaign: token.optional(),
    hardware_profile: token.optional(),
    nic_speed_bps: strictNumber('nic_speed_bps')
      .pipe(z.number().min(1e6, NIC_SPEED).max(1e13, NIC_SPEED))
      .optional(),
    link_mtu: mtuBytes('link_mtu').optional(),
    mtu: mtuBytes('mtu').optional(),
    source: EndpointSchema.optional(),
    destination: EndpointSchema.optional(),
    software: z.record(labelText(64), labelText(256)).optional(),
    collector_id: labelText(128).optional(),
    collected_at: z.iso.datetime({ offset: true }).optional(),
    repetition: strictNumber('repetition')
      .pipe(z.number().int().nonnegative().max(1_000_000))
      .optional(),
  })
  .strict()

export type Labels = z.infer<typeof LabelsSchema>

/** The tools netlake understands. */
export const ToolSchema = z.enum(['iperf3', 'qperf'])
export type Tool = z.infer<typeof ToolSchema>
