"""The rules for an entry's front-matter values, without pydantic, for every reader to share.

``models.entry`` builds the model from them, and the index's fast reader
(``store.index_rows``) and the query layer (``services.query``) use them directly, so `diary
list --tag "two words"` means the same tag the model stores. Kept free of pydantic because the
fast paths must not pay for it (about 80 ms a command).
"""

from collections.abc import Iterable

MAX_TAG = 60
TAG_RULE = f"a tag is one word of at most {MAX_TAG} characters, without ',', '#' or '@'"
DISCUSSED_KEY = "discussed_in"  # an extra field: written by supervision, kept as it is
_NOT_IN_TAGS = frozenset(",#@")
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def normal_tag(text: str) -> str:
    """A tag as it is stored: lower case, spaces inside become hyphens ('' for a blank one).

    The same rule on save and on read, so a hand-written ``[two words]`` means the tag
    ``two-words`` everywhere instead of making the whole entry unreadable.
    """
    tag = "-".join(text.lower().split())
    if len(tag) > MAX_TAG or not _NOT_IN_TAGS.isdisjoint(tag):
        raise ValueError(TAG_RULE)
    return tag


def unique(values: Iterable[str]) -> list[str]:
    """Values in first-seen order without repeats or blanks."""
    return [value for value in dict.fromkeys(values) if value]


def normal_tags(values: Iterable[str]) -> list[str]:
    """Tags as they are stored (see ``normal_tag``), without blanks or repeats."""
    return unique(normal_tag(value) for value in values)


def one_line(text: str) -> str:
    """Text on one line: outer spaces dropped, each line break inside becomes one space."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


# Who was involved, by role only: the words offered, and the shape any other label must have.
ROLES: tuple[str, ...] = (
    "resident",
    "family member",
    "whānau",
    "carer",
    "friend",
    "peer",
    "staff member",
    "clinician",
    "manager",
    "visitor",
    "group",
)
MAX_ROLE = 40
ROLE_RULE = "use a role, not a name: one of " + ", ".join(ROLES) + ", or a few lower-case words"
_ARTICLES = ("a ", "an ", "the ", "my ")
_ROLE_SIGNS = frozenset(" -'")


def role_label(text: str) -> str:
    """A typed role as it is stored ('A Resident' is 'resident'); ValueError for anything else.

    A word of ``ROLES`` in any case, with or without 'a', 'an' or 'the', is taken. Any other
    label must be at most four lower-case words (e.g. 'support coordinator'): a
    capital letter, a digit or a sign looks like a name, an initial or a number, and is refused.
    """
    label = " ".join(text.split())
    for article in _ARTICLES:
        if label.lower().startswith(article):
            label = label[len(article) :]
            break
    if label.lower() in ROLES:
        return label.lower()
    if not label:
        raise ValueError("a role needs a word, such as resident or family member")
    shaped = all((c.isalpha() and c.islower()) or c in _ROLE_SIGNS for c in label)
    if len(label) > MAX_ROLE or len(label.split()) > 4 or not shaped:
        raise ValueError(f"{ROLE_RULE} (this looks like a name or a detail)")
    return label


def yes_no(value: object) -> bool:
    """A flag as people write it: true/false, yes/no, on/off or 1/0, in any case."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueError("must be true or false")
