import type { Resource } from '../../../model/index.js'
import type { DockerInstruction, DockerStage, DockerfileProps } from '../../../sources/dockerfile/index.js'

/** The properties of a `docker:image:dockerfile` resource (see sources/dockerfile/types.ts). */
export function dockerfile(r: Resource): DockerfileProps {
  const p = r.props as unknown as DockerfileProps
  return { ...p, Stages: Array.isArray(p.Stages) ? p.Stages : [] }
}

/** "stage build" / "stage 2" (0-based index, as in the property path). */
export function stageLabel(s: DockerStage, index: number): string {
  return s.Name ? `stage ${s.Name}` : `stage ${index}`
}

/** Indexes of the stages the final image is made of: the final stage and those it builds on. */
export function finalChain(p: DockerfileProps): Set<number> {
  const out = new Set<number>()
  for (let i: number | undefined = p.FinalStage; i !== undefined && p.Stages[i] && !out.has(i); i = p.Stages[i]!.FromStage) out.add(i)
  return out
}

/** An instruction with where it is. */
export interface Located {
  ins: DockerInstruction
  stage: DockerStage
  stageIndex: number
  /** Property path: `Stages.1.Instructions.4` (`.Trigger` for an ONBUILD trigger). */
  path: string
}

/** Every instruction of every stage, ONBUILD triggers included (after their ONBUILD). */
export function instructions(p: DockerfileProps, keywords?: readonly string[]): Located[] {
  const out: Located[] = []
  p.Stages.forEach((stage, si) => {
    ;(stage.Instructions ?? []).forEach((ins, ii) => {
      const path = `Stages.${si}.Instructions.${ii}`
      if (!keywords || keywords.includes(ins.Keyword)) out.push({ ins, stage, stageIndex: si, path })
      if (ins.Trigger && (!keywords || keywords.includes(ins.Trigger.Keyword))) out.push({ ins: ins.Trigger, stage, stageIndex: si, path: `${path}.Trigger` })
    })
  })
  return out
}

/** The text a RUN hands to the shell: the shell-form command, or the exec-form words joined. */
export function runText(ins: DockerInstruction): string {
  if (ins.Form === 'exec' && ins.Exec) return ins.Exec.join(' ')
  return ins.Command ?? ins.Arguments.join(' ')
}

/** Does a value still hold a variable the reader could not resolve? */
export function unresolved(v: string | undefined): boolean {
  return v !== undefined && /\$(\{|[A-Za-z_])/.test(v)
}
