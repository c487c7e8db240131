/**
 * @module sources/dockerfile
 * Dockerfiles: one `Docker::Image::Dockerfile` resource per file (kind `docker:image:dockerfile`)
 * with its stages, instructions and the final image's effective USER, HEALTHCHECK, ports and
 * labels. See `types.ts` for the property shape.
 */
export { isDockerfileName, looksLikeDockerfile, readDockerfile, dockerfileSourceId, DOCKERFILE_TYPE } from './read.js'
export { expandWord, splitImageReference } from './expand.js'
export type { Lookup, Expanded } from './expand.js'
export type { DockerfileProps, DockerStage, DockerInstruction, DockerVariable, DockerHealthcheck, DockerExposedPort } from './types.js'
