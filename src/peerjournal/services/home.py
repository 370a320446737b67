"""Set up a data home and describe it: settings, folders, record counts."""

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from peerjournal.errors import NotFoundError, RecordError
from peerjournal.models.settings import Role, Settings
from peerjournal.store import yamlio
from peerjournal.store.atomic import ensure_private_dir, make_private, write_atomic
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.validate import parse_model

if TYPE_CHECKING:
    from peerjournal.models.people import Person

RECORD_SUFFIXES = (".md", ".json", ".yaml")


@dataclass(frozen=True)
class HomeInfo:
    """What `peerjournal info` shows."""

    home: DataHome
    initialised: bool
    settings: Settings | None
    counts: dict[str, int]
    loose_permissions: tuple[Path, ...]


def load_settings(home: DataHome) -> Settings:
    """The home's settings; a home without them has not been initialised."""
    if home.settings_file.is_symlink():  # never read through a link the home does not own
        raise RecordError(
            "is a symbolic link; peerjournal reads no file through a link: put the settings "
            "file itself here",
            path=home.settings_file,
        )
    if not home.settings_file.exists():
        raise NotFoundError(f"no peerjournal data in {home.root}; run 'peerjournal init' first")
    return parse_model(yamlio.load_file(home.settings_file), Settings, what="settings file")


def maybe_settings(home: DataHome) -> Settings | None:
    """The settings if the home is set up, else None (for screens that work either way)."""
    try:
        return load_settings(home)
    except NotFoundError:
        return None


def initialise(home: DataHome, name: str, role: Role) -> Settings:
    """Create the home's folders (0700) and write or update settings.yaml, keeping other keys."""
    ensure_private_dir(home.root)
    make_private(home.root)
    with home_lock(home.lock_file):
        existing = maybe_settings(home)
        data = existing.model_dump(by_alias=True) if existing else {}
        data.update(name=" ".join(name.split()), role=role)
        settings = Settings.model_validate(data)
        from peerjournal.services.people import People

        # the owner is a person: a new name renames them, so their history stays theirs
        before = existing if existing is not None else settings
        owner = People(home).owner(before, new_name=settings.name)
        settings = settings.model_copy(update={"person": owner.id, "name": owner.name})
        for folder in (
            home.journal_dir,
            home.assessments_dir,
            home.supervision_dir,
            home.frameworks_dir,
        ):
            ensure_private_dir(folder, within=home.root)
        save_settings(home, settings)
    return settings


def save_settings(home: DataHome, settings: Settings) -> None:
    """Write settings.yaml atomically with a short header comment."""
    header = "# peerjournal settings: who uses this home, and privacy word lists.\n"
    write_atomic(
        home.settings_file,
        header + yamlio.dump(settings.model_dump(by_alias=True, mode="json")),
        within=home.root,
    )


def describe(home: DataHome) -> HomeInfo:
    """Counts per record kind and any folders or files others can read. Changes nothing."""
    try:
        settings = maybe_settings(home)
    except RecordError:
        settings = None
    counts = {kind: count_records(folder) for kind, folder in home.record_dirs().items()}
    return HomeInfo(
        home=home,
        initialised=home.settings_file.exists(),
        settings=settings,
        counts=counts,
        loose_permissions=tuple(loose_permissions(home)),
    )


def first_notice(home: DataHome, name: str) -> bool:
    """True the first time a one-time notice is asked for in this home, False afterwards."""
    marker = home.root / f".notice-{name}"
    if marker.exists():
        return False
    write_atomic(marker, "shown\n", within=home.root)
    return True


def count_records(folder: Path) -> int:
    """How many record files lie under ``folder`` (temp files and hidden files excluded)."""
    if not folder.is_dir():
        return 0
    return sum(
        1
        for path in folder.rglob("*")
        if path.suffix in RECORD_SUFFIXES and not path.name.startswith(".") and path.is_file()
    )


def loose_permissions(home: DataHome) -> list[Path]:
    """The home and its top folders if group or others can read them."""
    found = []
    for path in (home.root, *home.record_dirs().values(), home.settings_file):
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            found.append(path)
    return found


def follow_owner(home: DataHome, person: "Person") -> None:
    """After a rename, settings.yaml shows the owner's new name (and records their id)."""
    with home_lock(home.lock_file):
        settings = maybe_settings(home)
        if settings is None:
            return
        known = {" ".join(n.split()).casefold() for n in (*person.earlier_names, person.name)}
        mine = settings.person == person.id
        if mine or (
            settings.person is None and " ".join(settings.name.split()).casefold() in known
        ):
            save_settings(
                home, settings.model_copy(update={"person": person.id, "name": person.name})
            )
