/**
 * Words that appear in the `humannames` list (it is scraped from social media and censuses, so it
 * holds many ordinary words: `The`, `May`, `Will`, `Patient`, `Street`, `Canada`) but that are far more
 * often something else. They are removed from the name lexicon and never start a name on their own.
 * All lower case; grouped so a reviewer can see why a word is here.
 */

/** English function words, pronouns, auxiliaries and very frequent verbs/adverbs. */
const FUNCTION_WORDS = `a an the and or but nor so yet for of in on at to by from with without within into onto upon
about above across after against along among around before behind below beneath beside besides between beyond
during except inside near off out outside over past since through throughout till toward towards under until
up via per than then as if else when where while why how what which who whom whose that this these those there
here i me my mine myself we us our ours you your yours he him his she her hers it its they them their theirs
one ones someone anyone everyone nobody somebody anybody everybody something anything everything nothing none
all any both each either neither every few many more most much other others some such same own only just also
too very quite rather really still even ever never always often sometimes usually again once twice already
not no yes ok okay is am are was were be been being have has had having do does did doing done will would shall
should can could may might must need ought let lets get gets got go goes went gone come came make made take took
see saw seen say said says tell told know knew think thought want wanted like liked look use used find found give
gave put set keep kept call called try tried ask asked work worked seem feel felt leave left mean meant show
shown hear heard run ran move moved live lived bring brought begin began write wrote read sit stand lose lost pay
paid meet met include includes including continue continued learn change changed lead led understand watch
follow followed stop stopped create created speak spoke spend spent grow grew open opened walk walked win won
offer remember love loved consider appear buy bought wait serve served die died send sent expect build built stay
fall fell cut reach kill remain suggest raise pass sell sold require report decide pull add added update updated
please thanks thank hello hi hey dear sorry welcome goodbye bye well now today tonight tomorrow yesterday soon
later early late first second third last next new old good bad great big small large long short high low little
right wrong true false sure able free full whole real best better worse worst least less own main major minor
final total general special common certain clear close open public private local national young older younger
because though although unless whether however therefore thus hence meanwhile otherwise instead indeed perhaps
maybe also why whom whoever whatever wherever whenever everywhere somewhere anywhere nowhere back down away
together alone already almost enough especially exactly finally generally probably recently simply certainly
mr mrs ms miss dr prof sir madam mx jr sr ii iii iv md rn np phd dds do pa st mt ft`

/** Calendar words. */
const CALENDAR = `january february march april may june july august september october november december jan feb mar apr
jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu
thurs fri sat sun spring summer autumn fall winter christmas easter thanksgiving halloween labor memorial
independence new year day week weekend month morning afternoon evening night noon midnight holiday`

/** Clinical and health-care words that are also in the name list or often capitalised in notes. */
const MEDICAL = `patient patients pt doctor doctors nurse nurses physician surgeon clinic clinical hospital health care
medical medicine medication medications drug drugs dose tablet capsule injection allergy allergies history
diagnosis diagnoses assessment plan note notes chart record records exam examination test tests result results
lab labs blood heart lung lungs liver kidney brain bone skin eye eyes ear nose throat chest head neck back arm
leg hand foot pain fever cough cold flu cancer tumor diabetes asthma stroke attack pressure rate temperature
pulse weight height insulin aspirin tylenol advil admission admitted discharge discharged emergency urgent
ward room bed unit icu er or surgery procedure therapy treatment visit follow followup consult referral
diet exercise sleep normal stable chronic acute mild severe positive negative male female mother father
family social medicare medicaid insurance plan member provider pharmacy prescription rx refill vital vitals
signs symptoms complaint chief present illness review systems physical impression disposition instructions
attending resident intern fellow staff team primary cardiology oncology radiology pediatrics neurology
psychiatry dermatology orthopedics surgery obstetrics gynecology pathology ct mri xray ultrasound ekg ecg
covid hiv hepatitis pneumonia sepsis infection virus bacteria hope faith grace joy`

/** Geography words (US states and countries are handled by the GEO detector; these are common nouns). */
const GEOGRAPHY = `street st avenue ave road rd lane ln drive boulevard blvd court ct way place pl terrace parkway highway
route park square point view hill hills lake lakes river mountain mount valley forest wood woods field fields
bay beach island islands harbor port north south east west northern southern eastern western central city
town county state country village center centre station airport bridge church school college university
america american americas europe european asia asian africa african canada mexico china japan india france
germany italy spain england britain london paris berlin rome washington york jersey texas florida georgia
virginia carolina dakota california miami boston chicago dallas houston phoenix denver austin columbia
jordan israel chad kenya niger sudan mali cuba peru chile argentina brazil russia ukraine poland sweden
norway finland denmark iceland estonia latvia lithuania greece turkey egypt morocco tunisia uruguay cyprus
hungary austria belgium netherlands holland ireland scotland wales portugal switzerland australia
zealand nan`

/** Software, cloud and product names that must not read as people in logs and configs. */
const TECH = `amazon aws azure google gcp microsoft apple oracle ibm cisco intel dell linux windows ubuntu debian
centos redhat alpine android ios mac macos chrome firefox safari edge lambda athena glue aurora neptune
kinesis cognito fargate route dynamo dynamodb redshift sagemaker bedrock cloudwatch cloudfront cloudtrail
jenkins kafka grafana kibana logstash elastic elasticsearch splunk datadog sentry prometheus loki tempo jaeger
zipkin docker kubernetes helm istio envoy nginx apache tomcat jetty consul vault nomad terraform ansible chef
puppet salt java python ruby rust go golang node nodejs deno react angular vue svelte spring django flask rails
laravel express redis postgres postgresql mysql mariadb mongo mongodb cassandra hadoop spark hive presto
airflow jira confluence slack teams zoom github gitlab bitbucket travis circle heroku vercel netlify
stripe twilio okta auth0 figma notion trello asana hubspot salesforce shopify paypal venmo uber lyft tesla
netflix spotify youtube facebook meta instagram twitter tiktok linkedin whatsapp snap openai claude gemini
alexa siri cortana echo kindle prime pixel galaxy surface xbox playstation nintendo sonic mercury
apollo atlas orion phoenix titan zeus hermes artemis juno luna nova vega sierra delta alpha beta gamma
omega sigma kappa lambda zulu tango foxtrot bravo charlie echo hotel india juliet kilo lima mike oscar papa
quebec romeo victor whiskey xray yankee golf
gateway ecr ecs eks rds sqs sns iam vpc api cdn dns ssl tls cache proxy balancer cluster replica shard pipeline
codebuild codepipeline codecommit beanstalk lightsail sso kms secrets parameter store inspector guardduty macie
shield waf opensearch elasticache memorydb documentdb keyspaces timestream quicksight emr msk appsync amplify
chime pinpoint ses workspaces outposts snowball backup storage bigquery pubsub firestore firebase spanner
cloudflare akamai fastly haproxy traefik rabbitmq celery sidekiq resque nats pulsar flink storm beam dask ray
jupyter pandas numpy pytorch tensorflow keras spark mesos marathon argo flux tekton spinnaker harness octopus
bamboo teamcity sonar sonarqube nexus artifactory maven gradle webpack babel eslint prettier jest mocha cypress
selenium playwright puppeteer postman swagger kong apigee envoy linkerd calico cilium falco trivy snyk
polish czech swedish finnish danish norwegian icelandic estonian hungarian slovak slovenian croatian serbian
bosnian albanian romanian bulgarian ukrainian belarusian lithuanian latvian austrian swiss belgian portuguese
brazilian mexican canadian australian irish scottish welsh british indian pakistani nigerian egyptian turkish
iranian iraqi israeli lebanese syrian thai vietnamese filipino indonesian malaysian cypriot tunisian uruguayan
argentine chilean peruvian colombian venezuelan cuban greenlander greenlandic kenyan ghanaian moroccan
border force mission statement shadow standard mobile desk carry research karma fuse bypass upper lower
collective civic insight lines usnv uscgc usns quick stage stages speed domain cloud control security hub
expand framework rule rules fix fixes check checks break ref refs define see note path saas paas iaas fedora rocky gentoo suse opensuse arch mint`

/**
 * Frequent capitalised words of headings, logs, UIs and business text (`Error`, `Service`, `Billing`).
 */
const COMMON_CAPITALISED = `error errors warning warn info debug trace fatal critical exception failed failure success
succeeded status request response service services server client user users admin administrator system
systems account accounts billing invoice payment order orders customer customers support sales marketing
product products company corporation corp inc llc ltd group holdings partners associates bank trust fund
credit card number name names address phone email fax date time id code type value key data file files
table column row field record message messages event events job jobs task tasks queue topic stream
bucket function handler api http https get post put delete head options patch start started stop end
ended ready pending running complete completed done cancel cancelled active inactive enabled disabled
true false null none default config configuration settings setting version release build deploy
deployment environment production staging development test testing prod dev qa main master branch
commit merge pull push tag label note title subject summary description details detail total amount
balance price cost fee tax rate level grade score page section chapter part item items list index
home office work business market world people person man woman men women child children boy girl baby
king queen prince princess lord lady god jesus christ saint angel bishop pope president governor
senator judge officer captain major general colonial chief director manager lead head board
committee council department division agency bureau institute foundation society association
club league team union party army navy force police fire rescue court justice law legal
hall house building tower gate gates wall walls garden gardens green white black brown gray grey red
blue yellow orange purple pink gold golden silver stone rock sand snow rain storm wind sun moon star
stars sky sea ocean water fire earth light dark bright rich poor young strong wild love happy
christian catholic baptist methodist lutheran jewish muslim islam hindu buddhist
english french german spanish italian dutch greek russian chinese japanese korean arabic latin
song songs music band album record radio film movie show story book books letter news paper press
weekly daily times journal magazine review report orchestra concert guitar piano
will may can must shall might june april august rose mark bill jack frank grant price hope
art bell bishop bush bird fish fox wolf bear lamb lion hawk crow dove swan drake
carter cook cooper mason miller baker fisher hunter porter potter smith taylor turner walker
page case lee long little young wood king hill rice cross cole hall ward banks burns
lots lot wish wishes style chance hunt sharp rich strong gay noble rush
apt apartment suite ste unit box apo fpo dpo psc cmr usns uss united kingdom states republic federation act acts
rights civil title tv radio associates technologies technology investments investment inc ltd llc gmbh co
bioscience biosciences life royal oh ah wow yeah wisdom discipline rolling extension extensions squares
avenue avenues boulevard plaza parkway highway terrace circle crescent heights gardens alley annex junction
corner corners crossing expressway freeway turnpike viaduct orchestra symphony choir insurance global
international solutions systems services labs studios media capital ventures partners holdings agency
answer question questions user assistant customer agent bot producer director
dates ages notes vitals labs meds medications allergies diagnoses problems procedures results findings
impressions plans visits encounters`

/**
 * US health insurers, payers and government programmes (`Cigna member ID`, `Aetna PPO`): organisations,
 * not people. Those that are also common surnames (`Kaiser`, `Molina`) are in {@link COMMON_SURNAME_WORDS}
 * too, so `Henry Kaiser` still reads as a name while `Kaiser` or `Kaiser Permanente` alone do not.
 */
const PAYERS = `aetna cigna humana anthem kaiser permanente unitedhealthcare unitedhealth optum medicare medicaid
medi-cal tricare champva bluecross blueshield highmark wellcare centene molina ambetter amerigroup caresource
wellpoint elevance carefirst premera regence emblemhealth healthfirst fidelis wellmark excellus healthnet
healthpartners healthspring magellan oscar geisinger tufts cigna-healthspring bcbs bcbsa hmo ppo epo
pos hdhp payer payers insurer insurers healthcare memorial regional`

/**
 * Vocabulary of infrastructure logs: Kubernetes event reasons (`BackOff`, `Pulling`, `Unhealthy`), CI and
 * Docker build steps (`Step 3/9`), tracing headers (`Root=1-…`). Several are in the name list; in these
 * texts they are never people.
 */
const LOG_WORDS = `step steps root backoff crashloopbackoff pulling pulled pull scheduled scheduling failedscheduling
killing killed started starting created creating unhealthy healthy evicted evicting preempted preempting
sandboxchanged oomkilled terminated terminating restarting restarted probe liveness readiness mounted
mounting attached detached provisioning provisioned rescheduled scaled scaling upgraded synced reconciled
reconciling updated updating deleted deleting applying applied skipped skipping retrying retry timeout exited
registered registering notready successfulcreate successfuldelete successfulrescale nodeready nodenotready
checking checkout cloning cloned fetching fetched resolving resolved extracting verifying verified using
uploading uploaded downloading downloaded installing installed compiling compiled linting building built
pushing pushed tagging tagged layer digest sending removing removed intermediate successfully finished
running waiting completed cleanup teardown setup artifact artifacts workflow runner
billed duration memory size init used requestid xray segment arial helvetica`

/** Job titles of staff directories and signatures (`Unit Clerk`, `Systems Engineer`): roles, not people. */
const JOB_TITLES = `clerk engineer engineers technician technicians technologist coordinator specialist analyst
assistant secretary receptionist scheduler registrar supervisor aide aides scribe dea npi`

function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w.length > 0)
}

/**
 * Identifier cues written in capitals (`SSN`, `MRN`, `DOB`): after a name they start the next
 * field, never continue the name (`patient Cornelius Wainwright SSN 456-…`). Only the all-caps
 * spelling splits a run: `Dea` and `Dob` stay given names.
 */
export const ID_ACRONYMS: ReadonlySet<string> = new Set(words('ssn mrn dob dod npi dea mbi pid hic hicn vin ein tin dl zip ip url icd cpt ndc loinc dx rx hx id ids acct mr pt ph tel fax email phone addr'))

/**
 * Words never taken as a name on their own (lower case). `COMMON_SURNAME_WORDS` below are removed from
 * this set again for the multi-word rule, so `John Smith` and `Kimberly Price` still fire.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  ...words(FUNCTION_WORDS),
  ...words(CALENDAR),
  ...words(MEDICAL),
  ...words(GEOGRAPHY),
  ...words(TECH),
  ...words(COMMON_CAPITALISED),
  ...words(PAYERS),
  ...words(LOG_WORDS),
  ...words(JOB_TITLES),
])

/**
 * Ordinary words that are also very common given names or surnames (`Smith`, `Rose`, `Mark`): not a name
 * alone, but a name next to another name word or after a cue.
 */
export const COMMON_SURNAME_WORDS: ReadonlySet<string> = new Set(
  words(`smith taylor turner walker baker miller cooper carter cook mason fisher hunter porter potter bell
  bishop bush fox wolf lamb drake hawk page case lee long little young wood king hill rice cross cole hall ward
  banks burns brown green white black gray grey gold stone rose mark bill jack frank grant price hope faith grace
  joy will may june april august sharp rich strong noble rush hunt jordan chad austin dallas georgia virginia
  carolina dakota florida chelsea paris sierra victor oscar charlie mike hotel juliet romeo lima dove swan
  summer autumn winter march day major judge bishop knight page golf sun star park lake hill hills wood woods field fields
  river brook ford glen dale wells mills chase ross dean lane kaiser root clerk molina geisinger magellan tufts`),
)

/** Well-known city names that are in {@link STOPWORDS} (never a person) but are places for GEO. */
export const CITY_WORDS: ReadonlySet<string> = new Set(words('london paris berlin rome washington york jersey miami boston chicago dallas houston phoenix denver austin columbia'))

/** {@link STOPWORDS} as GEO sees them: city names are not stopwords there. */
export function isGeoStopword(word: string): boolean {
  const k = word.toLowerCase()
  return STOPWORDS.has(k) && !CITY_WORDS.has(k)
}

/** Function and calendar words only: what may not be a city after a place cue (`moved to the …`). */
export const FUNCTION_STOPWORDS: ReadonlySet<string> = new Set([...words(FUNCTION_WORDS), ...words(CALENDAR), ...words('home work school bed hospital church town city office clinic court jail prison college university store shop bank')])
