"""Test doubles for the seams (a fixed clock), record paths and a populated home."""

import json
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# The zone and the moment every command of a test runs at (the `zone` and `clock` fixtures).
ZONE = ZoneInfo("Pacific/Auckland")
NOW = datetime(2026, 11, 24, 14, 30, tzinfo=ZONE)


class FixedClock:
    """A clock that starts at a set time and moves only by ``tick`` a reading, or when told.

    A tick of a second keeps records made one after another in the order they were made, as
    on a real clock, without the test depending on the real time.
    """

    def __init__(self, now: datetime, *, tick: timedelta = timedelta(0)) -> None:
        self.now = now
        self.tick = tick

    def __call__(self) -> datetime:
        reading = self.now
        self.now = reading + self.tick
        return reading


def entry_path(home: Path, entry_id: str, when: datetime) -> Path:
    """Where the store files an entry of that id and date (never a path typed by hand)."""
    from peerjournal.store.entries import EntryStore
    from peerjournal.store.layout import DataHome

    return EntryStore(DataHome(home)).path_for(entry_id, when)


DEAD_WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=ZONE)
DEAD_ID = f"{DEAD_WHEN:%Y%m%d-%H%M}-dead"


def dead_entry(home: Path, text: str) -> Path:
    """A hand-written entry file at the place its id and date say, in private folders."""
    path = entry_path(home, DEAD_ID, DEAD_WHEN)
    for folder in reversed([path.parent, *path.parent.parents]):
        if not folder.exists():
            folder.mkdir(mode=0o700)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime, to prove a command changed nothing."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- shared by tests/reliability --------------------------------------------------------------

RECORD_FOLDERS = ("journal", "assessments", "supervision")


def record_files(home: Path) -> list[Path]:
    """Every diary, assessment and supervision record file, leftovers of writes excluded."""
    return sorted(
        path
        for folder in RECORD_FOLDERS
        for path in (home / folder).rglob("*")
        if path.is_file() and path.suffix in (".md", ".json") and not path.name.startswith(".")
    )


def leftover_temp_files(home: Path) -> list[Path]:
    """Temp files an interrupted or failed write left behind (``.name.PID.NS.tmp``)."""
    return sorted(path for path in home.rglob("*.tmp") if path.is_file())


def read_record(home: Path, path: Path) -> object:
    """Parse a record file with its own store; raises RecordError if it does not parse."""
    from peerjournal.store.agreements import AgreementStore
    from peerjournal.store.assessments import AssessmentStore
    from peerjournal.store.entries import EntryStore
    from peerjournal.store.layout import DataHome
    from peerjournal.store.supervision import SessionStore

    data_home = DataHome(home)
    parts = path.relative_to(home).parts
    if parts[0] == "journal":
        return EntryStore(data_home).read(path)
    if parts[0] == "assessments":
        return AssessmentStore(data_home).read(path)
    if parts[:2] == ("supervision", "sessions"):
        return SessionStore(data_home).read(path)
    store = AgreementStore(data_home)
    found = [stored for stored in store.iter() if stored.path == path]
    if store.broken:
        raise store.broken[0]
    return found[0]


def problem_lines(stderr: str) -> list[str]:
    """The error lines of a failed command: 'peerjournal: ...' lines that are not warnings."""
    return [
        line
        for line in stderr.splitlines()
        if line.startswith("peerjournal:") and not line.startswith("peerjournal: warning:")
    ]


def populate(run, home: Path, tmp_path: Path) -> dict[str, str]:
    """Fill an initialised home with every kind of record, through the real commands.

    A fictional worker's diary (three entries), a self and a supervisor assessment of the test
    framework, a draft, a supervision session with an action, an agreement and a framework of
    their own. Returns the ids the tests need.
    """
    import re
    import shutil

    data = Path(__file__).parent / "data" / "frameworks"
    copied = shutil.copy(data / "harbour-values.yaml", home / "frameworks")
    Path(copied).chmod(0o600)  # copied by the test, as a person would; not peerjournal's file

    def ok(*args: str, input: str | None = None) -> str:
        result = run(*args, input=input)
        assert result.exit_code == 0, (args, result.stderr)
        return result.stdout

    ids: dict[str, str] = {}
    for key, when, title in (
        ("first", "2026-09-01 10:00", "Garden day"),
        ("second", "2026-09-20 10:00", "Phone call"),
        ("third", "2026-09-21 10:00", "Not for supervision"),
    ):
        extra = ["--for-supervision"] if key != "third" else []
        out = ok(
            "diary", "add", f"{title}: we talked it through.", "--date", when, "--title", title,
            "--tag", "group", "--competency", "harbour-values/w.1", *extra,
        )  # fmt: skip
        ids[key] = out.split()[-1]
    for role, answers in (("self", "w.1: 3\nw.2: 1\nf.1: 2\n"), ("supervisor", "w.1: 1\n")):
        extra = ["--role", "supervisor", "--subject", "Sam Rivers"] if role == "supervisor" else []
        path = tmp_path / f"{role}-answers.yaml"
        path.write_text(answers)
        out = ok("assess", "start", "harbour-values", *extra, "--answers", str(path))
        ids[role] = re.findall(r"Saved assessment (\S+)", out)[0]
    ok("assess", "start", "harbour-values", input="q\n")
    session = tmp_path / "session.yaml"
    session.write_text(
        "date: 2026-09-10 09:00\nminutes: 60\ntype: professional\nsupervisor: Rowan Vale\n"
        f"topics:\n  'Diary: Garden day': We talked about pacing.\nentries: [{ids['first']}]\n"
        "actions:\n  - {text: Ask about the garden roster, owner: Sam, due: 2026-09-30}\n"
    )
    ids["session"] = ok("supervision", "new", "--from", str(session)).split()[3]
    ok(
        "supervision", "agreement", "--worker", "Sam Rivers", "--supervisor", "Rowan Vale",
        "--type", "professional", "--frequency", "every two weeks", "--minutes", "60",
        "--goal", "Use lived experience safely", "--review", "2099-03-01",
    )  # fmt: skip
    ok("frameworks", "new", "team-north")
    return ids


def read_only_commands(ids: dict[str, str]) -> list[tuple[str, ...]]:
    """Every command that only reads, over the records `populate` made."""
    return [
        (),  # the home screen
        ("info",),
        ("diary", "list"),
        ("diary", "list", "--json"),
        ("diary", "list", "--ids", "--tag", "group"),
        ("diary", "list", "--text", "garden"),
        ("diary", "list", "--since", "2026-09-15", "--for-supervision"),
        ("diary", "list", "--competency", "harbour-values"),
        ("diary", "show", ids["first"]),
        ("diary", "show", ids["first"], "--raw"),
        ("diary", "tags",),
        ("diary", "evidence", "harbour-values"),
        ("diary", "lint",),
        ("diary", "export", "--json"),
        ("report", "diary"),
        ("report", "assessment"),
        ("report", "supervision"),
        ("report", "prep"),
        ("report", "portfolio"),
        ("assess", "list"),
        ("assess", "show", ids["self"]),
        ("assess", "compare", ids["self"], ids["supervisor"]),
        ("assess", "progress", "harbour-values"),
        ("assess", "gaps"),
        ("supervision", "list"),
        ("supervision", "show", ids["session"]),
        ("supervision", "actions"),
        ("supervision", "hours"),
        ("supervision", "prep"),
        ("supervision", "agreement", "--worker", "Sam Rivers"),
        ("frameworks", "list"),
        ("frameworks", "show", "harbour-values"),
        ("frameworks", "show", "samhsa-core", "--domain", "share"),
    ]  # fmt: skip


def spawn(*args: str):  # -> pexpect.spawn; pexpect is imported here only when used
    """The real `peerjournal` in a pseudo-terminal, for flows a person types into."""
    import os
    import sys

    import pexpect

    child = pexpect.spawn(
        sys.executable, ["-m", "peerjournal", *args], env=dict(os.environ, COLUMNS="100"),
        encoding="utf-8", timeout=20,
    )  # fmt: skip
    child.delaybeforesend = 0.05
    return child


def add_entries(run, entries) -> list[str]:  # run: conftest.Runner; entries: (text, when, tag)
    """Add each (text, date, tag) through `diary add`; the new entries' ids, in order."""
    found = []
    for text, when, tag in entries:
        result = run("diary", "add", text, "--date", when, "--tag", tag)
        assert result.exit_code == 0, result.stderr
        found.append(result.stdout.split()[-1])
    return found


def add_linked(run, *refs: str) -> None:
    """One quick entry linked to these competency references."""
    args = [arg for ref in refs for arg in ("--competency", ref)]
    result = run("diary", "add", "A quiet chat on the porch.", *args)
    assert result.exit_code == 0, result.stderr


def assessments(home: Path) -> list[Path]:
    """The assessment files of a home, in order."""
    return sorted((home / "assessments").rglob("*.json"))


class Home:
    """One person's data home in tmp_path, driven through the real CLI (``run`` of conftest).

    For the sharing tests: two or more homes, and bundles handed between them as files.
    """

    def __init__(self, run, root: Path, name: str, role: str, *, frameworks=()) -> None:
        self.run_cli, self.root, self.name = run, root, name
        self.ok("init", "--name", name, "--role", role)
        for framework in frameworks:  # framework files to copy into the home
            (root / "frameworks").mkdir(exist_ok=True)
            shutil.copy(framework, root / "frameworks")

    def run(self, *args: str, input: str | None = None):
        return self.run_cli("--home", str(self.root), *args, input=input)

    def ok(self, *args: str, input: str | None = None):
        result = self.run(*args, input=input)
        assert result.exit_code == 0, result.stderr
        return result

    def key(self) -> str:
        return self.ok("keys", "show").stdout.splitlines()[0]

    def fingerprint(self) -> str:
        return self.ok("keys", "show").stdout.splitlines()[1].split()[-1]

    def trust(self, other: "Home") -> None:
        self.ok("keys", "trust", other.name, other.key(), "--yes")

    def person_id(self, name: str) -> str:
        [row] = [
            r for r in json.loads(self.ok("keys", "list", "--json").stdout) if r["name"] == name
        ]
        return row["person_id"]


def make_old(home: Path) -> None:
    """Turn a home into one written before people existed: names in records, no registry.

    Used by the people tests and the encryption sweep, so migrate has work to do.
    """
    people = {
        path.stem: path.read_text().split("name: ", 1)[1].split("\n")[0]
        for path in (home / "people").glob("*.yaml")
    }
    for path in [
        *home.joinpath("supervision").rglob("*.md"),
        *(home / "assessments").glob("*/*.json"),
    ]:
        text = re.sub(r"schema: [23]\n", "schema: 1\n", path.read_text())
        text = text.replace('"schema": 2', '"schema": 1')
        for person_id, name in people.items():
            text = text.replace(person_id, name)
        path.write_text(text)
    shutil.rmtree(home / "people")
    settings = home / "settings.yaml"
    settings.write_text(re.sub(r"person: .*\n", "", settings.read_text()))
