/**
 * Checksum and format validators for structured identifiers. Pure functions over strings; each
 * returns false for anything malformed rather than throwing.
 */

/** Luhn (mod 10) check over a string of digits; false when it holds anything else. */
export function luhn(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false
  let sum = 0
  let dbl = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (dbl) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    dbl = !dbl
  }
  return sum % 10 === 0
}

/** Well-known SSNs that are invalid or were published (advertising, the Woolworth wallet card). */
const KNOWN_INVALID_SSNS = new Set(['078051120', '219099999', '123456789', '111111111', '333333333'])

/**
 * A US Social Security number (`NNN-NN-NNNN`, `NNN NN NNNN` or 9 digits) that the SSA could issue:
 * area not 000, 666 or 900–999, group not 00, serial not 0000, not a well-known published number.
 */
export function isValidSsn(value: string): boolean {
  const d = value.replace(/[\s-]/g, '')
  if (!/^\d{9}$/.test(d)) return false
  const area = Number(d.slice(0, 3))
  if (area === 0 || area === 666 || area >= 900) return false
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false
  return !KNOWN_INVALID_SSNS.has(d)
}

/** A National Provider Identifier: 10 digits starting 1 or 2, Luhn over `80840` + the number. */
export function isValidNpi(value: string): boolean {
  return /^[12]\d{9}$/.test(value) && luhn(`80840${value}`)
}

/** Registrant-type first letters the DEA issues (practitioners, mid-levels, distributors, …). */
const DEA_FIRST = 'ABCDEFGHJKLMPRSTUX'

/**
 * A DEA registration number: two letters (registrant type, then the registrant's last-name
 * initial or `9`) and seven digits whose last is `(d1+d3+d5 + 2·(d2+d4+d6)) mod 10`.
 */
export function isValidDea(value: string): boolean {
  const m = /^([A-Z])([A-Z9])(\d{7})$/.exec(value.toUpperCase())
  if (!m || !DEA_FIRST.includes(m[1]!)) return false
  const d = m[3]!.split('').map(Number)
  const sum = d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)
  return sum % 10 === d[6]
}

const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
const VIN_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
}

/**
 * A 17-character vehicle identification number (no I, O, Q) whose 9th character is the
 * North-American check digit (49 CFR 565: transliterate, weight, sum mod 11, 10 → `X`).
 */
export function isValidVin(value: string): boolean {
  const v = value.toUpperCase()
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(v)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const c = v[i]!
    const n = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : VIN_VALUES[c]!
    sum += n * VIN_WEIGHTS[i]!
  }
  const r = sum % 11
  return v[8] === (r === 10 ? 'X' : String(r))
}

/** MBI letters: A–Z without S, L, O, I, B, Z. */
const MBI_A = '[AC-HJKMNP-RT-Y]'
const MBI_AN = '[0-9AC-HJKMNP-RT-Y]'
/** CMS MBI layout `C A AN N A AN N A A N N` (C = 1–9). */
export const MBI_RE = new RegExp(`^[1-9]${MBI_A}${MBI_AN}\\d${MBI_A}${MBI_AN}\\d${MBI_A}${MBI_A}\\d\\d$`)

/**
 * A Medicare Beneficiary Identifier per CMS's format: 11 characters `C A AN N A AN N A A N N`,
 * letters never S, L, O, I, B or Z; dashes as printed on the card (`1EG4-TE5-MK73`) are accepted.
 */
export function isValidMbi(value: string): boolean {
  const v = value.toUpperCase()
  // `1EG4-TE5-MK73` as printed; a line break in it fails MBI_RE either way
  const compact = v.length === 13 && v.charCodeAt(4) === 45 && v.charCodeAt(8) === 45 ? v.replace(/-/g, '') : v
  return MBI_RE.test(compact)
}

/** A GTIN-8/12/13/14 whose last digit is the GS1 mod-10 check digit (weights 3,1 from the right). */
export function isValidGtin(value: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(value)) return false
  let sum = 0
  for (let i = value.length - 2, w = 3; i >= 0; i--, w = 4 - w) sum += (value.charCodeAt(i) - 48) * w
  return (10 - (sum % 10)) % 10 === value.charCodeAt(value.length - 1) - 48
}

const HIBCC_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%'

/** A HIBCC UDI (`+` LIC …): its last character is the mod-43 check over everything before it. */
export function isValidHibcc(value: string): boolean {
  if (value.length < 7 || value[0] !== '+' || !/^\+[A-Z]/.test(value)) return false
  let sum = 0
  for (let i = 0; i < value.length - 1; i++) {
    const n = HIBCC_CHARS.indexOf(value[i]!)
    if (n < 0) return false
    sum += n
  }
  return HIBCC_CHARS[sum % 43] === value[value.length - 1]
}

/** An IBAN: country, check digits and BBAN whose ISO 7064 mod-97 remainder is 1. */
export function isValidIban(value: string): boolean {
  const v = value.replace(/\s/g, '').toUpperCase()
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v)) return false
  const r = v.slice(4) + v.slice(0, 4)
  let rem = 0
  for (const c of r) {
    const n = c >= 'A' ? String(c.charCodeAt(0) - 55) : c
    for (const ch of n) rem = (rem * 10 + (ch.charCodeAt(0) - 48)) % 97
  }
  return rem === 1
}

/** Card-number prefixes (IIN ranges) of the major schemes, with their lengths. */
export function isCardPrefix(d: string): boolean {
  const n = d.length
  if (d[0] === '4') return n === 13 || n === 16 || n === 19
  const p2 = Number(d.slice(0, 2))
  const p4 = Number(d.slice(0, 4))
  if (p2 >= 51 && p2 <= 55) return n === 16
  if (p4 >= 2221 && p4 <= 2720) return n === 16
  if (p2 === 34 || p2 === 37) return n === 15
  if (p4 === 6011 || p2 === 65 || (p4 >= 6440 && p4 <= 6499)) return n >= 16 && n <= 19
  if ((p4 >= 3000 && p4 <= 3059) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19
  if (p2 === 35 || p4 === 2131 || p4 === 1800) return n >= 15 && n <= 19
  if (p2 === 62) return n >= 16 && n <= 19
  if (p4 === 5018 || p4 === 5020 || p4 === 5038 || p4 === 6304 || p4 === 6759 || p4 === 6761 || p4 === 6762 || p4 === 6763) return n >= 12 && n <= 19
  return false
}

/** A payment card number: a known scheme prefix and length, and a valid Luhn check digit. */
export function isValidCard(value: string): boolean {
  const d = value.replace(/[\s-]/g, '')
  return /^\d{12,19}$/.test(d) && isCardPrefix(d) && luhn(d)
}

/** A 15-digit IMEI with its Luhn check digit. */
export function isValidImei(value: string): boolean {
  const d = value.replace(/[\s-]/g, '')
  return /^\d{15}$/.test(d) && luhn(d)
}
