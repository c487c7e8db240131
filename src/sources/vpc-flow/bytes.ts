/**
 * Byte-level helpers of the VPC flow log reader's hot path: small predicates on byte ranges, and
 * allocation-free hash tables: `ByteInterner` maps a token's bytes to a dense integer id (an open
 * addressing table over an arena of the bytes seen: ENI ids, IPv6 addresses), `IntMap` maps a
 * 32-bit integer (an IPv4 address) to an id, `PairMap` an (address id, ENI id) pair to a cached
 * resolution. A lookup that hits allocates nothing; a string is created only for a new token.
 */

/** `-`: a field without a value. */
export const DASH = 45

/** Is the token exactly `-`? */
export function isDash(buf: Uint8Array, s: number, e: number): boolean {
  return e - s === 1 && buf[s] === DASH
}

/** A field without a value (`-`), where a number is expected. */
export const NO_VALUE = -1

/** Are the bytes `s..e` of `buf` exactly the ASCII text `word`? */
export function bytesEqual(buf: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false
  for (let i = 0; i < word.length; i++) if (buf[s + i] !== word.charCodeAt(i)) return false
  return true
}

/** Strict dotted-quad IPv4 (`10.0.1.17`: four decimal octets ≤ 255, no leading zeros, nothing else). */
export function isIPv4Bytes(buf: Uint8Array, s: number, e: number): boolean {
  let octets = 0
  let i = s
  while (octets < 4) {
    const start = i
    let v = 0
    while (i < e) {
      const d = buf[i]! - 48
      if (d < 0 || d > 9) break
      v = v * 10 + d
      i++
      if (i - start > 3) return false
    }
    const len = i - start
    if (len === 0 || v > 255 || (len > 1 && buf[start] === 48)) return false
    octets++
    if (octets < 4) {
      if (i >= e || buf[i] !== 46) return false
      i++
    }
  }
  return i === e
}

const EMPTY = 0

/**
 * Interns byte strings: `find` returns the id of bytes seen before (no allocation), `add` stores
 * new bytes and returns their id (ids are dense: 0, 1, 2, …). Used for addresses and ENI ids.
 */
export class ByteInterner {
  /** Hash table: 0 = empty, else id + 1. */
  private slots: Int32Array
  private mask: number
  private hashes: Int32Array
  private offsets: Int32Array
  private lengths: Int32Array
  private arena: Uint8Array
  private used = 0
  size = 0

  constructor(capacity = 1024) {
    let cap = 16
    while (cap < capacity * 2) cap <<= 1
    this.slots = new Int32Array(cap)
    this.mask = cap - 1
    this.hashes = new Int32Array(capacity)
    this.offsets = new Int32Array(capacity)
    this.lengths = new Int32Array(capacity)
    this.arena = new Uint8Array(capacity * 24)
  }

  /**
   * FNV-1a over the length and the last 12 bytes: ENI ids and IPv6 addresses differ at their
   * end, and a collision only costs the byte comparison `find` does anyway.
   */
  static hash(buf: Uint8Array, s: number, e: number): number {
    let h = Math.imul(0x811c9dc5 ^ (e - s), 0x01000193)
    for (let i = e - s > 12 ? e - 12 : s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193)
    return h
  }

  /** The id of these bytes, or -1 when they were never added. */
  find(buf: Uint8Array, s: number, e: number): number {
    const h = ByteInterner.hash(buf, s, e)
    const len = e - s
    const slots = this.slots
    const mask = this.mask
    let i = h & mask
    for (;;) {
      const v = slots[i]!
      if (v === EMPTY) return -1
      const id = v - 1
      if (this.hashes[id] === h && this.lengths[id] === len) {
        const arena = this.arena
        let o = this.offsets[id]!
        let j = s
        while (j < e && arena[o] === buf[j]) {
          o++
          j++
        }
        if (j === e) return id
      }
      i = (i + 1) & mask
    }
  }

  /** Are these bytes those of `id`? (A cheap check before `find`, for a likely repeat.) */
  is(id: number, buf: Uint8Array, s: number, e: number): boolean {
    if (this.lengths[id] !== e - s) return false
    const arena = this.arena
    let o = this.offsets[id]!
    for (let j = s; j < e; j++, o++) if (arena[o] !== buf[j]) return false
    return true
  }

  /** Store bytes not yet present (call after `find` returned -1); returns the new id. */
  add(buf: Uint8Array, s: number, e: number): number {
    const len = e - s
    const id = this.size
    if (id === this.hashes.length) this.growEntries()
    if ((id + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2)
    while (this.used + len > this.arena.length) {
      const bigger = new Uint8Array(this.arena.length * 2)
      bigger.set(this.arena)
      this.arena = bigger
    }
    this.arena.set(buf.subarray(s, e), this.used)
    const h = ByteInterner.hash(buf, s, e)
    this.hashes[id] = h
    this.offsets[id] = this.used
    this.lengths[id] = len
    this.used += len
    this.size++
    this.place(id, h)
    return id
  }

  /** Forget everything (ids restart at 0). */
  clear(): void {
    this.slots.fill(0)
    this.used = 0
    this.size = 0
  }

  private place(id: number, h: number): void {
    let i = h & this.mask
    while (this.slots[i] !== EMPTY) i = (i + 1) & this.mask
    this.slots[i] = id + 1
  }

  private growEntries(): void {
    const n = this.hashes.length * 2
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n)
      b.set(a)
      return b
    }
    this.hashes = grow(this.hashes)
    this.offsets = grow(this.offsets)
    this.lengths = grow(this.lengths)
  }

  private rehash(cap: number): void {
    this.slots = new Int32Array(cap)
    this.mask = cap - 1
    for (let id = 0; id < this.size; id++) this.place(id, this.hashes[id]!)
  }
}

/**
 * A hash map from a pair of non-negative integers to a non-negative integer, with no allocation
 * per lookup. Used for (address id, ENI id) → resolution.
 */
export class PairMap {
  private keysA: Int32Array
  private keysB: Int32Array
  private values: Int32Array
  private mask: number
  size = 0

  constructor(capacity = 1024) {
    let cap = 16
    while (cap < capacity * 2) cap <<= 1
    this.keysA = new Int32Array(cap).fill(-1)
    this.keysB = new Int32Array(cap)
    this.values = new Int32Array(cap)
    this.mask = cap - 1
  }

  private static slot(a: number, b: number, mask: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) & mask
  }

  /** The value of (a, b), or -1. */
  get(a: number, b: number): number {
    const mask = this.mask
    let i = PairMap.slot(a, b, mask)
    for (;;) {
      const k = this.keysA[i]!
      if (k === -1) return -1
      if (k === a && this.keysB[i] === b) return this.values[i]!
      i = (i + 1) & mask
    }
  }

  /** Set (a, b) → v (a, b, v ≥ 0; (a, b) not yet present). */
  set(a: number, b: number, v: number): void {
    if ((this.size + 1) * 2 > this.keysA.length) this.resize(this.keysA.length * 2)
    this.insert(a, b, v)
    this.size++
  }

  clear(): void {
    this.keysA.fill(-1)
    this.size = 0
  }

  private insert(a: number, b: number, v: number): void {
    const mask = this.mask
    let i = PairMap.slot(a, b, mask)
    while (this.keysA[i] !== -1) i = (i + 1) & mask
    this.keysA[i] = a
    this.keysB[i] = b
    this.values[i] = v
  }

  private resize(cap: number): void {
    const [ka, kb, vs] = [this.keysA, this.keysB, this.values]
    this.keysA = new Int32Array(cap).fill(-1)
    this.keysB = new Int32Array(cap)
    this.values = new Int32Array(cap)
    this.mask = cap - 1
    for (let i = 0; i < ka.length; i++) if (ka[i] !== -1) this.insert(ka[i]!, kb[i]!, vs[i]!)
  }
}

/**
 * A hash map from any 32-bit integer (an IPv4 address) to a non-negative integer, with no
 * allocation per lookup.
 */
export class IntMap {
  private keys: Int32Array
  /** 0 = empty, else value + 1. */
  private values: Int32Array
  private mask: number
  size = 0

  constructor(capacity = 1024) {
    let cap = 16
    while (cap < capacity * 2) cap <<= 1
    this.keys = new Int32Array(cap)
    this.values = new Int32Array(cap)
    this.mask = cap - 1
  }

  /** The value of `key`, or -1. */
  get(key: number): number {
    const mask = this.mask
    let i = Math.imul(key, 0x9e3779b1) >>> 12 & mask
    for (;;) {
      const v = this.values[i]!
      if (v === 0) return -1
      if (this.keys[i] === key) return v - 1
      i = (i + 1) & mask
    }
  }

  /** Set `key` (not yet present) → `value` ≥ 0. */
  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.resize(this.keys.length * 2)
    this.insert(key, value + 1)
    this.size++
  }

  clear(): void {
    this.values.fill(0)
    this.size = 0
  }

  private insert(key: number, stored: number): void {
    const mask = this.mask
    let i = Math.imul(key, 0x9e3779b1) >>> 12 & mask
    while (this.values[i] !== 0) i = (i + 1) & mask
    this.keys[i] = key
    this.values[i] = stored
  }

  private resize(cap: number): void {
    const [ks, vs] = [this.keys, this.values]
    this.keys = new Int32Array(cap)
    this.values = new Int32Array(cap)
    this.mask = cap - 1
    for (let i = 0; i < ks.length; i++) if (vs[i] !== 0) this.insert(ks[i]!, vs[i]!)
  }
}

/** Are two byte ranges of `buf` equal? */
export function sameBytes(buf: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false
  for (let i = 0; i < e1 - s1; i++) if (buf[s1 + i] !== buf[s2 + i]) return false
  return true
}
