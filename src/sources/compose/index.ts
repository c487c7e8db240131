/**
 * @module sources/compose
 * Docker Compose files: services (`Docker::Compose::Service`, kind `docker:compose:service`) with
 * their mapping as written, and the top-level networks, volumes and secrets; helpers that give
 * normalised views of a service (ports, environment, volumes, networks, dependencies, labels,
 * build).
 */
export { looksLikeCompose, readCompose, isComposeName, COMPOSE_SERVICE_TYPE, COMPOSE_NETWORK_TYPE, COMPOSE_VOLUME_TYPE, COMPOSE_SECRET_TYPE } from './read.js'
export {
  composePorts,
  composeEnvironment,
  composeVolumes,
  composeNetworks,
  composeDependsOn,
  composeLinks,
  composeLabels,
  composeServiceSecrets,
  composeBuild,
  composeBoolean,
  parsePortSpec,
  isLoopback,
  isAllInterfaces,
} from './helpers.js'
export type { ComposePort, ComposeEnvVar, ComposeVolume, ComposeServiceNetwork, ComposeDependency, ComposeBuild } from './helpers.js'
export { interpolate, interpolationsIn } from './interpolate.js'
