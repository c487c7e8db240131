// One line per check: the catalog test fails when a check file is missing here.
export { default as asgNoPublicIp } from './asg-no-public-ip.js'
export { default as detailedMonitoring } from './detailed-monitoring.js'
export { default as noKeyPairPhi } from './no-key-pair-phi.js'
export { default as patchGroupTag } from './patch-group-tag.js'
export { default as phiVolumeSnapshots } from './phi-volume-snapshots.js'
export { default as ssmManaged } from './ssm-managed.js'
export { default as terminationProtectionPhi } from './termination-protection-phi.js'
export { default as userDataSecrets } from './user-data-secrets.js'
