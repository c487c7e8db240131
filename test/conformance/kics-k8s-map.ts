/**
 * KICS Kubernetes query → PhiWall check map for the KICS Kubernetes conformance test
 * (kics-k8s.test.ts).
 *
 * Each entry names a KICS query folder (relative to the corpus's `kics/k8s/` directory), the
 * PhiWall check(s) that judge the same security property on the same kinds, and whether the two
 * are `full` or `partial` equivalents. Every fixture result on which PhiWall and KICS disagree is
 * listed under `exceptions` with what PhiWall does instead and why; the test asserts that
 * behaviour, so an exception that stops being true fails the test as much as a new disagreement.
 * Every other query of the corpus is listed in `KICS_K8S_UNMAPPED` with the reason.
 *
 * Reasons were decided from Kubernetes semantics (the API reference and its defaulting and
 * validation, the Pod Security Standards, kubelet and container runtime behaviour), not from
 * either tool.
 */

/**
 * What PhiWall does for one KICS expectation it does not share. `pass`, `manual` and `not-judged`
 * are about the object whose span holds KICS's line (the document, or the `List` item).
 */
export type K8sOutcome =
  /**
   * The object is judged: at least one finding of the mapped checks, no failure of the query's
   * property (a failure of another facet of the check may remain) and no manual result.
   */
  | { kind: 'pass' }
  /** The object gets a manual finding (a value PhiWall cannot judge), and no failure. */
  | { kind: 'manual' }
  /** No finding of the mapped checks for the object. */
  | { kind: 'not-judged' }
  /**
   * Failures of the query's property at these lines. For a positive expectation: where PhiWall
   * reports the failure KICS expects elsewhere; for a negative file: exactly the lines PhiWall fails.
   */
  | { kind: 'fails-at'; lines: number[] }

/** One KICS expectation PhiWall does not share, with the reason and PhiWall's own behaviour. */
export interface K8sException {
  /** Fixture file name in the query's `test/` folder. */
  file: string
  /** For positive fixtures: the line KICS expects a result on. Absent for a negative fixture. */
  line?: number
  phiwall: K8sOutcome
  /** Who is right and why, from Kubernetes semantics. */
  reason: string
}

/** A KICS query whose intent a PhiWall check shares. */
export interface K8sMapping {
  /** Query folder under `kics/k8s/`, e.g. `container_is_privileged`. */
  rule: string
  /** PhiWall check ids that together judge the query's property. */
  checks: string[]
  /** `full`: the same property; `partial`: the same property with a deliberate difference (see `note`). */
  equivalence: 'full' | 'partial'
  /** For partial equivalents: the difference, in one line. */
  note?: string
  /**
   * When a mapped check judges several properties of an object and the KICS query is about one: a
   * regular expression (source) that the message of a failing finding must match to count as a
   * failure of this query's property. Failures of the check's other properties are not counted.
   */
  facet?: string
  exceptions?: K8sException[]
}

/** Why a query is not mapped: it judges cluster components' flags, PodSecurityPolicy, or another property. */
export type K8sUnmappedCategory = 'component-flags' | 'pod-security-policy' | 'other-property'

/** A KICS query that no PhiWall check shares, and why. */
export interface K8sUnmapped {
  rule: string
  category: K8sUnmappedCategory
  reason: string
}

// Reasons shared by several exceptions.
const KNATIVE =
  'The object is a Knative Serving resource (serving.knative.dev Configuration or Revision), a custom resource whose pod template the Knative controller turns into a Deployment after its own validation; PhiWall judges the built-in workload kinds (and the Deployment Knative creates, when scanned from the cluster), not custom resources.'
const SECCOMP_PSP_ANNOTATION =
  'seccomp.security.alpha.kubernetes.io/defaultProfileName is an annotation of a PodSecurityPolicy (the default it applied to pods it admitted); on a pod or pod template it has no effect, whatever its value. The container sets no seccomp profile, which PhiWall fails at the container rather than at the meaningless annotation.'
const SECCOMP_POD_LEVEL =
  'PhiWall fails the container for having no seccomp profile, and points at the pod-level securityContext (line 17), where one seccompProfile covers every container of the pod; KICS points at the container\'s own securityContext. Same container, same property.'
const RBAC_SAME_RULE = 'PhiWall reports a rule once, at its verbs, naming every escalation it grants; KICS names the resources line of the same rule (one line apart, same rule, same grant).'
const UNBOUND_SECRETS_ROLE =
  'No binding in the file grants this role, so no subject holds its read access to Secrets; PhiWall judges read access to Secrets where a binding gives it to a subject a workload runs as, and passes an unbound role (saying it is unbound).'
const APPARMOR_DUMMY =
  'The AppArmor annotation value "dummy" is not a profile: the API server accepts only runtime/default, localhost/<profile> and unconfined, and refuses to create a pod with any other value. PhiWall reports such a value as manual. A container with no AppArmor setting (hello3) runs under the container runtime\'s default profile on nodes with AppArmor, which PhiWall passes: only unconfined removes the confinement.'

/** KICS Kubernetes queries mapped to PhiWall checks. */
export const KICS_K8S_MAP: K8sMapping[] = [
  // ── Container security context ───────────────────────────────────────────────────────────
  // PhiWall also fails Windows HostProcess containers, which KICS does not judge: the facet keeps the privileged flag.
  { rule: 'container_is_privileged', checks: ['k8s/privileged-container'], equivalence: 'full', facet: 'runs privileged' },
  { rule: 'privilege_escalation_allowed', checks: ['k8s/allow-privilege-escalation'], equivalence: 'full' },
  {
    rule: 'containers_running_as_root',
    checks: ['k8s/run-as-non-root'],
    equivalence: 'partial',
    note: 'PhiWall also fails containers that set neither runAsNonRoot nor runAsUser (they run as the image\'s USER, root for many images); KICS flags only settings that resolve to root.',
    exceptions: [
      {
        file: 'positive1.yaml',
        line: 38,
        phiwall: { kind: 'fails-at', lines: [44] },
        reason: 'KICS names the pod-level runAsUser: 1000 of Pod security-context-demo-4, which its only container overrides with runAsUser: 0 and runAsNonRoot: false (container settings take precedence over the pod\'s). PhiWall fails the container at its runAsUser: 0, the value that decides.',
      },
    ],
  },
  { rule: 'containers_with_added_capabilities', checks: ['k8s/added-capabilities'], equivalence: 'full', facet: 'adds ' },
  // ALL includes CAP_SYS_ADMIN, so a container adding ALL counts as adding SYS_ADMIN.
  { rule: 'containers_with_sys_admin_capabilities', checks: ['k8s/added-capabilities'], equivalence: 'full', facet: 'SYS_ADMIN|adds (?:[A-Z_]+, )*ALL\\b' },
  { rule: 'net_raw_capabilities_not_being_dropped', checks: ['k8s/added-capabilities'], equivalence: 'full', facet: 'NET_RAW' },
  {
    rule: 'no_drop_capabilities_for_containers',
    checks: ['k8s/added-capabilities'],
    equivalence: 'partial',
    note: 'KICS accepts any drop list; PhiWall requires it to drop ALL or NET_RAW (the capability of the runtime\'s default set that lets a container spoof packets).',
    facet: 'drops neither ALL nor NET_RAW',
  },
  { rule: 'root_container_not_mounted_as_read_only', checks: ['k8s/read-only-root-filesystem'], equivalence: 'full' },
  {
    rule: 'seccomp_profile_is_not_configured',
    checks: ['k8s/seccomp-profile'],
    equivalence: 'full',
    exceptions: [
      { file: 'negative1.yaml', phiwall: { kind: 'fails-at', lines: [9] }, reason: `${SECCOMP_PSP_ANNOTATION} KICS accepts the annotation's runtime/default value as a profile.` },
      { file: 'positive1.yaml', line: 26, phiwall: { kind: 'fails-at', lines: [29] }, reason: SECCOMP_PSP_ANNOTATION },
      { file: 'positive1.yaml', line: 43, phiwall: { kind: 'fails-at', lines: [46] }, reason: SECCOMP_PSP_ANNOTATION },
      { file: 'positive2.yaml', line: 24, phiwall: { kind: 'fails-at', lines: [17] }, reason: SECCOMP_POD_LEVEL },
      { file: 'positive3.yaml', line: 24, phiwall: { kind: 'fails-at', lines: [17] }, reason: SECCOMP_POD_LEVEL },
    ],
  },
  {
    rule: 'missing_app_armor_config',
    checks: ['k8s/apparmor-profile'],
    equivalence: 'partial',
    note: 'KICS requires every container to name a profile (runtime/default or localhost/…); PhiWall fails only unconfined, since the runtime\'s default profile applies when none is named (Pod Security Standards Baseline forbids only overriding it).',
    exceptions: [
      { file: 'positive.yaml', line: 4, phiwall: { kind: 'manual' }, reason: APPARMOR_DUMMY },
      { file: 'positive.yaml', line: 5, phiwall: { kind: 'manual' }, reason: APPARMOR_DUMMY },
      { file: 'positive.yaml', line: 36, phiwall: { kind: 'manual' }, reason: 'The AppArmor annotation value "dummy" is not a profile (the API server accepts runtime/default, localhost/<profile> and unconfined, and refuses to create pods with any other value); PhiWall reports it as manual.' },
    ],
  },

  // ── Resources and probes ──────────────────────────────────────────────────────────────────
  {
    rule: 'cpu_limits_not_set',
    checks: ['k8s/resource-limits'],
    equivalence: 'partial',
    note: 'PhiWall counts the default limits of a LimitRange in the namespace, which the LimitRanger admission plugin applies to containers without limits; KICS judges the container alone.',
    facet: 'no memory or CPU limit|but no CPU limit',
    exceptions: [
      { file: 'positive.yaml', line: 31, phiwall: { kind: 'not-judged' }, reason: KNATIVE },
      { file: 'positive.yaml', line: 35, phiwall: { kind: 'not-judged' }, reason: KNATIVE },
    ],
  },
  {
    rule: 'memory_limits_not_defined',
    checks: ['k8s/resource-limits'],
    equivalence: 'partial',
    note: 'PhiWall counts the default limits of a LimitRange in the namespace, which the LimitRanger admission plugin applies to containers without limits; KICS judges the container alone.',
    facet: 'no memory or CPU limit|but no memory limit',
  },
  {
    rule: 'liveness_probe_is_not_defined',
    checks: ['k8s/liveness-probe'],
    equivalence: 'partial',
    note: 'Both skip Jobs and CronJobs; PhiWall also skips pods that run to completion (restartPolicy Never or OnFailure) and judges native sidecars.',
  },
  {
    rule: 'readiness_probe_is_not_configured',
    checks: ['k8s/readiness-probe'],
    equivalence: 'partial',
    note: 'Both skip Jobs and CronJobs; PhiWall also skips pods that run to completion (restartPolicy Never or OnFailure) and judges native sidecars.',
  },

  // ── Images ────────────────────────────────────────────────────────────────────────────────
  {
    rule: 'image_without_digest',
    checks: ['k8s/image-digest'],
    equivalence: 'full',
    exceptions: [
      {
        file: 'negative.yaml',
        phiwall: { kind: 'fails-at', lines: [8] },
        reason: 'The digest sha256:45b23dee…77c5cb has 63 hexadecimal digits; a sha256 digest has 64, so the reference is invalid and the kubelet cannot pull it (InvalidImageName). PhiWall fails the malformed pin; KICS only looks for the "@".',
      },
    ],
  },
  { rule: 'invalid_image', checks: ['k8s/image-latest-tag'], equivalence: 'full' },

  // ── Host namespaces, ports and volumes ────────────────────────────────────────────────────
  { rule: 'shared_host_ipc_namespace', checks: ['k8s/host-namespaces'], equivalence: 'full', facet: 'hostIPC', exceptions: [{ file: 'positive2.yaml', line: 9, phiwall: { kind: 'not-judged' }, reason: KNATIVE }] },
  { rule: 'shared_host_network_namespace', checks: ['k8s/host-namespaces'], equivalence: 'full', facet: 'hostNetwork', exceptions: [{ file: 'positive2.yaml', line: 9, phiwall: { kind: 'not-judged' }, reason: KNATIVE }] },
  { rule: 'shared_host_pid_namespace', checks: ['k8s/host-namespaces'], equivalence: 'full', facet: 'hostPID', exceptions: [{ file: 'positive2.yaml', line: 9, phiwall: { kind: 'not-judged' }, reason: KNATIVE }] },
  {
    rule: 'workload_host_port_not_specified',
    checks: ['k8s/host-ports'],
    equivalence: 'partial',
    note: 'The query (despite its name) flags ports that set hostPort, as PhiWall does; PhiWall also counts the container ports of hostNetwork pods, which the API server gives a hostPort equal to containerPort.',
  },
  {
    rule: 'non_kube_system_pod_with_host_mount',
    checks: ['k8s/host-path-volume'],
    equivalence: 'partial',
    note: 'KICS exempts kube-system; PhiWall judges hostPath volumes in every namespace (system add-ons are suppressed with a reason, not exempt by namespace).',
    exceptions: [
      {
        file: 'negative.yaml',
        phiwall: { kind: 'fails-at', lines: [40, 43, 60, 90, 107] },
        reason: 'The namespace does not limit what a hostPath volume exposes: the DaemonSet, Pod and Deployment in kube-system get the same node directories as anywhere else, so PhiWall fails them (a system add-on that needs one is suppressed with its reason). The PersistentVolume is cluster-scoped: its metadata.namespace: kube-system is ignored by the API server, and any claim that binds to it mounts the node\'s /sys.',
      },
      { file: 'positive.yaml', line: 185, phiwall: { kind: 'not-judged' }, reason: KNATIVE },
    ],
  },
  {
    rule: 'workload_mounting_with_sensitive_os_directory',
    checks: ['k8s/host-path-volume'],
    equivalence: 'partial',
    note: 'The two lists of sensitive node paths differ: KICS counts any path under /etc or /var, among others; PhiWall counts the node\'s root, its state and credential directories (/var/lib/kubelet, /var/log, /etc itself, /etc/kubernetes, /proc, /dev, /boot…) and runtime sockets. PhiWall fails every other hostPath too, without calling it sensitive.',
    // the message of a hostPath that exposes a sensitive node location goes on after " — " with what it exposes
    facet: ' — ',
    exceptions: [
      { file: 'positive.yaml', line: 145, phiwall: { kind: 'pass' }, reason: '/var/local/static holds none of the node\'s state (kubelet, runtime, logs) that lives under /var; PhiWall still fails the volume as a hostPath, without calling the path sensitive.' },
      { file: 'positive.yaml', line: 193, phiwall: { kind: 'pass' }, reason: '/var/redis/data is an application data directory, not node state under /var; PhiWall still fails the volume as a hostPath, without calling the path sensitive.' },
      {
        file: 'positive.yaml',
        line: 203,
        phiwall: { kind: 'pass' },
        reason: '/etc/nginx holds only the configuration of an nginx installed on the node (none, on most Kubernetes nodes); PhiWall treats /etc itself and its credential trees (/etc/kubernetes, /etc/shadow, /etc/sudoers, /etc/ssh) as sensitive. It still fails the volume as a hostPath, without calling the path sensitive.',
      },
      { file: 'positive.yaml', line: 299, phiwall: { kind: 'not-judged' }, reason: KNATIVE },
    ],
  },
  {
    rule: 'docker_daemon_socket_is_exposed_to_containers',
    checks: ['k8s/container-runtime-socket'],
    equivalence: 'partial',
    note: 'KICS looks for /var/run/docker.sock; PhiWall for every container runtime socket (containerd, CRI-O, cri-dockerd, Podman, the Windows named pipes) and the directories that contain them.',
  },

  // ── Service accounts, namespaces, network policies, Services ──────────────────────────────
  {
    rule: 'service_account_token_automount_not_disabled',
    checks: ['k8s/service-account-token-automount'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 54, phiwall: { kind: 'not-judged' }, reason: KNATIVE },
      {
        file: 'positive2.yaml',
        line: 5,
        phiwall: { kind: 'fails-at', lines: [22] },
        reason: 'A ServiceAccount\'s automountServiceAccountToken matters through the pods that use it (and a pod-level setting overrides it). PhiWall reports on the workload whose pods get the token, at the serviceAccountName that ties it to the account, and names the account\'s setting; KICS names the ServiceAccount\'s line.',
      },
    ],
  },
  {
    rule: 'using_unrecommended_namespace',
    checks: ['k8s/default-namespace'],
    equivalence: 'partial',
    note: 'KICS also rejects kube-system; PhiWall fails default (or no namespace) and kube-public, and leaves kube-system to the cluster\'s own components.',
    exceptions: [
      {
        file: 'positive4.yaml',
        line: 5,
        phiwall: { kind: 'pass' },
        reason: 'kube-system is where the cluster\'s own components run (CoreDNS, kube-proxy, CNI and CSI agents, cloud controllers), and a manifest does not say whether a pod there is one of them; PhiWall judges what such pods may do through its other checks rather than their namespace.',
      },
      { file: 'positive5.yaml', line: 5, phiwall: { kind: 'not-judged' }, reason: KNATIVE },
    ],
  },
  { rule: 'network_policy_is_not_targeting_any_pod', checks: ['k8s/network-policy-selects-pods'], equivalence: 'full' },
  {
    rule: 'pod_misconfigured_network_policy',
    checks: ['k8s/network-policy-coverage'],
    equivalence: 'partial',
    note: 'KICS requires a policy isolating both ingress and egress for every pod; PhiWall requires ingress isolation for every workload and restricts egress for PHI workloads (k8s/phi-egress-restricted).',
    exceptions: [
      {
        file: 'negative2.yaml',
        phiwall: { kind: 'fails-at', lines: [4] },
        reason: 'A NetworkPolicy selects pods of its own namespace only: negative2-policy lives in negative2-othernamespace, so its podSelector cannot select the pod in negative2-namespace, which no policy isolates. KICS counts a label match across namespaces.',
      },
      {
        file: 'positive2.yaml',
        line: 4,
        phiwall: { kind: 'pass' },
        reason: 'policyTypes: [] is defaulted by the API server like an absent field: Ingress, plus Egress only when the policy has egress rules. The podSelector {} policy therefore isolates the pod for ingress, which is what k8s/network-policy-coverage requires; egress is restricted by PhiWall for PHI workloads, and nothing ties this pod to PHI.',
      },
    ],
  },
  {
    rule: 'service_does_not_target_pod',
    checks: ['k8s/service-selects-pods'],
    equivalence: 'partial',
    note: 'KICS also requires each Service port to match a declared container port; PhiWall judges the selector, since numeric target ports need no declaration.',
    exceptions: [
      {
        file: 'positive2.yaml',
        line: 12,
        phiwall: { kind: 'pass' },
        reason: 'The selector matches the Deployment\'s pods, so the Service has endpoints. A numeric targetPort (9377) does not have to be declared as a containerPort: container ports are informational, and traffic reaches whatever listens on 9377 in the pod. Only a named targetPort must match a declared port name.',
      },
    ],
  },
  { rule: 'service_type_is_nodeport', checks: ['k8s/nodeport-service'], equivalence: 'full' },
  {
    rule: 'service_with_external_load_balancer',
    checks: ['k8s/loadbalancer-source-ranges'],
    equivalence: 'partial',
    note: 'KICS requires an internal load balancer; PhiWall also accepts a public one limited by loadBalancerSourceRanges (and AWS Load Balancer Controller NLBs, internal by default).',
    exceptions: [18, 33, 48, 63].map((line) => ({
      file: 'positive.yaml',
      line,
      phiwall: { kind: 'fails-at' as const, lines: [line + 7] },
      reason: 'KICS names the annotation that does not make the load balancer internal; PhiWall fails the same Service as a public load balancer open to the internet, at its type: LoadBalancer.',
    })),
  },

  // ── RBAC ──────────────────────────────────────────────────────────────────────────────────
  {
    rule: 'rbac_wildcard_in_rule',
    checks: ['k8s/rbac-wildcard'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive.yaml', line: 19, phiwall: { kind: 'fails-at', lines: [20] }, reason: 'PhiWall reports each rule once, at its first wildcard field (verbs), listing every field that uses "*"; KICS reports each field. Same rule, same wildcards.' },
      {
        file: 'positive.yaml',
        line: 29,
        phiwall: { kind: 'fails-at', lines: [31] },
        reason: 'PhiWall reports the rule once, at its first wildcard field (resources), listing apiGroups too; KICS reports each field. (The rule is written like an admission webhook rule: its verb "POST" matches no API request, since RBAC verbs are the lowercase API verbs.)',
      },
    ],
  },
  {
    rule: 'cluster_admin_role_binding_with_super_user_permissions',
    checks: ['k8s/cluster-admin-binding'],
    equivalence: 'partial',
    note: 'PhiWall also counts roles of the scan equivalent to cluster-admin (every verb on every resource) and RoleBindings, and reports each subject.',
    exceptions: [
      { file: 'positive.yaml', line: 11, phiwall: { kind: 'fails-at', lines: [6] }, reason: 'PhiWall reports a cluster-admin binding per subject, at the subject that holds it (ServiceAccount kube-system/tiller); KICS names the roleRef.' },
    ],
  },
  {
    rule: 'rbac_roles_with_read_secrets_permissions',
    checks: ['k8s/rbac-secrets-access'],
    equivalence: 'partial',
    note: 'PhiWall fails read access to Secrets where a binding of the scan gives it to a subject that a workload runs as; KICS flags the role itself.',
    exceptions: [
      { file: 'positive.yaml', line: 9, phiwall: { kind: 'pass' }, reason: UNBOUND_SECRETS_ROLE },
      { file: 'positive.yaml', line: 18, phiwall: { kind: 'pass' }, reason: UNBOUND_SECRETS_ROLE },
    ],
  },
  {
    rule: 'service_account_allows_access_secrets',
    checks: ['k8s/rbac-secrets-access'],
    equivalence: 'partial',
    note: 'Both require a binding to a ServiceAccount; PhiWall resolves bindings as the API server does and also requires a workload of the scan to run as the account.',
    exceptions: [
      {
        file: 'positive.yaml',
        line: 10,
        phiwall: { kind: 'pass' },
        reason: 'RoleBinding testRoleBinding is in namespace bindingTestWithBinding, and a RoleBinding can only grant a Role of its own namespace: it refers to bindingTestWithBinding/testRoleVulnerable, not to the Role of that name in assembly-prod, which nothing binds. No ServiceAccount holds this role\'s access.',
      },
      { file: 'positive.yaml', line: 34, phiwall: { kind: 'pass' }, reason: 'RoleBinding testRoleBinding of namespace bindingTestWithBinding2 refers to a Role of its own namespace; testRoleVulnerable2 is in assembly-prod, so nothing binds it.' },
      {
        file: 'positive.yaml',
        line: 58,
        phiwall: { kind: 'pass' },
        reason: 'The ClusterRoleBinding names ServiceAccount testsa without a namespace, which the API server rejects for a ClusterRoleBinding (only a RoleBinding lends its own namespace), and no workload of the scan runs as such an account; PhiWall passes the role, saying no workload holds it.',
      },
    ],
  },
  { rule: 'rbac_roles_allow_privilege_escalation', checks: ['k8s/rbac-privilege-escalation'], equivalence: 'full', facet: 'bind|escalate' },
  { rule: 'rbac_roles_with_impersonate_permission', checks: ['k8s/rbac-privilege-escalation'], equivalence: 'full', facet: 'impersonate' },
  {
    rule: 'rbac_roles_with_exec_permission',
    checks: ['k8s/rbac-privilege-escalation'],
    equivalence: 'full',
    facet: 'pods/exec',
    exceptions: [{ file: 'positive.yaml', line: 8, phiwall: { kind: 'fails-at', lines: [9] }, reason: RBAC_SAME_RULE }],
  },
  {
    rule: 'rbac_roles_with_attach_permission',
    checks: ['k8s/rbac-privilege-escalation'],
    equivalence: 'full',
    facet: 'pods/attach',
    exceptions: [{ file: 'positive.yaml', line: 8, phiwall: { kind: 'fails-at', lines: [9] }, reason: RBAC_SAME_RULE }],
  },
  {
    rule: 'permissive_access_to_create_pods',
    checks: ['k8s/rbac-privilege-escalation'],
    equivalence: 'full',
    facet: 'create pods(?!/)',
    exceptions: [
      {
        file: 'positive1.yaml',
        line: 48,
        phiwall: { kind: 'pass' },
        reason: 'RBAC has no glob patterns: only a verb of exactly "*" means every verb, and "c*e" is a literal verb no request ever has. The rule grants get and watch on pods, not create.',
      },
      { file: 'positive1.yaml', line: 60, phiwall: { kind: 'pass' }, reason: 'RBAC has no glob patterns: only a resource of exactly "*" (or "*/subresource") is a wildcard, and "p*ds" names no resource. The rule grants nothing on pods.' },
    ],
  },
  {
    rule: 'role_binding_to_default_service_account',
    checks: ['k8s/default-service-account-used'],
    equivalence: 'full',
    // the check also judges workloads that run as a default ServiceAccount with permissions; KICS judges bindings
    facet: 'to the default ServiceAccount of namespace',
  },
]

/** Shorthand for the component-flag queries, which share one reason. */
const flags = (rule: string, what: string): K8sUnmapped => ({
  rule,
  category: 'component-flags',
  reason: `Judges ${what}; no PhiWall check judges the command-line flags or configuration files of control-plane and node components (PhiWall reads workloads and API objects, not how the cluster itself is run).`,
})
const psp = (rule: string, what: string): K8sUnmapped => ({
  rule,
  category: 'pod-security-policy',
  reason: `Judges ${what} of a PodSecurityPolicy, an API removed in Kubernetes 1.25; PhiWall judges the pods themselves, and Pod Security admission labels of namespaces (k8s/namespace-psa-enforced).`,
})
const other = (rule: string, reason: string): K8sUnmapped => ({ rule, category: 'other-property', reason })

/** KICS Kubernetes queries no PhiWall check shares, and why. */
export const KICS_K8S_UNMAPPED: K8sUnmapped[] = [
  // ── Control-plane and node component flags, admission plugins, component configuration files
  flags('always_admit_admission_control_plugin_set', 'kube-apiserver --enable-admission-plugins (AlwaysAdmit)'),
  flags('always_pull_images_admission_control_plugin_not_set', 'kube-apiserver --enable-admission-plugins (AlwaysPullImages)'),
  flags('anonymous_auth_is_not_set_to_false', 'kubelet / kube-apiserver --anonymous-auth and KubeletConfiguration authentication'),
  flags('audit_log_maxage_not_properly_set', 'kube-apiserver --audit-log-maxage'),
  flags('audit_log_maxbackup_not_properly_set', 'kube-apiserver --audit-log-maxbackup'),
  flags('audit_log_maxsize_not_properly_set', 'kube-apiserver --audit-log-maxsize'),
  flags('audit_log_path_not_set', 'kube-apiserver --audit-log-path'),
  flags('audit_policy_file_not_defined', 'kube-apiserver --audit-policy-file'),
  flags('audit_policy_not_cover_key_security_concerns', 'the rules of an audit Policy file (audit.k8s.io)'),
  flags('authorization_mode_node_not_set', 'kube-apiserver --authorization-mode (Node)'),
  flags('authorization_mode_rbac_not_set', 'kube-apiserver --authorization-mode (RBAC)'),
  flags('authorization_mode_set_to_always_allow', 'kubelet / kube-apiserver --authorization-mode and KubeletConfiguration authorization'),
  flags('auto_tls_set_to_true', 'etcd --auto-tls'),
  flags('basic_auth_file_is_set', 'kube-apiserver --basic-auth-file'),
  flags('bind_address_not_properly_set', 'kube-controller-manager / kube-scheduler --bind-address'),
  flags('client_certificate_authentication_not_setup_properly', 'kube-apiserver / kubelet --client-ca-file and KubeletConfiguration x509'),
  flags('cni_plugin_does_not_support_network_policies', 'the CNI plugin configuration (a flannel ConfigMap of kube-system)'),
  flags('encryption_provider_config_is_not_defined', 'kube-apiserver --encryption-provider-config'),
  flags('encryption_provider_not_properly_configured', 'the providers of an EncryptionConfiguration file'),
  flags('etcd_client_certificate_authentication_set_to_false', 'etcd --client-cert-auth'),
  flags('etcd_client_certificate_file_not_defined', 'kube-apiserver --etcd-cafile'),
  flags('etcd_peer_client_certificate_authentication_set_to_false', 'etcd --peer-client-cert-auth'),
  flags('etcd_peer_tls_certificate_files_not_properly_set', 'etcd --peer-cert-file / --peer-key-file'),
  flags('etcd_tls_certificate_files_not_properly_set', 'etcd --cert-file / --key-file'),
  flags('etcd_tls_certificate_not_properly_configured', 'kube-apiserver --etcd-certfile / --etcd-keyfile'),
  flags('event_rate_limit_admission_control_plugin_not_set', 'kube-apiserver --enable-admission-plugins (EventRateLimit)'),
  flags('image_policy_webhook_admission_control_plugin_not_set', 'kube-apiserver --enable-admission-plugins (ImagePolicyWebhook)'),
  flags('insecure_bind_address_set', 'kube-apiserver --insecure-bind-address'),
  flags('insecure_port_not_properly_set', 'kube-apiserver --insecure-port'),
  flags('kubelet_certificate_authority_not_set', 'kube-apiserver --kubelet-certificate-authority'),
  flags('kubelet_client_certificate_or_key_not_set', 'kube-apiserver --kubelet-client-certificate / --kubelet-client-key'),
  flags('kubelet_client_periodic_certificate_switch_disabled', 'kubelet --rotate-certificates and KubeletConfiguration rotateCertificates'),
  flags('kubelet_event_qps_not_properly_set', 'kubelet --event-qps and KubeletConfiguration eventRecordQPS'),
  flags('kubelet_hostname_override_is_set', 'kubelet --hostname-override'),
  flags('kubelet_https_set_to_false', 'kube-apiserver --kubelet-https'),
  flags('kubelet_not_managing_ip_tables', 'kubelet --make-iptables-util-chains and KubeletConfiguration'),
  flags('kubelet_protect_kernel_defaults_set_to_false', 'kubelet --protect-kernel-defaults and KubeletConfiguration'),
  flags('kubelet_read_only_port_is_not_set_to_zero', 'kubelet --read-only-port and KubeletConfiguration readOnlyPort'),
  flags('kubelet_streaming_connection_timeout_disabled', 'kubelet --streaming-connection-idle-timeout and KubeletConfiguration'),
  flags('namespace_lifecycle_admission_control_plugin_disabled', 'kube-apiserver --disable-admission-plugins (NamespaceLifecycle)'),
  flags('node_restriction_admission_control_plugin_not_set', 'kube-apiserver --enable-admission-plugins (NodeRestriction)'),
  flags('not_unique_certificate_authority', 'etcd --trusted-ca-file against kube-apiserver --client-ca-file'),
  flags('peer_auto_tls_set_to_true', 'etcd --peer-auto-tls'),
  flags('pod_security_policy_admission_control_plugin_not_set', 'kube-apiserver --enable-admission-plugins (PodSecurityPolicy, removed in 1.25)'),
  flags('profiling_not_set_to_false', 'kube-apiserver / controller-manager / scheduler --profiling and KubeSchedulerConfiguration'),
  flags('request_timeout_not_properly_set', 'kube-apiserver --request-timeout'),
  flags('root_ca_file_not_defined', 'kube-controller-manager --root-ca-file'),
  flags('rotate_kubelet_server_certificate_not_active', 'the RotateKubeletServerCertificate feature gate'),
  flags('secure_port_set_to_zero', 'kube-apiserver --secure-port'),
  flags('security_context_deny_admission_control_plugin_not_set', 'kube-apiserver --enable-admission-plugins (SecurityContextDeny)'),
  flags('service_account_admission_control_plugin_disabled', 'kube-apiserver --disable-admission-plugins (ServiceAccount)'),
  flags('service_account_key_file_not_properly_set', 'kube-apiserver --service-account-key-file'),
  flags('service_account_lookup_set_to_false', 'kube-apiserver --service-account-lookup'),
  flags('service_account_private_key_file_not_defined', 'kube-controller-manager --service-account-private-key-file'),
  flags('terminated_pod_garbage_collector_threshold_not_properly_set', 'kube-controller-manager --terminated-pod-gc-threshold'),
  flags('tls_connection_certificate_not_setup', 'kube-apiserver --tls-cert-file / --tls-private-key-file and KubeletConfiguration tlsCertFile'),
  flags('token_auth_file_is_set', 'kube-apiserver --token-auth-file'),
  flags('use_service_account_credentials_not_set_to_true', 'kube-controller-manager --use-service-account-credentials'),
  flags('weak_tls_cipher_suites', 'kube-apiserver / kubelet --tls-cipher-suites and KubeletConfiguration tlsCipherSuites'),

  // ── PodSecurityPolicy ─────────────────────────────────────────────────────────────────────
  psp('container_runs_unmasked', 'allowedProcMountTypes'),
  psp('net_raw_capabilities_disabled_for_psp', 'requiredDropCapabilities'),
  psp('not_limited_capabilities_for_pod_security_policy', 'requiredDropCapabilities'),
  psp('psp_allows_privilege_escalation', 'allowPrivilegeEscalation'),
  psp('psp_allows_sharing_host_ipc', 'hostIPC'),
  psp('psp_allows_sharing_host_pid', 'hostPID'),
  psp('psp_containers_share_host_network_namespace', 'hostNetwork'),
  psp('psp_set_to_privileged', 'privileged'),
  psp('psp_with_added_capabilities', 'allowedCapabilities'),
  psp('psp_with_unrestricted_access_to_host_path', 'allowedHostPaths'),
  psp('root_containers_admitted', 'the run-as-user, group and privilege rules'),

  // ── Other properties ──────────────────────────────────────────────────────────────────────
  other('cluster_allows_unsafe_sysctls', 'Judges pod sysctls (and a PodSecurityPolicy\'s allowedUnsafeSysctls); no PhiWall check judges sysctls.'),
  other('containers_run_with_low_uid', 'Flags a runAsUser below 10000 (clashes with users of the node); PhiWall\'s k8s/run-as-non-root judges root (UID 0, or no non-root guarantee), and UID 1000 is a non-root user.'),
  other('cpu_requests_not_set', 'Resource requests are scheduling hints; PhiWall\'s k8s/resource-limits judges limits, which protect neighbouring pods.'),
  other('memory_requests_not_defined', 'Resource requests are scheduling hints; PhiWall\'s k8s/resource-limits judges limits, which protect neighbouring pods.'),
  other('cronjob_deadline_not_configured', 'startingDeadlineSeconds is a scheduling reliability setting; no PhiWall check judges it.'),
  other('dashboard_is_enabled', 'Flags any deployment of the Kubernetes Dashboard image; PhiWall judges what a workload may do (its privileges, RBAC bindings, exposure), not which software it runs.'),
  other('deployment_has_no_pod_anti_affinity', 'Pod anti-affinity is an availability setting; no PhiWall check judges scheduling spread.'),
  other('deployment_without_pod_disruption_budget', 'PodDisruptionBudgets are an availability setting; no PhiWall check judges them.'),
  other('ensure_administrative_boundaries_between_resources', 'An inventory of the namespaces in use, for review; it judges nothing.'),
  other('hpa_targeted_deployments_with_configured_replica_count', 'Autoscaling configuration; no PhiWall check judges it.'),
  other('hpa_targets_invalid_object', 'Validity of a HorizontalPodAutoscaler\'s metrics; no PhiWall check judges autoscaling.'),
  other('image_pull_policy_of_container_is_not_always', 'imagePullPolicy; PhiWall requires images pinned by digest (k8s/image-digest), with which a cached image and a pulled one are the same code.'),
  other('incorrect_volume_claim_access_mode_read_write_once', 'StatefulSet volume claim access modes; no PhiWall check judges them.'),
  other('ingress_controller_exposes_workload', 'Flags an Ingress backend whose Service port maps to a container port, which is how every Ingress reaches its pods; PhiWall\'s k8s/ingress-tls judges whether the Ingress serves its hosts over TLS, another property.'),
  other('metadata_label_is_invalid', 'Label syntax, which the API server validates itself; not a security property.'),
  other('object_is_using_a_deprecated_api_version', 'Deprecated API versions; PhiWall reads every version of a kind as the same object and judges its settings.'),
  other('pod_or_container_without_limit_range', 'Requires a LimitRange in each namespace; PhiWall\'s k8s/resource-limits judges each container\'s limits (counting LimitRange defaults), not the presence of the object.'),
  other('pod_or_container_without_resource_quota', 'Requires a ResourceQuota in each namespace; no PhiWall check judges namespace quotas.'),
  other('pod_or_container_without_security_context', 'Requires a securityContext to be present, whatever it says; PhiWall judges the settings that matter (privileged, runAsNonRoot, capabilities, seccomp…) with their defaults, each in its own check.'),
  other('rbac_roles_with_portforwarding_permissions', 'pods/portforward opens a tunnel to a pod\'s ports; PhiWall\'s k8s/rbac-privilege-escalation judges grants that gain permissions or run code (bind, escalate, impersonate, create pods, pods/exec, pods/attach, token requests).'),
  other('secrets_as_environment_variables', 'Flags env values taken from Secrets (secretKeyRef, envFrom); PhiWall\'s k8s/env-plaintext-secrets flags secrets written as literal values, and passes secretKeyRef, the remedy it recommends.'),
  other('service_account_name_undefined_or_empty', 'Flags pods that name no ServiceAccount; PhiWall\'s k8s/default-service-account-used fails them only when the namespace\'s default ServiceAccount is granted permissions.'),
  other('shared_service_account', 'Flags workloads sharing a ServiceAccount; no PhiWall check judges sharing.'),
  other('statefulset_has_no_pod_anti_affinity', 'Pod anti-affinity is an availability setting; no PhiWall check judges scheduling spread.'),
  other('statefulset_requests_storage', 'Flags any storage request of a StatefulSet; not a security property.'),
  other('statefulset_without_pod_disruption_budget', 'PodDisruptionBudgets are an availability setting; no PhiWall check judges them.'),
  other('statefulset_without_service_name', 'Requires a headless governing Service; not a security property.'),
  other('tiller_deployment_is_accessible_from_within_the_cluster', 'Tiller (Helm 2) configuration; no PhiWall check recognises Tiller.'),
  other('tiller_is_deployed', 'Flags Tiller (Helm 2) by name and image; no PhiWall check recognises Tiller.'),
  other('tiller_service_is_not_deleted', 'Flags Tiller (Helm 2) Services by name; no PhiWall check recognises Tiller.'),
  other('using_kubernetes_native_secret_management', 'Flags any use of Kubernetes Secrets in favour of an external store; PhiWall judges how Secrets are used (plaintext env values, unused secret volumes, RBAC read access), not whether they exist.'),
  other(
    'volume_mount_with_os_directory_write_permissions',
    'Judges the container-side mountPath (/bin, /var/run…) of any volume; a volume mounted there shadows the image\'s directory inside the container and exposes nothing of the node (the fixtures mount ScaleIO volumes). PhiWall\'s k8s/host-path-volume judges node paths mounted through hostPath.',
  ),
]
