/**
 * The labels of the bundled samples (`samples/`), apart from any user's campaign and hardware
 * profile so a sample run never shares a comparison key with theirs. No imports: the CLI's start
 * banner reads it without loading a package.
 */
export const SAMPLE_LABELS = {
  campaign: 'netlake-sample',
  hardware_profile: 'sample-lab-netns',
} as const
