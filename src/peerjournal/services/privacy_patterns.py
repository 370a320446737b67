"""The compiled patterns behind the privacy check, kept apart so the rules read on their own.

Each pattern is tuned for precision while writing (see privacy.py for why); the tests in
tests/services/test_privacy.py hold the labelled sentences that keep them honest.
"""

import re

A = re.ASCII
AI = re.ASCII | re.IGNORECASE
NUMBER_END = r"(?![0-9A-Za-z]|[.-][0-9])"
ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")

EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])",
    A,
)

URL_LINK = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`]+", AI)
URL_WWW = re.compile(
    r"(?<![\w./@-])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][^\s<>\"'`]*)?", AI
)
TLDS = "com|org|net|gov|edu|io|co|us|nz|au|uk|info"
TLD_HINT = re.compile(rf"\.(?:{TLDS}|{TLDS.upper()})(?![\w-])", A)
URL_BARE = re.compile(
    r"(?<![\w./@-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    rf"(?:{TLDS}|{TLDS.upper()})(?![\w-]|\.[A-Za-z0-9])(?:[/?#][^\s<>\"'`]*)?",
    A,
)
URL_TRAILING = ".,;:!?'\"]}"

IPV4 = re.compile(r"[0-9](?<![\w.][0-9])[0-9]{0,2}(?:\.[0-9]{1,3}){3}(?![\w]|\.[0-9])", A)
IPV6_HINT = re.compile(r":[0-9A-Fa-f]{0,4}:", A)
IPV6 = re.compile(
    r"(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}"
    r"(?:(?<=:)(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?![\w:]|\.[0-9])",
    A,
)
# "version 1.2.3.4" and "section 1.2.3.4" are numbering, not addresses
NUMBERING_BEFORE = re.compile(
    r"(?:\b(?:version|ver|v|release|build|section|sec|chapter|ch|clause|item|para|paragraph|"
    r"rule|standard|step)\.?|\u00a7)[ \t]*$",
    AI,
)

# every phone number written with separators has "ddd-ddd" (or dots or spaces) in it
PHONE_HINT = re.compile(r"[0-9]{3}[ .-][0-9]{3}", A)
PHONE_PATTERNS = (
    # North American: (202) 555-0143, 202.555.0143, 1-800-555-0199
    re.compile(
        r"(?<![\w+$.-])(?:1[ .-]?)?(?:\([0-9]{3}\)[ ]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}"
        + NUMBER_END,
        A,
    ),
    # trunk prefix 0, as in New Zealand, Australia and the UK: 021 555 0123, 020 7946 0958
    re.compile(r"(?<![\w+$.-])0[0-9]{1,4}[ -][0-9]{3,4}[ -][0-9]{3,4}" + NUMBER_END, A),
)
PHONE_LOCAL = re.compile(r"(?<![\w+$.-])(?P<a>[0-9]{3})-(?P<b>[0-9]{4})" + NUMBER_END, A)
# international: +64 21 555 0123, +1 (202) 555-0143, +12025550143
PHONE_PLUS = re.compile(
    r"\+(?<![\w+]\+)(?:[0-9]{1,3}(?:[ .-](?:\([0-9]{1,4}\)|[0-9]{1,4})){2,5}|[0-9]{8,15})"
    + NUMBER_END,
    A,
)
RANGE_BEFORE = re.compile(r"\b(?:from|between)[ \t]+$", AI)
LONG_NUMBER = re.compile(
    r"[+0-9](?<![\w+][+0-9])(?:[0-9]|[ -](?=[0-9])){6,18}(?![0-9A-Za-z]|[.:][0-9])", A
)
PHONE_WORD_BEFORE = re.compile(
    r"\b(?:call(?:ed|ing|s)?|cell(?:phone)?|mobile|ph|phone[ds]?|tel|telephone|fax|"
    r"text(?:ed|ing|s)?)\b\.?[ \t]*(?:(?:me|him|her|them|back|on|at|is|was|number|no\.?|#|:)"
    r"[ \t]*){0,3}$",
    AI,
)

SSN = re.compile(
    r"[0-8](?<![\w-][0-8])[0-9]{2}(?<!000)(?<!666)-(?!00)[0-9]{2}-(?!0000)[0-9]{4}"
    r"(?![\w]|-[0-9])",
    A,
)
SSN_CONTEXT = re.compile(
    r"\b(?:SSN|SS#|social[ \t]+security(?:[ \t]+(?:number|no\.?|#))?)[ \t]*(?:is[ \t]+)?[:#]?"
    r"[ \t]*(?P<num>(?!000|666|9)[0-9]{3}[ ]?(?!00)[0-9]{2}[ ]?(?!0000)[0-9]{4})(?![\w-])",
    AI,
)

# abbreviations may end with a dot ("Dec. 5"); full names may not ("14th of February.")
MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b"
    r"(?:(?<=Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|ept|Oct|Nov|Dec)\.)?"
)
MONTH_HINT = re.compile(MONTH, A)
DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
YEAR_AFTER = r"(?:,?[ \t]+(?P<year>[12][0-9]{3})(?![0-9:]))?"
DATE_MONTH_FIRST = re.compile(
    rf"{MONTH}[ \t]+(?:the[ \t]+)?{DAY}(?P<ord>st|nd|rd|th)?\b(?![:.,][0-9]){YEAR_AFTER}", A
)
DATE_DAY_FIRST = re.compile(
    r"(?P<day>[0-9](?<![\w.][0-9])[0-9]?)(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?" + MONTH + YEAR_AFTER,
    A,
)
DATE_ISO = re.compile(
    r"[12](?<![\w/.-][12])[0-9]{3}(?P<sep>[-/.])(?:0?[1-9]|1[0-2])(?P=sep)"
    r"(?:0?[1-9]|[12][0-9]|3[01])(?![\w]|[-/.][0-9])",
    A,
)
DATE_NUMERIC = re.compile(
    r"(?P<a>[0-9](?<![\w/.-][0-9])[0-9]?)(?P<sep>[-/.])(?P<b>[0-9]{1,2})(?P=sep)"
    r"(?P<year>[0-9]{4}|[0-9]{2})(?![\w]|[-/.][0-9])",
    A,
)
MONTH_YEAR = re.compile(rf"{MONTH},?[ \t]+(?:of[ \t]+)?[12][0-9]{{3}}(?![0-9])", A)
SENTENCE_START = re.compile(r"(?:^|[.!?]|\n)[\s\"'*>#-]*$")
BIRTH_WORDS = ("dob", "d.o.b", "birth", "born", "bday", "b-day")
BIRTH_BEFORE = re.compile(
    r"\b(?:DOB|D\.O\.B|date[ \t]+of[ \t]+birth|birth[ \t]*date|born|birthday|b-?day)\b"
    r"[^\n]{0,30}$",
    AI,
)
BIRTH_AFTER = re.compile(r"^[^\n]{0,15}?\b(?:DOB|date[ \t]+of[ \t]+birth|birthday|born)\b", AI)

AGE_YEARS = re.compile(
    r"(?P<n>9(?<![\w.]9)[0-9]|1(?<![\w.]1)[0-2][0-9])[ \t]*-?[ \t]*"
    r"(?:(?:years?|yrs?)\.?[ \t]*-?[ \t]*old|yo|y/o|y\.o\.?)(?![A-Za-z])",
    AI,
)
AGE_LABEL = re.compile(
    r"\bage(?:d|[ \t]+of|:)?[ \t]*(?P<n>9[0-9]|1[0-2][0-9])(?![0-9]|[.,][0-9]|[ \t]*%)", AI
)

STREET_SUFFIX = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|"
    "Terrace|Tce|Crescent|Cres|Highway|Hwy"
)
ADDRESS = re.compile(
    r"[0-9](?<![\w/.$-][0-9])[0-9]{0,4}[A-Za-z]?(?:/[0-9]{1,5}[A-Za-z]?)?(?:-[0-9]{1,5})?[ \t]+"
    r"(?P<words>(?:(?:[A-Z][A-Za-z'\u2019-]*|[0-9]{1,3}(?:st|nd|rd|th))[ \t]+){1,4})"
    rf"(?P<suffix>{STREET_SUFFIX})\b"
    r"(?:\.?,?[ \t]*(?:Apt|Apartment|Unit|Suite|Ste|Flat|\#)\.?[ \t]*\#?[ \t]*[0-9]+[A-Za-z]?\b)?",
    A,
)
PO_BOX = re.compile(
    r"\b(?:P\.?[ \t]?O\.?|Post[ \t]+Office)[ \t]+Box[ \t]+\#?[ \t]*[0-9]{1,6}\b", AI
)
# "3 Family Court dates" is an appointment, not an address
COURT_WORDS = frozenset(
    (
        "Family", "District", "Drug", "Youth", "Juvenile", "Supreme", "High", "County",
        "Municipal", "Circuit", "Federal", "Superior", "Magistrate", "Magistrates", "Housing",
        "Criminal", "Civil", "Traffic", "Claims", "Mental", "Health", "Treatment", "Tenancy",
        "Environment", "Community", "Recovery",
    )
)  # fmt: skip

ZIP = re.compile(r"[0-9](?<![\w.$-][0-9])[0-9]{4}(?:-[0-9]{4})?(?![\w]|[-.][0-9])", A)
STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|"
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    "New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|"
    "Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|"
    "Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico"
)
STATE_BEFORE = re.compile(rf"\b(?:{STATES})[ \t]*,?[ \t]*$", A)
ZIP_LABEL_BEFORE = re.compile(
    r"\b(?:zip(?:[ \t]*code)?|post(?:al)?[ \t]*code)[ \t]*(?:is[ \t]+)?[:#]?[ \t]*$", AI
)

# record numbers are found value first (a run of letters, digits and hyphens with a digit),
# then the label is looked for just before it
ID_DIGITS = re.compile(r"[0-9][A-Za-z0-9-]*", A)
RECORD_LABEL_BEFORE = re.compile(
    r"(?<![\w-])(?P<label>MRN|medical[ \t]+record|record|(?:patient|client|member|subscriber|"
    r"device|student|employee)[ \t]+ID|member(?:ship)?|beneficiary|account|acct|policy|plan|"
    r"case|claim|licen[cs]e|certificate|cert|serial|VIN|NHI|plate)"
    r"(?P<marker>[ \t]*(?:number|num|nbr|no\b|\#|ID\b|code\b))?\.?[ \t]*(?:(?:is|was)[ \t]+)?"
    r"(?P<colon>[:#=])?[ \t]*\#?[ \t]*$",
    AI,
)
# generic words that are an identifier's label only when a "number", "#" or ":" follows
RECORD_NEEDS_MARKER = frozenset({"record", "plan", "member", "membership"})

LINE_BREAK = re.compile(r"\r\n|\r|\n")

# --- the watch list ------------------------------------------------------------------------------
# A listed name is found in full, and each of its parts alone, with a title before it ("Ms Lima")
# and any case. A part that is also an everyday English word ("Will", "Hope", "Rose") is found
# alone only when written with a capital and not at the start of a sentence, or after a title; so
# with "Will Hope" listed, "I will hope for the best" and "Hope helps." pass, "I told Will" does
# not. A part that names a month or a weekday ("June") is found alone only after a title.
TITLES = r"(?:Mr|Mrs|Ms|Mx|Dr|Miss|Mister)"
TITLE_AT_START = re.compile(rf"{TITLES}\.?\s+", re.IGNORECASE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


CALENDAR_WORDS = _words(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
)
NAME_WORDS = CALENDAR_WORDS | _words(
    """
    will bill hope grace joy faith mercy charity patience prudence honor honour constance
    rose lily daisy ivy holly iris violet heather hazel jasmine poppy fern olive pearl ruby jade
    amber crystal opal coral dawn eve summer autumn winter storm sky rain river rivers brook lake
    glen dale heath moss forest wood woods stone rock hill hills field fields marsh ford bay cliff
    ridge mark frank grant chase chance drew wade miles rich sandy rusty earnest penny carol
    sterling page reed rob nick don jack pat sue art ray guy max bob dean bishop cook fisher mason
    porter baker hunter carter cooper miller turner walker parker smith wright young white brown
    green black gray grey long king little small strong short sharp bright fair hardy cash price
    love lane bell park hall house church banks bank waters well wells north south west east gene
    sunny star misty cherry melody harmony destiny trinity unity serenity liberty justice angel
    precious major royal duke earl baron prince queen marshal sage clay dusty buck colt hawk fox
    wolf crane swift sparrow robin jay wren drake bird lamb hart hunt noble bliss sonny victor
    bear birch ash rocky buddy happy lucky dash
    """
)
