/**
 * Appends every element of `src` to `dst` and returns `dst`. `dst.push(...src)` passes each element
 * as an argument, and V8 throws `RangeError: Maximum call stack size exceeded` past roughly 100,000
 * of them (a PHI scan of a 15,000-row export has more findings than that): lists that grow with
 * the input are appended with this instead.
 */
export function pushAll<T>(dst: T[], src: readonly T[]): T[] {
  for (let i = 0; i < src.length; i++) dst.push(src[i]!)
  return dst
}
