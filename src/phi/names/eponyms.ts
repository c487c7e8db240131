/**
 * Medical eponyms: surnames (and a few places) that name diseases, signs, scales, tests and manoeuvres
 * (`Hodgkin lymphoma`, `Graves' disease`, `Glasgow Coma Scale`, `Epley maneuver`). In clinical text they
 * are the most frequent capitalised non-names, and most are also in the name list. They do not read as a
 * person when a medical head word follows ({@link eponymUseAfter}); elsewhere (`Dr. Graves`, `John
 * Parkinson`) they are names as before. All lower case, accents removed ({@link foldName} keys).
 */
export const MEDICAL_EPONYMS: ReadonlySet<string> = new Set(
  `addison adie alport alzheimer apgar apert arnold asperger babinski baker barrett bartter basedow becker
  behcet bell bence berger bernard beckwith binet bishop bouchard bowen brugada brown budd buerger burkitt
  caplan chagas charcot chiari christmas chvostek colles conn cooley cornelia creutzfeldt crigler crohn
  cullen cushing dandy dejerine devic dieulafoy down dressler dubin duchenne dupuytren eaton ebstein
  edwards ehlers eisenmenger epley erb ewing fabry fallot fanconi felty fitz forrest fournier friedreich
  froment gaucher gilbert glanzmann glasgow goodpasture gottron graves grey guillain barre hamman
  hartmann hashimoto heberden heimlich henoch hirschsprung hodgkin homan homans horner hunter huntington
  hurler jakob jarisch jones kallmann kaposi kawasaki kayser kernig klinefelter korsakoff krabbe kussmaul
  lambert langerhans larsen leber legg lesch letterer libman lou lyme mallory marfan mcburney mcmurray
  meckel meige meniere menkes mikulicz milroy mobius murphy nelson niemann noonan ortolani osgood paget
  pancoast parkinson perthes peutz peyronie phalen pick pickwickian plummer pott prader prinzmetal
  raynaud reiter rett reye richter ritter romberg rotor rovsing russell sacks schatzki scheuermann
  schlatter sezary sheehan shy sjogren stargardt stein stevens still sturge takayasu tay tietze tinel
  tourette treacher trendelenburg trousseau turner virchow wallenberg waldenstrom weber wegener
  wernicke whipple wilms wilson wolff zenker zollinger ranson child pugh wells centor killip nyha
  rankin framingham hoehn yahr mallampati bishop lachman thompson finkelstein spurling hawkins neer
  mantoux coombs gram papanicolaou pap westergren holter valsalva trendelenburg fowler sims foley swan
  ganz roux nissen billroth kocher pfannenstiel willebrand hippel lindau recklinghausen gierke gehrig
  calve`
    .split(/\s+/)
    .filter((w) => w.length > 0),
)

/**
 * Head words after an eponym that make it a medical term: the disease, sign, scale, test or procedure it
 * names. Matched case-insensitively, with an optional possessive before (`Crohn's disease`, `Graves'
 * disease`) and up to two modifiers between (`Glasgow Coma Scale`, `Hodgkin's B-cell lymphoma`).
 */
const HEADS = `disease diseases syndrome syndromes lymphoma lymphomas sarcoma sarcomas tumou?r tumou?rs palsy
palsies scale scales score scores sign signs test tests maneuver maneuvers manoeuvre manoeuvres
thyroiditis encephalopathy dementia chorea disorder phenomenon reflex triad criteria classification
stage staging fracture ulcer ulcers nodes? cells? granulomas? an(?:a)?emia aneurysm anomaly
malformation ophthalmopathy orbitopathy exophthalmos dystrophy ataxia neuropathy tremor esophagus
oesophagus diverticulum point incision procedure operation repair fundoplication position catheter
tube index equation formula class grade monitor sarcoidosis vasculitis purpura arteritis contracture
cyst hernia nodules? disease-related rule`

const HEAD_RE = new RegExp(`^(?:${HEADS.split(/\s+/).join('|')})$`, 'i')

/** Modifiers allowed between an eponym and its head word (`Coma`, `B-cell`, `type 2`, `like`). */
const MODIFIER_RE = /^(?:\p{Lu}[\p{L}-]*|[a-z]-cell|b|t|type|like|related|associated|variant|disease|in|situ|\d+)$/u

/** True when every hyphen- or space-separated part of the folded key is a medical eponym (`guillain-barre`). */
export function isEponymKey(key: string): boolean {
  if (MEDICAL_EPONYMS.has(key)) return true
  if (!key.includes('-')) return false
  const parts = key.split('-')
  return parts.length > 1 && parts.every((p) => p === 'non' || MEDICAL_EPONYMS.has(p))
}

const WORD_RE = /[\p{L}\d][\p{L}\p{M}\d-]*/uy

/**
 * How many characters after an eponym belong to its medical use: an optional possessive (`'s`, `'`, `’s`)
 * and then, within up to two modifiers, a head word (`'s disease`, ` Coma Scale`, ` lymphoma`); also a
 * bare possessive at the end of a clause (`history of Crohn's.`). 0 when the text after is no such use.
 */
export function eponymUseAfter(after: string): number {
  let i = 0
  const poss = /^['’]s?/.exec(after)
  if (poss) i = poss[0].length
  let words = 0
  while (words < 3) {
    const gap = /^[ \t]+|^-(?=\p{L})/u.exec(after.slice(i))
    if (!gap) break
    const at = i + gap[0].length
    WORD_RE.lastIndex = at
    const m = WORD_RE.exec(after)
    if (!m) break
    const w = m[0]
    if (HEAD_RE.test(w)) return at + w.length
    if (!MODIFIER_RE.test(w)) break
    i = at + w.length
    words++
  }
  // `Crohn's` or `Parkinson's` alone, then punctuation or the end: the disease.
  if (poss && poss[0].length === 2 && /^(?:[ \t]*(?:[,.;:)\]\n\r]|$))/.test(after.slice(poss[0].length))) return poss[0].length
  return 0
}
