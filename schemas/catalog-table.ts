/**
 * The DynamoDB single-table layout, shared by the adapter and the CDK stack so they cannot drift.
 * Item kinds (pk / sk):
 *   run summary      RUN#<run_id>        / RUN
 *   ingest record    RAW#<raw_sha256>    / INGEST        (dedupe: one per unique raw bytes)
 *   dataset part.    DATASET#<table>     / <platform>#<date>   (file list of one partition)
 *   token            TOKEN#<hash>        / TOKEN
 *   report           REPORT              / <window_to>#<report_id>
 *   migration marker MIGRATION#<name>    / MIGRATION     (token-index: every token has gsi3)
 * GSIs:
 *   by-platform-scenario  gsi1pk = <platform>#<scenario>, gsi1sk = <started_at>#<run_id>
 *   by-hardware-profile   gsi2pk = <hardware_profile>,    gsi2sk = <started_at>#<run_id>
 *   by-kind               gsi3pk = <kind> (RUN, INGEST, TOKEN),  gsi3sk = <started_at or at>#<id>  (list all runs by time)
 */
export const CATALOG_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    byPlatformScenario: { name: 'by-platform-scenario', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    byHardwareProfile: { name: 'by-hardware-profile', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    byKind: { name: 'by-kind', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  },
} as const
