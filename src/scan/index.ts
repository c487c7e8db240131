/**
 * @module scan
 * The pipeline the CLI and the server both run: collect → inventory → evaluate → roll up.
 */
import { ALL_CHECKS, evaluateChecks, type Check, type EvaluateOptions } from '../checks/index.js'
import { rollupControls } from '../compliance/index.js'
import { buildInventory, resourcesNamed, type InventoryOptions, type PhiSampleEvidence } from '../inventory/index.js'
import fs from 'node:fs'
import { PhiwallError, phiwallVersion, pushAll, type CheckInfo, type ScanResult } from '../model/index.js'
import { collect, type CollectOptions } from '../sources/index.js'
import type { AssessOptions } from '../vulns/index.js'

/** Options of {@link scan}. */
export interface ScanOptions extends CollectOptions, EvaluateOptions, InventoryOptions {
  /** Checks to run (default: all). */
  checks?: readonly Check[]
  /** Where the vulnerability database is, and VEX files; `false` skips components altogether. */
  vulnerabilities?: AssessOptions | false
  /** Samples of resources' contents to scan for PHI (`--phi-sample NAME=PATH`): the evidence behind `holdsPhi`. */
  phiSamples?: { target: string; path: string }[]
}

/** Scans each resource's samples for PHI: the evidence the inventory attaches to the resource. */
export async function phiSampleEvidence(samples: { target: string; path: string }[]): Promise<PhiSampleEvidence[]> {
  // loaded only when asked for: the detectors' data costs start-up time a plain scan should not pay
  const { detectAll, scanPhiFiles } = await import('../phi/index.js')
  const out: PhiSampleEvidence[] = []
  for (const s of samples) {
    if (!fs.existsSync(s.path)) throw new PhiwallError('PW_ERR_PATH_NOT_FOUND', `Path ${s.path} of --phi-sample ${s.target} does not exist.`)
    const r = await scanPhiFiles([s.path], { detect: detectAll })
    const phiFiles = new Set(r.files.filter((f) => f.containsPhi).map((f) => f.file))
    const types: Record<string, number> = {}
    for (const f of r.findings) if (phiFiles.has(f.file)) types[f.type] = (types[f.type] ?? 0) + 1
    out.push({ target: s.target, source: s.path, filesScanned: r.files.filter((f) => f.status === 'scanned').length, filesWithPhi: phiFiles.size, types })
  }
  return out
}

/** A check's data without its function, for reports. */
export function checkInfo(c: Check): CheckInfo {
  return { id: c.id, title: c.title, severity: c.severity, resourceKinds: c.resourceKinds, rationale: c.rationale, remediation: c.remediation, controls: c.controls, references: c.references }
}

/**
 * Scans files, directories and snapshots: reads every input, builds the inventory, runs the
 * checks and rolls the findings up to controls.
 *
 * @example
 * const result = await scan(['examples/clinic-intake'])
 * console.log(result.findings.filter((f) => f.status === 'fail').length)
 */
export async function scan(inputs: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const started = new Date()
  const t0 = performance.now()
  const collected = await collect(inputs, { ...options, components: options.vulnerabilities !== false })
  const phiEvidence = options.phiSamples?.length ? await phiSampleEvidence(options.phiSamples) : (options.phiEvidence ?? [])
  const inventory = buildInventory(collected.documents, { ...options, phiEvidence })
  const checks = options.checks ?? ALL_CHECKS
  const findings = evaluateChecks(inventory, checks, options)
  const infos = checks.map(checkInfo)
  const diagnostics = [...collected.diagnostics]
  for (const e of phiEvidence) {
    if (!resourcesNamed(inventory.resources, e.target).length) {
      diagnostics.push({ code: 'PW_ERR_PHI_SAMPLE_TARGET', level: 'warning', message: `No resource is named ${e.target}: the PHI found in the samples at ${e.source} is not attached to any resource.`, file: e.source })
    }
  }
  let vulnerabilityDb: ScanResult['vulnerabilityDb']
  if (options.vulnerabilities !== false && collected.components.length) {
    // the vulnerability stage (matching, the database driver) is loaded only when there are components
    const { assessComponents, VULN_CHECK } = await import('../vulns/index.js')
    if (wanted(VULN_CHECK.id, options)) {
      const assessed = await assessComponents(collected.components, { ...(options.vulnerabilities ?? {}), ...(options.now ? { now: options.now } : {}) })
      pushAll(findings, assessed.findings)
      diagnostics.push(...assessed.diagnostics)
      infos.push(VULN_CHECK)
      vulnerabilityDb = assessed.db
    }
  }
  const controls = rollupControls(findings, infos)
  return {
    tool: { name: 'phiwall', version: phiwallVersion() },
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    inputs,
    files: collected.files,
    inventory,
    findings,
    controls,
    checks: infos,
    diagnostics,
    ...(collected.components.length ? { components: collected.components } : {}),
    ...(vulnerabilityDb ? { vulnerabilityDb } : {}),
  }
}

/** Whether `--only` / `--skip` leave a check id in (same prefix rules as the configuration checks). */
function wanted(id: string, options: EvaluateOptions): boolean {
  const match = (pattern: string): boolean => (pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : id === pattern)
  if (options.only?.length && !options.only.some(match)) return false
  return !options.skip?.some(match)
}
export type { FlowStageOptions, LearnResult, IdentityLookup } from './flows.js'
import type * as FlowStages from './flows.js'

/** The flow stages, loaded when a flows or policy command runs (not by `phiwall scan`). */
const flowStages = () => import('./flows.js')

/** Learn (or extend) a baseline from flow files; see `flows.ts`. */
export async function learnBaseline(...args: Parameters<typeof FlowStages.learnBaseline>): ReturnType<typeof FlowStages.learnBaseline> {
  return (await flowStages()).learnBaseline(...args)
}
/** Replay flow files one flow at a time; see `flows.ts`. */
export async function replayFlows(...args: Parameters<typeof FlowStages.replayFlows>): ReturnType<typeof FlowStages.replayFlows> {
  return (await flowStages()).replayFlows(...args)
}
/** Watch a live stream of flow records; see `flows.ts`. */
export async function watchFlows(...args: Parameters<typeof FlowStages.watchFlows>): ReturnType<typeof FlowStages.watchFlows> {
  return (await flowStages()).watchFlows(...args)
}
/** Identities and declared connections from `--inventory` files (inventory JSON or a scan's JSON report). */
export async function loadInventoryFiles(...args: Parameters<typeof FlowStages.loadInventoryFiles>): Promise<ReturnType<typeof FlowStages.loadInventoryFiles>> {
  return (await flowStages()).loadInventoryFiles(...args)
}
/** Identities and declared connections from infrastructure code. */
export async function loadFlowInventory(...args: Parameters<typeof FlowStages.loadFlowInventory>): ReturnType<typeof FlowStages.loadFlowInventory> {
  return (await flowStages()).loadFlowInventory(...args)
}
