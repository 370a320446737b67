"""The privacy word lists in settings.yaml: names to watch for and phrases never to flag.

People change the lists with `peerjournal privacy watch|allow add|remove` rather than by
editing YAML. The words are themselves identifying (a watched name is a real person), so the
results say how many, never which: only the list itself, asked for, shows them.
"""

from dataclasses import dataclass
from typing import Literal

from peerjournal.errors import InputError, NotFoundError
from peerjournal.models.settings import Settings
from peerjournal.services.home import load_settings, save_settings
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock

__all__ = ["LISTS", "ListName", "PrivacyLists", "WordListChange"]

ListName = Literal["watch", "allow"]
LISTS: dict[ListName, tuple[str, str]] = {  # name -> (settings key, what one entry is)
    "watch": ("watch_names", "name"),
    "allow": ("allow", "phrase"),
}
MAX_LENGTH = 200


@dataclass(frozen=True)
class WordListChange:
    """What an add or remove did, without the words: whether it changed, and the count."""

    changed: bool
    count: int


class PrivacyLists:
    """Add to, remove from and read the watch list and the allow list of one home."""

    def __init__(self, home: DataHome) -> None:
        self._home = home

    def entries(self, which: ListName) -> tuple[str, ...]:
        """The list as stored, in the order it was written."""
        return tuple(_words(load_settings(self._home), which))

    def add(self, which: ListName, value: str) -> WordListChange:
        """Add an entry unless it is there already (in any case); settings keep other keys."""
        words = _normal(value, which)
        with home_lock(self._home.lock_file):
            settings = load_settings(self._home)
            current = _words(settings, which)
            if any(_same(entry, words) for entry in current):
                return WordListChange(changed=False, count=len(current))
            updated = [*current, words]
            save_settings(self._home, _with(settings, which, updated))
        return WordListChange(changed=True, count=len(updated))

    def remove(self, which: ListName, value: str) -> WordListChange:
        """Remove an entry (in any case and spacing); one not on the list is an error."""
        words = _normal(value, which)
        with home_lock(self._home.lock_file):
            settings = load_settings(self._home)
            current = _words(settings, which)
            kept = [entry for entry in current if not _same(entry, words)]
            if len(kept) == len(current):
                _, noun = LISTS[which]
                raise NotFoundError(f"that {noun} is not on the {which} list")
            save_settings(self._home, _with(settings, which, kept))
        return WordListChange(changed=True, count=len(kept))


def _words(settings: Settings, which: ListName) -> list[str]:
    key, _ = LISTS[which]
    return list(getattr(settings.privacy, key))


def _with(settings: Settings, which: ListName, words: list[str]) -> Settings:
    key, _ = LISTS[which]
    privacy = settings.privacy.model_copy(update={key: words})
    return settings.model_copy(update={"privacy": privacy})


def _normal(value: str, which: ListName) -> str:
    """One line, single spaces; refused (without echoing it) when empty or far too long."""
    _, noun = LISTS[which]
    words = " ".join(value.split())
    if sum(char.isalnum() for char in words) < 2:
        raise InputError(f"a {noun} needs at least two letters or digits")
    if len(words) > MAX_LENGTH:
        raise InputError(f"a {noun} can be at most {MAX_LENGTH} characters")
    return words


def _same(entry: str, words: str) -> bool:
    return " ".join(entry.split()).casefold() == words.casefold()
