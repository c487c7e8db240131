import type { PhiType } from '../types.js'
import type { ReadResult, TextUnit } from './types.js'

/** The identifying DICOM attributes read, by tag `(gggg,eeee)`, with the PHI type each holds (undefined: left to the detector). */
export const DICOM_TAGS: Readonly<Record<string, { name: string; type?: PhiType }>> = {
  '00080020': { name: 'StudyDate', type: 'DATE' },
  '00080021': { name: 'SeriesDate', type: 'DATE' },
  '00080022': { name: 'AcquisitionDate', type: 'DATE' },
  '00080023': { name: 'ContentDate', type: 'DATE' },
  '00080050': { name: 'AccessionNumber', type: 'OTHER_ID' },
  '00080080': { name: 'InstitutionName' },
  '00080081': { name: 'InstitutionAddress', type: 'GEO' },
  '00080090': { name: 'ReferringPhysicianName', type: 'NAME' },
  '00080092': { name: 'ReferringPhysicianAddress', type: 'GEO' },
  '00080094': { name: 'ReferringPhysicianTelephoneNumbers', type: 'PHONE' },
  '00081050': { name: 'PerformingPhysicianName', type: 'NAME' },
  '00081060': { name: 'NameOfPhysiciansReadingStudy', type: 'NAME' },
  '00081070': { name: 'OperatorsName', type: 'NAME' },
  '00100010': { name: 'PatientName', type: 'NAME' },
  '00100020': { name: 'PatientID', type: 'MRN' },
  '00100030': { name: 'PatientBirthDate', type: 'DATE' },
  '00101000': { name: 'OtherPatientIDs', type: 'OTHER_ID' },
  '00101001': { name: 'OtherPatientNames', type: 'NAME' },
  '00101005': { name: 'PatientBirthName', type: 'NAME' },
  '00101010': { name: 'PatientAge' },
  '00101040': { name: 'PatientAddress', type: 'GEO' },
  '00101060': { name: 'PatientMotherBirthName', type: 'NAME' },
  '00101090': { name: 'MedicalRecordLocator', type: 'MRN' },
  '00102154': { name: 'PatientTelephoneNumbers', type: 'PHONE' },
  '00181000': { name: 'DeviceSerialNumber', type: 'DEVICE' },
  '00200010': { name: 'StudyID', type: 'OTHER_ID' },
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'])
const UNDEFINED = 0xffffffff

/** Is this a DICOM Part 10 file (`DICM` after the 128-byte preamble)? */
export function looksLikeDicom(buf: Uint8Array): boolean {
  return buf.length >= 132 && buf[128] === 0x44 && buf[129] === 0x49 && buf[130] === 0x43 && buf[131] === 0x4d
}

/**
 * Reads the header of a DICOM Part 10 file (PS3.10 §7.1: 128-byte preamble, `DICM`, the file meta
 * group 0002 in explicit VR little endian; then the dataset in the transfer syntax of (0002,0010):
 * implicit VR little endian `1.2.840.10008.1.2`, else explicit VR little endian — also for
 * encapsulated pixel data). Elements are walked flat up to Pixel Data (7FE0,0010): sequences and
 * items are entered, so attributes nested in sequences are read too. The attributes of
 * {@link DICOM_TAGS} become units (value decoded as Latin-1, trailing padding trimmed; PN `^` kept)
 * with field = the keyword. Positions are byte offsets (`positions: 'byte'`): a finding is reported at
 * line 1, column = byte offset of the value + 1. A DICOM file is a medical image: health information.
 * Big-endian and deflated transfer syntaxes are noted and not read; a truncated header stops the read.
 */
export function readDicom(buf: Uint8Array): ReadResult {
  const units: TextUnit[] = []
  const result: ReadResult = { format: 'dicom', units, health: [{ record: 0, cue: 'dicom:image' }], positions: 'byte' }
  if (!looksLikeDicom(buf)) {
    result.note = 'no DICM prefix'
    return result
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  let pos = 132
  let explicit = true
  const latin1 = (a: number, b: number): string => {
    let s = ''
    for (let k = a; k < b; k++) s += String.fromCharCode(buf[k]!)
    return s
  }
  while (pos + 8 <= buf.length) {
    const group = view.getUint16(pos, true)
    const element = view.getUint16(pos + 2, true)
    const tag = group.toString(16).padStart(4, '0') + element.toString(16).padStart(4, '0')
    if (group === 0xfffe) {
      // item, item delimiter, sequence delimiter: 4-byte length, always implicit
      const len = view.getUint32(pos + 4, true)
      pos += 8
      if (element === 0xe000 && len !== UNDEFINED) continue // enter the item
      continue
    }
    const useExplicit = group === 0x0002 ? true : explicit
    let vr = ''
    let len: number
    let valuePos: number
    if (useExplicit) {
      vr = String.fromCharCode(buf[pos + 4]!, buf[pos + 5]!)
      if (!/^[A-Z]{2}$/.test(vr)) {
        result.note = 'DICOM header is malformed; read up to the bad element'
        break
      }
      if (LONG_VRS.has(vr)) {
        if (pos + 12 > buf.length) break
        len = view.getUint32(pos + 8, true)
        valuePos = pos + 12
      } else {
        len = view.getUint16(pos + 6, true)
        valuePos = pos + 8
      }
    } else {
      len = view.getUint32(pos + 4, true)
      valuePos = pos + 8
    }
    if (group === 0x7fe0 && element === 0x0010) break
    if (len === UNDEFINED) {
      pos = valuePos // sequence or encapsulated value: walk into it
      continue
    }
    if (vr === 'SQ') {
      pos = valuePos // defined-length sequence: its items follow
      continue
    }
    if (valuePos + len > buf.length) {
      result.note = 'DICOM header is truncated'
      break
    }
    if (tag === '00020010') {
      const ts = latin1(valuePos, valuePos + len).replace(/[\0 ]+$/, '')
      if (ts === '1.2.840.10008.1.2') explicit = false
      else if (ts === '1.2.840.10008.1.2.2' || ts === '1.2.840.10008.1.2.1.99') {
        result.note = `transfer syntax ${ts} (big endian or deflated) is not read; only the file meta group was read`
        return result
      }
    }
    const known = DICOM_TAGS[tag]
    if (known && len > 0) {
      let value = latin1(valuePos, valuePos + len)
      value = value.replace(/[\0 ]+$/, '')
      const lead = value.length - value.trimStart().length
      value = value.trim()
      if (value !== '') {
        const u: TextUnit = { value, offset: valuePos + lead, field: known.name, kind: 'value', record: 0 }
        if (known.type) u.implied = known.type
        else if (known.name === 'PatientAge' && /^\d{3}Y$/.test(value) && Number(value.slice(0, 3)) > 89) u.implied = 'AGE_OVER_89'
        units.push(u)
      }
    }
    pos = valuePos + len
  }
  return result
}
