import { CfnOutput, Duration, Stack } from 'aws-cdk-lib'
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as logs from 'aws-cdk-lib/aws-logs'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import * as sfn from 'aws-cdk-lib/aws-stepfunctions'
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks'
import { Construct } from 'constructs'
import { acknowledgeMatching } from '../nag.ts'
import { type CodeMode, NetlakeFunction, PARQUET_WASM } from './netlake-function.ts'

/** Where the raw objects are listed from (ListObjectsV2 prefix): uploads, not staging or markers. */
export const REPROCESS_LIST_PREFIX = 'raw/date='

/** Raw objects per batch invocation: one Parquet file per partition and batch. */
export const REPROCESS_ITEMS_PER_BATCH = 32

/** Where the Map Run's results and the final `summary.json` go, in the reports bucket. */
export const REPROCESS_RESULTS_PREFIX = 'reprocess/'

export interface ReprocessFanOutProps {
  code: CodeMode
  logRetentionDays: number
  raw: s3.IBucket
  curated: s3.IBucket
  reports: s3.IBucket
  table: dynamodb.ITable
  /** Batches re-derived at once (Lambda concurrency the reprocess may take; default 40). */
  maxConcurrency?: number
  /** The quarantine prefix of the raw bucket (notes for objects the parser rejects). */
  quarantinePrefix: string
}

/**
 * `netlake reprocess` at the scale of the lake, in AWS: a Step Functions state machine whose
 * Distributed Map lists raw/ with S3 ListObjectsV2 (ItemReader), hands the keys in batches to the
 * reprocess function (which re-derives each batch into one Parquet file per partition, listed
 * nowhere yet), writes every batch's report to the reports bucket (ResultWriter: the resumable
 * summary, and what a redrive builds on), then a last step switches every partition once and
 * publishes the manifests (`functions/reprocess/handler.ts`). Progress is the Map Run's item
 * counts (console or `aws stepfunctions describe-map-run`). A batch that keeps failing leaves its
 * objects' files as they were and names them in `summary.json`.
 */
export class ReprocessFanOut extends Construct {
  readonly fn: NetlakeFunction
  readonly stateMachine: sfn.StateMachine

  constructor(scope: Construct, id: string, props: ReprocessFanOutProps) {
    super(scope, id)
    // ResultWriterV2 (the non-deprecated writer) renders only under this flag; set here, before
    // any child, so the shared cdk.json stays as it is.
    this.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true)
    this.fn = new NetlakeFunction(this, 'Function', {
      entry: 'functions/reprocess/handler.ts',
      code: props.code,
      logRetentionDays: props.logRetentionDays,
      description: 'netlake reprocess: re-derive batches of raw objects, then switch partitions',
      memorySize: 2048,
      timeout: Duration.minutes(15),
      assets: [PARQUET_WASM],
    })
      .bindBucket('raw', props.raw, 'read')
      .grantPutUnder(props.raw, `${props.quarantinePrefix}*`)
      .bindBucket('curated', props.curated, 'readPut')
      .bindBucket('reports', props.reports, 'read', `${REPROCESS_RESULTS_PREFIX}*`)
      .grantPutUnder(props.reports, `${REPROCESS_RESULTS_PREFIX}*`)
      .bindTable(props.table, 'readWrite')

    const rederive = new tasks.LambdaInvoke(this, 'RederiveBatch', {
      lambdaFunction: this.fn.fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    })
    rederive.addRetry({
      errors: ['States.TaskFailed', 'States.Timeout'],
      interval: Duration.seconds(5),
      maxAttempts: 2,
      backoffRate: 2,
    })
    const fanOut = new sfn.DistributedMap(this, 'RederiveRaw', {
      label: 'Reprocess',
      itemReader: new sfn.S3ObjectsItemReader({ bucket: props.raw, prefix: REPROCESS_LIST_PREFIX }),
      itemSelector: { 'key.$': '$$.Map.Item.Value.Key' },
      itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: REPROCESS_ITEMS_PER_BATCH }),
      maxConcurrency: props.maxConcurrency ?? 40,
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      // A failed batch must not stop the lake: the switch counts its objects as failed.
      toleratedFailurePercentage: 100,
      resultWriterV2: new sfn.ResultWriterV2({
        bucket: props.reports,
        prefix: REPROCESS_RESULTS_PREFIX.replace(/\/$/, ''),
      }),
    })
    fanOut.itemProcessor(rederive)
    const switchPartitions = new tasks.LambdaInvoke(this, 'SwitchPartitions', {
      lambdaFunction: this.fn.fn,
      payload: sfn.TaskInput.fromObject({
        job: 'reprocess-switch',
        map: sfn.JsonPath.objectAt('$'),
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    })

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
    })
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'netlake reprocess: re-derive every raw object, then switch the partitions once',
      definitionBody: sfn.DefinitionBody.fromChainable(fanOut.next(switchPartitions)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    })
    acknowledgeMatching(
      this.stateMachine,
      'AwsSolutions-IAM5',
      /^Resource::<.+\.Arn>:\*$/,
      'Written by LambdaInvoke: invoke on the one reprocess function and its versions (ARN:*).',
    )
    acknowledgeMatching(
      this.stateMachine,
      'AwsSolutions-IAM5',
      /^Resource::.+ReportsBucket.+\/\*$/,
      'Written by the ResultWriter: Step Functions writes the Map Run results (manifest.json and ' +
        'one file per batch outcome) under a prefix of the reports bucket; the grant names objects ' +
        'of that one bucket.',
    )
    acknowledgeMatching(
      this.stateMachine,
      'AwsSolutions-IAM5',
      /^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.+:\*$/,
      'Written by the DistributedMap: describe and stop the child executions of this one state ' +
        'machine (their names are generated per Map Run, hence the execution wildcard).',
    )
    acknowledgeMatching(
      this.stateMachine,
      'AwsSolutions-IAM5',
      /^Resource::\*$/,
      'Written by the state machine for X-Ray tracing and CloudWatch Logs delivery (required by ' +
        'AwsSolutions-SF1/SF2): these actions take no resource, so IAM only accepts "*".',
    )
    new CfnOutput(this, 'StateMachineArn', {
      value: this.stateMachine.stateMachineArn,
      description:
        'netlake reprocess: aws stepfunctions start-execution --state-machine-arn <this>',
      exportName: `${Stack.of(this).stackName}-reprocess-state-machine`,
    })
  }
}
