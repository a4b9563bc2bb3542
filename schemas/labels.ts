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

const positiveInt = (max: number) => z.coerce.number().int().positive().max(max)

/** Known platforms; others are accepted as free text. */
export const KNOWN_PLATFORMS = ['openstack', 'kubevirt', 'baremetal'] as const

/**
 * The labels of the sample results `npm start` loads (samples/lab/): their own campaign and
 * hardware profile, so they never share a comparison key or a filter value with a user's runs.
 */
export const SAMPLE_LABELS = { campaign: 'netlake-sample', hardware_profile: 'sample-lab-netns' } as const

/** Where one side of the test ran. */
export const EndpointSchema = z
  .object({ host: z.string().max(255).optional(), node: z.string().max(255).optional(), vm: z.string().max(255).optional() })
  .strict()

/** Labels of one upload. `platform` and `scenario` are required for anything to be comparable. */
export const LabelsSchema = z
  .object({
    platform: token.transform((s) => s.toLowerCase()),
    scenario: token,
    campaign: token.optional(),
    hardware_profile: token.optional(),
    nic_speed_bps: z.coerce.number().positive().max(1e13).optional(),
    link_mtu: positiveInt(65535).optional(),
    mtu: positiveInt(65535).optional(),
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
