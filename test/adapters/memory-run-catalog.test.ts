import { createMemoryRunCatalog } from '#adapters/memory-run-catalog.ts'
import { runCatalogContract } from './run-catalog.contract.ts'

// The twin keeps every token in one map (no index to miss): a legacy token is any token.
runCatalogContract(
  'memory',
  async () => createMemoryRunCatalog(),
  (catalog, token) => catalog.putToken(token),
)
