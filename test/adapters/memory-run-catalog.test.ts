import { createMemoryRunCatalog } from '#adapters/memory-run-catalog.ts'
import { runCatalogContract } from './run-catalog.contract.ts'

runCatalogContract('memory', async () => createMemoryRunCatalog())
