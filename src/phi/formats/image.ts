/** Image formats recognised by their magic bytes. */
export type ImageKind = 'jpeg' | 'png' | 'gif' | 'tiff' | 'heic' | 'bmp' | 'webp'

/** The image format of some bytes, from their magic numbers, or undefined. */
export function sniffImage(b: Uint8Array): ImageKind | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png'
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'gif'
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a))) return 'tiff'
  if (b.length >= 12 && b[4] === 0x66 && b[5] === 0x74 && b[6] === 0x79 && b[7] === 0x70) {
    const brand = String.fromCharCode(b[8]!, b[9]!, b[10]!, b[11]!)
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1', 'avif'].includes(brand)) return 'heic'
  }
  if (b.length >= 14 && b[0] === 0x42 && b[1] === 0x4d) {
    const size = b[2]! | (b[3]! << 8) | (b[4]! << 16) | (b[5]! << 24)
    if (size === b.length || (b[14] === 40 || b[14] === 12 || b[14] === 108 || b[14] === 124)) return 'bmp'
  }
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'webp'
  return undefined
}

/** Path words that make an image a likely full-face photograph: patient or ID photos, headshots, faces. */
const PHOTO_CONTEXT = /(?:^|[^a-z])(?:patients?|pt|members?|headshots?|faces?|portraits?|mugshots?|selfies?|id[-_ ]?photos?|photo[-_ ]?ids?|id[-_ ]?cards?|profile[-_ ]?photos?|avatars?)(?:$|[^a-z])/i
/** Path words that tie an image to a patient (health care context). */
const PATIENT_CONTEXT = /(?:^|[^a-z])(?:patients?|pt|members?|mrn|ehr|emr|clinic|clinical|intake|chart)(?:$|[^a-z])/i

/**
 * The PHOTO rule: an image (by magic bytes) is reported as a PHOTO finding when its path — any
 * directory or file name, archive entry paths included — names a photograph of a person
 * (patient, headshot, face, portrait, mugshot, selfie, ID photo/card, profile photo, avatar).
 * It makes a file PHI (`patient: true`) only when the path also ties it to patients
 * (patient, member, MRN, EHR/EMR, clinic, intake, chart): a staff headshot is not PHI.
 */
export function photoContext(path: string): { photo: boolean; patient: boolean } {
  // camelCase and PascalCase names are words too: `PatientPhotos/1.jpg`, `patientPhoto.jpg`
  const words = path.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
  const photo = PHOTO_CONTEXT.test(words) || PATIENT_PHOTO.test(words)
  return { photo, patient: photo && PATIENT_CONTEXT.test(words) }
}

/** `patient photo`, `member pic`: a photograph named after whose it is. */
const PATIENT_PHOTO = /(?:^|[^a-z])(?:patients?|pt|members?)[-_ ]?(?:photos?|pics?|pictures?|images?|imgs?)(?:$|[^a-z])/i
