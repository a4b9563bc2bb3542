import { App, Validations } from 'aws-cdk-lib'
import { readConfig } from './config.ts'
import { NetlakeNagChecks } from './nag.ts'
import { addNetlakeStacks } from './netlake.ts'

/**
 * CDK entry (`cdk.json`: `npx tsx infra/app.ts`). Settings come from `netlake:*` context keys;
 * the AWS Solutions cdk-nag pack runs on every synth and fails it on unacknowledged findings.
 */
const app = new App()
const config = readConfig((key) => app.node.tryGetContext(key))
const account = process.env.CDK_DEFAULT_ACCOUNT
const region = process.env.CDK_DEFAULT_REGION
addNetlakeStacks(app, config, account || region ? { account, region } : undefined)
Validations.of(app).addPlugins(new NetlakeNagChecks(app))
app.synth()
