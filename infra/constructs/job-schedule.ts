import * as iam from 'aws-cdk-lib/aws-iam'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import * as scheduler from 'aws-cdk-lib/aws-scheduler'
import * as targets from 'aws-cdk-lib/aws-scheduler-targets'
import { TimeZone } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { acknowledgeMatching } from '../nag.ts'

export interface JobScheduleProps {
  /** The function to invoke. */
  fn: lambda.IFunction
  /** A scheduler expression: `rate(1 hour)`, `cron(0 6 * * ? *)`, `at(2026-01-01T00:00:00)`. */
  expression: string
  timeZone: string
  /** Job name, sent in the event as `job`. */
  job: string
}

/**
 * An EventBridge Scheduler schedule invoking a function with
 * `{ source: 'netlake.scheduler', job, scheduledTime }`, retried twice.
 */
export class JobSchedule extends Construct {
  readonly schedule: scheduler.Schedule

  constructor(scope: Construct, id: string, props: JobScheduleProps) {
    super(scope, id)
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: `netlake ${props.job} schedule`,
    })
    acknowledgeMatching(
      role,
      'AwsSolutions-IAM5',
      /^Resource::<.+\.Arn>:\*$/,
      'Written by LambdaInvoke: invoke on the one target function and its versions (ARN:*).',
    )
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `netlake ${props.job}`,
      schedule: scheduler.ScheduleExpression.expression(
        props.expression,
        TimeZone.of(props.timeZone),
      ),
      target: new targets.LambdaInvoke(props.fn, {
        input: scheduler.ScheduleTargetInput.fromObject({
          source: 'netlake.scheduler',
          job: props.job,
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: 2,
        role,
      }),
    })
  }
}
