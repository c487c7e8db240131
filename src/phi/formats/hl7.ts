import type { PhiType } from '../types.js'
import { isValidNpi } from '../detect/validators.js'
import type { ReadResult, StructuralHealth, TextUnit } from './types.js'

/**
 * Identifier types implied by HL7 v2 positions (v2.5.1 field definitions). Keys: `SEG-n` for a whole
 * field, `SEG-n.c` for one component. A field listed without components implies the type for
 * every component.
 */
export const HL7_IMPLIED: Readonly<Record<string, PhiType>> = {
  'PID-2.1': 'MRN', 'PID-3.1': 'MRN', 'PID-4.1': 'OTHER_ID',
  'PID-5.1': 'NAME', 'PID-5.2': 'NAME', 'PID-5.3': 'NAME', 'PID-6.1': 'NAME', 'PID-6.2': 'NAME', 'PID-9.1': 'NAME', 'PID-9.2': 'NAME',
  'PID-7.1': 'DATE', 'PID-29.1': 'DATE',
  'PID-11.1': 'GEO', 'PID-11.2': 'GEO', 'PID-11.3': 'GEO', 'PID-11.5': 'GEO', 'PID-11.9': 'GEO',
  'PID-13.1': 'PHONE', 'PID-13.4': 'EMAIL', 'PID-14.1': 'PHONE', 'PID-18.1': 'ACCOUNT', 'PID-19': 'SSN', 'PID-20.1': 'LICENSE', 'PID-21.1': 'OTHER_ID',
  'NK1-2.1': 'NAME', 'NK1-2.2': 'NAME', 'NK1-4.1': 'GEO', 'NK1-4.2': 'GEO', 'NK1-4.3': 'GEO', 'NK1-4.5': 'GEO', 'NK1-5.1': 'PHONE', 'NK1-6.1': 'PHONE',
  'PV1-7.2': 'NAME', 'PV1-7.3': 'NAME', 'PV1-8.2': 'NAME', 'PV1-8.3': 'NAME', 'PV1-9.2': 'NAME', 'PV1-9.3': 'NAME', 'PV1-17.2': 'NAME', 'PV1-17.3': 'NAME',
  // PV1-19 Visit Number and PV1-50 Alternate Visit ID identify an encounter, not an account (PID-18)
  'PV1-19.1': 'OTHER_ID', 'PV1-50.1': 'OTHER_ID', 'PV1-44.1': 'DATE', 'PV1-45.1': 'DATE',
  // TS / DTM fields: times of the patient's care (message and event of an admission, diagnosis,
  // observation, order, procedure); reported only when they hold a day (see HL7_TS_DAY)
  'MSH-7.1': 'DATE', 'EVN-2.1': 'DATE', 'EVN-3.1': 'DATE', 'EVN-6.1': 'DATE', 'DG1-5.1': 'DATE', 'DG1-19.1': 'DATE',
  'OBR-6.1': 'DATE', 'OBR-7.1': 'DATE', 'OBR-8.1': 'DATE', 'OBR-14.1': 'DATE', 'OBR-22.1': 'DATE', 'OBX-14.1': 'DATE', 'OBX-19.1': 'DATE',
  'ORC-9.1': 'DATE', 'ORC-15.1': 'DATE', 'PR1-5.1': 'DATE', 'SPM-17.1': 'DATE', 'SPM-18.1': 'DATE', 'RXA-3.1': 'DATE', 'RXA-4.1': 'DATE',
  'PV2-8.1': 'DATE', 'PV2-9.1': 'DATE', 'NK1-16.1': 'DATE',
  // placer / filler order numbers (EI), specimen ids: other unique identifying numbers
  'ORC-2.1': 'OTHER_ID', 'ORC-3.1': 'OTHER_ID', 'OBR-2.1': 'OTHER_ID', 'OBR-3.1': 'OTHER_ID', 'SPM-2.1': 'OTHER_ID',
  // IN1-2 Insurance Plan ID names the plan product (`MCR`, `BCBS-PPO`), not the beneficiary
  'IN1-8': 'HEALTH_PLAN', 'IN1-16.1': 'NAME', 'IN1-16.2': 'NAME', 'IN1-18.1': 'DATE', 'IN1-19.1': 'GEO', 'IN1-19.3': 'GEO', 'IN1-19.5': 'GEO',
  'IN1-36': 'HEALTH_PLAN', 'IN1-49.1': 'HEALTH_PLAN',
  'GT1-3.1': 'NAME', 'GT1-3.2': 'NAME', 'GT1-5.1': 'GEO', 'GT1-5.3': 'GEO', 'GT1-5.5': 'GEO', 'GT1-6.1': 'PHONE', 'GT1-8.1': 'DATE', 'GT1-12': 'SSN',
  'MRG-1.1': 'MRN',
}

/**
 * XCN fields naming a provider (attending, referring, consulting, admitting, ordering, responsible
 * observer): component 1 is the provider's ID, a LICENSE when it is an NPI (a valid NPI, or the
 * assigning authority XCN-9 / identifier type XCN-13 says `NPI`); a local staff code is not implied.
 */
const XCN_PROVIDER = new Set(['PV1-7', 'PV1-8', 'PV1-9', 'PV1-17', 'PV1-52', 'ORC-10', 'ORC-11', 'ORC-12', 'OBR-16', 'OBR-28', 'OBX-16', 'PD1-4', 'ROL-4', 'RXE-13', 'RXO-14', 'PR1-12'])
/** XTN fields of a person (patient, next of kin, guarantor, insured): their phone numbers. */
const XTN_FIELDS = new Set(['PID-13', 'PID-14', 'NK1-5', 'NK1-6', 'GT1-6', 'GT1-7', 'IN1-7'])
/** A TS / DTM value with at least a day (`YYYYMMDD…`): a bare year or month is not a date of an individual. */
const HL7_TS_DAY = /^\s*(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d{2,}(?:\.\d+)?)?(?:[+-]\d{4})?\s*$/

/** CX-5 identifier type codes (HL7 table 0203) that change what PID-3 holds. */
const CX_TYPE: Readonly<Record<string, PhiType>> = { SS: 'SSN', MR: 'MRN', MB: 'HEALTH_PLAN', MC: 'HEALTH_PLAN', MA: 'HEALTH_PLAN', AN: 'ACCOUNT', DL: 'LICENSE', NPI: 'LICENSE', PI: 'MRN', PT: 'MRN' }

/** Segments whose presence is health information (visits, orders, results, diagnoses, procedures, pharmacy, allergies). */
export const HL7_CLINICAL_SEGMENTS = new Set(['PV1', 'PV2', 'ORC', 'OBR', 'OBX', 'DG1', 'DRG', 'PR1', 'RXE', 'RXO', 'RXA', 'RXD', 'RXR', 'RXG', 'AL1', 'IAM', 'TQ1', 'SPM', 'NTE', 'FT1', 'IN1'])

/** MSH-9 message types that are healthcare transactions. */
const CLINICAL_MESSAGES = new Set(['ADT', 'ORU', 'ORM', 'OML', 'SIU', 'DFT', 'MDM', 'VXU', 'RDE', 'RDS', 'RAS', 'BAR', 'PPR', 'REF', 'RRI', 'OMP', 'RGV', 'ORL', 'ORR'])

/** Does the text look like HL7 v2 (starts with `MSH` and a field separator, after optional MLLP framing)? */
export function looksLikeHl7(text: string): boolean {
  return /^[\s\x0b]*(MSH|FHS|BHS)[|^~\\&#!]/.test(text.slice(0, 64))
}

const ESCAPES: Readonly<Record<string, string>> = { F: '|', S: '^', T: '&', R: '~', E: '\\' }

/** Decodes HL7 escapes `\F\ \S\ \T\ \R\ \E\` in a component, with a map back to raw offsets. */
export function unescapeHl7(raw: string, offset: number, esc: string): { value: string; map?: number[] } {
  if (!raw.includes(esc)) return { value: raw }
  const chars: string[] = []
  const map: number[] = []
  let i = 0
  while (i < raw.length) {
    if (raw[i] === esc) {
      const close = raw.indexOf(esc, i + 1)
      const code = close > i ? raw.slice(i + 1, close) : ''
      const r = ESCAPES[code]
      if (r !== undefined) {
        map.push(offset + i)
        chars.push(r)
        i = close + 1
        continue
      }
      if (close > i && /^(\.br|H|N|\.sp\d*|X[0-9A-Fa-f]*|Z.*)$/.test(code)) {
        // formatting and hex escapes: read as a space
        map.push(offset + i)
        chars.push(' ')
        i = close + 1
        continue
      }
    }
    map.push(offset + i)
    chars.push(raw[i]!)
    i++
  }
  map.push(offset + raw.length)
  return { value: chars.join(''), map }
}

/**
 * Reads HL7 v2 messages: segments end with `\r`, `\n` or `\r\n`; each `MSH` starts a message (a
 * record). Separators come from MSH-1/MSH-2 (default `|^~\&`). Every non-empty component of every
 * field repetition is a unit with field `SEG-n` (`PID-5`, MSH numbered as the standard does,
 * MSH-1 being the separator itself), `kind: 'value'` and, where the position fixes it, an implied
 * type ({@link HL7_IMPLIED}; PID-3 follows its CX-5 type code: `SS` → SSN, `MB` → HEALTH_PLAN, …).
 * Encoding characters and MSH-8 … MSH-12 (security, type, control id, processing id, version) are
 * not units; MSH-7 and the other TS fields of {@link HL7_IMPLIED} are DATE when they hold a day.
 * A provider's XCN ID (PV1-7, ORC-12, OBR-16, …) is LICENSE when it is an NPI.
 * Health information: a clinical message type in MSH-9 or a clinical segment ({@link HL7_CLINICAL_SEGMENTS}).
 */
export function readHl7(text: string): ReadResult {
  const units: TextUnit[] = []
  const health: StructuralHealth[] = []
  let fs = '|'
  let cs = '^'
  let rs = '~'
  let esc = '\\'
  let record = -1
  let i = 0
  const n = text.length
  while (i < n) {
    let end = i
    while (end < n && text.charCodeAt(end) !== 13 && text.charCodeAt(end) !== 10) end++
    let s = i
    while (s < end && (text.charCodeAt(s) === 0x0b || text.charCodeAt(s) === 0x1c || text.charCodeAt(s) === 32)) s++
    const segId = text.slice(s, s + 3)
    if (end - s >= 3 && /^[A-Z][A-Z0-9]{2}$/.test(segId)) {
      const isMsh = segId === 'MSH' || segId === 'FHS' || segId === 'BHS'
      if (segId === 'MSH') {
        record++
        fs = text[s + 3] ?? '|'
        const enc = text.slice(s + 4, text.indexOf(fs, s + 4) < 0 ? s + 8 : Math.min(text.indexOf(fs, s + 4), s + 8))
        cs = enc[0] ?? '^'
        rs = enc[1] ?? '~'
        esc = enc[2] ?? '\\'
      }
      const rec = Math.max(record, 0)
      if (HL7_CLINICAL_SEGMENTS.has(segId)) health.push({ record: rec, cue: `hl7:${segId}` })
      // fields
      let fieldNo = 0
      let p = s + 3
      while (p < end) {
        // text[p] is a field separator
        const fStart = p + 1
        let fEnd = text.indexOf(fs, fStart)
        if (fEnd < 0 || fEnd > end) fEnd = end
        fieldNo++
        const num = isMsh ? fieldNo + 1 : fieldNo
        p = fEnd
        if (isMsh && num === 2) continue
        const fieldName = `${segId}-${num}`
        if (isMsh && num === 9) {
          const type = text.slice(fStart, fEnd).split(cs)[0] ?? ''
          if (CLINICAL_MESSAGES.has(type)) health.push({ record: rec, cue: `hl7:${type}` })
        }
        if (isMsh && num >= 8 && num <= 12) continue
        // repetitions and components
        let r = fStart
        while (r <= fEnd) {
          let rEnd = text.indexOf(rs, r)
          if (rEnd < 0 || rEnd > fEnd) rEnd = fEnd
          const comps: { start: number; end: number }[] = []
          let c = r
          while (c <= rEnd) {
            let cEnd = text.indexOf(cs, c)
            if (cEnd < 0 || cEnd > rEnd) cEnd = rEnd
            comps.push({ start: c, end: cEnd })
            c = cEnd + 1
          }
          let implied: PhiType | undefined
          if (segId === 'PID' && num === 3 && comps[4]) {
            const code = text.slice(comps[4].start, comps[4].end).trim().toUpperCase()
            implied = CX_TYPE[code]
          } else if (XCN_PROVIDER.has(fieldName) && comps[0]) {
            const id = text.slice(comps[0].start, comps[0].end).trim()
            const auth = comps[8] ? text.slice(comps[8].start, comps[8].end).split('&')[0]!.trim().toUpperCase() : ''
            const idType = comps[12] ? text.slice(comps[12].start, comps[12].end).trim().toUpperCase() : ''
            if (/^\d{10}$/.test(id) && (isValidNpi(id) || auth === 'NPI' || idType === 'NPI')) implied = 'LICENSE'
          }
          // XTN from v2.3 on: the number in components 6 (area code) and 7 (local number), component 1 deprecated
          const xtnType: PhiType | undefined = XTN_FIELDS.has(fieldName) ? (comps[2] && text.slice(comps[2].start, comps[2].end).trim().toUpperCase() === 'FX' ? 'FAX' : 'PHONE') : undefined
          comps.forEach((cp, ci) => {
            const raw = text.slice(cp.start, cp.end)
            if (raw.trim() === '' || raw === '""') return
            const dec = unescapeHl7(raw, cp.start, esc)
            const key = `${fieldName}.${ci + 1}`
            let imp = ci === 0 && implied ? implied : xtnType && (ci === 5 || ci === 6) ? xtnType : (HL7_IMPLIED[key] ?? HL7_IMPLIED[fieldName])
            if (imp === 'DATE' && !HL7_TS_DAY.test(dec.value)) imp = undefined
            const u: TextUnit = { value: dec.value, offset: cp.start, field: fieldName, kind: 'value', record: rec }
            if (dec.map) u.map = dec.map
            if (imp) u.implied = imp
            units.push(u)
          })
          r = rEnd + 1
        }
      }
    }
    i = end
    while (i < n && (text.charCodeAt(i) === 13 || text.charCodeAt(i) === 10)) i++
  }
  return { format: 'hl7', units, health }
}
