import type { PhiType } from '../types.js'
import type { ReadResult, StructuralHealth, TextUnit } from './types.js'

/** Deepest JSON nesting read; deeper documents are skipped with a note (never a crash). */
export const MAX_JSON_DEPTH = 256

/** A path inside a JSON document: keys and array indexes. */
export type JsonPath = (string | number)[]

/** A string or number value found by {@link scanJson}. */
export interface JsonValue {
  path: JsonPath
  value: string
  /** Offset in the text of the first character of the value (inside the quotes for strings). */
  offset: number
  map?: number[]
  isString: boolean
}

/** Thrown by {@link scanJson} for invalid or too deeply nested JSON; the message has no value. */
export class JsonScanError extends Error {}

/** `a.b[0].c` for a path. */
export function formatPath(path: JsonPath): string {
  let s = ''
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`
  return s
}

const WS = new Set([32, 9, 10, 13])

/**
 * Iterative JSON scanner (no recursion, so deep nesting cannot overflow the stack): calls `onValue`
 * for every string and number value with its key path and exact position in `text` from `start`.
 * Returns the offset after the value. Throws {@link JsonScanError} on bad syntax or nesting deeper
 * than `maxDepth`.
 */
export function scanJson(text: string, onValue: (v: JsonValue) => void, start = 0, maxDepth = MAX_JSON_DEPTH, onKey?: (k: JsonValue) => void): number {
  const path: JsonPath = []
  const stack: ('o' | 'a')[] = []
  let i = start
  const n = text.length
  const skipWs = (): void => {
    while (i < n && WS.has(text.charCodeAt(i))) i++
  }
  /** A key: read, handed to `onKey` with the path of the object it is in, returned. */
  const readKey = (parent: JsonPath): string => {
    const k = readString()
    if (onKey) {
      const v: JsonValue = { path: parent, value: k.value, offset: k.offset, isString: true }
      if (k.map) v.map = k.map
      onKey(v)
    }
    return k.value
  }
  const readString = (): { value: string; offset: number; map?: number[] } => {
    // text[i] === '"'
    const offset = i + 1
    let j = offset
    while (j < n) {
      const c = text.charCodeAt(j)
      if (c === 34) {
        i = j + 1
        return { value: text.slice(offset, j), offset }
      }
      if (c === 92) break
      if (c < 32) throw new JsonScanError('control character in a string')
      j++
    }
    const chars: string[] = []
    const map: number[] = []
    for (let k = offset; k < j; k++) {
      chars.push(text[k]!)
      map.push(k)
    }
    while (j < n) {
      const c = text.charCodeAt(j)
      if (c === 34) {
        map.push(j)
        i = j + 1
        return { value: chars.join(''), offset, map }
      }
      if (c < 32) throw new JsonScanError('control character in a string')
      map.push(j)
      if (c === 92) {
        const e = text[j + 1]
        if (e === 'u') {
          const hex = text.slice(j + 2, j + 6)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonScanError('bad \\u escape')
          chars.push(String.fromCharCode(parseInt(hex, 16)))
          j += 6
        } else {
          const m: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
          const r = e === undefined ? undefined : m[e]
          if (r === undefined) throw new JsonScanError('bad escape')
          chars.push(r)
          j += 2
        }
      } else {
        chars.push(text[j]!)
        j++
      }
    }
    throw new JsonScanError('unterminated string')
  }
  const afterValue = (): boolean => {
    // after a value inside a container: ',' or closer; returns true when the top-level value is done
    for (;;) {
      const top = stack[stack.length - 1]
      if (top === undefined) return true
      skipWs()
      const c = text[i]
      if (c === ',') {
        i++
        if (top === 'a') path[path.length - 1] = (path[path.length - 1] as number) + 1
        else {
          skipWs()
          if (text[i] !== '"') throw new JsonScanError('expected a key')
          path[path.length - 1] = readKey(path.slice(0, -1))
          skipWs()
          if (text[i] !== ':') throw new JsonScanError('expected a colon')
          i++
        }
        return false
      }
      if ((c === '}' && top === 'o') || (c === ']' && top === 'a')) {
        i++
        stack.pop()
        path.pop()
        continue
      }
      throw new JsonScanError('expected a comma or a closing bracket')
    }
  }
  for (;;) {
    skipWs()
    const c = text[i]
    if (c === '{' || c === '[') {
      if (stack.length >= maxDepth) throw new JsonScanError(`nested deeper than ${maxDepth} levels`)
      i++
      skipWs()
      if (c === '{') {
        if (text[i] === '}') {
          i++
          if (afterValue()) return i
          continue
        }
        stack.push('o')
        if (text[i] !== '"') throw new JsonScanError('expected a key')
        path.push(readKey(path.slice()))
        skipWs()
        if (text[i] !== ':') throw new JsonScanError('expected a colon')
        i++
      } else {
        if (text[i] === ']') {
          i++
          if (afterValue()) return i
          continue
        }
        stack.push('a')
        path.push(0)
      }
      continue
    }
    if (c === '"') {
      const s = readString()
      const v: JsonValue = { path: path.slice(), value: s.value, offset: s.offset, isString: true }
      if (s.map) v.map = s.map
      onValue(v)
    } else {
      const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400))
      if (!m) throw new JsonScanError('unexpected character')
      if (m[0] !== 'true' && m[0] !== 'false' && m[0] !== 'null') onValue({ path: path.slice(), value: m[0], offset: i, isString: false })
      i += m[0].length
    }
    if (afterValue()) return i
  }
}

/** A key that may be a value: digits, white space or `@` (field names have none of these). */
const KEY_LIKE_VALUE = /[\d@\s]/

const SKIPPED_KEYS = new Set(['resourceType', 'system', 'url', 'profile', 'fullUrl', 'reference', 'status', 'use', 'gender'])

/** FHIR resource types that carry clinical or administrative health information. */
export const FHIR_RESOURCE_TYPES = new Set([
  'Patient', 'RelatedPerson', 'Practitioner', 'PractitionerRole', 'Person', 'Observation', 'Condition', 'MedicationRequest', 'MedicationStatement',
  'MedicationAdministration', 'MedicationDispense', 'Medication', 'Encounter', 'Procedure', 'DiagnosticReport', 'AllergyIntolerance', 'Immunization',
  'CarePlan', 'CareTeam', 'Claim', 'ClaimResponse', 'Coverage', 'ExplanationOfBenefit', 'ServiceRequest', 'Specimen', 'ImagingStudy', 'DocumentReference',
  'Composition', 'EpisodeOfCare', 'FamilyMemberHistory', 'Goal', 'QuestionnaireResponse', 'Appointment', 'Consent', 'Device', 'Bundle', 'Account',
])

const PERSON_TYPES = new Set(['Patient', 'RelatedPerson', 'Practitioner', 'Person'])

/** Identifier type from a FHIR `identifier` element's `system` and `type.coding[].code`. */
export function fhirIdentifierType(identifier: unknown): { type: PhiType; hint: string } | undefined {
  if (!identifier || typeof identifier !== 'object') return undefined
  const o = identifier as { system?: unknown; type?: { coding?: { code?: unknown }[]; text?: unknown } }
  const system = typeof o.system === 'string' ? o.system.toLowerCase() : ''
  const codes = Array.isArray(o.type?.coding) ? o.type.coding.map((c) => (typeof c?.code === 'string' ? c.code.toUpperCase() : '')) : []
  const has = (c: string): boolean => codes.includes(c)
  if (system.includes('us-ssn') || has('SS') || has('SSN')) return { type: 'SSN', hint: 'ssn' }
  if (system.includes('us-npi') || has('NPI') || has('PRN')) return { type: 'LICENSE', hint: 'npi' }
  if (system.includes('us-mbi') || system.includes('medicare') || has('MB') || has('MC') || has('MA') || has('SB') || system.includes('medicaid')) return { type: 'HEALTH_PLAN', hint: 'member-id' }
  if (has('DL') || system.includes('driver')) return { type: 'LICENSE', hint: 'drivers-license' }
  if (has('PPN') || system.includes('passport')) return { type: 'LICENSE', hint: 'passport' }
  if (has('AN') || has('ACSN')) return { type: has('ACSN') ? 'OTHER_ID' : 'ACCOUNT', hint: has('ACSN') ? 'accession' : 'account' }
  if (has('MR') || has('MRN') || system.includes('mrn') || system.includes('medical-record')) return { type: 'MRN', hint: 'mrn' }
  return undefined
}

function get(root: unknown, path: JsonPath, upto: number): unknown {
  let cur: unknown = root
  for (let k = 0; k < upto; k++) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[path[k]!]
  }
  return cur
}

/** `…photo[i].url` or `…photo.url`: the url of a person's photo attachment. */
function isPhotoPath(path: JsonPath): boolean {
  const p = path[path.length - 2]
  return p === 'photo' || (typeof p === 'number' && path[path.length - 3] === 'photo')
}

function impliedFhir(resourceType: string, rel: JsonPath, resource: unknown): { field: string; implied?: PhiType } {
  const named = rel.filter((p): p is string => typeof p === 'string')
  const field = [resourceType, ...named].join('.')
  const head = named[0]
  if (head === 'identifier' && named[named.length - 1] === 'value') {
    const idx = rel[1]
    const idn = typeof idx === 'number' ? (resource as { identifier?: unknown[] }).identifier?.[idx] : (resource as { identifier?: unknown }).identifier
    const t = fhirIdentifierType(idn)
    if (t) return { field: `${resourceType}.identifier.${t.hint}`, implied: t.type }
    return { field }
  }
  if (named.length === 2 && named[1] === 'display' && (head === 'subject' || head === 'patient' || head === 'beneficiary' || head === 'subscriber')) return { field, implied: 'NAME' }
  if (resourceType === 'Coverage' && (head === 'subscriberId' || (head === 'identifier' && named[1] === 'value'))) return { field, implied: 'HEALTH_PLAN' }
  if (!PERSON_TYPES.has(resourceType) && head !== 'contact') return { field }
  const list = head === 'contact' ? named.slice(1) : named
  const h = list[0]
  if (h === 'name' && ['family', 'given', 'text', 'prefix'].includes(list[1] ?? '') && list[1] !== 'prefix') return { field, implied: 'NAME' }
  if (h === 'birthDate' || h === 'deceasedDateTime') return { field, implied: 'DATE' }
  // Patient.photo / RelatedPerson.photo / Person.photo: an Attachment with the image inline (`data`,
  // base64) or by `url` — a photograph of the person (a practitioner's photo is not the patient's)
  if (h === 'photo' && (list[1] === 'data' || list[1] === 'url') && (resourceType !== 'Practitioner' || head === 'contact')) return { field, implied: 'PHOTO' }
  if (h === 'address' && ['line', 'city', 'postalCode', 'district', 'text'].includes(list[1] ?? '')) return { field, implied: 'GEO' }
  if (h === 'telecom' && list[1] === 'value') {
    const ti = head === 'contact' ? rel[3] : rel[1]
    const base = head === 'contact' ? get(resource, rel, 2) : resource
    const tel = typeof ti === 'number' ? (base as { telecom?: { system?: unknown }[] })?.telecom?.[ti] : undefined
    const sys = typeof tel?.system === 'string' ? tel.system : 'phone'
    const t: PhiType | undefined = sys === 'email' ? 'EMAIL' : sys === 'fax' ? 'FAX' : sys === 'url' ? 'URL' : sys === 'phone' || sys === 'sms' || sys === 'pager' ? 'PHONE' : undefined
    return t ? { field, implied: t } : { field }
  }
  return { field }
}

/**
 * Reads JSON, or NDJSON when `ndjson` (one document per line; each line its own record). Every
 * string and number value is a unit with its key path as field (`a.b[0].c`) and `kind: 'value'`.
 * The record is the first array element on the path (a top-level list of patients), else the file.
 * FHIR resources (objects with `resourceType`) become `fhir`: fields read `Patient.name.family`,
 * `Patient.identifier.ssn` (from the identifier's system and type code), each resource (also a
 * Bundle entry) is its own record and counts as health information, and person fields imply their
 * type (name → NAME, birthDate → DATE, address → GEO, telecom → PHONE/EMAIL/FAX by system).
 * Throws {@link JsonScanError} on invalid or too deeply nested JSON.
 */
export function readJson(text: string, ndjson = false): ReadResult {
  const units: TextUnit[] = []
  const health: StructuralHealth[] = []
  const records = new Map<unknown, number>()
  let fhir = false
  const recordOf = (key: unknown): number => {
    let r = records.get(key)
    if (r === undefined) {
      r = records.size
      records.set(key, r)
    }
    return r
  }
  const doc = (start: number, end: number, docKey: string): void => {
    const slice = text.slice(start, end)
    let root: unknown
    try {
      root = JSON.parse(slice)
    } catch {
      throw new JsonScanError('invalid JSON')
    }
    const seenResources = new Set<unknown>()
    scanJson(
      text,
      (v) => {
        const path = v.path
        const last = path[path.length - 1]
        // one walk from the root: the deepest enclosing FHIR resource (a Bundle only at the top)
        // and the first array element on the path
        let cur: unknown = root
        let resAt = -1
        let resObj: unknown
        let resourceType = ''
        let recordKey: unknown = docKey
        let inArray = false
        for (let k = 0; k < path.length; k++) {
          if (cur === null || typeof cur !== 'object') break
          if (!Array.isArray(cur)) {
            const rt = (cur as { resourceType?: unknown }).resourceType
            if (typeof rt === 'string' && FHIR_RESOURCE_TYPES.has(rt) && (rt !== 'Bundle' || resAt < 0)) {
              resAt = k
              resObj = cur
              resourceType = rt
            }
          }
          const next: unknown = (cur as Record<string | number, unknown>)[path[k]!]
          if (!inArray && typeof path[k] === 'number') {
            inArray = true
            recordKey = next !== null && typeof next === 'object' ? next : `${docKey}/${formatPath(path.slice(0, k + 1))}`
          }
          cur = next
        }
        if (resAt >= 0) {
          fhir = true
          const record = recordOf(resObj)
          if (!seenResources.has(resObj) && resourceType !== 'Bundle') {
            seenResources.add(resObj)
            health.push({ record, cue: `fhir:${resourceType}` })
          }
          // an attachment's url is read (a photo by reference); extension and code-system urls are not
          if (typeof last === 'string' && SKIPPED_KEYS.has(last) && !(last === 'url' && path[path.length - 2] !== undefined && isPhotoPath(path))) return
          const { field, implied } = impliedFhir(resourceType, path.slice(resAt), resObj)
          const u: TextUnit = { value: v.value, offset: v.offset, field, kind: 'value', record }
          if (v.map) u.map = v.map
          if (implied) u.implied = implied
          units.push(u)
          return
        }
        const record = recordOf(recordKey)
        const u: TextUnit = { value: v.value, offset: v.offset, field: formatPath(path), kind: 'value', record }
        if (v.map) u.map = v.map
        units.push(u)
      },
      start,
      MAX_JSON_DEPTH,
      (k) => {
        // a key that holds a value (a map keyed by SSN, email or patient name) is scanned like one;
        // plain names of fields (`birthDate`, `patient_name`) are not
        if (!KEY_LIKE_VALUE.test(k.value)) return
        const u: TextUnit = { value: k.value, offset: k.offset, kind: 'value', record: recordOf(docKey), name: true }
        const parent = formatPath(k.path)
        if (parent) u.field = parent
        if (k.map) u.map = k.map
        units.push(u)
      },
    )
  }
  if (ndjson) {
    let lineStart = 0
    let line = 0
    while (lineStart <= text.length) {
      let nl = text.indexOf('\n', lineStart)
      if (nl < 0) nl = text.length
      if (text.slice(lineStart, nl).trim() !== '') doc(lineStart, nl, `L${line}`)
      lineStart = nl + 1
      line++
    }
  } else doc(0, text.length, 'D')
  return { format: fhir ? 'fhir' : ndjson ? 'ndjson' : 'json', units, health }
}
