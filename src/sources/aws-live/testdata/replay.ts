/**
 * Replays recorded AWS SDK responses through aws-sdk-client-mock. A recording is a list of calls
 * per service: the command, the region (optional), part of the input to match, and the output or
 * error the API gave (several `responses` are returned in turn, the last one repeating). The
 * first matching call wins; a call nothing matches fails with `UnrecordedCall`, so a test sees
 * every call the collector makes that the recording did not foresee.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ACMClient } from '@aws-sdk/client-acm'
import { CloudControlClient } from '@aws-sdk/client-cloudcontrol'
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail'
import { ConfigServiceClient } from '@aws-sdk/client-config-service'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EC2Client } from '@aws-sdk/client-ec2'
import { GuardDutyClient } from '@aws-sdk/client-guardduty'
import { IAMClient } from '@aws-sdk/client-iam'
import { LambdaClient } from '@aws-sdk/client-lambda'
import { RDSClient } from '@aws-sdk/client-rds'
import { S3Client } from '@aws-sdk/client-s3'
import { S3ControlClient } from '@aws-sdk/client-s3-control'
import { SecurityHubClient } from '@aws-sdk/client-securityhub'
import { SNSClient } from '@aws-sdk/client-sns'
import { SQSClient } from '@aws-sdk/client-sqs'
import { SSMClient } from '@aws-sdk/client-ssm'
import { STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'

/** One recorded response: an output, or an error as the SDK raises it. */
export interface RecordedResponse {
  output?: Record<string, unknown>
  error?: { name: string; message: string; $fault?: 'client' | 'server'; httpStatusCode?: number }
}

/** One recorded call. */
export interface RecordedCall extends RecordedResponse {
  command: string
  region?: string
  /** Input fields the call must have (deep-equal per field). */
  input?: Record<string, unknown>
  /** Responses in turn (throttling, then success); the last repeats. */
  responses?: RecordedResponse[]
  /** Latency of the call, so concurrent calls overlap as they do against AWS. */
  delayMs?: number
}

/** Calls the collector made, in order, for assertions. */
export interface CallLog {
  service: string
  command: string
  region: string
  input: Record<string, unknown>
}

/** What this replay uses of a client stub (the library's own type is generic per client). */
interface Stub {
  restore(): void
  onAnyCommand(): { callsFake(fn: () => Promise<unknown>): unknown }
  on(command: any): { callsFake(fn: (input: Record<string, unknown>, getClient: () => { config: { region: () => Promise<string> | string } }) => Promise<unknown>): unknown }
}

type AnyClient = new (...args: any[]) => { send: (...args: any[]) => any; config: { region: () => Promise<string> | string } }

const SERVICES: Record<string, { client: AnyClient; module: string }> = {
  acm: { client: ACMClient, module: '@aws-sdk/client-acm' },
  cloudcontrol: { client: CloudControlClient, module: '@aws-sdk/client-cloudcontrol' },
  cloudtrail: { client: CloudTrailClient, module: '@aws-sdk/client-cloudtrail' },
  config: { client: ConfigServiceClient, module: '@aws-sdk/client-config-service' },
  dynamodb: { client: DynamoDBClient, module: '@aws-sdk/client-dynamodb' },
  ec2: { client: EC2Client, module: '@aws-sdk/client-ec2' },
  guardduty: { client: GuardDutyClient, module: '@aws-sdk/client-guardduty' },
  iam: { client: IAMClient, module: '@aws-sdk/client-iam' },
  lambda: { client: LambdaClient, module: '@aws-sdk/client-lambda' },
  rds: { client: RDSClient, module: '@aws-sdk/client-rds' },
  s3: { client: S3Client, module: '@aws-sdk/client-s3' },
  s3control: { client: S3ControlClient, module: '@aws-sdk/client-s3-control' },
  securityhub: { client: SecurityHubClient, module: '@aws-sdk/client-securityhub' },
  sns: { client: SNSClient, module: '@aws-sdk/client-sns' },
  sqs: { client: SQSClient, module: '@aws-sdk/client-sqs' },
  ssm: { client: SSMClient, module: '@aws-sdk/client-ssm' },
  sts: { client: STSClient, module: '@aws-sdk/client-sts' },
}

/** Reads the recordings of a directory: `<service>.json` files, each a list of calls. */
export function loadRecordings(dir: string): Record<string, RecordedCall[]> {
  const out: Record<string, RecordedCall[]> = {}
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.json')) continue
    const service = f.slice(0, -'.json'.length)
    if (!SERVICES[service]) throw new Error(`recording ${f}: unknown service ${service}`)
    out[service] = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as RecordedCall[]
  }
  return out
}

function matches(want: unknown, got: unknown): boolean {
  if (want === got) return true
  if (typeof want !== 'object' || want === null || typeof got !== 'object' || got === null) return false
  if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((w, i) => matches(w, got[i]))
  return Object.entries(want).every(([k, v]) => matches(v, (got as Record<string, unknown>)[k]))
}

function toError(e: NonNullable<RecordedResponse['error']>): Error {
  const err = Object.assign(new Error(e.message), { $fault: e.$fault ?? 'client', $metadata: { httpStatusCode: e.httpStatusCode ?? 400, attempts: 1 } })
  err.name = e.name
  return err
}

/** The recorded IAM credential report is base64 text, as the API sends it; the SDK hands the bytes to callers. */
function asSdkOutput(command: string, output: Record<string, unknown>): Record<string, unknown> {
  if (command === 'GetCredentialReport' && typeof output['Content'] === 'string') return { ...output, Content: new Uint8Array(Buffer.from(output['Content'], 'base64')) }
  return output
}

/**
 * Mocks every SDK client the collector uses with the recordings; returns the call log and a
 * function that restores the real clients.
 */
export async function replay(recordings: Record<string, RecordedCall[]>): Promise<{ calls: CallLog[]; peakInFlight: (service: string, command: string, region: string) => number; restore: () => void }> {
  const calls: CallLog[] = []
  const inFlight = new Map<string, number>()
  const peak = new Map<string, number>()
  const stubs: Stub[] = []
  for (const [service, { client, module }] of Object.entries(SERVICES)) {
    const recorded = recordings[service] ?? []
    const mod = (await import(module)) as Record<string, unknown>
    const stub = mockClient(client as any) as unknown as Stub
    stubs.push(stub)
    stub.onAnyCommand().callsFake(async () => {
      throw toError({ name: 'UnrecordedCall', message: `no recorded ${service} call for this command` })
    })
    const turns = new Map<RecordedCall, number>()
    for (const command of new Set(recorded.map((c) => c.command))) {
      const cls = mod[`${command}Command`]
      if (typeof cls !== 'function') throw new Error(`recording ${service}.json: ${module} has no ${command}Command`)
      stub.on(cls).callsFake(async (input, getClient) => {
        const region = await getClient().config.region()
        calls.push({ service, command, region, input })
        const call = recorded.find((c) => c.command === command && (c.region === undefined || c.region === region) && matches(c.input ?? {}, input))
        if (!call) throw toError({ name: 'UnrecordedCall', message: `no recorded ${service}:${command} in ${region} for ${JSON.stringify(input)}` })
        let res: RecordedResponse = call
        if (call.responses?.length) {
          const n = turns.get(call) ?? 0
          turns.set(call, n + 1)
          res = call.responses[Math.min(n, call.responses.length - 1)]!
        }
        const key = `${service}:${command}:${region}`
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1)
        peak.set(key, Math.max(peak.get(key) ?? 0, inFlight.get(key)!))
        try {
          if (call.delayMs) await new Promise((r) => setTimeout(r, call.delayMs))
        } finally {
          inFlight.set(key, inFlight.get(key)! - 1)
        }
        if (res.error) throw toError(res.error)
        return asSdkOutput(command, res.output ?? {})
      })
    }
  }
  return { calls, peakInFlight: (service, command, region) => peak.get(`${service}:${command}:${region}`) ?? 0, restore: () => stubs.forEach((s) => s.restore()) }
}
