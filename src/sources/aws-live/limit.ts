/**
 * A counting semaphore: at most `size` tasks run at once, the rest wait in order. Only single
 * API calls are run through it, never a task that itself waits for the semaphore, so it cannot
 * deadlock.
 */
export class Limiter {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('Limiter size must be a positive integer')
  }

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    // a released slot is handed to the next waiter directly, so a newcomer cannot take it in between
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.active++
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}

/** Maps over items with at most `size` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const limiter = new Limiter(size)
  return Promise.all(items.map((item, i) => limiter.run(() => fn(item, i))))
}

/**
 * Every item of a paginated AWS list call: `call(token)` asks for the page after `token` (undefined:
 * the first), `items` takes a page's items and `next` its continuation token (NextToken, Marker).
 */
export async function allPages<P, T>(call: (token: string | undefined) => Promise<P>, items: (page: P) => readonly T[] | undefined, next: (page: P) => string | undefined): Promise<T[]> {
  const out: T[] = []
  let token: string | undefined
  do {
    const page = await call(token)
    for (const x of items(page) ?? []) out.push(x)
    token = next(page)
  } while (token)
  return out
}
