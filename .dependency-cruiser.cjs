/**
 * The house's import boundaries (DESIGN.md's arrows), checked by `npm test` before vitest:
 * `npx depcruise --config .dependency-cruiser.cjs functions sql schemas collector local cli lab infra analytics/src bin`.
 */
const RUNTIME = '^(functions|sql|schemas|collector|local|cli|lab|infra|analytics/src|bin)/'
const PURE = '^(functions/core|schemas)/'

module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'The pure core (parsing, normalizing, statistics, report logic) and the schemas do no I/O: ' +
        'no Node module but node:crypto, no package but zod and the chart renderers, no edge code.',
      severity: 'error',
      from: { path: PURE },
      to: {
        dependencyTypesNot: ['type-only', 'core'],
        pathNot: [PURE, '^node_modules/(zod|@observablehq/plot|linkedom)/'],
      },
    },
    {
      name: 'core-uses-no-node-io',
      severity: 'error',
      from: { path: PURE },
      to: { dependencyTypes: ['core'], pathNot: ['^(node:)?crypto$'] },
    },
    {
      name: 'nothing-runs-test-code',
      comment: 'Run-time code never imports test helpers or fixtures.',
      severity: 'error',
      from: { path: RUNTIME },
      to: { path: '^test/' },
    },
    {
      name: 'backend-not-notebook',
      comment:
        'Functions, the local stack, the CLI and the SQL package never import the browser notebook.',
      severity: 'error',
      from: { path: RUNTIME, pathNot: '^analytics/' },
      to: { path: '^analytics/' },
    },
    {
      name: 'adapters-not-memory-twins',
      comment: 'Memory twins are for tests; real code (adapters included) never imports them.',
      severity: 'error',
      from: { path: RUNTIME, pathNot: '^functions/adapters/memory-' },
      to: { path: '^functions/adapters/memory-' },
    },
    {
      name: 'sql-has-no-browser-or-io',
      comment:
        'The SQL package is shared by notebook, reports and CLI: no browser code, no engine.',
      severity: 'error',
      from: { path: '^sql/' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: ['^sql/', '^schemas/', '^node_modules/zod/'],
      },
    },
    {
      name: 'notebook-no-node',
      comment: 'The notebook runs in a browser: no Node modules, adapters, or local-stack code.',
      severity: 'error',
      from: { path: '^analytics/src/' },
      to: { path: '^(functions/adapters|functions/api|local|collector|cli|lab|infra)/' },
    },
    {
      name: 'notebook-no-node-builtins',
      severity: 'error',
      from: { path: '^analytics/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'collector-ships-alone',
      comment:
        'The edge collector ships to test hosts on its own (dist/netlake-collector.mjs): schemas, the ' +
        'pure core, the push/collect commands and the stack file reader, never the servers or the lake.',
      severity: 'error',
      from: { path: '^collector/' },
      to: {
        path: '^(functions/(adapters|api|ingest|compact|report|reprocess|lake)|local|lab|infra|sql|analytics)/',
        pathNot: '^local/stack-file\\.ts$',
      },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '\\?(url|raw)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^analytics/dist|\\.d\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
    },
  },
}
