"""People: a registry of person records, and turning a typed name into one of them.

A record names a person by a stable id, so renaming someone keeps every session, agreement and
assessment theirs. A name typed on the command line must be a known person's: exactly, by a
case difference, or by a unique prefix; otherwise the command refuses with "did you mean".
"""

import difflib
from collections.abc import Iterable, Mapping

from peerjournal.errors import InputError, NotFoundError, RecordError
from peerjournal.models.people import Person
from peerjournal.models.settings import Settings
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.people import PeopleStore, name_id, normal

ROLES = ("worker", "supervisor", "peer-worker", "other")


def tidy(name: str) -> str:
    """A name as stored: single spaces, no ends."""
    return " ".join(name.split())


def match_name(typed: str, known: Iterable[str]) -> str:
    """The one known name ``typed`` means: exact, case-insensitive, or a unique prefix.

    Refuses with "did you mean" for a near miss and lists the candidates of an ambiguous prefix.
    """
    names = list(dict.fromkeys(tidy(n) for n in known if n.strip()))
    wanted = normal(typed)
    if not wanted:
        raise InputError("the name must not be empty")
    exact = [n for n in names if normal(n) == wanted]
    if exact:
        return exact[0]
    prefixed = [n for n in names if normal(n).startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        shown = ", ".join(repr(n) for n in sorted(prefixed, key=str.casefold))
        raise InputError(f"{tidy(typed)!r} matches {len(prefixed)} people: {shown}; say which")
    folded = {normal(n): n for n in names}
    close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=0.6)
    if close:
        raise NotFoundError(f"no person {tidy(typed)!r}; did you mean {folded[close[0]]!r}?")
    raise NotFoundError(f"no person {tidy(typed)!r}; see 'peerjournal people list'")


def person_json(person: Person) -> dict[str, object]:
    """One person for ``--json``: the same keys every time, in this order."""
    return {
        "id": person.id,
        "name": person.name,
        "earlier_names": list(person.earlier_names),
        "role": person.role or None,
        "archived": person.archived,
    }


class People:
    """The person records of one home."""

    def __init__(self, home: DataHome, store: PeopleStore | None = None) -> None:
        self.home = home
        self.store = store or PeopleStore(home)

    @property
    def broken(self) -> list[RecordError]:
        return self.store.broken

    def everyone(self, *, archived: bool = False) -> list[Person]:
        """People by name; archived ones only when asked."""
        found = [p for p in self.store.all().values() if archived or not p.archived]
        return sorted(found, key=lambda p: normal(p.name))

    def names(self) -> list[str]:
        """The display names of everyone not archived."""
        return [p.name for p in self.everyone()]

    def earlier(self, typed: str) -> str | None:
        """The current name of the one person who once had exactly this name, if any.

        A name someone has now always wins over a name someone else had before.
        """
        wanted = normal(typed)
        people = self.everyone(archived=True)
        if any(normal(p.name) == wanted for p in people):
            return None
        had = [p for p in people if wanted in map(normal, p.earlier_names)]
        return had[0].name if len(had) == 1 else None

    def find(self, typed: str, *, archived: bool = True) -> Person:
        """The person a typed name means (see ``match_name``); an earlier name still finds them."""
        typed = self.earlier(typed) or typed
        people = self.everyone(archived=archived)
        chosen = normal(match_name(typed, [p.name for p in people]))
        return next(p for p in people if normal(p.name) == chosen)

    def add(self, name: str, role: str = "") -> Person:
        """A new person with a random id; a name someone already has is refused."""
        name = tidy(name)
        if not name:
            raise InputError("the name must not be empty")
        with home_lock(self.home.lock_file):
            clash = self._named(name)
            if clash is not None:
                state = " (archived)" if clash.archived else ""
                raise InputError(f"{clash.name!r} is already a person{state} ({clash.id})")
            person = Person(id=self.store.new_id(), name=name, role=role)
            self.store.save(person)
        return person

    def rename(self, person: Person, new: str) -> Person:
        """Give a person a new display name; the old one is kept as an earlier name."""
        new = tidy(new)
        if not new:
            raise InputError("the new name must not be empty")
        with home_lock(self.home.lock_file):
            clash = self._named(new)
            if clash is not None and clash.id != person.id:
                raise InputError(f"{clash.name!r} is already a person ({clash.id})")
            if new == person.name:
                return person
            earlier = [n for n in person.earlier_names if normal(n) != normal(new)]
            if normal(person.name) != normal(new):
                earlier.append(person.name)
            renamed = person.model_copy(update={"name": new, "earlier_names": earlier})
            self.store.save(renamed)
        return renamed

    def archive(self, person: Person) -> Person:
        """Leave a person out of lists; their records stay and still show their name."""
        with home_lock(self.home.lock_file):
            archived = person.model_copy(update={"archived": True})
            self.store.save(archived)
        return archived

    def owner(self, settings: Settings, new_name: str | None = None) -> Person:
        """The home's owner as a person, created (or renamed to ``new_name``) as needed.

        Settings written before people existed name the owner only: they are found by that name
        (a migrated home already has the person), and the caller writes the id back.
        """
        people = self.store.all()
        person = people.get(settings.person or "")
        if person is None:
            person = self._named(settings.name, earlier=True)
        if person is None:
            person = Person(id=name_id(settings.name), name=tidy(settings.name), role=settings.role)
            if person.id in people:  # the hash of another name: keep both apart
                person.id = self.store.new_id()
            with home_lock(self.home.lock_file):
                self.store.save(person)
        if new_name is not None and tidy(new_name) != person.name:
            person = self.rename(person, new_name)
        return person

    def ensure(
        self, named: Mapping[str, str], roles: Mapping[str, str] | None = None
    ) -> list[Person]:
        """Create a person for each id met in records (with the name it replaced) if missing."""
        made: list[Person] = []
        with home_lock(self.home.lock_file):
            people = self.store.all()
            for person_id, name in sorted(named.items()):
                if person_id not in people:
                    role = (roles or {}).get(person_id, "")
                    person = Person(id=person_id, name=tidy(name), role=role)
                    self.store.save(person)
                    made.append(person)
        return made

    def id_map(self) -> dict[str, str]:
        """Every name a person has or had (compared form) -> their id, for a migration."""
        found: dict[str, str] = {}
        for person in self.store.all().values():
            for name in (*person.earlier_names, person.name):
                found[normal(name)] = person.id
        return found

    def _named(self, name: str, *, earlier: bool = False) -> Person | None:
        wanted = normal(name)
        for person in self.store.all().values():
            names = [person.name, *(person.earlier_names if earlier else ())]
            if wanted in map(normal, names):
                return person
        return None
