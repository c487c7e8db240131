/**
 * The bookkeeping both KICS conformance tests share (CloudFormation in kics.test.ts, Kubernetes in
 * kics-k8s.test.ts): one KICS expectation against PhiWall's result, with or without a documented
 * exception, counted in the summary tallies; and the exceptions no expectation used.
 */

/** A documented exception, as both maps write one. */
export interface ExceptionLike {
  file: string
  line?: number
  phiwall: { kind: string }
}

/** Summary counts both tests print. */
export interface JudgeTally {
  agreements: number
  exceptions: number
  positives: number
  negatives: number
}

/**
 * Judge one expectation (`line` set: a failure KICS expects in a positive fixture; unset: a
 * negative fixture): agreement is counted; a disagreement without an exception is a problem
 * (`disagreement()` words it); an exception where PhiWall agrees is stale; an exception must hold
 * (`holds()` returns what does not).
 */
export function judgeExpectation<X extends ExceptionLike>(
  e: { file: string; line?: number },
  agree: boolean,
  x: X | undefined,
  ctx: { used: Set<X>; tally: JudgeTally; problems: string[] },
  disagreement: (where: string) => string,
  holds: () => string | undefined,
): void {
  const where = `${e.file}${e.line !== undefined ? `:${e.line}` : ''}`
  if (e.line !== undefined) ctx.tally.positives++
  else ctx.tally.negatives++
  if (!x) {
    if (agree) ctx.tally.agreements++
    else ctx.problems.push(disagreement(where))
    return
  }
  ctx.used.add(x)
  if (agree) {
    ctx.problems.push(`${where}: documented exception is stale, PhiWall now agrees with KICS`)
    return
  }
  const diff = holds()
  if (diff) ctx.problems.push(`${where}: exception (${x.phiwall.kind}) does not hold: ${diff}`)
  else ctx.tally.exceptions++
}

/** Exceptions of a query that matched no KICS expectation (each is a problem). */
export function unusedExceptions<X extends ExceptionLike>(exceptions: readonly X[], used: Set<X>): string[] {
  return exceptions.filter((x) => !used.has(x)).map((x) => `exception ${x.file}${x.line !== undefined ? `:${x.line}` : ''} matches no KICS expectation`)
}
