/**
 * The segmentation workflow shown as steps: review → simulate → approve → alert → enforce.
 */
import type { Mode } from './api'

export type WorkflowStepId = 'review' | 'simulate' | 'approve' | 'alert' | 'enforce'

/** The steps in order, with a one-line hint each. */
export const WORKFLOW_STEPS: readonly { id: WorkflowStepId; label: string; hint: string }[] = [
  { id: 'review', label: 'Review', hint: 'Allow, snooze or deny observed edges' },
  { id: 'simulate', label: 'Simulate', hint: 'Replay flows against the policy' },
  { id: 'approve', label: 'Approve', hint: 'Sign off the simulated policy' },
  { id: 'alert', label: 'Alert', hint: 'Report deviations, block nothing' },
  { id: 'enforce', label: 'Enforce', hint: 'Exported policy blocks the rest' },
]

/** What the page knows about the workflow's progress. */
export interface WorkflowFacts {
  /** Edges still in state `observed` (not reviewed) among those loaded. */
  pendingReview: number
  /** A simulation was run in this session. */
  simulated: boolean
  /** The current policy (or the simulation shown) is approved. */
  approved: boolean
  modes: readonly Mode[]
}

/** The current step: the first one not done yet (enforce once any workload enforces). */
export function workflowStep(f: WorkflowFacts): WorkflowStepId {
  if (f.modes.includes('enforce')) return 'enforce'
  if (f.pendingReview > 0) return 'review'
  if (!f.approved) return f.simulated ? 'approve' : 'simulate'
  if (!f.modes.includes('alert')) return 'alert'
  return 'enforce'
}
