/** A NIST Cybersecurity Framework 1.1 subcategory and the HIPAA citations it maps to. */
export interface CsfSubcategory {
  id: string
  function: 'IDENTIFY' | 'PROTECT' | 'DETECT' | 'RESPOND' | 'RECOVER'
  category: string
  categoryTitle: string
  title: string
  /** HIPAA Security Rule citations, normalized to entries of {@link HipaaEntry}. */
  hipaa: string[]
  /**
   * Where the HIPAA mapping comes from: `hhs-2016` is the HHS/OCR "HIPAA Security Rule Crosswalk
   * to NIST Cybersecurity Framework" (February 2016, CSF 1.0); `phiwall` marks subcategories new in
   * CSF 1.1, which that crosswalk predates, mapped by the PhiWall maintainers by analogy.
   */
  mapping: 'hhs-2016' | 'phiwall'
}

/** A section, standard or implementation specification of the HIPAA Security Rule. */
export interface HipaaEntry {
  id: string
  title: string
  type: 'section' | 'standard' | 'implementation-specification'
  /** Implementation specifications are required or addressable; sections and standards have no status. */
  status: 'required' | 'addressable' | null
  section: string
  parent: string | null
  /** Group of the OSCAL HIPAA catalog that carries the standard. */
  oscalGroup: string | null
  /** Controls of the OSCAL HIPAA catalog under the standard. */
  oscalControls: string[]
}

/** A FERPA data-security practice (U.S. Department of Education PTAC Data Security Checklist). */
export interface FerpaPractice {
  id: string
  title: string
  guidance: string
}
