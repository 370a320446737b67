"""Find identifying details (HIPAA Safe Harbor kinds) in diary text before it is saved.

This check runs while the user is writing, so it favours precision: a warning that fires on
"12 Step group" or "met at 10:30" teaches people to ignore every warning. Each rule is a
pattern plus the context that makes it believable (separators or a "call" for phones, a label
for record numbers, "DOB" for birth dates). Names are found only from the user's own watch list.

Pure functions, standard library only, patterns compiled once. Findings carry offsets, never the
matched text, and nothing here logs or raises with the text in it: the text is about real people.
"""

import ipaddress
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

KINDS: dict[str, str] = {
    "name": "a name on your watch list",
    "email": "an email address",
    "phone": "a phone or fax number",
    "street-address": "a street address",
    "zip-code": "a ZIP code",
    "date": "a date (day and month)",
    "birth-date": "a date of birth",
    "age-over-89": "an age over 89",
    "record-number": "a record, account, plan or licence number",
    "ssn": "a Social Security number",
    "url": "a web address",
    "ip-address": "an IP address",
}

LIMITS: tuple[str, ...] = (
    "It finds only the names on your watch list; any other name, initials or a nickname "
    "go through.",
    "It cannot recognise a rare condition, a small town or workplace, a job title, or a "
    "distinctive event that would identify someone to people who know them.",
    'Numbers, dates and ages written in words ("ninety-two", "the third of March") are '
    "not recognised.",
    "A record, account or licence number is found only after a label such as MRN, account "
    "or policy; an unlabelled ID number goes through.",
    'Street addresses need a house number and a capitalised street type ("12 Hope '
    'Street"); a place described in words ("the blue house by the dairy") is not found.',
    "City, county and suburb names are not checked, and a ZIP code is found only next to a "
    "state, an address or the word ZIP.",
    'A date needs a day and a month: a month and year alone ("March 2026"), a weekday, or a '
    'day and month in figures without a year ("11/24") are not flagged.',
    "Phone numbers written without separators are found only after a word such as call, "
    "cell or phone.",
    "Photos, voice recordings and other attachments are not checked.",
    "A clean result does not make an entry anonymous: if you know the details could still "
    "point to someone, change them or write a composite.",
)


@dataclass(frozen=True)
class Finding:
    """One identifying detail: its kind and where it is, never the text itself."""

    kind: str
    line: int
    column: int
    start: int
    end: int

    @property
    def label(self) -> str:
        """The kind in words, for a warning such as "line 3, column 9: an email address"."""
        return KINDS[self.kind]


_Span = tuple[str, int, int]

# When two findings overlap, the one that starts first wins, then the longer, then this order
# ("called on 2026-11-24" is a date, not a phone number).
_PRECEDENCE = {
    kind: rank
    for rank, kind in enumerate(
        (
            "ssn",
            "email",
            "url",
            "ip-address",
            "birth-date",
            "date",
            "phone",
            "record-number",
            "age-over-89",
            "street-address",
            "zip-code",
            "name",
        )
    )
}

# Speed: most patterns start with a character class and check the character before it with a
# look-behind placed after that class ("[0-9](?<![\w.][0-9])"), so the regex engine can jump
# to candidate characters instead of trying every position; rarer patterns are skipped unless a
# cheap hint (an "@", a "://", a month name) is present. No pattern here is case-insensitive and
# scanned over the whole text except the watch list, because that disables the jump.
_A = re.ASCII
_AI = re.ASCII | re.IGNORECASE
_NUMBER_END = r"(?![0-9A-Za-z]|[.-][0-9])"
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])",
    _A,
)

_URL_LINK = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`]+", _AI)
_URL_WWW = re.compile(
    r"(?<![\w./@-])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][^\s<>\"'`]*)?", _AI
)
_TLDS = "com|org|net|gov|edu|io|co|us|nz|au|uk|info"
_TLD_HINT = re.compile(rf"\.(?:{_TLDS}|{_TLDS.upper()})(?![\w-])", _A)
_URL_BARE = re.compile(
    r"(?<![\w./@-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    rf"(?:{_TLDS}|{_TLDS.upper()})(?![\w-]|\.[A-Za-z0-9])(?:[/?#][^\s<>\"'`]*)?",
    _A,
)
_URL_TRAILING = ".,;:!?'\"]}"

_IPV4 = re.compile(r"[0-9](?<![\w.][0-9])[0-9]{0,2}(?:\.[0-9]{1,3}){3}(?![\w]|\.[0-9])", _A)
_IPV6_HINT = re.compile(r":[0-9A-Fa-f]{0,4}:", _A)
_IPV6 = re.compile(
    r"(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}"
    r"(?:(?<=:)(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?![\w:]|\.[0-9])",
    _A,
)
# "version 1.2.3.4" and "section 1.2.3.4" are numbering, not addresses
_NUMBERING_BEFORE = re.compile(
    r"(?:\b(?:version|ver|v|release|build|section|sec|chapter|ch|clause|item|para|paragraph|"
    r"rule|standard|step)\.?|\u00a7)[ \t]*$",
    _AI,
)

# every phone number written with separators has "ddd-ddd" (or dots or spaces) in it
_PHONE_HINT = re.compile(r"[0-9]{3}[ .-][0-9]{3}", _A)
_PHONE_PATTERNS = (
    # North American: (202) 555-0143, 202.555.0143, 1-800-555-0199
    re.compile(
        r"(?<![\w+$.-])(?:1[ .-]?)?(?:\([0-9]{3}\)[ ]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}"
        + _NUMBER_END,
        _A,
    ),
    # trunk prefix 0, as in New Zealand, Australia and the UK: 021 555 0123, 020 7946 0958
    re.compile(r"(?<![\w+$.-])0[0-9]{1,4}[ -][0-9]{3,4}[ -][0-9]{3,4}" + _NUMBER_END, _A),
)
_PHONE_LOCAL = re.compile(r"(?<![\w+$.-])(?P<a>[0-9]{3})-(?P<b>[0-9]{4})" + _NUMBER_END, _A)
# international: +64 21 555 0123, +1 (202) 555-0143, +12025550143
_PHONE_PLUS = re.compile(
    r"\+(?<![\w+]\+)(?:[0-9]{1,3}(?:[ .-](?:\([0-9]{1,4}\)|[0-9]{1,4})){2,5}|[0-9]{8,15})"
    + _NUMBER_END,
    _A,
)
_RANGE_BEFORE = re.compile(r"\b(?:from|between)[ \t]+$", _AI)
_LONG_NUMBER = re.compile(
    r"[+0-9](?<![\w+][+0-9])(?:[0-9]|[ -](?=[0-9])){6,18}(?![0-9A-Za-z]|[.:][0-9])", _A
)
_PHONE_WORD_BEFORE = re.compile(
    r"\b(?:call(?:ed|ing|s)?|cell(?:phone)?|mobile|ph|phone[ds]?|tel|telephone|fax|"
    r"text(?:ed|ing|s)?)\b\.?[ \t]*(?:(?:me|him|her|them|back|on|at|is|was|number|no\.?|#|:)"
    r"[ \t]*){0,3}$",
    _AI,
)

_SSN = re.compile(
    r"[0-8](?<![\w-][0-8])[0-9]{2}(?<!000)(?<!666)-(?!00)[0-9]{2}-(?!0000)[0-9]{4}"
    r"(?![\w]|-[0-9])",
    _A,
)
_SSN_CONTEXT = re.compile(
    r"\b(?:SSN|SS#|social[ \t]+security(?:[ \t]+(?:number|no\.?|#))?)[ \t]*(?:is[ \t]+)?[:#]?"
    r"[ \t]*(?P<num>(?!000|666|9)[0-9]{3}[ ]?(?!00)[0-9]{2}[ ]?(?!0000)[0-9]{4})(?![\w-])",
    _AI,
)

# abbreviations may end with a dot ("Dec. 5"); full names may not ("14th of February.")
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b"
    r"(?:(?<=Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|ept|Oct|Nov|Dec)\.)?"
)
_MONTH_HINT = re.compile(_MONTH, _A)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_YEAR_AFTER = r"(?:,?[ \t]+(?P<year>[12][0-9]{3})(?![0-9:]))?"
_DATE_MONTH_FIRST = re.compile(
    rf"{_MONTH}[ \t]+(?:the[ \t]+)?{_DAY}(?P<ord>st|nd|rd|th)?\b(?![:.,][0-9]){_YEAR_AFTER}", _A
)
_DATE_DAY_FIRST = re.compile(
    r"(?P<day>[0-9](?<![\w.][0-9])[0-9]?)(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?"
    + _MONTH
    + _YEAR_AFTER,
    _A,
)
_DATE_ISO = re.compile(
    r"[12](?<![\w/.-][12])[0-9]{3}(?P<sep>[-/.])(?:0?[1-9]|1[0-2])(?P=sep)"
    r"(?:0?[1-9]|[12][0-9]|3[01])(?![\w]|[-/.][0-9])",
    _A,
)
_DATE_NUMERIC = re.compile(
    r"(?P<a>[0-9](?<![\w/.-][0-9])[0-9]?)(?P<sep>[-/.])(?P<b>[0-9]{1,2})(?P=sep)"
    r"(?P<year>[0-9]{4}|[0-9]{2})(?![\w]|[-/.][0-9])",
    _A,
)
_MONTH_YEAR = re.compile(rf"{_MONTH},?[ \t]+(?:of[ \t]+)?[12][0-9]{{3}}(?![0-9])", _A)
_SENTENCE_START = re.compile(r"(?:^|[.!?]|\n)[\s\"'*>#-]*$")
_BIRTH_WORDS = ("dob", "d.o.b", "birth", "born", "bday", "b-day")
_BIRTH_BEFORE = re.compile(
    r"\b(?:DOB|D\.O\.B|date[ \t]+of[ \t]+birth|birth[ \t]*date|born|birthday|b-?day)\b"
    r"[^\n]{0,30}$",
    _AI,
)
_BIRTH_AFTER = re.compile(r"^[^\n]{0,15}?\b(?:DOB|date[ \t]+of[ \t]+birth|birthday|born)\b", _AI)

_AGE_YEARS = re.compile(
    r"(?P<n>9(?<![\w.]9)[0-9]|1(?<![\w.]1)[0-2][0-9])[ \t]*-?[ \t]*"
    r"(?:(?:years?|yrs?)\.?[ \t]*-?[ \t]*old|yo|y/o|y\.o\.?)(?![A-Za-z])",
    _AI,
)
_AGE_LABEL = re.compile(
    r"\bage(?:d|[ \t]+of|:)?[ \t]*(?P<n>9[0-9]|1[0-2][0-9])(?![0-9]|[.,][0-9]|[ \t]*%)", _AI
)

_STREET_SUFFIX = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|"
    "Terrace|Tce|Crescent|Cres|Highway|Hwy"
)
_ADDRESS = re.compile(
    r"[0-9](?<![\w/.$-][0-9])[0-9]{0,4}[A-Za-z]?(?:/[0-9]{1,5}[A-Za-z]?)?(?:-[0-9]{1,5})?[ \t]+"
    r"(?P<words>(?:(?:[A-Z][A-Za-z'\u2019-]*|[0-9]{1,3}(?:st|nd|rd|th))[ \t]+){1,4})"
    rf"(?P<suffix>{_STREET_SUFFIX})\b"
    r"(?:\.?,?[ \t]*(?:Apt|Apartment|Unit|Suite|Ste|Flat|\#)\.?[ \t]*\#?[ \t]*[0-9]+[A-Za-z]?\b)?",
    _A,
)
_PO_BOX = re.compile(
    r"\b(?:P\.?[ \t]?O\.?|Post[ \t]+Office)[ \t]+Box[ \t]+\#?[ \t]*[0-9]{1,6}\b", _AI
)
# "3 Family Court dates" is an appointment, not an address
_COURT_WORDS = frozenset(
    (
        "Family", "District", "Drug", "Youth", "Juvenile", "Supreme", "High", "County",
        "Municipal", "Circuit", "Federal", "Superior", "Magistrate", "Magistrates", "Housing",
        "Criminal", "Civil", "Traffic", "Claims", "Mental", "Health", "Treatment", "Tenancy",
        "Environment", "Community", "Recovery",
    )
)  # fmt: skip

_ZIP = re.compile(r"[0-9](?<![\w.$-][0-9])[0-9]{4}(?:-[0-9]{4})?(?![\w]|[-.][0-9])", _A)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|"
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    "New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|"
    "Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|"
    "Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico"
)
_STATE_BEFORE = re.compile(rf"\b(?:{_STATES})[ \t]*,?[ \t]*$", _A)
_ZIP_LABEL_BEFORE = re.compile(
    r"\b(?:zip(?:[ \t]*code)?|post(?:al)?[ \t]*code)[ \t]*(?:is[ \t]+)?[:#]?[ \t]*$", _AI
)

# record numbers are found value first (a run of letters, digits and hyphens with a digit),
# then the label is looked for just before it
_ID_DIGITS = re.compile(r"[0-9][A-Za-z0-9-]*", _A)
_RECORD_LABEL_BEFORE = re.compile(
    r"(?<![\w-])(?P<label>MRN|medical[ \t]+record|record|(?:patient|client|member|subscriber|"
    r"device|student|employee)[ \t]+ID|member(?:ship)?|beneficiary|account|acct|policy|plan|"
    r"case|claim|licen[cs]e|certificate|cert|serial|VIN|NHI|plate)"
    r"(?P<marker>[ \t]*(?:number|num|nbr|no\b|\#|ID\b|code\b))?\.?[ \t]*(?:(?:is|was)[ \t]+)?"
    r"(?P<colon>[:#=])?[ \t]*\#?[ \t]*$",
    _AI,
)
# generic words that are an identifier's label only when a "number", "#" or ":" follows
_RECORD_NEEDS_MARKER = frozenset({"record", "plan", "member", "membership"})

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def scan(text: str, *, watch_names: Sequence[str] = (), allow: Sequence[str] = ()) -> list[Finding]:
    """Findings sorted by (start, kind), overlapping findings of the same span reported once.

    Findings never overlap: a detail inside a longer one (a watched name in an email address)
    is covered by the longer finding, so pseudonymising the spans cannot collide.
    """
    if not text:
        return []
    spans = list(_candidates(text, watch_names))
    allowed = _Allowed(text, allow)
    if allowed:
        spans = [span for span in spans if not allowed.covers(span[1], span[2])]
    return _locate(text, _without_overlaps(spans))


def _candidates(text: str, watch_names: Sequence[str]) -> Iterator[_Span]:
    lowered = text.lower()  # for cheap "is it worth looking" tests only, never for offsets
    yield from _names(text, watch_names)
    if "@" in text:
        yield from _emails(text)
    yield from _urls(text, lowered)
    yield from _ip_addresses(text)
    yield from _phones(text)
    yield from _ssns(text, lowered)
    yield from _dates(text, any(word in lowered for word in _BIRTH_WORDS))
    yield from _ages(text)
    addresses = sorted(_addresses(text, lowered))
    yield from addresses
    yield from _zip_codes(text, sorted(end for _, _, end in addresses))
    yield from _record_numbers(text)


def _names(text: str, watch_names: Sequence[str]) -> Iterator[_Span]:
    pattern = _watch_pattern(tuple(watch_names))
    if pattern is not None:
        for match in pattern.finditer(text):
            yield "name", match.start(), match.end()


@lru_cache(maxsize=32)
def _watch_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the whole list, longest first so "Ana Lima" wins over "Ana"."""
    words = {tuple(name.split()) for name in names}
    words.discard(())
    if not words:
        return None
    ordered = sorted(words, key=lambda parts: (-len(" ".join(parts)), parts))
    choices = "|".join(r"\s+".join(re.escape(part) for part in parts) for parts in ordered)
    return re.compile(rf"(?<!\w)(?:{choices})(?!\w)", re.IGNORECASE)


def _emails(text: str) -> Iterator[_Span]:
    for match in _EMAIL.finditer(text):
        yield "email", match.start(), match.end()


def _urls(text: str, lowered: str) -> Iterator[_Span]:
    patterns = []
    if "://" in text:
        patterns.append(_URL_LINK)
    if "www." in lowered:
        patterns.append(_URL_WWW)
    if _TLD_HINT.search(text):
        patterns.append(_URL_BARE)
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            while end > start and (
                text[end - 1] in _URL_TRAILING
                or (
                    text[end - 1] == ")"
                    and text.count("(", start, end) < text.count(")", start, end)
                )
            ):
                end -= 1
            yield "url", start, end


def _ip_addresses(text: str) -> Iterator[_Span]:
    for match in _IPV4.finditer(text):
        if _NUMBERING_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        try:
            ipaddress.IPv4Address(match.group())
        except ValueError:
            continue
        yield "ip-address", match.start(), match.end()
    if not _IPV6_HINT.search(text):
        return
    for match in _IPV6.finditer(text):
        start, end = match.span()
        if text[end - 1] == ":" and text[end - 2 : end] != "::":
            end -= 1  # "... at 2001:db8::1: it" ends a clause
        candidate = text[start:end]
        groups = [group for group in re.split(r"[:.]", candidate) if group]
        if len(groups) < 2 or not any(len(group) >= 3 or not group.isdigit() for group in groups):
            continue  # "12::30" is a typo, not an address
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        yield "ip-address", start, end


def _phones(text: str) -> Iterator[_Span]:
    if _PHONE_HINT.search(text):
        for pattern in _PHONE_PATTERNS:
            for match in pattern.finditer(text):
                yield "phone", match.start(), match.end()
        for match in _PHONE_LOCAL.finditer(text):
            if not _looks_like_range(text, match):
                yield "phone", match.start(), match.end()
    if "+" in text:
        for match in _PHONE_PLUS.finditer(text):
            if 8 <= _digit_count(match.group()) <= 15:
                yield "phone", match.start(), match.end()
    for match in _LONG_NUMBER.finditer(text):
        start = match.start()
        if 7 <= _digit_count(match.group()) <= 15 and _PHONE_WORD_BEFORE.search(
            text, max(0, start - 40), start
        ):
            yield "phone", start, match.end()


def _looks_like_range(text: str, match: re.Match[str]) -> bool:
    """Whether a 3-4 digit pair reads as "between 500-1000 people" rather than "555-0100"."""
    if _RANGE_BEFORE.search(text, max(0, match.start() - 10), match.start()):
        return True
    low, high = match.group("a"), match.group("b")
    return low.endswith("0") and high.endswith("00") and not high.startswith("0")


def _digit_count(value: str) -> int:
    return sum(char.isdigit() for char in value)


def _ssns(text: str, lowered: str) -> Iterator[_Span]:
    for match in _SSN.finditer(text):
        yield "ssn", match.start(), match.end()
    if "ssn" in lowered or "ss#" in lowered or "social" in lowered:
        for match in _SSN_CONTEXT.finditer(text):
            yield "ssn", match.start("num"), match.end("num")


def _dates(text: str, birth_words: bool) -> Iterator[_Span]:
    found: list[tuple[int, int]] = []
    if _MONTH_HINT.search(text):
        for match in _DATE_MONTH_FIRST.finditer(text):
            start = match.start()
            if _word_before(text, start) or (
                match.group("month") == "May"
                and not (match.group("ord") or match.group("year"))
                and _SENTENCE_START.search(text, max(0, start - 20), start)
            ):
                continue  # "DisMay 3", "May 3 of us join?"
            found.append(match.span())
        for match in _DATE_DAY_FIRST.finditer(text):
            if 1 <= int(match.group("day")) <= 31:
                found.append(match.span())
        if birth_words:
            for match in _MONTH_YEAR.finditer(text):
                if not _word_before(text, match.start()) and _near_birth_word(text, *match.span()):
                    yield "birth-date", match.start(), match.end()
    found.extend(match.span() for match in _DATE_ISO.finditer(text))
    found.extend(match.span() for match in _DATE_NUMERIC.finditer(text) if _is_numeric_date(match))
    for start, end in found:
        kind = "birth-date" if birth_words and _near_birth_word(text, start, end) else "date"
        yield kind, start, end


def _word_before(text: str, index: int) -> bool:
    """Whether an ASCII word character sits just before ``index`` (a look-behind, done late)."""
    if index == 0:
        return False
    char = text[index - 1]
    return char.isascii() and (char.isalnum() or char == "_")


def _is_numeric_date(match: re.Match[str]) -> bool:
    """11/24/2026 or 24/11/26; dots and hyphens only with a four-digit year (not a version)."""
    year = match.group("year")
    if len(year) == 2 and match.group("sep") != "/":
        return False
    if len(year) == 4 and not 1800 <= int(year) <= 2199:
        return False
    first, second = int(match.group("a")), int(match.group("b"))
    return (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31)


def _near_birth_word(text: str, start: int, end: int) -> bool:
    """A date next to DOB, born or birthday is a date of birth."""
    return bool(
        _BIRTH_BEFORE.search(text, max(0, start - 50), start)
        or _BIRTH_AFTER.search(text[end : end + 30])
    )


def _ages(text: str) -> Iterator[_Span]:
    for pattern in (_AGE_YEARS, _AGE_LABEL):
        for match in pattern.finditer(text):
            yield "age-over-89", match.start("n"), match.end("n")


def _addresses(text: str, lowered: str) -> Iterator[_Span]:
    if "box" in lowered:
        for match in _PO_BOX.finditer(text):
            yield "street-address", match.start(), match.end()
    for match in _ADDRESS.finditer(text):
        if match.group("suffix") in ("Court", "Ct") and _COURT_WORDS.intersection(
            match.group("words").split()
        ):
            continue
        yield "street-address", match.start(), match.end()


def _zip_codes(text: str, address_ends: Sequence[int]) -> Iterator[_Span]:
    for match in _ZIP.finditer(text):
        start = match.start()
        nearest = bisect_right(address_ends, start) - 1
        near_address = nearest >= 0 and (
            start - address_ends[nearest] <= 40 and "\n" not in text[address_ends[nearest] : start]
        )
        if (
            near_address
            or _STATE_BEFORE.search(text, max(0, start - 20), start)
            or _ZIP_LABEL_BEFORE.search(text, max(0, start - 20), start)
        ):
            yield "zip-code", start, match.end()


def _record_numbers(text: str) -> Iterator[_Span]:
    for match in _ID_DIGITS.finditer(text):
        start, end = match.span()
        while start > 0 and text[start - 1] in _ID_CHARS:
            start -= 1
        value = text[start:end]
        if (
            value[0] == "-"
            or value[-1] == "-"
            or text[end : end + 1] == "_"
            or sum(char.isalnum() for char in value) < 4
            or (value.isdigit() and len(value) == 4 and 1900 <= int(value) <= 2099)
        ):
            continue  # too short, or a year ("the 2026 plan")
        label = _RECORD_LABEL_BEFORE.search(text, max(0, start - 45), start)
        if label is None:
            continue
        if " ".join(label.group("label").lower().split()) in _RECORD_NEEDS_MARKER and not (
            label.group("marker") or label.group("colon")
        ):
            continue
        yield "record-number", start, end


class _Allowed:
    """Where the allowed phrases occur, to drop findings inside them in O(log n) each."""

    def __init__(self, text: str, allow: Sequence[str]) -> None:
        ranges: list[tuple[int, int]] = []
        for phrase in allow:
            parts = phrase.split()
            if parts:
                pattern = r"\s+".join(re.escape(part) for part in parts)
                ranges.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
        ranges.sort()
        self._starts = [start for start, _ in ranges]
        self._reach: list[int] = []  # the furthest end of any range starting at or before
        for _, end in ranges:
            self._reach.append(max(end, self._reach[-1] if self._reach else end))

    def __bool__(self) -> bool:
        return bool(self._starts)

    def covers(self, start: int, end: int) -> bool:
        index = bisect_right(self._starts, start) - 1
        return index >= 0 and self._reach[index] >= end


def _without_overlaps(spans: Sequence[_Span]) -> list[_Span]:
    """Keep the first-starting, then longest, then most specific finding of each overlap."""
    ordered = sorted(
        set(spans), key=lambda span: (span[1], span[1] - span[2], _PRECEDENCE[span[0]])
    )
    kept: list[_Span] = []
    covered_to = 0
    for kind, start, end in ordered:
        if start >= covered_to and end > start:
            kept.append((kind, start, end))
            covered_to = end
    return kept


def _locate(text: str, spans: Sequence[_Span]) -> list[Finding]:
    """Add 1-based line and column; CRLF, CR and LF all end a line, columns count characters."""
    if not spans:
        return []
    line_starts = [0, *(match.end() for match in _LINE_BREAK.finditer(text))]
    findings: list[Finding] = []
    for kind, start, end in spans:
        line = bisect_right(line_starts, start)
        findings.append(Finding(kind, line, start - line_starts[line - 1] + 1, start, end))
    return findings
