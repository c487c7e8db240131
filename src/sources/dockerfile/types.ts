/**
 * The property shape of a `Docker::Image::Dockerfile` resource (inventory kind
 * `docker:image:dockerfile`): one resource per Dockerfile, holding its build stages in order.
 *
 * Values follow Docker's own variable rules: instructions Docker expands (FROM with the global
 * ARGs; ADD, COPY, ENV, ARG, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR with the stage's ARG
 * defaults and ENV) carry expanded values with quotes removed; a variable whose value is not known
 * statically (an ARG without default, a predefined platform ARG, a name never declared) is left as
 * written (`${TAG}`) and named in `Unresolved`. RUN, CMD, ENTRYPOINT and HEALTHCHECK commands are
 * kept as written: the shell, not Docker, expands them at run time.
 *
 * The properties hold ENV / ARG values verbatim (a check needs them to recognise a secret);
 * properties never reach a report, and checks must put only names, lines and `maskValue` forms
 * into messages and evidence.
 */
export interface DockerfileProps {
  /** Build stages in file order (one per valid FROM). */
  Stages: DockerStage[]
  /** Index in `Stages` of the last stage: the image `docker build` produces without `--target`. */
  FinalStage: number
  /**
   * Effective USER of the final image (the last USER of the final stage, or of the earlier stage it
   * builds on), expanded; undefined when the Dockerfile sets none (the base image's user applies,
   * which the scan cannot see). Its line is `propLines.User`.
   */
  User?: string
  /** Effective HEALTHCHECK of the final image (same inheritance as `User`). */
  Healthcheck?: DockerHealthcheck
  /** Ports the final image EXPOSEs (through the stages it builds on). */
  ExposedPorts: DockerExposedPort[]
  /** Every ARG: the global ones (`Stage: -1`, before the first FROM) and each stage's. Names only. */
  Args: { Name: string; Stage: number; HasDefault: boolean; Line: number }[]
  /** Names of the variables the Dockerfile sets with ENV in the final image (values stay in the instructions). */
  Env: { Name: string; Stage: number; Line: number }[]
  /** LABELs of the final image (through the stages it builds on), expanded. */
  Labels: Record<string, string>
  /** BuildKit frontend of the `# syntax=` parser directive, when given. */
  Syntax?: string
}

/** One build stage: a FROM and the instructions up to the next FROM. */
export interface DockerStage {
  /** `AS <name>`, as written (Docker compares stage names case-insensitively). */
  Name?: string
  /** The FROM image reference, expanded with the global ARGs: `node:20.11-alpine@sha256:…`. */
  Image: string
  /** The image reference as written, when it differs from `Image` (it uses variables). */
  ImageWritten?: string
  /** Image name without tag or digest (`node`, `ghcr.io/clinic/base`); `scratch` for an empty base. */
  BaseImage: string
  BaseTag?: string
  /** `sha256:…` when the reference pins a digest. */
  BaseDigest?: string
  /** `--platform` value (expanded where possible). */
  Platform?: string
  /** Index of the earlier stage this one builds on (`FROM build AS test`); the base is then not an external image. */
  FromStage?: number
  /** Variables of the FROM line left as written (checks say `manual` when they decide the outcome). */
  Unresolved?: string[]
  /** 1-based line of the FROM. */
  Line: number
  /** The stage's instructions after its FROM, in order. */
  Instructions: DockerInstruction[]
}

/** One instruction of a stage. */
export interface DockerInstruction {
  /** Upper-case keyword: `RUN`, `COPY`, `USER`, … */
  Keyword: string
  /**
   * Arguments after the flags as the parser splits them (shell words; for the JSON form, the
   * array's strings; for a heredoc, the words of the instruction line only). Expanded for the
   * instructions Docker expands, as written otherwise.
   */
  Arguments: string[]
  /** The argument text exactly as written (flags excluded): line continuations and heredoc bodies verbatim. */
  Raw: string
  /** 1-based line of the keyword. */
  Line: number
  /** 1-based last line (continuations and heredocs included). */
  EndLine: number
  /** `--name=value` flags (last value wins); a flag without value is `null`. */
  Flags?: Record<string, string | null>
  /** RUN `--mount=` flags, each as its options (`{ type: 'secret', id: 'npmrc', target: '/root/.npmrc' }`). */
  Mounts?: Record<string, string>[]
  /** RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD: shell form or exec (JSON) form. */
  Form?: 'shell' | 'exec'
  /** Exec form: the command and its arguments (runs without a shell). */
  Exec?: string[]
  /**
   * Shell form: the command line as the shell receives it (continuations joined, comment lines
   * dropped, words separated by one space); with heredocs, the instruction line and the heredoc
   * bodies with their newlines (`Raw`).
   */
  Command?: string
  /** Here-documents of RUN / COPY / ADD. */
  Heredocs?: { Name: string; Line: number; Content: string }[]
  /** COPY / ADD: sources (expanded) and destination. */
  Sources?: string[]
  Destination?: string
  /** ENV, ARG, LABEL: each `name=value` pair; `Value` expanded, undefined for an ARG without default. */
  Variables?: DockerVariable[]
  /** HEALTHCHECK: `CMD` or `NONE`. */
  Subcommand?: string
  /** ONBUILD: the instruction it registers for images built FROM this one. */
  Trigger?: DockerInstruction
  /** Variables left as written in the expanded values. */
  Unresolved?: string[]
}

/** A variable set by ENV, ARG or LABEL. */
export interface DockerVariable {
  Name: string
  /** Expanded value; undefined for an ARG without default. */
  Value?: string
  /** The value as written when it differs from `Value` (quotes, escapes, variables). */
  Written?: string
  /** Variables of the value left as written. */
  Unresolved?: string[]
  Line: number
}

/** The effective HEALTHCHECK of an image. */
export interface DockerHealthcheck {
  /** `HEALTHCHECK NONE`: the check of the base image is switched off. */
  Disabled: boolean
  Form?: 'shell' | 'exec'
  Command?: string
  Exec?: string[]
  /** `--interval`, `--timeout`, `--start-period`, `--start-interval`, `--retries`. */
  Flags?: Record<string, string | null>
  /** Index of the stage that declares it. */
  Stage: number
  Line: number
}

/** A port of EXPOSE. */
export interface DockerExposedPort {
  /** As expanded: `8080`, `8080/tcp`, `9000-9010/udp`. */
  Value: string
  /** First port, when numeric. */
  Port?: number
  /** Last port of a range. */
  EndPort?: number
  Protocol: string
  Stage: number
  Line: number
}
