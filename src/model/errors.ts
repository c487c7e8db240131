/**
 * The one catalog of PhiWall error codes. Each code has a title, what to do about it and the
 * HTTP status the server answers with. `docs/errors.md` lists the same codes; a test keeps the
 * two in sync both ways.
 */
export const ERROR_CATALOG = {
  PW_ERR_USAGE: {
    title: 'Invalid command-line usage',
    remediation: 'Run `phiwall <command> --help` for the accepted arguments and options.',
    httpStatus: 400,
  },
  PW_ERR_PATH_NOT_FOUND: {
    title: 'Input path does not exist',
    remediation: 'Check the path; it is resolved relative to the current directory.',
    httpStatus: 404,
  },
  PW_ERR_SOURCE_UNREADABLE: {
    title: 'Input file cannot be read',
    remediation: 'Check permissions and that the file is not a special file (socket, device).',
    httpStatus: 422,
  },
  PW_ERR_FILE_TOO_LARGE: {
    title: 'Input file exceeds the size limit',
    remediation: 'Split the file, or raise the limit with `--max-file-size` if the file is genuine.',
    httpStatus: 413,
  },
  PW_ERR_BINARY_FILE: {
    title: 'Input file is binary, not text',
    remediation: 'Point the scan at templates, plans or snapshots; binary files are not parsed.',
    httpStatus: 422,
  },
  PW_ERR_SYMLINK_LOOP: {
    title: 'Symbolic link loop',
    remediation: 'Remove the link that points back to one of its own parent directories.',
    httpStatus: 422,
  },
  PW_ERR_YAML_SYNTAX: {
    title: 'YAML syntax error',
    remediation: 'Fix the YAML at the given line; `yamllint` shows the same position.',
    httpStatus: 422,
  },
  PW_ERR_JSON_SYNTAX: {
    title: 'JSON syntax error',
    remediation: 'Fix the JSON at the given line; `jq . FILE` shows the same position.',
    httpStatus: 422,
  },
  PW_ERR_DUPLICATE_KEY: {
    title: 'Duplicate mapping key',
    remediation: 'Remove one of the two keys; CloudFormation rejects templates with duplicate keys and only the last value was used.',
    httpStatus: 422,
  },
  PW_ERR_NESTING_TOO_DEEP: {
    title: 'Document nested too deeply',
    remediation: 'Documents nested more than 100 levels are not read; flatten the structure.',
    httpStatus: 422,
  },
  PW_ERR_ALIAS_LIMIT: {
    title: 'Too many YAML aliases',
    remediation: 'The document expands aliases beyond the safety limit (a "billion laughs" shape); inline the values.',
    httpStatus: 422,
  },
  PW_ERR_TEMPLATE_INVALID: {
    title: 'Template structure is invalid',
    remediation: 'Fix the section named in the message; `cfn-lint` reports the same problem.',
    httpStatus: 422,
  },
  PW_ERR_UNKNOWN_RESOURCE_TYPE: {
    title: 'Unknown resource type',
    remediation: 'Correct the `Type` to a CloudFormation resource type (see the AWS resource type reference).',
    httpStatus: 422,
  },
  PW_ERR_CIRCULAR_DEPENDENCY: {
    title: 'Circular dependency',
    remediation: 'Break the cycle of Ref / GetAtt / DependsOn / Condition references; CloudFormation rejects it too.',
    httpStatus: 422,
  },
  PW_ERR_UNRESOLVED_REFERENCE: {
    title: 'Reference to an undefined name',
    remediation: 'Define the parameter, resource, mapping or condition, or correct the name.',
    httpStatus: 422,
  },
  PW_ERR_INTRINSIC_INVALID: {
    title: 'Malformed intrinsic function',
    remediation: 'Correct the arguments of the intrinsic function as the CloudFormation reference describes them.',
    httpStatus: 422,
  },
  PW_ERR_SAM_INVALID: {
    title: 'Invalid AWS SAM resource',
    remediation: 'Fix the SAM resource; `sam validate` reports the same problem.',
    httpStatus: 422,
  },
  PW_ERR_SERVERLESS_INVALID: {
    title: 'Invalid serverless.yml',
    remediation: 'Fix the section named in the message; `serverless print` reports the same problem.',
    httpStatus: 422,
  },
  PW_ERR_K8S_INVALID: {
    title: 'Invalid Kubernetes object',
    remediation: 'Fix the document named in the message; `kubectl apply --dry-run=server -f FILE` reports the same problem. Every object needs apiVersion, kind and metadata.name.',
    httpStatus: 422,
  },
  PW_ERR_DOCKERFILE_INVALID: {
    title: 'Invalid Dockerfile',
    remediation: 'Fix the instruction at the given line; `docker build --check` (or `docker buildx build --check`) reports the same problem. A Dockerfile needs a FROM before its other instructions (only ARG may come first).',
    httpStatus: 422,
  },
  PW_ERR_COMPOSE_INVALID: {
    title: 'Invalid Compose file',
    remediation: 'Fix the key named in the message; `docker compose -f FILE config` reports the same problem.',
    httpStatus: 422,
  },
  PW_ERR_K8S_SNAPSHOT_INCOMPLETE: {
    title: 'Cluster snapshot is missing some objects',
    remediation: 'The collector was refused some lists (RBAC); grant the read-only ClusterRole of docs/kubernetes-collect.md and collect again, or accept that checks judge without those objects.',
    httpStatus: 422,
  },
  PW_ERR_SERVERLESS_VARIABLE: {
    title: 'Serverless variable not resolved statically',
    remediation: 'The value depends on a deploy-time source (SSM, CloudFormation outputs, files); checks that need it report `manual`.',
    httpStatus: 422,
  },
  PW_ERR_TERRAFORM_PLAN_INVALID: {
    title: 'Invalid Terraform plan JSON',
    remediation: 'Produce the file with `terraform show -json plan.out > plan.json`.',
    httpStatus: 422,
  },
  PW_ERR_SNAPSHOT_INVALID: {
    title: 'Invalid PhiWall AWS snapshot',
    remediation: 'Produce the file with `phiwall collect aws`; do not edit it by hand.',
    httpStatus: 422,
  },
  PW_ERR_CHECK_FAILED: {
    title: 'A check failed to evaluate',
    remediation: 'The finding is reported with status `error`; please report the check id and input shape as a bug.',
    httpStatus: 500,
  },
  PW_ERR_OUTPUT_UNWRITABLE: {
    title: 'Report cannot be written',
    remediation: 'Check that the `--out` directory is writable.',
    httpStatus: 500,
  },
  PW_ERR_AWS_CREDENTIALS: {
    title: 'No usable AWS credentials',
    remediation: 'Configure the standard credential chain (`aws configure`, `AWS_PROFILE`, SSO or an instance role) and retry.',
    httpStatus: 401,
  },
  PW_ERR_AWS_API: {
    title: 'AWS API call failed',
    remediation: 'Grant the read-only permissions listed in docs/collect-aws.md (the `SecurityAudit` managed policy covers them).',
    httpStatus: 502,
  },
  PW_ERR_K8S_CONTEXT: {
    title: 'Kubernetes context cannot be used',
    remediation: 'List the contexts with `kubectl config get-contexts` and pass one with `--context`, and the file with `--kubeconfig` (default: $KUBECONFIG, else ~/.kube/config); the context must name a cluster with a server URL.',
    httpStatus: 400,
  },
  PW_ERR_K8S_UNREACHABLE: {
    title: 'Kubernetes API server cannot be reached',
    remediation: 'Check that `kubectl --context CONTEXT get --raw /version` works from this machine (VPN, bastion, private endpoint); a TLS error means the kubeconfig\'s certificate-authority does not match the server\'s certificate.',
    httpStatus: 502,
  },
  PW_ERR_K8S_AUTH: {
    title: 'Kubernetes credentials rejected',
    remediation: 'Refresh the kubeconfig\'s credentials (`aws eks update-kubeconfig`, `gcloud container clusters get-credentials`, `az aks get-credentials` or your OIDC login) and bind the read-only ClusterRole of docs/kubernetes-collect.md to the user.',
    httpStatus: 401,
  },
  PW_ERR_LOCKFILE_INVALID: {
    title: 'Lockfile or manifest cannot be read',
    remediation: 'Fix or regenerate the lockfile with its package manager (`npm install`, `poetry lock`, `cargo generate-lockfile`, …); the rest of the scan goes on.',
    httpStatus: 422,
  },
  PW_ERR_ARCHIVE_INVALID: {
    title: 'Archive or image cannot be read',
    remediation: "The zip, tar or image is truncated or corrupt, or an entry escapes the archive; re-export it (`docker save`, `skopeo copy … oci-archive:`, the Lambda console's Download) and retry.",
    httpStatus: 422,
  },
  PW_ERR_PACKAGE_DB_INVALID: {
    title: 'OS package database cannot be read',
    remediation: 'The dpkg, apk or RPM database inside the filesystem is damaged or in an unsupported format; the packages it lists are not judged.',
    httpStatus: 422,
  },
  PW_ERR_VULNDB_MISSING: {
    title: 'No vulnerability database',
    remediation: 'Run `phiwall db update` (online) or `phiwall db import DIR|ZIP` with OSV data, then scan again.',
    httpStatus: 503,
  },
  PW_ERR_VULNDB_STALE: {
    title: 'Vulnerability database is older than 7 days',
    remediation: 'Run `phiwall db update`; results may miss recently published vulnerabilities.',
    httpStatus: 200,
  },
  PW_ERR_VULNDB_RECORD_INVALID: {
    title: 'OSV record is invalid',
    remediation: 'The record is skipped and the import goes on; report it to the advisory source if it comes from an official export.',
    httpStatus: 422,
  },
  PW_ERR_VULNDB_DOWNLOAD: {
    title: 'Vulnerability database download failed',
    remediation: 'Check network access to the OSV export (https://osv-vulnerabilities.storage.googleapis.com); `phiwall db update` resumes where it stopped.',
    httpStatus: 502,
  },
  PW_ERR_VULNDB_INTEGRITY: {
    title: 'Downloaded database file failed its integrity check',
    remediation: 'The file is discarded; run `phiwall db update` again. If it keeps failing, the mirror serves a different file than it announces.',
    httpStatus: 502,
  },
  PW_ERR_VEX_INVALID: {
    title: 'VEX document cannot be read',
    remediation: 'Fix the OpenVEX or CycloneDX VEX document named in the message; statements from it are not applied.',
    httpStatus: 422,
  },
  PW_ERR_PHI_SAMPLE_TARGET: {
    title: 'PHI sample names no resource',
    remediation: 'In `--phi-sample NAME=PATH`, NAME must be a resource\'s name, physical id, logical id / Terraform address or ARN as the scan sees it (`phiwall inventory` lists them).',
    httpStatus: 422,
  },
  PW_ERR_BAD_REQUEST: {
    title: 'Request failed validation',
    remediation: 'The response names the first invalid field (`error.field`, a JSON path into the body or the query parameter); fix it and retry. The OpenAPI document at /api/openapi.json describes every route.',
    httpStatus: 400,
  },
  PW_ERR_UNAUTHENTICATED: {
    title: 'Not signed in',
    remediation: "Sign in to the dashboard, or send `Authorization: Bearer <token>` with an API token from Settings → API tokens (or `phiwall serve`'s first-start admin). Expired sessions and tokens answer this too.",
    httpStatus: 401,
  },
  PW_ERR_MFA_REQUIRED: {
    title: 'Second factor required',
    remediation: 'Finish signing in: enter the 6-digit code from your authenticator app or a recovery code; a first sign-in enrols the authenticator (QR code) before anything else is allowed.',
    httpStatus: 401,
  },
  PW_ERR_FORBIDDEN: {
    title: 'Role does not allow this',
    remediation: "Auditors are read-only, app-team users see only their team's workloads, and API tokens only carry their scopes; ask an admin for a role or a token with the scope the route names.",
    httpStatus: 403,
  },
  PW_ERR_CSRF: {
    title: 'Missing or wrong CSRF token',
    remediation: 'Browser requests that change state must send the `X-CSRF-Token` header with the token from GET /api/v1/auth/me; reload the dashboard to get a fresh one.',
    httpStatus: 403,
  },
  PW_ERR_NOT_FOUND: {
    title: 'No such object',
    remediation: "The id in the path does not exist or is not visible to you (app-team users see only their team's workloads).",
    httpStatus: 404,
  },
  PW_ERR_CONFLICT: {
    title: 'Conflicts with the current state',
    remediation: 'The object was changed or already exists (a username taken, a policy approved twice); reload and retry.',
    httpStatus: 409,
  },
  PW_ERR_PAYLOAD_TOO_LARGE: {
    title: 'Request body too large',
    remediation: 'Split the upload (agents send smaller batches; `phiwall scan --upload` sends one scan), or raise `--max-body-mb` on `phiwall serve`.',
    httpStatus: 413,
  },
  PW_ERR_RATE_LIMITED: {
    title: 'Too many attempts',
    remediation: 'Wait for the number of seconds in the Retry-After header. Repeated failed sign-ins lock the account for 15 minutes; an admin can unlock it.',
    httpStatus: 429,
  },
  PW_ERR_BUSY: {
    title: 'Server busy',
    remediation: 'The server is working through earlier uploads; retry after the Retry-After header (the agent and `phiwall scan --upload` do so by themselves, with the same upload id, so nothing is counted twice).',
    httpStatus: 503,
  },
  PW_ERR_SERVER_CONFIG: {
    title: 'Server cannot start with these options',
    remediation: 'Check --port (1-65535), --host, that --tls-cert and --tls-key name readable PEM files, that --data-dir is writable, and that the secret key (PHIWALL_SECRET_KEY or --secret-key-file) is 32 bytes of base64 or hex and the one the data was sealed with.',
    httpStatus: 400,
  },
  PW_ERR_UPLOAD: {
    title: 'Upload to the server failed',
    remediation: "Check --upload (the server's base URL, https:// or loopback http://) and that PHIWALL_TOKEN holds an API token with the `scans:write` scope; the message gives the server's error code.",
    httpStatus: 502,
  },
  PW_ERR_STORE: {
    title: 'Database error',
    remediation: 'Check that the data directory is writable (embedded store) or that `DATABASE_URL` points to a reachable PostgreSQL server.',
    httpStatus: 500,
  },
  PW_ERR_FLOW_FORMAT: {
    title: 'Flow file format not recognised',
    remediation: 'Point at VPC Flow Logs (with or without the header line), `hubble observe -o json` output or `phiwall agent` NDJSON, plain or gzip; or name the format with `--format vpc|hubble|agent`.',
    httpStatus: 422,
  },
  PW_ERR_BASELINE_INVALID: {
    title: 'Invalid flow baseline',
    remediation: 'Produce the file with `phiwall flows ingest --out baseline.json`; edit review states with `phiwall flows review`, not by hand. The message names the first invalid field.',
    httpStatus: 422,
  },
  PW_ERR_POLICY_INVALID: {
    title: 'Invalid policy set',
    remediation: 'Point `--policy` at a directory written by `phiwall policy generate` (it holds policy.json) or at its policy.json. The message names the first invalid field.',
    httpStatus: 422,
  },
  PW_ERR_INVENTORY_INVALID: {
    title: 'Invalid inventory file',
    remediation: 'Give `--inventory` the JSON of `phiwall inventory PATHS --format json` (complete identities: pod labels, security groups, addresses) or of `phiwall scan PATHS --format json`. The message names the first invalid field.',
    httpStatus: 422,
  },
  PW_ERR_INVENTORY_PARTIAL: {
    title: 'Inventory file without workload details',
    remediation: 'A scan report carries no resource properties, so it gives PHI state, environments and declared flows but no pod labels, security groups or addresses; give `phiwall inventory PATHS --format json` output, or --manifests PATHS, for those.',
    httpStatus: 422,
  },
  PW_ERR_ADDRESS_BOOK: {
    title: 'Invalid address book entry',
    remediation: 'Each entry needs an IP address, CIDR or ENI id (`eni-…`) and a workload: JSON `[{"ip": "10.0.1.17", "workload": "intake"}]` or CSV `address,workload`.',
    httpStatus: 422,
  },
  PW_ERR_CLUSTER_CONTEXT: {
    title: 'Invalid cluster context file',
    remediation: 'The `--cluster` file is YAML or JSON with any of: dns {namespace, labels, addresses}, apiServer {addresses, port}, metrics, ingressController {namespace, labels}, healthCheckCidrs, hostResolvers (docs/micro-segmentation.md).',
    httpStatus: 422,
  },
  PW_ERR_UNKNOWN_EDGE: {
    title: 'Edge or workload not in the baseline',
    remediation: "List the baseline's edge keys and workloads with `phiwall flows show --baseline FILE`; keys are `from|to|port/protocol`.",
    httpStatus: 404,
  },
  PW_ERR_AGENT_PROCFS: {
    title: 'Socket tables cannot be read',
    remediation: 'The agent runs on Linux with procfs mounted; check that /proc/net/tcp is readable, or that --proc names a procfs tree. To see other users\' processes it needs root or CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH.',
    httpStatus: 500,
  },
  PW_ERR_AGENT_TOKEN: {
    title: 'No agent token',
    remediation: 'Set PHIWALL_AGENT_TOKEN to the token the server issued for this host; it is read from the environment only and never printed.',
    httpStatus: 401,
  },
  PW_ERR_AGENT_SERVER: {
    title: 'Agent server URL refused',
    remediation: 'Give --server an https:// URL without credentials (plain http:// only to a loopback address). Batches that cannot be delivered wait in the spool and are retried.',
    httpStatus: 400,
  },
} as const satisfies Record<string, { title: string; remediation: string; httpStatus: number }>

/** A code of the error catalog. */
export type ErrorCode = keyof typeof ERROR_CATALOG

/** Every code of the catalog. */
export const ERROR_CODES = Object.keys(ERROR_CATALOG) as ErrorCode[]

/**
 * An operational failure or misuse, with a stable code from {@link ERROR_CATALOG}.
 * Bad input inside a file is not an exception: it becomes a {@link Diagnostic}.
 *
 * @example
 * throw new PhiwallError('PW_ERR_PATH_NOT_FOUND', `Path ${p} does not exist.`)
 */
export class PhiwallError extends Error {
  readonly code: ErrorCode
  readonly remediation: string
  readonly httpStatus: number

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PhiwallError'
    this.code = code
    this.remediation = ERROR_CATALOG[code].remediation
    this.httpStatus = ERROR_CATALOG[code].httpStatus
  }
}
