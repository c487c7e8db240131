import { type CountryCode, Metadata } from 'libphonenumber-js/max'
import metadataJson from 'libphonenumber-js/max/metadata'

/**
 * Validity of 10-digit North American (NANP, calling code 1) numbers, decided from
 * libphonenumber-js's own "max" metadata with its patterns compiled once.
 *
 * `parsePhoneNumberFromString(v, 'US').isValid()` picks the NANP country of a national number the
 * way libphonenumber's `getCountryByNationalNumber` does — the first country, in the metadata's
 * order for calling code 1, whose leading-digits pattern matches the number, or (for countries
 * without one) whose number-type patterns accept it — and then accepts the number when one of that
 * country's number types (fixed line, mobile, toll free, premium rate, …) matches it entirely. It
 * compiles each pattern anew on every call (`new RegExp('^(?:' + p + ')$')`), which is most of the
 * cost of a text full of phone numbers. This module runs the same algorithm on the same metadata
 * with every pattern compiled once; a property test holds it equal to the library on random and
 * real numbers.
 */

const TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'] as const

interface TypeRule {
  lengths: readonly number[] | undefined
  re: RegExp
}
interface CountryRule {
  country: string
  leadingDigits: RegExp | undefined
  national: RegExp
  types: TypeRule[]
}

const whole = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`)

/**
 * The methods of libphonenumber-js's numbering plan that its own validation uses at run time
 * (`nationalNumberPattern`, `type`) but its type declarations leave out.
 */
interface PlanInternals {
  leadingDigits(): string | undefined
  nationalNumberPattern(): string
  type(t: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined
}

let RULES: CountryRule[] | undefined

function rules(): CountryRule[] {
  if (RULES) return RULES
  const md = new Metadata()
  const countries = (metadataJson as { country_calling_codes: Record<string, CountryCode[]> }).country_calling_codes['1'] ?? []
  RULES = countries.map((country) => {
    md.selectNumberingPlan(country)
    const plan = md.numberingPlan as unknown as PlanInternals
    const ld = plan.leadingDigits()
    const types: TypeRule[] = []
    for (const t of TYPES) {
      const def = plan.type(t)
      if (!def || !def.pattern()) continue
      types.push({ lengths: def.possibleLengths(), re: whole(def.pattern()) })
    }
    return { country, leadingDigits: ld ? new RegExp(ld) : undefined, national: whole(plan.nationalNumberPattern()), types }
  })
  return RULES
}

/** libphonenumber's `getNumberType(…) !== undefined` for one NANP country. */
function hasType(r: CountryRule, n: string): boolean {
  if (!r.national.test(n)) return false
  for (const t of r.types) {
    if (t.lengths && t.lengths.indexOf(n.length) < 0) continue
    if (t.re.test(n)) return true
  }
  return false
}

/**
 * Whether a 10-digit NANP national number (`NPANXXXXXX`, area code first, no leading 1) is a
 * valid number for the NANP country it belongs to: the answer of libphonenumber-js `isValid()` for
 * the same number parsed with default region US.
 */
export function isValidNanp(national: string): boolean {
  for (const r of rules()) {
    if (r.leadingDigits) {
      if (national.search(r.leadingDigits) === 0) return hasType(r, national)
    } else if (hasType(r, national)) return true
  }
  return false
}
