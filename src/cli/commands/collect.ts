import type { Command } from 'commander'
import { ERROR_CATALOG, PhiwallError } from '../../model/index.js'
import { EXIT } from '../main.js'
import { commaList } from './options.js'

interface CollectAwsFlags {
  profile?: string
  regions?: string[]
  out: string
  alias?: string
}

interface CollectK8sFlags {
  context?: string
  kubeconfig?: string
  namespace: string[]
  out: string
}

/** `--namespace a --namespace b,c` → [a, b, c]. */
function repeatable(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)]
}

/** Failed calls listed on stderr before the summary line says "and N more". */
const ERRORS_SHOWN = 20

/**
 * `phiwall collect aws`: snapshot a live account through the AWS SDK (read-only). Exits 2 when
 * the account could not be read at all (no credentials, or every call refused); a partial read
 * writes the snapshot, lists the calls that failed on stderr and exits 0, and `phiwall scan`
 * reports the same gaps as warnings.
 *
 * `phiwall collect k8s`: snapshot a live cluster through the kubeconfig (read-only). Exits 2 when
 * the cluster could not be read at all (unknown context, no answer, credentials rejected or every
 * call forbidden: nothing is written); a partial read writes the snapshot, lists the calls that
 * failed on stderr and exits 0.
 */
export function registerCollectCommand(program: Command, setExit: (code: number) => void): void {
  const collectCmd = program.command('collect').description('read live infrastructure into a snapshot file that `phiwall scan` reads')
  collectCmd
    .command('aws')
    .description('snapshot an AWS account with the standard credential chain (read-only calls; see docs/collect-aws.md for the permissions)')
    .option('--profile <profile>', 'AWS profile from ~/.aws/config (default: the credential chain)')
    .option('--regions <regions>', 'regions to read, comma-separated (default: the profile or AWS_REGION region)', commaList)
    .option('-o, --out <file>', 'snapshot file (written with mode 0600: it holds Lambda environment variables)', 'phiwall-aws-snapshot.json')
    .option('--alias <name>', 'account alias recorded in the snapshot (default: the IAM account alias)')
    .action(async (flags: CollectAwsFlags) => {
      // the AWS SDK is loaded only for this command, keeping scans fast to start
      const { collectAwsSnapshot, writeSnapshot } = await import('../../sources/aws-live/index.js').catch((err: unknown) => {
        throw new PhiwallError('PW_ERR_AWS_API', 'The AWS collector could not be loaded (is the AWS SDK installed?).', { cause: err })
      })
      const snapshot = await collectAwsSnapshot({
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.regions ? { regions: flags.regions } : {}),
        ...(flags.alias ? { accountAlias: flags.alias } : {}),
        onProgress: (msg: string) => process.stderr.write(`${msg}\n`),
      })
      writeSnapshot(flags.out, snapshot)
      for (const e of snapshot.errors.slice(0, ERRORS_SHOWN)) {
        process.stderr.write(`  failed: ${e.service}:${e.operation}${e.resourceType ? ` ${e.resourceType}` : ''} in ${e.region}${e.code ? ` (${e.code})` : ''}: ${e.message}\n`)
      }
      if (snapshot.errors.length > ERRORS_SHOWN) process.stderr.write(`  … and ${snapshot.errors.length - ERRORS_SHOWN} more failures (all are in the snapshot's "errors").\n`)
      const failed = snapshot.errors.length ? `, ${snapshot.errors.length} kinds of call failed (see docs/collect-aws.md for the permissions)` : ''
      process.stdout.write(`Snapshot of account ${snapshot.account}${snapshot.accountAlias ? ` (${snapshot.accountAlias})` : ''} in ${snapshot.regions.join(', ')}: ${snapshot.resources.length} resources${failed} → ${flags.out}\n`)
      if (snapshot.resources.length === 0 && snapshot.errors.length > 0) {
        process.stderr.write(`phiwall: the account could not be read: every call failed [PW_ERR_AWS_API]\n  ${ERROR_CATALOG.PW_ERR_AWS_API.remediation}\n`)
        setExit(EXIT.ERROR)
      }
    })
  collectCmd
    .command('k8s')
    .description('snapshot a Kubernetes cluster through the kubeconfig (read-only get/list calls; see docs/kubernetes-collect.md for the RBAC)')
    .option('--context <context>', 'kubeconfig context (default: the current context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('-n, --namespace <namespace>', 'read only this namespace; repeat or comma-separate for several (default: every namespace)', repeatable, [] as string[])
    .option('-o, --out <file>', 'snapshot file (written with mode 0600: it holds ConfigMap values and container environment variables; Secret values are removed)', 'phiwall-k8s-snapshot.json')
    .action(async (flags: CollectK8sFlags) => {
      // the Kubernetes client is loaded only for this command, keeping scans fast to start
      const { collectK8sSnapshot, writeK8sSnapshot } = await import('../../sources/k8s-live/index.js').catch((err: unknown) => {
        throw new PhiwallError('PW_ERR_K8S_UNREACHABLE', 'The Kubernetes collector could not be loaded (is @kubernetes/client-node installed?).', { cause: err })
      })
      const snapshot = await collectK8sSnapshot({
        ...(flags.context !== undefined ? { context: flags.context } : {}),
        ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
        ...(flags.namespace.length ? { namespaces: flags.namespace } : {}),
        onProgress: (msg: string) => process.stderr.write(`${msg}\n`),
      })
      writeK8sSnapshot(flags.out, snapshot)
      for (const e of snapshot.errors.slice(0, ERRORS_SHOWN)) {
        process.stderr.write(`  failed: ${e.resource}${e.namespace ? ` in ${e.namespace}` : ''}${e.status ? ` (${e.status})` : ''}: ${e.message}\n`)
      }
      if (snapshot.errors.length > ERRORS_SHOWN) process.stderr.write(`  … and ${snapshot.errors.length - ERRORS_SHOWN} more failures (all are in the snapshot's "errors").\n`)
      const failed = snapshot.errors.length ? `, ${snapshot.errors.length} calls failed (see docs/kubernetes-collect.md for the RBAC)` : ''
      const version = snapshot.kubernetesVersion ? `, Kubernetes ${snapshot.kubernetesVersion}` : ''
      const scope = snapshot.namespaces ? ` in ${snapshot.namespaces.join(', ')}` : ''
      process.stdout.write(`Snapshot of cluster ${snapshot.cluster} (context ${snapshot.context}${version})${scope}: ${snapshot.items.length} objects${failed} → ${flags.out}\n`)
    })
}
