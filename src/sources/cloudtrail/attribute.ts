import type { IdentityResolver, WorkloadIdentity } from '../../flows/index.js'
import { normalizeIp } from '../../flows/index.js'
import type { CloudTrailEvent } from './schema.js'

/*
 * Who made a CloudTrail event, as a PhiWall workload (each rule is tested in cloudtrail.test.ts).
 *
 * A Lambda function calls AWS with its execution role's session, whose ARN is
 * `arn:aws:sts::<account>:assumed-role/<role>/<function name>`: the session name is the
 * function's name, so the event belongs to `aws:lambda:<session name>`.
 *
 * 1. Not an API call by a workload → skipped: eventType other than AwsApiCall (console sign-in,
 *    console actions, service events, Insights, VPC endpoint events), console sessions
 *    (`sessionCredentialFromConsole`), and every identity type but AssumedRole (IAM users, root,
 *    AWS services, federated and Identity Center users).
 * 2. Denied → skipped: an errorCode that means the call was not authorised (AccessDenied*,
 *    UnauthorizedOperation, …, and authentication failures such as ExpiredToken). A denied call
 *    must never become a grant. Other errors (ConditionalCheckFailed, ResourceNotFound,
 *    Throttling) come after authorisation: the call was allowed, so it is attributed.
 * 3. A session of a function the resolver knows (`aws:lambda:<session>`, from the inventory) is
 *    attributed, including calls AWS services make with that session on the function's behalf
 *    (`invokedBy`: S3 or Secrets Manager calling KMS with the caller's identity, Lambda polling
 *    an event source with the execution role): IAM evaluates the execution role's policy for
 *    them, so a policy without them would break the function.
 * 4. A session named after an EC2 instance (`i-0abc…`, instance profiles) is attributed to
 *    `aws:ec2:<instance id>` when the resolver knows that identity. ECS task sessions (32 hex)
 *    and everything else are skipped: PhiWall has no identity to give them.
 * 5. When the resolver knows no function at all (no inventory), a session is inferred to be the
 *    function it is named after only on positive evidence, never on the name alone (a CI role's
 *    `GitHubActions` session or an operator's `admin` session look just like function names):
 *    the issuer is an IAM role (not an Identity Center `AWSReservedSSO_` role), no AWS service
 *    made the call (`invokedBy` absent, `sourceIPAddress` an IP address, not a service name),
 *    the session name is a valid function name and not an SDK default (`botocore-session-…`),
 *    and the user agent carries the Lambda runtime's marker `exec-env/AWS_Lambda_` (set by
 *    every AWS SDK from AWS_EXECUTION_ENV). The function is then registered with the resolver
 *    (kind `function`), so its policy can be generated. Service-made calls (rule 3) are not
 *    inferred: attribution would otherwise depend on which file was read first. Custom
 *    runtimes have no marker: give an inventory for them.
 * 6. When the resolver knows some functions, sessions of other names are skipped (and counted
 *    `unresolved`): the inventory names the workloads PhiWall generates policies for.
 */

export type Attribution =
  | { workload: string; infer?: WorkloadIdentity }
  | { skip: 'not-a-workload' | 'denied' | 'unknown-workload' }

const DENIED = /AccessDenied|Unauthori[sz]ed|Forbidden|NotAuthori[sz]ed|AuthFailure|InvalidClientTokenId|InvalidAccessKeyId|ExpiredToken|InvalidToken|SignatureDoesNotMatch|IncompleteSignature|MissingAuthenticationToken/i

/** Is this errorCode a refusal to authorise (or authenticate) the call? */
export function isDenied(errorCode: string | null | undefined): boolean {
  return typeof errorCode === 'string' && DENIED.test(errorCode)
}

const ASSUMED_ROLE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{1,64})$/
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/
const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/
const SDK_DEFAULT_SESSION = /^(botocore-session|aws-sdk-[a-z]+|aws-go-sdk|aws-cli|AWSCLI-Session)(-\d+)?$/i
const LAMBDA_RUNTIME_AGENT = /(^|[\s/(])exec-env\/AWS_Lambda_/

/** The parts of an assumed-role session ARN; undefined for any other ARN. */
export function assumedRole(arn: string | null | undefined): { partition: string; account: string; role: string; session: string } | undefined {
  const m = arn ? ASSUMED_ROLE.exec(arn) : null
  return m ? { partition: m[1]!, account: m[2]!, role: m[3]!, session: m[4]! } : undefined
}

/** Function identities this module registered by inference, per resolver (all files of one ingest). */
const inferredByResolver = new WeakMap<IdentityResolver, Set<string>>()

export function inferredOf(resolver: IdentityResolver): Set<string> {
  let s = inferredByResolver.get(resolver)
  if (!s) inferredByResolver.set(resolver, (s = new Set()))
  return s
}

/** Resolvers known to hold inventory functions (identities are never removed, so a yes stays a yes). */
const withFunctions = new WeakSet<IdentityResolver>()

/**
 * Does the resolver know Lambda functions other than those inferred from CloudTrail (an
 * inventory)? Asked once per file; a yes is remembered, as delivery files come by the thousand.
 */
export function knowsFunctions(resolver: IdentityResolver): boolean {
  if (withFunctions.has(resolver)) return true
  const inferred = inferredOf(resolver)
  const yes = Object.values(resolver.identities()).some((i) => i.kind === 'function' && !inferred.has(i.id))
  if (yes) withFunctions.add(resolver)
  return yes
}

/**
 * The workload an event belongs to, or why it is skipped. `knownFunctions`: the resolver knows
 * functions from an inventory (rule 6 rather than rule 5). Pure: an inferred identity is
 * returned in `infer` for the caller to register once the event is known to be usable.
 */
export function attribute(ev: CloudTrailEvent, resolver: IdentityResolver, knownFunctions: boolean): Attribution {
  if (ev.eventType && ev.eventType !== 'AwsApiCall') return { skip: 'not-a-workload' }
  if (ev.sessionCredentialFromConsole === true || ev.sessionCredentialFromConsole === 'true') return { skip: 'not-a-workload' }
  const who = ev.userIdentity
  if (!who || who.type !== 'AssumedRole') return { skip: 'not-a-workload' }
  const session = assumedRole(who.arn)
  if (!session) return { skip: 'not-a-workload' }
  const issuer = who.sessionContext?.sessionIssuer
  if (issuer?.type && issuer.type !== 'Role') return { skip: 'not-a-workload' }
  if (session.role.startsWith('AWSReservedSSO_')) return { skip: 'not-a-workload' } // Identity Center: a person
  if (isDenied(ev.errorCode)) return { skip: 'denied' }

  const byService = (who.invokedBy ?? '') !== '' || normalizeIp(ev.sourceIPAddress ?? '') === undefined
  if (INSTANCE_ID.test(session.session)) {
    const id = `aws:ec2:${session.session}`
    return resolver.identity(id) ? { workload: id } : byService ? { skip: 'not-a-workload' } : { skip: 'unknown-workload' }
  }
  if (!FUNCTION_NAME.test(session.session)) return { skip: byService ? 'not-a-workload' : 'unknown-workload' }
  const id = `aws:lambda:${session.session}`
  const known = resolver.identity(id)
  if (known && !inferredOf(resolver).has(id)) return { workload: id }
  if (byService) return { skip: 'not-a-workload' }
  if (knownFunctions || /^[0-9a-f]{32}$/.test(session.session) || SDK_DEFAULT_SESSION.test(session.session)) return { skip: 'unknown-workload' }
  if (!LAMBDA_RUNTIME_AGENT.test(ev.userAgent ?? '')) return { skip: 'unknown-workload' }
  if (known) return { workload: id }
  return { workload: id, infer: { id, kind: 'function', name: session.session } }
}
