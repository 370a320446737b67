"""Person records on disk (``<home>/people/<id>.yaml``) and the id <-> name translation.

Records hold a person's id; the stores of sessions, agreements and assessments turn ids into
current display names as they read and names back into ids as they write, so a rename is one
file and every record follows it.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from peerjournal.errors import RecordError
from peerjournal.models.people import Person
from peerjournal.store import yamlio
from peerjournal.store.atomic import write_atomic
from peerjournal.store.layout import DataHome
from peerjournal.store.records import not_followed
from peerjournal.store.validate import parse_model

SUFFIX = ".yaml"
_generation = [0]  # bumped by every save in this process, so no reader keeps a stale copy


def normal(name: str) -> str:
    """A name as compared: whitespace collapsed, case folded."""
    return " ".join(name.split()).casefold()


def name_id(name: str) -> str:
    """The id a migration gives a name: the same name always gives the same id."""
    return "p-" + hashlib.sha256(normal(name).encode("utf-8")).hexdigest()[:6]


def is_person_id(value: str) -> bool:
    """True for text shaped like a person id (``p-`` and hex digits)."""
    rest = value[2:]
    return value.startswith("p-") and len(rest) >= 6 and all(c in "0123456789abcdef" for c in rest)


@dataclass
class PeopleStore:
    """Read and write person records; unreadable files are collected, never raised."""

    home: DataHome
    broken: list[RecordError] = field(default_factory=list)
    _cache: tuple[tuple[int, int], dict[str, Person]] | None = None

    @property
    def folder(self) -> Path:
        return self.home.root / "people"

    def new_id(self) -> str:
        """A random id nobody has yet."""
        while True:
            candidate = f"p-{secrets.token_hex(3)}"
            if not (self.folder / f"{candidate}{SUFFIX}").exists():
                return candidate

    def all(self) -> dict[str, Person]:
        """Every person by id; reread only when the folder changed since the last read."""
        try:
            stamp = (self.folder.stat().st_mtime_ns, _generation[0])
        except OSError:
            return {}
        if self._cache is not None and self._cache[0] == stamp:
            return self._cache[1]
        self.broken.clear()
        found: dict[str, Person] = {}
        for path in sorted(self.folder.glob(f"*{SUFFIX}")):
            if path.name.startswith("."):
                continue
            if path.is_symlink():  # never opened: it could point at anyone's file
                self.broken.append(not_followed(path))
                continue
            try:
                person = parse_model(yamlio.load_file(path), Person, what="person record")
            except RecordError as problem:
                self.broken.append(problem)
                continue
            found[person.id] = person
        self._cache = (stamp, found)
        return found

    def save(self, person: Person) -> None:
        """Write one person record atomically (call with the home lock held)."""
        data = person.model_dump(by_alias=True, mode="json")
        write_atomic(self.folder / f"{person.id}{SUFFIX}", yamlio.dump(data), within=self.home.root)
        self._cache = None
        _generation[0] += 1

    # --- translation used by the record stores ------------------------------------------

    def name_of(self, value: str) -> str:
        """The current display name for an id, or for a name a person had; else the text."""
        people = self.all()
        if value in people:
            return people[value].name
        wanted = normal(value)
        if wanted and not is_person_id(value):
            # a name someone has now wins over a name someone else had before
            for person in people.values():
                if wanted == normal(person.name):
                    return person.name
            for person in people.values():
                if wanted in map(normal, person.earlier_names):
                    return person.name
        return value

    def id_of(self, value: str) -> str:
        """The id to store for a display name; a name of nobody known is stored as typed."""
        wanted = normal(value)
        if not wanted:
            return value
        people = self.all()
        if value in people:
            return value
        for person in people.values():
            if wanted == normal(person.name):
                return person.id
        return value


class NamesPeople:
    """For a record store that keeps people by id on disk and by display name in memory.

    The store's dataclass declares ``home`` and ``people`` (None until first needed); the
    people files are then read once per store, however many records are turned.
    """

    home: DataHome
    people: "PeopleStore | None"

    def people_store(self) -> "PeopleStore":
        if self.people is None:
            self.people = PeopleStore(self.home)
        return self.people
