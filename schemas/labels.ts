import { z } from 'zod'

/**
 * Labels a collector attaches to raw output (DESIGN.md §2). They come in an upload envelope, as
 * query parameters or headers, so numeric labels accept numeric strings. Free text is allowed for
 * platform and scenario, but it must be a plain token so it can name a partition and a filter.
 */
const token = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only')

/** An MTU in bytes: IPv4's minimum of 68 up to Linux loopback's 65536. */
const mtuBytes = (name: string) => {
  const range = `${name} is an MTU in bytes, an integer from 68 (the IPv4 minimum) to 65536 (Linux loopback)`
  return z.coerce.number({ error: range }).int(range).min(68, range).max(65536, range)
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
    host: z.string().max(255).optional(),
    node: z.string().max(255).optional(),
    vm: z.string().max(255).optional(),
  })
  .strict()

/** Labels of one upload. `platform` and `scenario` are required for anything to be comparable. */
export const LabelsSchema = z
  .object({
    platform: token.transform((s) => s.toLowerCase()),
    scenario: token,
    campaign: token.optional(),
    hardware_profile: token.optional(),
    nic_speed_bps: z.coerce
      .number({ error: NIC_SPEED })
      .min(1e6, NIC_SPEED)
      .max(1e13, NIC_SPEED)
      .optional(),
    link_mtu: mtuBytes('link_mtu').optional(),
    mtu: mtuBytes('mtu').optional(),
    source: EndpointSchema.optional(),
    destination: EndpointSchema.optional(),
    software: z.record(z.string().max(64), z.string().max(256)).optional(),
    collector_id: z.string().max(128).optional(),
    collected_at: z.iso.datetime({ offset: true }).optional(),
    repetition: z.coerce.number().int().nonnegative().max(1_000_000).optional(),
  })
  .strict()

export type Labels = z.infer<typeof LabelsSchema>

/** The tools netlake understands. */
export const ToolSchema = z.enum(['iperf3', 'qperf'])
export type Tool = z.infer<typeof ToolSchema>
