import type { Edge, EdgeKind, Inventory, Resource } from '../model/index.js'
import { indexOf } from './build.js'
import { referencedResources, resourcesNamed, type RefIndex } from './refs.js'
import { policiesByRole, roleStatements, workloadStatements, type GrantedStatement } from './relations.js'

/** Query options for {@link InventoryView.related}. */
export interface RelatedQuery {
  direction: 'in' | 'out'
  kinds?: EdgeKind[]
  types?: string[]
}

/**
 * Read-only queries over an inventory for checks and reports: neighbours by edge kind and type,
 * reference resolution, and the IAM statements a workload's role grants. Built once per scan.
 */
export class InventoryView {
  readonly resources: readonly Resource[]
  readonly edges: readonly Edge[]
  private readonly idx: RefIndex
  private readonly outEdges = new Map<string, Edge[]>()
  private readonly inEdges = new Map<string, Edge[]>()
  private readonly byType = new Map<string, Resource[]>()
  private readonly byStack = new Map<string, Resource[]>()
  private attachedPolicies?: Map<string, Resource[]>

  constructor(inventory: Inventory) {
    this.resources = inventory.resources
    this.edges = inventory.edges
    this.idx = indexOf(inventory)
    for (const e of inventory.edges) {
      ;(this.outEdges.get(e.from) ?? this.outEdges.set(e.from, []).get(e.from)!).push(e)
      ;(this.inEdges.get(e.to) ?? this.inEdges.set(e.to, []).get(e.to)!).push(e)
    }
    for (const r of inventory.resources) {
      ;(this.byType.get(r.type) ?? this.byType.set(r.type, []).get(r.type)!).push(r)
      ;(this.byStack.get(r.stack) ?? this.byStack.set(r.stack, []).get(r.stack)!).push(r)
    }
  }

  /** Resource by id. */
  get(id: string): Resource | undefined {
    return this.idx.byId.get(id)
  }

  /** All resources read from one input (a template, a service, a plan, a snapshot). */
  inStack(stack: string): readonly Resource[] {
    return this.byStack.get(stack) ?? []
  }

  /** All resources of a CloudFormation type. */
  ofType(type: string): readonly Resource[] {
    return this.byType.get(type) ?? []
  }

  /** Edges leaving (`out`) or entering (`in`) a resource, optionally of some kinds. */
  edgesOf(r: Resource, direction: 'in' | 'out', kinds?: EdgeKind[]): Edge[] {
    const list = (direction === 'out' ? this.outEdges : this.inEdges).get(r.id) ?? []
    return kinds ? list.filter((e) => kinds.includes(e.kind)) : list
  }

  /** Neighbours of a resource along edges. */
  related(r: Resource, q: RelatedQuery): Resource[] {
    const out: Resource[] = []
    // the edges are filtered here rather than by edgesOf: checks ask this of every resource
    for (const e of (q.direction === 'out' ? this.outEdges : this.inEdges).get(r.id) ?? []) {
      if (q.kinds && !q.kinds.includes(e.kind)) continue
      const other = this.idx.byId.get(q.direction === 'out' ? e.to : e.from)
      if (other && (!q.types || q.types.includes(other.type)) && !out.includes(other)) out.push(other)
    }
    return out
  }

  /** Resources a property value refers to (Ref, GetAtt, Sub, ARNs, queue URLs). */
  refs(value: unknown, from: Resource): Resource[] {
    return [...referencedResources(value, from, this.idx)]
  }

  /**
   * Resources of a type with a physical name, as a value in `from` names them: a template resource
   * without a declared name answers to its logical id only in its own stack.
   */
  named(name: string, type: string, from?: Resource): Resource[] {
    return resourcesNamed(name, type, this.idx, from?.stack)
  }

  /** Is `r` a template resource whose name is its logical id standing in for one generated at deploy time? */
  hasGeneratedName(r: Resource): boolean {
    return this.idx.generated.has(r)
  }

  /** Statements a workload's execution role grants, with where each comes from. */
  workloadStatements(workload: Resource): GrantedStatement[] {
    return workloadStatements(workload, this.idx, this.policies())
  }

  /** Statements a role grants through inline and attached policies. */
  roleStatements(role: Resource): GrantedStatement[] {
    return roleStatements(role, this.idx, this.policies())
  }

  private policies(): Map<string, Resource[]> {
    this.attachedPolicies ??= policiesByRole(this.edges, this.idx)
    return this.attachedPolicies
  }
}
