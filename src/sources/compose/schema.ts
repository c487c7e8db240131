import { z } from 'zod'

/**
 * The shapes of the Compose specification (compose-spec/compose-spec, `compose-spec.json`) that
 * PhiWall reads. Everything is optional and unknown keys are accepted (the spec grows; a key
 * PhiWall does not know is not an error of the file). Scalars that Compose converts after
 * interpolation (`privileged: ${PRIV:-false}`, `published: "8080"`) accept strings too.
 */

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()])
const str = z.string()
const strOrNum = z.union([z.string(), z.number()])
const bool = z.union([z.boolean(), z.string()])
/** `["K=V", …]` or `{ K: V }`. */
export const listOrDict = z.union([z.array(z.union([z.string(), z.number()])), z.record(z.string(), scalar)])
const strOrList = z.union([z.string(), z.array(z.string())])

const port = z.union([
  z.number(),
  z.string(),
  z
    .object({
      target: strOrNum,
      published: strOrNum.optional(),
      host_ip: str.optional(),
      protocol: str.optional(),
      mode: str.optional(),
      name: str.optional(),
      app_protocol: str.optional(),
    })
    .loose(),
])

const volume = z.union([
  z.string(),
  z
    .object({
      type: str,
      source: str.optional(),
      target: str.optional(),
      read_only: bool.optional(),
      consistency: str.optional(),
      bind: z.object({ propagation: str.optional(), create_host_path: bool.optional(), selinux: str.optional() }).loose().optional(),
      volume: z.object({ nocopy: bool.optional(), subpath: str.optional() }).loose().optional(),
      tmpfs: z.object({ size: strOrNum.optional(), mode: strOrNum.optional() }).loose().optional(),
    })
    .loose(),
])

const fileReference = z.union([
  z.string(),
  z.object({ source: str, target: str.optional(), uid: strOrNum.optional(), gid: strOrNum.optional(), mode: strOrNum.optional() }).loose(),
])

const healthcheck = z
  .object({
    test: strOrList.optional(),
    interval: str.optional(),
    timeout: str.optional(),
    retries: strOrNum.optional(),
    start_period: str.optional(),
    start_interval: str.optional(),
    disable: bool.optional(),
  })
  .loose()

const resources = z.object({ cpus: strOrNum.optional(), memory: strOrNum.optional(), pids: strOrNum.optional() }).loose()

/** One service. */
export const serviceSchema = z
  .object({
    image: str.optional(),
    build: z
      .union([
        z.string(),
        z
          .object({
            context: str.optional(),
            dockerfile: str.optional(),
            dockerfile_inline: str.optional(),
            args: listOrDict.optional(),
            target: str.optional(),
            secrets: z.array(fileReference).optional(),
            ssh: z.union([z.array(z.string()), z.record(z.string(), z.string())]).optional(),
          })
          .loose(),
      ])
      .optional(),
    ports: z.array(port).optional(),
    expose: z.array(strOrNum).optional(),
    environment: listOrDict.optional(),
    env_file: z.union([z.string(), z.array(z.union([z.string(), z.object({ path: str, required: bool.optional() }).loose()]))]).optional(),
    networks: z
      .union([
        z.array(z.string()),
        z.record(z.string(), z.union([z.object({ aliases: z.array(z.string()).optional(), ipv4_address: str.optional(), ipv6_address: str.optional(), priority: strOrNum.optional() }).loose(), z.null()])),
      ])
      .optional(),
    network_mode: str.optional(),
    volumes: z.array(volume).optional(),
    depends_on: z
      .union([
        z.array(z.string()),
        z.record(z.string(), z.union([z.object({ condition: str.optional(), restart: bool.optional(), required: bool.optional() }).loose(), z.null()])),
      ])
      .optional(),
    links: z.array(z.string()).optional(),
    secrets: z.array(fileReference).optional(),
    configs: z.array(fileReference).optional(),
    cap_add: z.array(z.string()).optional(),
    cap_drop: z.array(z.string()).optional(),
    privileged: bool.optional(),
    user: strOrNum.optional(),
    read_only: bool.optional(),
    security_opt: z.array(z.string()).optional(),
    pid: z.union([str, z.null()]).optional(),
    ipc: str.optional(),
    uts: str.optional(),
    userns_mode: str.optional(),
    healthcheck: healthcheck.optional(),
    labels: listOrDict.optional(),
    deploy: z
      .union([
        z
          .object({
            mode: str.optional(),
            replicas: strOrNum.optional(),
            resources: z.object({ limits: resources.optional(), reservations: resources.optional() }).loose().optional(),
            restart_policy: z.object({ condition: str.optional() }).loose().optional(),
            labels: listOrDict.optional(),
          })
          .loose(),
        z.null(),
      ])
      .optional(),
    restart: str.optional(),
    extra_hosts: z.union([z.array(z.string()), z.record(z.string(), strOrList)]).optional(),
    profiles: z.array(z.string()).optional(),
    command: z.union([strOrList, z.null()]).optional(),
    entrypoint: z.union([strOrList, z.null()]).optional(),
    container_name: str.optional(),
    hostname: str.optional(),
    working_dir: str.optional(),
    devices: z.array(z.union([z.string(), z.object({ source: str, target: str.optional() }).loose()])).optional(),
    tmpfs: strOrList.optional(),
    sysctls: listOrDict.optional(),
    ulimits: z.record(z.string(), z.union([strOrNum, z.object({ soft: strOrNum, hard: strOrNum }).loose()])).optional(),
    logging: z.object({ driver: str.optional(), options: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional() }).loose().optional(),
    extends: z.union([z.string(), z.object({ service: str, file: str.optional() }).loose()]).optional(),
  })
  .loose()

/** A top-level network, volume, secret or config: a mapping or nothing (`backend:`). */
const topEntry = z.union([z.record(z.string(), z.unknown()), z.null()])

/** The document. */
export const composeSchema = z
  .object({
    version: strOrNum.optional(),
    name: str.optional(),
    services: z.union([z.record(z.string(), z.unknown()), z.null()]).optional(),
    networks: z.union([z.record(z.string(), topEntry), z.null()]).optional(),
    volumes: z.union([z.record(z.string(), topEntry), z.null()]).optional(),
    secrets: z.union([z.record(z.string(), topEntry), z.null()]).optional(),
    configs: z.union([z.record(z.string(), topEntry), z.null()]).optional(),
    include: z.array(z.unknown()).optional(),
  })
  .loose()

/** Top-level keys of the specification; others must start with `x-`. */
export const TOP_LEVEL_KEYS = new Set(['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'include', 'models'])
