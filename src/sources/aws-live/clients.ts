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
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers'

/** A credential provider of the standard chain (or of one profile). */
export type CredentialProvider = ReturnType<typeof fromNodeProviderChain>

/** How every client is configured. */
export interface ClientOptions {
  credentials: CredentialProvider
  /** Profile of ~/.aws/config, for settings other than credentials (region, endpoints). */
  profile?: string
  /** Attempts per call, first included (default 10): adaptive retry backs off on throttling. */
  maxAttempts?: number
}

interface Destroyable {
  destroy(): void
}

/**
 * SDK clients, one per service and region, created when first needed. Every client uses the
 * SDK's adaptive retry mode, which retries throttling and transient errors with backoff and
 * slows the client down when AWS signals throttling.
 */
export class AwsClients {
  private readonly cache = new Map<string, Destroyable>()

  constructor(private readonly options: ClientOptions) {}

  private client<T extends Destroyable>(service: string, region: string, make: (config: ReturnType<AwsClients['settings']>) => T): T {
    const key = `${service}\u0000${region}`
    let c = this.cache.get(key) as T | undefined
    if (!c) {
      c = make(this.settings(region))
      this.cache.set(key, c)
    }
    return c
  }

  private settings(region: string) {
    return {
      region,
      credentials: this.options.credentials,
      retryMode: 'adaptive' as const,
      maxAttempts: this.options.maxAttempts ?? 10,
      ...(this.options.profile ? { profile: this.options.profile } : {}),
    }
  }

  /** Cloud Control API client of a region. */
  cloudControl(region: string): CloudControlClient {
    return this.client('cloudcontrol', region, (c) => new CloudControlClient(c))
  }
  /** STS client of a region. */
  sts(region: string): STSClient {
    return this.client('sts', region, (c) => new STSClient(c))
  }
  /** IAM client (IAM is global; the region picks the partition's endpoint). */
  iam(region: string): IAMClient {
    return this.client('iam', region, (c) => new IAMClient(c))
  }
  /** S3 client of a region; follows redirects to a bucket's home region. */
  s3(region: string): S3Client {
    return this.client('s3', region, (c) => new S3Client({ ...c, followRegionRedirects: true }))
  }
  /** S3 Control client (account-level Block Public Access). */
  s3Control(region: string): S3ControlClient {
    return this.client('s3control', region, (c) => new S3ControlClient(c))
  }
  /** Lambda client of a region. */
  lambda(region: string): LambdaClient {
    return this.client('lambda', region, (c) => new LambdaClient(c))
  }
  /** SQS client of a region. */
  sqs(region: string): SQSClient {
    return this.client('sqs', region, (c) => new SQSClient(c))
  }
  /** SNS client of a region. */
  sns(region: string): SNSClient {
    return this.client('sns', region, (c) => new SNSClient(c))
  }
  /** EC2 client of a region. */
  ec2(region: string): EC2Client {
    return this.client('ec2', region, (c) => new EC2Client(c))
  }
  /** GuardDuty client of a region. */
  guardDuty(region: string): GuardDutyClient {
    return this.client('guardduty', region, (c) => new GuardDutyClient(c))
  }
  /** Security Hub client of a region. */
  securityHub(region: string): SecurityHubClient {
    return this.client('securityhub', region, (c) => new SecurityHubClient(c))
  }
  /** AWS Config client of a region. */
  configService(region: string): ConfigServiceClient {
    return this.client('config', region, (c) => new ConfigServiceClient(c))
  }
  /** RDS client of a region (DB and cluster snapshots and their sharing). */
  rds(region: string): RDSClient {
    return this.client('rds', region, (c) => new RDSClient(c))
  }
  /** Systems Manager client of a region (documents and their sharing). */
  ssm(region: string): SSMClient {
    return this.client('ssm', region, (c) => new SSMClient(c))
  }
  /** DynamoDB client of a region (account limits only: the collector never reads items). */
  dynamodb(region: string): DynamoDBClient {
    return this.client('dynamodb', region, (c) => new DynamoDBClient(c))
  }
  /** Certificate Manager client of a region. */
  acm(region: string): ACMClient {
    return this.client('acm', region, (c) => new ACMClient(c))
  }
  /** CloudTrail client of a region. */
  cloudTrail(region: string): CloudTrailClient {
    return this.client('cloudtrail', region, (c) => new CloudTrailClient(c))
  }

  /**
   * The region the environment or the profile names (AWS_REGION, then the profile's `region`),
   * resolved as every AWS tool resolves it; undefined when none is set.
   */
  async defaultRegion(): Promise<string | undefined> {
    const probe = new STSClient({ credentials: this.options.credentials, ...(this.options.profile ? { profile: this.options.profile } : {}) })
    try {
      return (await probe.config.region()) || undefined
    } catch {
      return undefined
    } finally {
      probe.destroy()
    }
  }

  /** Closes every client's connections, so the process can exit. */
  destroy(): void {
    for (const c of this.cache.values()) c.destroy()
    this.cache.clear()
  }
}
