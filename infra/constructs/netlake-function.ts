import { existsSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Duration } from 'aws-cdk-lib'
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs'
import * as logs from 'aws-cdk-lib/aws-logs'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import type * as sns from 'aws-cdk-lib/aws-sns'
import { Construct } from 'constructs'
import { acknowledge, acknowledgeMatching } from '../nag.ts'

/** The repository root: handler entries are named relative to it. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The runtime every netlake function uses (Node.js 22 LTS on Graviton). */
export const NETLAKE_RUNTIME = lambda.Runtime.NODEJS_22_X

/**
 * esbuild settings shared by every function: one ESM file with the AWS SDK bundled in (so the
 * pinned version runs), minified, external source maps, and `require` / `__dirname` shims for
 * CommonJS dependencies (parquet-wasm's Node build reads its wasm file from `__dirname`).
 */
export const NETLAKE_BUNDLING: nodejs.BundlingOptions = {
  forceDockerBundling: false,
  externalModules: [],
  format: nodejs.OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourceMapMode: nodejs.SourceMapMode.EXTERNAL,
  sourcesContent: false,
  banner: [
    "import{createRequire as __nlcr}from'node:module';",
    "import{fileURLToPath as __nlfu}from'node:url';",
    "import{dirname as __nldn}from'node:path';",
    'const require=__nlcr(import.meta.url);',
    'const __filename=__nlfu(import.meta.url);',
    'const __dirname=__nldn(__filename);',
  ].join(''),
  loader: { '.wasm': 'file' },
  logLevel: nodejs.LogLevel.WARNING,
}

/** parquet-wasm's Node build loads this file from the bundle's directory at first use. */
export const PARQUET_WASM = 'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm'

/** duckdb-wasm's engines, read from `NETLAKE_DUCKDB_DIST` (the bundle directory) by the report. */
export const DUCKDB_WASM = [
  'node_modules/@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm',
  'node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm',
]

/** Lambda CPU architectures a netlake function can run on. */
export type FunctionArchitecture = 'arm64' | 'x86_64'

/**
 * Native DuckDB (`@duckdb/node-api`) for a function: kept out of the esbuild bundle and copied,
 * with its Linux binary for `arch`, into `node_modules/` beside it. The binaries come from
 * node_modules as installed (npm installs only the host's platform package), so a synth for an
 * architecture whose binary is absent fails with the package to install, instead of deploying a
 * function that cannot load its engine.
 */
export function duckdbNative(arch: FunctionArchitecture): NativeModules {
  const binary = `@duckdb/node-bindings-linux-${arch === 'arm64' ? 'arm64' : 'x64'}`
  return {
    external: ['@duckdb/node-api'],
    packages: ['@duckdb/node-api', '@duckdb/node-bindings', binary, 'detect-libc'],
  }
}

/** Packages a function loads from `node_modules/` beside its bundle instead of bundling. */
export interface NativeModules {
  /** Import specifiers esbuild leaves as imports. */
  external: string[]
  /** Package folders (under node_modules/) copied beside the bundle, dependencies included. */
  packages: string[]
}

/** The swagger-ui-dist files the API's interactive `/docs` serves, copied beside the bundle. */
export const SWAGGER_UI_ASSETS = [
  'node_modules/swagger-ui-dist/swagger-ui.css',
  'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
]

/** The notebook's SQL files, which the report runs: copied as `queries/` beside the bundle. */
export const QUERY_DIR = 'sql/queries'

/** `bundle`: real code built with the local esbuild. `inline`: a placeholder, for synth tests. */
export type CodeMode = 'bundle' | 'inline'

/** S3 operations a function gets on a bucket; only `readWriteDelete` includes delete. */
export type BucketAccess = 'read' | 'put' | 'readPut' | 'readWriteDelete'

/** The environment variable each bucket role is published under. */
export const BUCKET_ENV = {
  raw: 'NETLAKE_RAW_BUCKET',
  curated: 'NETLAKE_CURATED_BUCKET',
  reports: 'NETLAKE_REPORTS_BUCKET',
} as const

export interface NetlakeFunctionProps {
  /** Handler file relative to the repository root, exporting `handler`. */
  entry: string
  code: CodeMode
  logRetentionDays: number
  description: string
  memorySize?: number
  timeout?: Duration
  environment?: Record<string, string>
  /** Files or folders (repository-relative) copied beside the bundle, e.g. `PARQUET_WASM`. */
  assets?: string[]
  /** CPU architecture (default arm64, Graviton). */
  architecture?: FunctionArchitecture
  /** Native packages shipped in `node_modules/` beside the bundle, e.g. `duckdbNative(arch)`. */
  nativeModules?: NativeModules
}

const PLACEHOLDER = `exports.handler = async () => {
  throw new Error('netlake placeholder: this stack was synthesized with netlake:bundle=false')
}`

/**
 * One Lambda function with the netlake defaults (Node.js 22, arm64 unless a native binary asks
 * otherwise, esbuild, source maps, its own
 * log group with a retention), an execution role holding only what the `bind*` methods grant, and
 * methods that grant access and set the matching `NETLAKE_*` environment variable together.
 */
export class NetlakeFunction extends Construct {
  readonly fn: lambda.Function
  readonly role: iam.Role
  readonly logGroup: logs.LogGroup

  constructor(scope: Construct, id: string, props: NetlakeFunctionProps) {
    super(scope, id)
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
    })
    // An explicit role instead of the AWSLambdaBasicExecutionRole managed policy: logs go only to
    // this function's own log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `netlake ${id} function`,
    })
    this.logGroup.grantWrite(this.role)
    const common = {
      runtime: NETLAKE_RUNTIME,
      architecture:
        props.architecture === 'x86_64' ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: props.environment,
    }
    if (props.code === 'inline') {
      this.fn = new lambda.Function(this, 'Function', {
        ...common,
        code: lambda.Code.fromInline(PLACEHOLDER),
        handler: 'index.handler',
      })
    } else {
      const entry = join(PROJECT_ROOT, props.entry)
      if (!existsSync(entry)) {
        throw new Error(
          `${id}: handler ${props.entry} does not exist ` +
            '(synth with -c netlake:bundle=false for placeholders)',
        )
      }
      this.fn = new nodejs.NodejsFunction(this, 'Function', {
        ...common,
        entry,
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
        bundling: {
          ...NETLAKE_BUNDLING,
          externalModules: props.nativeModules?.external ?? [],
          commandHooks: copyAssets(props.assets ?? [], props.nativeModules?.packages ?? []),
        },
      })
    }
    this.fn.node.addDependency(this.role)
    acknowledge(
      this.fn,
      'Node.js 22 is pinned on purpose: the code is built and tested for Node 20/22 (vitest 4, ' +
        'esbuild target node22); moving to a newer runtime is a tested change, not a default.',
      'AwsSolutions-L1',
    )
    acknowledgeMatching(
      this.role,
      'AwsSolutions-IAM5',
      /^Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*$/,
      'Action groups written by the aws-cdk-lib bucket grants (grantRead/grantPut/grantDelete), ' +
        'each limited to one bucket (and key prefix) bound by this function.',
    )
    acknowledgeMatching(
      this.role,
      'AwsSolutions-IAM5',
      /^Resource::.+\/([a-z-]+\/)?\*$/,
      'Object-level grants cover the objects of one named bucket (or one key prefix in it, ' +
        'such as raw/* or quarantine/*); the catalog grant covers the indexes of one table.',
    )
  }

  /** Grant `access` on a bucket (optionally under a key pattern) and publish its name. */
  bindBucket(
    kind: keyof typeof BUCKET_ENV,
    bucket: s3.IBucket,
    access: BucketAccess,
    keys = '*',
  ): this {
    if (access === 'read' || access === 'readPut') bucket.grantRead(this.role, keys)
    if (access === 'put' || access === 'readPut') bucket.grantPut(this.role, keys)
    if (access === 'readWriteDelete') {
      bucket.grantRead(this.role, keys)
      bucket.grantPut(this.role, keys)
      bucket.grantDelete(this.role, keys)
    }
    this.fn.addEnvironment(BUCKET_ENV[kind], bucket.bucketName)
    return this
  }

  /** Publish a bucket's name without any access (the shared config requires every name). */
  nameBucket(kind: keyof typeof BUCKET_ENV, bucket: s3.IBucket): this {
    this.fn.addEnvironment(BUCKET_ENV[kind], bucket.bucketName)
    return this
  }

  /** Grant extra put access under a key pattern without changing the published name. */
  grantPutUnder(bucket: s3.IBucket, keys: string): this {
    bucket.grantPut(this.role, keys)
    return this
  }

  /** Grant delete under a key pattern only (staged uploads, bytes moved aside). */
  grantDeleteUnder(bucket: s3.IBucket, keys: string): this {
    bucket.grantDelete(this.role, keys)
    return this
  }

  /** Grant item access on the catalog table (and its indexes) and publish `NETLAKE_TABLE`. */
  bindTable(table: dynamodb.ITable, access: 'read' | 'readWrite'): this {
    if (access === 'read') table.grantReadData(this.role)
    else table.grantReadWriteData(this.role)
    this.fn.addEnvironment('NETLAKE_TABLE', table.tableName)
    return this
  }

  /** Grant publish on the regression topic and publish `NETLAKE_REPORT_TOPIC_ARN`. */
  bindReportTopic(topic: sns.ITopic): this {
    topic.grantPublish(this.role)
    this.fn.addEnvironment('NETLAKE_REPORT_TOPIC_ARN', topic.topicArn)
    return this
  }
}

function copyAssets(files: string[], packages: string[]): nodejs.ICommandHooks {
  for (const file of files) {
    if (!existsSync(join(PROJECT_ROOT, file))) {
      throw new Error(`bundle asset ${file} does not exist`)
    }
  }
  for (const name of packages) {
    if (!existsSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'))) {
      throw new Error(
        `native package ${name} is not installed: install it (npm install --no-save ` +
          `--force ${name}) or pick the architecture whose binary is present`,
      )
    }
  }
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      ...files.map(
        (file) => `cp -R "${join(inputDir, file)}" "${join(outputDir, basename(file))}"`,
      ),
      ...packages.flatMap((name) => [
        `mkdir -p "${dirname(join(outputDir, 'node_modules', name))}"`,
        `cp -RL "${join(inputDir, 'node_modules', name)}" "${join(outputDir, 'node_modules', name)}"`,
      ]),
    ],
  }
}
