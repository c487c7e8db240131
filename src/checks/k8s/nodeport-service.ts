import { defineCheck, fail, pass } from '../define-check.js'
import { objects } from './lib/cluster.js'
import { isObj, str, subject } from './lib/pod.js'

/** Services are not exposed on a port of every node. */
export default defineCheck({
  id: 'k8s/nodeport-service',
  title: 'Service is not of type NodePort',
  severity: 'medium',
  resourceKinds: ['k8s:core:service'],
  rationale:
    'A NodePort Service opens its port (30000–32767) on every node of the cluster and forwards it to the pods, bypassing the Ingress, its TLS and any WAF in front of it. Whoever can reach a node address (other tenants of the VPC, anything on a flat network, the internet when nodes have public addresses or the security group is wide) reaches the workload directly, and the exposure changes whenever nodes are added.',
  remediation: {
    text: 'Use a ClusterIP Service behind an Ingress (with TLS), or an internal LoadBalancer for traffic from outside the cluster. If a NodePort is unavoidable, restrict the node security group or firewall to the clients that need it.',
    kubernetes: 'spec:\n  type: ClusterIP\n  ports:\n    - port: 443\n      targetPort: https',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-3'], hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-SHUT-DOWN-UNNECESSARY-SERVICES', 'FERPA-FIREWALLS-IDPS'] },
  evaluate(svc) {
    const spec = isObj(svc.props['spec']) ? svc.props['spec'] : {}
    const type = str(spec['type']) ?? 'ClusterIP'
    if (type !== 'NodePort') return pass(`${subject(svc)} is of type ${type}, not NodePort.`)
    const ports = objects(spec['ports']).map(({ value }) => {
      const port = typeof value['port'] === 'number' || typeof value['port'] === 'string' ? String(value['port']) : '?'
      const node = value['nodePort']
      return typeof node === 'number' || typeof node === 'string' ? `${port} (node port ${String(node)})` : port
    })
    return fail(`${subject(svc)} is of type NodePort, opening a port on every node of the cluster for ${ports.length ? `port${ports.length > 1 ? 's' : ''} ${ports.slice(0, 5).join(', ')}` : 'its ports'}.`, {
      path: 'spec.type',
      evidence: { ports },
    })
  },
})
