import type { FerpaPractice } from './types.js'

/**
 * FERPA data-security practices from the U.S. Department of Education Privacy Technical Assistance
 * Center (PTAC) "Data Security Checklist", the practices education SaaS vendors are asked to show
 * for student records. FERPA itself names no technical controls; PTAC's checklist is the reference.
 */
export const FERPA: readonly FerpaPractice[] = [
  { id: 'FERPA-ASSET-INVENTORY', title: 'Asset inventory', guidance: 'Keep an inventory of systems, applications and data stores that hold education records.' },
  { id: 'FERPA-NETWORK-MAPPING', title: 'Network mapping', guidance: 'Map the network and data flows, including every path by which education records move between systems.' },
  { id: 'FERPA-LAYERED-DEFENSE', title: 'Layered defense', guidance: 'Apply defense in depth: segmentation, least-privilege network paths and independent controls at each layer.' },
  { id: 'FERPA-SECURE-CONFIGURATIONS', title: 'Secure configurations', guidance: 'Harden systems from secure baselines and keep configurations under change control.' },
  { id: 'FERPA-ACCESS-CONTROL', title: 'Access control', guidance: 'Grant access to education records on a need-to-know, least-privilege basis and review it.' },
  { id: 'FERPA-AUTHENTICATION', title: 'Authentication', guidance: 'Authenticate every user and service; use multi-factor authentication for privileged and remote access.' },
  { id: 'FERPA-FIREWALLS-IDPS', title: 'Firewalls and intrusion detection and prevention', guidance: 'Filter traffic at network boundaries and monitor for intrusions.' },
  { id: 'FERPA-VULNERABILITY-SCANNING', title: 'Automated vulnerability scanning', guidance: 'Scan systems and components for known vulnerabilities automatically and regularly.' },
  { id: 'FERPA-PATCH-MANAGEMENT', title: 'Patch management', guidance: 'Apply security updates promptly; retire unsupported software.' },
  { id: 'FERPA-SHUT-DOWN-UNNECESSARY-SERVICES', title: 'Shut down unnecessary services', guidance: 'Disable services, ports and resources that are not needed; remove unused accounts and components.' },
  { id: 'FERPA-DATA-ENCRYPTION', title: 'Data encryption', guidance: 'Encrypt education records at rest and in transit with current algorithms and managed keys.' },
  { id: 'FERPA-AUDIT-MONITORING', title: 'Audit and compliance monitoring', guidance: 'Log access to education records, keep the logs, protect them from tampering and review them.' },
  { id: 'FERPA-INCIDENT-HANDLING', title: 'Incident handling', guidance: 'Detect, report and respond to security incidents under a documented plan.' },
  { id: 'FERPA-DATA-BACKUP', title: 'Backup and recovery', guidance: 'Back up education records, protect the backups and test restoring them.' },
  { id: 'FERPA-DATA-DESTRUCTION', title: 'Data destruction', guidance: 'Destroy records and media securely at the end of their retention period.' },
  { id: 'FERPA-POLICY', title: 'Policy and governance', guidance: 'Keep written security policies, assign responsibility and train staff.' },
]
