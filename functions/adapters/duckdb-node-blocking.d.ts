// duckdb-wasm ships no declarations for this CJS entry (its .d.ts points into the browser types);
// duckdb-node.ts types the subset it uses.
declare module '@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs' {
  const module: unknown
  export default module
}
