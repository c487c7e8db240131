// Synthetic surrogate identifier values for the PHI corpus, each valid by its own rule (SSN ranges,
// NPI Luhn with the 80840 prefix, DEA checksum, VIN check digit, CMS MBI format, GS1 GTIN check
// digit). Every function takes the seeded PRNG `r` (bench/generate.mjs `rng`), so output is
// deterministic. Surrogates only: no value here belongs to anyone.

const pad = (n, w) => String(n).padStart(w, '0')
const digits = (r, n) => Array.from({ length: n }, () => r.int(0, 9)).join('')

// ------------------------------------------------------------------ check-digit helpers

/** Luhn validity of a digit string (rightmost digit is the check digit). */
export function luhnValid(s) {
  let sum = 0
  for (let i = 0; i < s.length; i++) {
    let d = s.charCodeAt(s.length - 1 - i) - 48
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  }
  return sum % 10 === 0
}
const luhnDigit = (payload) => { for (let c = 0; c < 10; c++) if (luhnValid(payload + c)) return String(c); throw new Error('luhn') }

// ------------------------------------------------------------------ identifiers

/** SSN in a valid range: area 001–899 except 666, group 01–99, serial 0001–9999. */
export function ssn(r, style = 'dash') {
  let area
  do area = r.int(1, 899); while (area === 666)
  const a = pad(area, 3), g = pad(r.int(1, 99), 2), s = pad(r.int(1, 9999), 4)
  return style === 'dash' ? `${a}-${g}-${s}` : style === 'space' ? `${a} ${g} ${s}` : `${a}${g}${s}`
}

/** NPI: 9 digits starting 1 or 2 + Luhn check digit computed over `80840` + those 9 digits. */
export function npi(r) {
  const base = String(r.int(1, 2)) + digits(r, 8)
  return base + luhnDigit('80840' + base)
}

/** DEA registration number: registrant letter, last-name initial, 6 digits, check digit. */
export function dea(r, lastName) {
  const first = r.pick(['A', 'B', 'F', 'G', 'M'])
  const init = /^[A-Za-z]/.test(lastName) ? lastName[0].toUpperCase() : '9'
  const d = Array.from({ length: 6 }, () => r.int(0, 9))
  const check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
  return first + init + d.join('') + check
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'
const VIN_VAL = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 }
const VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
/** The check character (position 9) of a 17-character VIN. */
export function vinCheck(v) {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const c = v[i]
    const val = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : VIN_VAL[c]
    sum += val * VIN_W[i]
  }
  const m = sum % 11
  return m === 10 ? 'X' : String(m)
}
/** VIN (ISO 3779 / 49 CFR 565) with a valid North American check digit. */
export function vin(r) {
  const wmi = r.pick(['1HG', '1FA', '2T1', '3VW', 'JHM', '5YJ', '1G1', 'WDB', '4T1', 'KNA'])
  const chars = [...wmi]
  for (let i = 3; i < 17; i++) chars.push(r.pick([...VIN_CHARS]))
  chars[9] = r.pick([...'ABCDEFGHJKLMNPRSTVWXY123456789']) // model year code
  chars[8] = '0'
  chars[8] = vinCheck(chars.join(''))
  return chars.join('')
}

const MBI_ALPHA = 'ACDEFGHJKMNPQRTUVWXY' // A–Z without S, L, O, I, B, Z
/** Medicare Beneficiary Identifier, CMS format C A AN N A AN N A A N N (letters without S L O I B Z). */
export function mbi(r, dashed = false) {
  const A = () => r.pick([...MBI_ALPHA])
  const N = () => String(r.int(0, 9))
  const AN = () => (r.chance(0.5) ? A() : N())
  const s = String(r.int(1, 9)) + A() + AN() + N() + A() + AN() + N() + A() + A() + N() + N()
  return dashed ? `${s.slice(0, 4)}-${s.slice(4, 7)}-${s.slice(7)}` : s
}

/** Commercial plan member id (three letters + 9 digits, or a W-number). */
export const memberId = (r) => (r.chance(0.6) ? r.pick(['XWP', 'ZGH', 'JQK', 'YLB', 'HMO']) + digits(r, 9) : 'W' + digits(r, 9) + pad(r.int(1, 4), 2))

export const mrn = (r) => (r.chance(0.5) ? pad(r.int(100000, 99999999), 8) : String(r.int(1000000, 9999999)))
export const account = (r) => (r.chance(0.5) ? String(r.int(100000000, 999999999)) + digits(r, r.int(0, 3)) : 'A' + digits(r, 9))
export const claimNo = (r) => `CLM-${r.int(2019, 2026)}-${pad(r.int(1, 9999999), 7)}`
export const accession = (r) => `A${pad(r.int(19, 26), 2)}-${pad(r.int(1, 9999999), 7)}`
export const encounterNo = (r) => String(r.int(100000000, 999999999))
export const stateLicense = (r) => r.pick(['G', 'A', 'MD', 'ME', 'DO']) + pad(r.int(10000, 999999), 5)
export const driverLicense = (r) => (r.chance(0.5) ? `${r.pick([...'ABCDFGHKLMNPRSTW'])}${digits(r, 3)}-${digits(r, 4)}-${digits(r, 4)}` : r.pick([...'DFGHKLMNPRSW']) + digits(r, 7))
export const plate = (r) => (r.chance(0.5) ? `${r.int(1, 9)}${r.pick([...'ABCDEFGHJKLMNPRSTUVWXYZ'])}${r.pick([...'ABCDEFGHJKLMNPRSTUVWXYZ'])}${r.pick([...'ABCDEFGHJKLMNPRSTUVWXYZ'])}${digits(r, 3)}` : `${r.pick(['ABC', 'KTR', 'HWX', 'PLM', 'DNV'])}-${digits(r, 4)}`)
export const serial = (r) => r.pick(['PJN', 'RNB', 'SJM', 'BSC', 'MDT', 'ABT']) + digits(r, r.int(6, 8))

/** GS1 GTIN-14 with its mod-10 check digit. */
export function gtin14(r) {
  const p = '0' + digits(r, 12)
  let sum = 0
  for (let i = 0; i < 13; i++) sum += (p.charCodeAt(12 - i) - 48) * (i % 2 === 0 ? 3 : 1)
  return p + ((10 - (sum % 10)) % 10)
}
/** GS1 UDI in human-readable form: (01) GTIN, (17) expiry, (10) lot, (21) serial. */
export const udi = (r) => `(01)${gtin14(r)}(17)${pad(r.int(26, 31), 2)}${pad(r.int(1, 12), 2)}${pad(r.int(1, 28), 2)}(10)${r.pick(['L', 'LOT', 'B'])}${digits(r, 5)}(21)${serial(r)}`

export const biometricId = (r) => `BIO-${Array.from({ length: 8 }, () => r.pick([...'0123456789ABCDEF'])).join('')}`

const AREA = [201, 212, 213, 215, 240, 267, 301, 303, 310, 312, 314, 404, 412, 415, 503, 512, 602, 608, 612, 617, 646, 702, 713, 718, 720, 773, 804, 808, 813, 857, 919, 971]
/** US phone number in one of the formats people write. */
export function phone(r, style = r.int(0, 5)) {
  const a = r.pick(AREA), e = r.int(200, 999), n = pad(r.int(0, 9999), 4)
  switch (style) {
    case 0: return `(${a}) ${e}-${n}`
    case 1: return `${a}-${e}-${n}`
    case 2: return `${a}.${e}.${n}`
    case 3: return `+1 ${a} ${e} ${n}`
    case 4: return `(${a})${e}-${n}`
    default: return `1-${a}-${e}-${n}`
  }
}

export function publicIp(r) {
  if (r.chance(0.15)) return `2001:db8:${r.int(1, 0xffff).toString(16)}:${r.int(0, 0xffff).toString(16)}::${r.int(1, 0xfff).toString(16)}`
  return publicIp4(r)
}
export function publicIp4(r) {
  let a
  do a = r.int(11, 223); while (a === 127 || a === 172 || a === 192 || a === 100 || a === 169)
  return `${a}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`
}
export const privateIp = (r) => (r.chance(0.6) ? `10.${r.int(0, 3)}.${r.int(0, 31)}.${r.int(2, 254)}` : r.chance(0.5) ? `172.${r.int(16, 31)}.${r.int(0, 255)}.${r.int(2, 254)}` : `192.168.${r.int(0, 20)}.${r.int(2, 254)}`)

// ------------------------------------------------------------------ dates

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const MON = MONTHS.map((m) => m.slice(0, 3))
/** A calendar date {y, m, d} between two years. */
export const ymd = (r, y0, y1) => ({ y: r.int(y0, y1), m: r.int(1, 12), d: r.int(1, 28) })
/** A date written in one of many free-text formats (all include at least month and day). */
export function fmtDate(r, { y, m, d }, style = r.int(0, 10)) {
  switch (style) {
    case 0: return `${pad(m, 2)}/${pad(d, 2)}/${y}`
    case 1: return `${m}/${d}/${y}`
    case 2: return `${y}-${pad(m, 2)}-${pad(d, 2)}`
    case 3: return `${MONTHS[m - 1]} ${d}, ${y}`
    case 4: return `${MON[m - 1]} ${d}, ${y}`
    case 5: return `${d} ${MONTHS[m - 1]} ${y}`
    case 6: return `${pad(d, 2)}-${MON[m - 1]}-${y}`
    case 7: return `${pad(m, 2)}/${pad(d, 2)}/${String(y).slice(2)}`
    case 8: return `${pad(m, 2)}-${pad(d, 2)}-${y}`
    case 9: return `${MON[m - 1]}. ${d}`
    default: return `${y}/${pad(m, 2)}/${pad(d, 2)}`
  }
}
export const hl7Date = ({ y, m, d }) => `${y}${pad(m, 2)}${pad(d, 2)}`
export const hl7Ts = (r, dt) => `${hl7Date(dt)}${pad(r.int(0, 23), 2)}${pad(r.int(0, 59), 2)}${r.chance(0.5) ? pad(r.int(0, 59), 2) : ''}`
export const isoDate = ({ y, m, d }) => `${y}-${pad(m, 2)}-${pad(d, 2)}`
export const isoTs = (r, dt) => `${isoDate(dt)}T${pad(r.int(0, 23), 2)}:${pad(r.int(0, 59), 2)}:${pad(r.int(0, 59), 2)}${r.pick(['Z', '-05:00', '-08:00', '+00:00'])}`

export const hex = (r, n) => Array.from({ length: n }, () => '0123456789abcdef'[r.int(0, 15)]).join('')
export const uuid = (r) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${'89ab'[r.int(0, 3)]}${hex(r, 3)}-${hex(r, 12)}`
export { pad, digits, MONTHS, MON }
