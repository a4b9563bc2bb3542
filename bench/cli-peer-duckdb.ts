/**
 * The DuckDB peer of `npm run bench:cli` as a whole process: `node <bundle> CORPUS_DIR OUT_DIR`
 * (bundled by the bench with esbuild, packages external, so neither side compiles TypeScript).
 */
import { runPeer } from './lib/peer-duckdb.ts'

const [corpus, out] = process.argv.slice(2)
const result = await runPeer(corpus, out)
console.log(JSON.stringify(result))
