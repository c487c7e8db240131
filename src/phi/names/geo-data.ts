/**
 * Reference lists for the GEO detector: US states, street suffixes (USPS Publication 28, Appendix C1:
 * primary suffix names and their standard abbreviations), secondary unit designators (Appendix C2),
 * foreign street words and countries (a country or state is not a HIPAA identifier; only units smaller
 * than a state are).
 */

/** US states, DC and territories: USPS code → name. */
export const US_STATES: Readonly<Record<string, string>> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado',
  CT: 'Connecticut', DE: 'Delaware', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho',
  IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine',
  MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri',
  MT: 'Montana', NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico',
  NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon',
  PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee',
  TX: 'Texas', UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia',
  WI: 'Wisconsin', WY: 'Wyoming', DC: 'District of Columbia', PR: 'Puerto Rico', GU: 'Guam',
  VI: 'Virgin Islands', AS: 'American Samoa', MP: 'Northern Mariana Islands',
}

/** Canadian provinces and territories (codes), for `City, ON K1A 0B1`. */
export const CA_PROVINCES: readonly string[] = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT']

/**
 * USPS street suffixes (C1): primary names and standard abbreviations, lower case, no period.
 * Ambiguous short forms that are ordinary words are kept because they only count after a house number
 * and a street name (`12 Oak Way`).
 */
export const STREET_SUFFIXES: readonly string[] = `alley aly allee annex anx arcade arc avenue ave av bayou byu beach bch bend bnd
bluff blf bluffs blfs bottom btm boulevard blvd boul branch br bridge brg brook brk brooks burg bypass byp
camp cp canyon cyn cape cpe causeway cswy center ctr centre circle cir circles cirs cliff clf cliffs clfs club
clb common cmn commons corner cor corners cors course crse court ct courts cts cove cv coves creek crk
crescent cres crest crst crossing xing crossroad xrd curve curv dale dl dam dm divide dv drive dr drives drs
estate est estates ests expressway expy extension ext falls fls ferry fry field fld fields flds flat flt flats
flts ford frd forest frst forge frg fork frk forks frks fort ft freeway fwy garden gdn gardens gdns gateway
gtwy glen gln glens green grn greens grns grove grv groves harbor hbr haven hvn heights hts highway hwy hill
hl hills hls hollow holw inlet inlt island is islands iss isle junction jct key ky knoll knl knolls knls lake
lk lakes lks landing lndg lane ln light lgt lights lgts loaf lf lock lck locks lcks lodge ldg loop mall manor
mnr manors mnrs meadow mdw meadows mdws mews mill ml mills mls mission msn motorway mtwy mount mt mountain
mtn neck nck orchard orch oval overpass opas park parks parkway pkwy parkways pass passage psge path pike pine
pne pines pnes place pl plain pln plains plns plaza plz point pt points pts port prt ports prts prairie pr
radial radl ramp ranch rnch rapid rpd rapids rpds rest rst ridge rdg ridges rdgs river riv road rd roads rds
route rte row rue run shoal shl shoals shls shore shr shores shrs skyway skwy spring spg springs spgs spur
square sq squares sqs station sta stravenue stra stream strm street st str streets sts summit smt terrace ter
throughway trwy trace trce track trak trafficway trfy trail trl trailer trlr tunnel tunl turnpike tpke
underpass upas union un unions uns valley vly valleys vlys viaduct view vw views vws village vlg villages
vlgs ville vl vista vis walk walks wall way ways well wl wells wls close`.split(/\s+/)

/** Street suffixes unambiguous enough to mark a street named without a house number (`on Elm Street`). */
export const NAMED_STREET_SUFFIXES: readonly string[] = ['street', 'st', 'avenue', 'ave', 'road', 'rd', 'boulevard', 'blvd', 'lane', 'ln', 'drive', 'court', 'ct', 'place', 'terrace', 'ter', 'parkway', 'pkwy', 'highway', 'hwy', 'circle', 'cir', 'crescent', 'square', 'plaza', 'trail', 'turnpike', 'tpke', 'expressway', 'freeway', 'alley', 'way', 'close', 'mews', 'gardens', 'heights', 'loop', 'dale', 'flat', 'isle', 'lodge', 'hills', 'greens', 'squares', 'extensions', 'point', 'fort', 'union', 'islands']

/** Secondary unit designators (C2) that may stand alone with a number (`Apt 4B`, `Suite 210`). */
export const UNIT_DESIGNATORS: readonly string[] = ['apartment', 'apt', 'suite', 'ste', 'unit', 'room', 'rm', 'floor', 'fl', 'building', 'bldg', 'department', 'dept', 'lot', 'space', 'spc', 'trailer', 'trlr', 'box', 'pier', 'slip', 'hangar', 'hngr', 'stop']

/** Words that start a street name in other languages (`Rua do Arenque 1634`, `Via Franscini 71`). */
export const FOREIGN_STREET_PREFIXES: readonly string[] = ['rua', 'via', 'viale', 'vicolo', 'corso', 'piazza', 'largo', 'rue', 'avenue', 'avenida', 'av', 'calle', 'carrer', 'camino', 'paseo', 'plaza', 'praça', 'travessa', 'estrada', 'alameda', 'chemin', 'boulevard', 'place', 'allée', 'ul', 'ulica', 'aleja', 'al', 'strada', 'bulevardul', 'odos', 'leoforos', 'calea', 'cesta', 'trg', 'ulitsa']

/**
 * Endings of one-word street names in Nordic, German, Dutch, Finnish, Baltic and Central European
 * languages (`Koskikatu`, `Søndergade`, `Brixtonlaan`, `Nybyvägen`): such a word followed by a number
 * is a street address.
 */
export const FOREIGN_STREET_ENDINGS: readonly string[] = ['katu', 'tie', 'kuja', 'polku', 'raitti', 'tori', 'väylä', 'vej', 'vejen', 'gade', 'gaden', 'stræde', 'vænget', 'gatan', 'gata', 'vägen', 'väg', 'gränd', 'stigen', 'veien', 'vegen', 'veg', 'vei', 'stien', 'sti', 'torget', 'braut', 'gata', 'stræti', 'straße', 'strasse', 'str', 'weg', 'gasse', 'allee', 'platz', 'ring', 'damm', 'ufer', 'laan', 'straat', 'plein', 'gracht', 'kade', 'dijk', 'utca', 'út', 'tér', 'körút', 'ulica', 'iela', 'gatvė', 'tänav', 'maantee', 'puiestee', 'cesta', 'ulice', 'náměstí', 'sokak', 'caddesi']

/** Countries (lower case): not below state level, so not GEO on their own. */
export const COUNTRIES: readonly string[] = `afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas
bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria
burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia
czech republic denmark djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france
gabon gambia georgia germany ghana greece greenland grenada guatemala guinea guyana haiti honduras hungary
iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati korea
kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg
madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia moldova monaco
mongolia montenegro morocco mozambique myanmar namibia nauru nepal netherlands holland nicaragua niger
nigeria norway oman pakistan palau panama paraguay peru philippines poland portugal qatar romania russia
rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden
switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan tuvalu uganda
ukraine uruguay uzbekistan vanuatu vatican venezuela vietnam yemen zambia zimbabwe england scotland wales
britain usa us uk america`.split(/\s+/)

/** Multi-word countries (lower case). */
export const MULTIWORD_COUNTRIES: readonly string[] = ['united states', 'united states of america', 'united kingdom', 'great britain', 'south africa', 'new zealand', 'czech republic', 'south korea', 'north korea', 'saudi arabia', 'sri lanka', 'costa rica', 'el salvador', 'puerto rico', 'ivory coast', 'dominican republic', 'united arab emirates', 'papua new guinea', 'sierra leone', 'burkina faso', 'cape verde', 'east timor', 'san marino', 'north macedonia', 'bosnia and herzegovina', 'trinidad and tobago', 'antigua and barbuda', 'faroe islands', 'isle of man']
