"""Find identifying details (HIPAA Safe Harbor kinds) in diary text before it is saved.

This check runs while the user is writing, so it favours precision: a warning that fires on
"12 Step group" or "met at 10:30" teaches people to ignore every warning. Each rule is a
pattern plus the context that makes it believable (separators or a "call" for phones, a label
for record numbers, "DOB" for birth dates). Names are found only from the user's own watch list:
each listed name in full and each of its parts, with a title and in any case, except that a part
which is also an everyday word ("Will", "Hope") must look like a name (privacy_patterns.py).

Pure functions, standard library only, patterns compiled once. Findings carry offsets, never the
matched text, and nothing here logs or raises with the text in it: the text is about real people.
"""

import ipaddress
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from peerjournal.services import privacy_patterns as rx

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
    "It finds only the names on your watch list (in full, or one part of one, with or without "
    "Mr, Mrs, Ms, Mx or Dr); any other name, initials or a nickname go through.",
    'A part of a listed name that is also an everyday word ("Will", "Hope", "June") is found '
    "only when it looks like a name: capitalised in mid-sentence, after a title, or with the "
    'rest of the name ("Will came in" at the start of a sentence goes through).',
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
    yield from _dates(text, any(word in lowered for word in rx.BIRTH_WORDS))
    yield from _ages(text)
    addresses = sorted(_addresses(text, lowered))
    yield from addresses
    yield from _zip_codes(text, sorted(end for _, _, end in addresses))
    yield from _record_numbers(text)


def _names(text: str, watch_names: Sequence[str]) -> Iterator[_Span]:
    watch = _watch_list(tuple(watch_names))
    if watch is None:
        return
    for match in watch.pattern.finditer(text):
        if watch.believable(text, match):
            yield "name", match.start(), match.end()


@dataclass(frozen=True)
class _WatchList:
    """One pattern for every listed name and each of its parts, and the rule for plain words."""

    pattern: re.Pattern[str]
    full: frozenset[tuple[str, ...]]  # each listed name, casefolded, without a title

    def believable(self, text: str, match: re.Match[str]) -> bool:
        """Whether a match is the person, not "I will hope" (see NAME_WORDS in the patterns)."""
        found = match.group()
        title = rx.TITLE_AT_START.match(found)
        if title is not None:
            return True
        words = tuple(found.split())
        folded = tuple(word.casefold() for word in words)
        if not all(word in rx.NAME_WORDS for word in folded):
            return True  # "Maria", "gonzalez": not an everyday word, so any case
        if not all(word[:1].isupper() and not word.isupper() for word in words if len(word) > 1):
            return False  # "will", "HOPE": an everyday word as written
        if folded in self.full:
            return True  # "Will Hope", or "Hope" listed alone: the name as listed
        if any(word in rx.CALENDAR_WORDS for word in folded):
            return False  # "in June": only "Ms June" or the full name
        start = match.start()
        return not rx.SENTENCE_START.search(text, max(0, start - 20), start)


@lru_cache(maxsize=32)
def _watch_list(names: tuple[str, ...]) -> _WatchList | None:
    """Full names and their parts in one pattern, longest first so "Ana Lima" wins over "Ana"."""
    full: set[tuple[str, ...]] = set()
    phrases: set[tuple[str, ...]] = set()
    for name in names:
        words = rx.TITLE_AT_START.sub("", name.strip(), count=1).split()
        if not words:
            continue
        full.add(tuple(word.casefold() for word in words))
        phrases.add(tuple(words))
        if len(words) > 1:
            for word in words:
                for part in {word, *word.split("-")}:
                    if sum(char.isalnum() for char in part) >= 2:  # an initial alone is noise
                        phrases.add((part,))
    if not phrases:
        return None
    ordered = sorted(phrases, key=lambda parts: (-len(" ".join(parts)), parts))
    choices = "|".join(r"\s+".join(re.escape(part) for part in parts) for parts in ordered)
    pattern = re.compile(rf"(?<!\w)(?:{rx.TITLES}\.?\s+)?(?:{choices})(?!\w)", re.IGNORECASE)
    return _WatchList(pattern, frozenset(full))


def _emails(text: str) -> Iterator[_Span]:
    for match in rx.EMAIL.finditer(text):
        yield "email", match.start(), match.end()


def _urls(text: str, lowered: str) -> Iterator[_Span]:
    patterns = []
    if "://" in text:
        patterns.append(rx.URL_LINK)
    if "www." in lowered:
        patterns.append(rx.URL_WWW)
    if rx.TLD_HINT.search(text):
        patterns.append(rx.URL_BARE)
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            while end > start and (
                text[end - 1] in rx.URL_TRAILING
                or (
                    text[end - 1] == ")"
                    and text.count("(", start, end) < text.count(")", start, end)
                )
            ):
                end -= 1
            yield "url", start, end


def _ip_addresses(text: str) -> Iterator[_Span]:
    for match in rx.IPV4.finditer(text):
        if rx.NUMBERING_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        try:
            ipaddress.IPv4Address(match.group())
        except ValueError:
            continue
        yield "ip-address", match.start(), match.end()
    if not rx.IPV6_HINT.search(text):
        return
    for match in rx.IPV6.finditer(text):
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
    if rx.PHONE_HINT.search(text):
        for pattern in rx.PHONE_PATTERNS:
            for match in pattern.finditer(text):
                yield "phone", match.start(), match.end()
        for match in rx.PHONE_LOCAL.finditer(text):
            if not _looks_like_range(text, match):
                yield "phone", match.start(), match.end()
    if "+" in text:
        for match in rx.PHONE_PLUS.finditer(text):
            if 8 <= _digit_count(match.group()) <= 15:
                yield "phone", match.start(), match.end()
    for match in rx.LONG_NUMBER.finditer(text):
        start = match.start()
        if 7 <= _digit_count(match.group()) <= 15 and rx.PHONE_WORD_BEFORE.search(
            text, max(0, start - 40), start
        ):
            yield "phone", start, match.end()


def _looks_like_range(text: str, match: re.Match[str]) -> bool:
    """Whether a 3-4 digit pair reads as "between 500-1000 people" rather than "555-0100"."""
    if rx.RANGE_BEFORE.search(text, max(0, match.start() - 10), match.start()):
        return True
    low, high = match.group("a"), match.group("b")
    return low.endswith("0") and high.endswith("00") and not high.startswith("0")


def _digit_count(value: str) -> int:
    return sum(char.isdigit() for char in value)


def _ssns(text: str, lowered: str) -> Iterator[_Span]:
    for match in rx.SSN.finditer(text):
        yield "ssn", match.start(), match.end()
    if "ssn" in lowered or "ss#" in lowered or "social" in lowered:
        for match in rx.SSN_CONTEXT.finditer(text):
            yield "ssn", match.start("num"), match.end("num")


def _dates(text: str, birth_words: bool) -> Iterator[_Span]:
    found: list[tuple[int, int]] = []
    if rx.MONTH_HINT.search(text):
        for match in rx.DATE_MONTH_FIRST.finditer(text):
            start = match.start()
            if _word_before(text, start) or (
                match.group("month") == "May"
                and not (match.group("ord") or match.group("year"))
                and rx.SENTENCE_START.search(text, max(0, start - 20), start)
            ):
                continue  # "DisMay 3", "May 3 of us join?"
            found.append(match.span())
        for match in rx.DATE_DAY_FIRST.finditer(text):
            if 1 <= int(match.group("day")) <= 31:
                found.append(match.span())
        if birth_words:
            for match in rx.MONTH_YEAR.finditer(text):
                if not _word_before(text, match.start()) and _near_birth_word(text, *match.span()):
                    yield "birth-date", match.start(), match.end()
    found.extend(match.span() for match in rx.DATE_ISO.finditer(text))
    found.extend(
        match.span() for match in rx.DATE_NUMERIC.finditer(text) if _is_numeric_date(match)
    )
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
        rx.BIRTH_BEFORE.search(text, max(0, start - 50), start)
        or rx.BIRTH_AFTER.search(text[end : end + 30])
    )


def _ages(text: str) -> Iterator[_Span]:
    for pattern in (rx.AGE_YEARS, rx.AGE_LABEL):
        for match in pattern.finditer(text):
            yield "age-over-89", match.start("n"), match.end("n")


def _addresses(text: str, lowered: str) -> Iterator[_Span]:
    if "box" in lowered:
        for match in rx.PO_BOX.finditer(text):
            yield "street-address", match.start(), match.end()
    for match in rx.ADDRESS.finditer(text):
        if match.group("suffix") in ("Court", "Ct") and rx.COURT_WORDS.intersection(
            match.group("words").split()
        ):
            continue
        yield "street-address", match.start(), match.end()


def _zip_codes(text: str, address_ends: Sequence[int]) -> Iterator[_Span]:
    for match in rx.ZIP.finditer(text):
        start = match.start()
        nearest = bisect_right(address_ends, start) - 1
        near_address = nearest >= 0 and (
            start - address_ends[nearest] <= 40 and "\n" not in text[address_ends[nearest] : start]
        )
        if (
            near_address
            or rx.STATE_BEFORE.search(text, max(0, start - 20), start)
            or rx.ZIP_LABEL_BEFORE.search(text, max(0, start - 20), start)
        ):
            yield "zip-code", start, match.end()


def _record_numbers(text: str) -> Iterator[_Span]:
    for match in rx.ID_DIGITS.finditer(text):
        start, end = match.span()
        while start > 0 and text[start - 1] in rx.ID_CHARS:
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
        label = rx.RECORD_LABEL_BEFORE.search(text, max(0, start - 45), start)
        if label is None:
            continue
        if " ".join(label.group("label").lower().split()) in rx.RECORD_NEEDS_MARKER and not (
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
    line_starts = [0, *(match.end() for match in rx.LINE_BREAK.finditer(text))]
    findings: list[Finding] = []
    for kind, start, end in spans:
        line = bisect_right(line_starts, start)
        findings.append(Finding(kind, line, start - line_starts[line - 1] + 1, start, end))
    return findings
