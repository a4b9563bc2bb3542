/** The notebook's number formats: the shared unit formatter (functions/core/units.ts). */
export {
  MISSING,
  exactNumber,
  formatBitRate as formatBps,
  formatChange,
  formatColumnValue,
  formatDuration as formatSeconds,
  formatInUnit,
  formatPercent,
  formatPlain,
  columnUnit,
} from '#core/units.ts'
