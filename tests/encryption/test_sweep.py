"""Nothing readable on disk: an encrypted home, its cache, runtime and temp folders hold no text.

A home gets every kind of record, each carrying the fictional sentinel word `Quillfeather`
(a word no framework or source text holds). After `encrypt`, a series of everyday commands runs
on the home, and after every one of them each file below the home, the cache folder, the
runtime folder ($XDG_RUNTIME_DIR), the per-test temp folder ($TMPDIR) and the other isolated
XDG folders is searched for the word: as UTF-8, UTF-16 and UTF-32, JSON, HTML and percent
escapes, hex and base64 (both alphabets, all three alignments), inside gzip streams, and in
file names, in any case. The other home of the test (a plain supervisor's home, with its own
index) and the test's input files (passphrase, answers, bundles) are not part of the sweep.
"""

import base64
import contextlib
import gzip
import json
import os
import re
import shlex
import signal
import sys
import tempfile
from pathlib import Path

import pytest

from helpers import Home, make_old
from peerjournal.store.index import cache_folder
from peerjournal.store.layout import DataHome

pytest.importorskip("cryptography")
pytest.importorskip("sqlcipher3")
pytest.importorskip("pyrage")

WORD = "Quillfeather"
PASSPHRASE = "lantern over the quiet harbour"  # noqa: S105 - a fictional one
HARBOUR = Path(__file__).parents[1] / "data" / "frameworks" / "harbour-values.yaml"
PHONE = "555-201-3344"


# --- the sweep ----------------------------------------------------------------------------------


def _base64_runs(data: bytes) -> list[bytes]:
    """The base64 text of ``data`` at each of the three alignments, only the chars it fixes."""
    runs = []
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).rstrip(b"=")
        first = -(-8 * shift // 6)
        last = (8 * shift + 8 * len(data)) // 6
        runs.append(encoded[first:last])
    return runs


def needles(word: str) -> list[tuple[str, bytes, bool]]:
    """(encoding, bytes to find, whether to search the lowercased file) for the word."""
    lower = word.lower()
    found: list[tuple[str, bytes, bool]] = [
        ("UTF-8", lower.encode(), True),
        ("UTF-16-LE", lower.encode("utf-16-le"), True),
        ("UTF-16-BE", lower.encode("utf-16-be"), True),
        ("UTF-32-LE", lower.encode("utf-32-le"), True),
        ("UTF-32-BE", lower.encode("utf-32-be"), True),
    ]
    for variant in sorted({word, lower, word.upper()}):
        raw = variant.encode()
        codes = [ord(c) for c in variant]  # escapes fix the letter's case: each variant apart
        found += [
            (f"hex of {variant!r}", raw.hex().encode(), True),
            (
                f"JSON \\u escapes of {variant!r}",
                "".join(f"\\u{c:04x}" for c in codes).encode(),
                True,
            ),
            (f"HTML escapes of {variant!r}", "".join(f"&#{c};" for c in codes).encode(), True),
            (
                f"HTML hex escapes of {variant!r}",
                "".join(f"&#x{c:x};" for c in codes).encode(),
                True,
            ),
            (f"percent escapes of {variant!r}", "".join(f"%{c:02x}" for c in codes).encode(), True),
        ]
        for shift, run in enumerate(_base64_runs(raw)):
            found.append((f"base64 of {variant!r} (alignment {shift})", run, False))
            urlsafe = run.replace(b"+", b"-").replace(b"/", b"_")
            if urlsafe != run:
                found.append((f"urlsafe base64 of {variant!r} (alignment {shift})", urlsafe, False))
    return found


NEEDLES = needles(WORD)


def findings_in(data: bytes) -> list[str]:
    lowered = data.lower()
    hits = [name for name, needle, fold in NEEDLES if needle in (lowered if fold else data)]
    if data[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError):
            hits += [f"gzip, then {hit}" for hit in findings_in(gzip.decompress(data))]
    return hits


def sweep(folders: list[Path], skip: tuple[Path, ...] = ()) -> list[str]:
    """Every file (and name) below ``folders`` that shows the word, with the encoding."""
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*")):
            if any(path.is_relative_to(skipped) for skipped in skip):
                continue
            if WORD.lower() in path.name.lower():
                found.append(f"{path}: the word is in the file name")
            if path.is_symlink() or not path.is_file():
                continue
            try:
                data = path.read_bytes()
            except OSError:  # a socket or a file gone meanwhile
                continue
            found += [f"{path}: {hit}" for hit in findings_in(data)]
    return found


def test_the_needles_find_the_word_in_every_encoding():
    text = f"prefix {WORD} suffix"
    for data in (
        text.encode(),
        text.upper().encode("utf-16-le"),
        text.encode("utf-16-be"),
        json.dumps(text.upper().replace("Q", "\u0400")).replace("\\u0400", "Q").encode(),
        "".join(f"\\u{ord(c):04X}" for c in text).encode(),
        gzip.compress(text.encode()),
        *(base64.b64encode(b"x" * shift + text.encode()) for shift in range(3)),
        *(base64.urlsafe_b64encode(b"\xff" * shift + WORD.encode()) for shift in range(3)),
        text.encode().hex().encode(),
        "".join(f"&#{ord(c)};" for c in WORD).encode(),
    ):
        assert findings_in(data), data
    assert findings_in(b"a plain text about a garden and the harbour") == []
    assert findings_in(os.urandom(4096)) == []


# --- the home -----------------------------------------------------------------------------------


class World:
    """The encrypted home of the test, the other (plain) home, and the folders to sweep."""

    def __init__(self, run, tmp_path: Path, cache_root: Path, runtime: Path) -> None:
        self.run_cli = run
        self.tmp_path = tmp_path
        self.inputs = tmp_path / "inputs"  # the test's own files: never swept
        self.inputs.mkdir()
        self.passphrase = self.inputs / "passphrase.txt"
        self.passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")
        self.sam = Home(run, tmp_path / "home", "Sam Rivers", "peer-worker", frameworks=[HARBOUR])
        self.rowan = Home(run, tmp_path / "rowan", "Rowan Vale", "supervisor", frameworks=[HARBOUR])
        for copied in (*self.sam.root.glob("frameworks/*"), *self.rowan.root.glob("frameworks/*")):
            copied.chmod(0o600)  # copied by the test, as a person would
        self.runtime = runtime
        self.cache_root = cache_root
        self.tmpdir = tmp_path / "tmp"
        self.bundles = 0
        self.ids: dict[str, str] = {}

    @property
    def home(self) -> Path:
        return self.sam.root

    def ok(self, *args: str, input: str | None = None) -> str:
        result = self.sam.run(*args, input=input)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def file(self, name: str, text: str) -> str:
        path = self.inputs / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    def folders(self) -> list[Path]:
        # everything peerjournal could write to under the test's isolated locations
        return [
            self.home,
            self.cache_root.parent,
            self.runtime,
            self.tmpdir,
            *(self.tmp_path / name for name in ("xdg_config_home", "xdg_data_home")),
            self.tmp_path / "xdg_state_home",
            self.tmp_path / "user",
        ]

    def leaks(self) -> list[str]:
        rowan_cache = cache_folder(DataHome(self.rowan.root), self.cache_root)
        return sweep(self.folders(), skip=(rowan_cache,))

    def receive_from_rowan(self, notes: str, when: str) -> None:
        self.rowan.ok(
            "supervision", "new", "--worker", "Sam Rivers", "--minutes", "45",
            "--notes", notes, "--date", when,
        )  # fmt: skip
        self.bundles += 1
        bundle = self.inputs / f"from-rowan-{self.bundles}.pjbundle"
        self.rowan.ok("share", "--to", "Sam Rivers", "--out", str(bundle))
        self.ok("receive", str(bundle))

    def share_to_rowan(self) -> None:
        self.bundles += 1
        bundle = self.inputs / f"to-rowan-{self.bundles}.pjbundle"
        self.ok("share", "--to", "Rowan Vale", "--out", str(bundle))
        self.rowan.ok("receive", str(bundle))


def fill(world: World) -> None:
    """Every kind of record, each holding the word, written while the home is plain."""
    w = world
    out = w.ok(
        "diary", "add", f"Walked with {WORD} to the community garden.", "--title",
        f"{WORD} walk", "--tag", WORD.lower(), "--date", "2026-11-20 10:00", "--for-supervision",
        "--competency", "harbour-values/w.1",
    )  # fmt: skip
    w.ids["quick"] = out.split()[-1]
    out = w.ok("diary", "add", "-", "--date", "2026-11-21 10:00",
               input=f"Piped notes: {WORD} asked about the roster.\n")  # fmt: skip
    w.ids["piped"] = out.split()[-1]
    out = w.ok("diary", "add", f"The {WORD} entry that goes to the trash.", "--date",
               "2026-11-19 09:00")  # fmt: skip
    w.ok("diary", "delete", out.split()[-1], "--yes")
    answers = w.file("answers.yaml", f"w.1: 3\nw.2: na\nf.1: {{rating: 2, note: {WORD} again}}\n")
    w.ok("assess", "start", "harbour-values", "--answers", answers)
    w.ok("assess", "start", "harbour-values", input="q\n")  # an unfinished assessment
    session = w.file(
        "session.yaml",
        "date: 2026-11-18 09:00\nminutes: 60\ntype: professional\nsupervisor: Rowan Vale\n"
        f"topics:\n  'Pacing': We talked about {WORD} and pacing.\n"
        f"actions:\n  - {{text: Ask {WORD} about the roster, owner: Sam, due: 2026-12-01}}\n",
    )
    w.ok("supervision", "new", "--from", session)
    w.ok(
        "supervision", "agreement", "--worker", "Sam Rivers", "--supervisor", "Rowan Vale",
        "--type", "professional", "--frequency", "every two weeks", "--minutes", "60",
        "--goal", f"Bring {WORD} stories safely", "--review", "2099-03-01",
    )  # fmt: skip
    refused = w.sam.run("diary", "add", f"Call {WORD} back on {PHONE}.", "--strict")
    assert refused.exit_code == 2, refused.stderr  # kept in .recovery
    assert list((w.home / ".recovery").rglob("*"))
    guided = w.sam.run("diary", "add", "--guided", input=f"{WORD} afternoon\ncommunity garden\n")
    assert guided.exit_code == 2  # a diary draft
    assert "--resume" in guided.stderr
    # a migration snapshot (before any trust: make_old drops the people a trust names)
    make_old(w.home)
    assert "The originals are in" in w.ok("migrate")
    assert list((w.home / ".snapshots").rglob("*"))
    w.sam.trust(w.rowan)
    w.rowan.trust(w.sam)
    w.receive_from_rowan(f"Rowan's notes on {WORD} and rest.", "2026-11-22 10:00")
    w.share_to_rowan()
    w.ok("privacy", "watch", "add", f"Kit {WORD}")  # taken out again before more is written
    for folder in (".trash", ".recovery", ".snapshots", "team", "drafts"):
        hits = [p for p in (w.home / folder).rglob("*") if p.is_file()]
        assert hits or folder == "drafts", folder
    assert w.leaks(), "the plain home should show the word before it is encrypted"


@pytest.fixture
def world(run, tmp_path, cache_root, runtime_dir, monkeypatch, fake_editor) -> World:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir(mode=0o700)
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    built = World(run, tmp_path, cache_root, runtime_dir)
    fill(built)
    return built


def buffers(world: World) -> Path:
    return world.runtime / "peerjournal" / "buffers"


def no_buffers_left(world: World) -> None:
    folders = [buffers(world), world.home / ".tmp"]
    left = [path for folder in folders if folder.exists() for path in folder.iterdir()]
    assert left == []


def test_nothing_readable_after_encrypt_and_after_every_command(world, monkeypatch, fake_editor):
    w = world
    encrypted = w.sam.ok("encrypt", "--passphrase-file", str(w.passphrase), "--yes")
    assert "Encrypted" in encrypted.stderr
    assert w.leaks() == []
    monkeypatch.setenv("PEERJOURNAL_PASSPHRASE_FILE", str(w.passphrase))
    quick = w.ids["quick"]
    answers = w.file("answers-2.yaml", f"w.1: 2\nf.1: {{rating: 1, note: {WORD} once more}}\n")
    steps: list[tuple[tuple[str, ...], str | None]] = [
        (("privacy", "watch", "remove", f"Kit {WORD}"), None),  # or every save below would ask
        ((), None),  # the home screen and its facts cache
        (("diary", "list"), None),
        (("diary", "list", "--text", WORD.lower()), None),
        (("diary", "list", "--tag", WORD.lower()), None),
        (("diary", "show", quick), None),
        (("diary", "show", quick, "--raw"), None),
        (("diary", "export", "--json"), None),
        (("diary", "add", f"A new note about {WORD} at lunch."), None),
        (("diary", "add", "-", "--title", f"{WORD} piped"), f"{WORD} sat with the group.\n"),
        (("diary", "edit", quick), None),
        (("report", "prep"), None),
        (("report", "diary"), None),
        (("report", "supervision"), None),
        (("assess", "start", "harbour-values", "--answers", answers), None),
        (("assess", "list"), None),
        (("supervision", "new", "--notes", f"Talked {WORD} through.", "--minutes", "30"), None),
        (("supervision", "list"), None),
        (("supervision", "hours"), None),
        (("supervision", "actions"), None),
        (("supervision", "prep"), None),
        (("drafts", "list"), None),
        (("migrate",), None),
        (("reindex",), None),
        (("doctor",), None),
        (("diary", "delete", w.ids["piped"], "--yes"), None),
        (("trash", "list"), None),
        (("diary", "restore", w.ids["piped"]), None),
        (("unlock", "--minutes", "5"), None),
        (("lock",), None),
        (("recovery", "list"), None),
    ]
    fake_editor({"write": "{buffer}\n" + f"Added later: {WORD} came by.\n"})
    leaks: dict[str, list[str]] = {}
    for args, typed in steps:
        result = w.sam.run(*args, input=typed)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        if args[:2] == ("diary", "edit"):
            no_buffers_left(w)
            assert WORD in w.ok("diary", "show", quick).split("Added later:")[1]
        if found := w.leaks():
            leaks[" ".join(args) or "(home screen)"] = found
    # more that writes: a draft, a refused save kept in recovery, a received bundle, a migrate
    refused = w.sam.run("diary", "add", f"Ring {WORD} on {PHONE}.", "--strict")
    assert refused.exit_code == 2
    guided = w.sam.run("diary", "add", "--guided", input=f"{WORD} evening\n")
    assert guided.exit_code == 2
    w.receive_from_rowan(f"Rowan's second note on {WORD}.", "2026-11-23 10:00")
    w.share_to_rowan()
    if found := w.leaks():
        leaks["draft, recovery, receive, share"] = found
    w.ok("privacy", "watch", "add", f"Mo {WORD}")  # last: from now on the word is flagged
    assert WORD in w.ok("privacy", "watch", "list")
    if found := w.leaks():
        leaks["privacy watch add"] = found
    doctor = w.sam.run("doctor")
    assert "in the clear" not in doctor.stdout + doctor.stderr
    assert WORD in w.ok("diary", "list", "--text", WORD.lower())  # and it all still reads
    assert WORD in w.ok("diary", "show", quick)
    assert WORD in w.ok("report", "supervision")
    assert leaks == {}


def test_nothing_readable_after_rekey_and_unlocked_work(world, monkeypatch):
    w = world
    w.ok("encrypt", "--passphrase-file", str(w.passphrase), "--yes")
    w.ok("--passphrase-file", str(w.passphrase), "privacy", "watch", "remove", f"Kit {WORD}")
    w.ok("rekey", "--passphrase-file", str(w.passphrase), "--yes")
    assert w.leaks() == []
    w.ok("unlock", "--passphrase-file", str(w.passphrase))
    w.ok("diary", "add", f"{WORD} while unlocked.")  # the agent opens it: no passphrase given
    w.ok("diary", "list", "--text", WORD.lower())
    assert w.leaks() == []
    w.ok("lock")
    assert w.leaks() == []


def test_a_migrate_of_an_encrypted_home_writes_sealed_snapshots(
    run, tmp_path, cache_root, runtime_dir, monkeypatch
):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir(mode=0o700)
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    w = World(run, tmp_path, cache_root, runtime_dir)
    session = w.file(
        "session.yaml",
        "date: 2026-11-18 09:00\nminutes: 60\ntype: professional\nsupervisor: Rowan Vale\n"
        f"topics:\n  'Pacing': We talked about {WORD} and pacing.\n",
    )
    w.ok("supervision", "new", "--from", session)
    answers = w.file("answers.yaml", f"w.1: 3\nf.1: {{rating: 2, note: {WORD} again}}\n")
    w.ok("assess", "start", "harbour-values", "--answers", answers)
    make_old(w.home)
    w.ok("encrypt", "--passphrase-file", str(w.passphrase), "--yes")
    assert w.leaks() == []
    monkeypatch.setenv("PEERJOURNAL_PASSPHRASE_FILE", str(w.passphrase))
    assert "The originals are in" in w.ok("migrate")
    assert [p for p in (w.home / ".snapshots").rglob("*") if p.is_file()]
    assert w.leaks() == []
    [session_id] = re.findall(r"\d{8}-\d{4}-[0-9a-f]{4}", w.ok("supervision", "list"))
    assert WORD in w.ok("supervision", "show", session_id)  # the migrated record opens


# --- the editor's buffer ------------------------------------------------------------------------


def test_a_failing_editor_leaves_no_buffer(world, monkeypatch, fake_editor):
    w = world
    w.ok("encrypt", "--passphrase-file", str(w.passphrase), "--yes")
    monkeypatch.setenv("PEERJOURNAL_PASSPHRASE_FILE", str(w.passphrase))
    w.ok("privacy", "watch", "remove", f"Kit {WORD}")
    seen = fake_editor(
        {"write": "{buffer}\n" + f"{WORD} typed, then the editor failed.", "exit": 3}
    )
    failed = w.sam.run("diary", "edit", w.ids["quick"])
    assert failed.exit_code != 0
    buffer = Path((seen / "last-buffer-path").read_text())
    assert buffer.is_relative_to(buffers(w))  # in memory, not in the home
    assert not buffer.exists()
    no_buffers_left(w)
    assert w.leaks() == []
    fake_editor({"write": "{buffer}\n" + f"{WORD} in a new entry from the editor.\n"})
    made = w.sam.run("diary", "add", "--editor")
    assert made.exit_code == 0, made.stderr
    no_buffers_left(w)
    assert w.leaks() == []


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_ctrl_c_in_the_editor_leaves_no_buffer(world, monkeypatch):
    from helpers import spawn

    w = world
    w.ok("encrypt", "--passphrase-file", str(w.passphrase), "--yes")
    editor = w.inputs / "slow_editor.py"
    editor.write_text(
        "import sys, time\n"
        "with open(sys.argv[1], 'a', encoding='utf-8') as f:\n"
        f"    f.write('Typed in the editor: {WORD}.\\n')\n"
        "print('editing now', flush=True)\n"
        "time.sleep(60)\n"
    )
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(editor))}")
    monkeypatch.setenv("PEERJOURNAL_PASSPHRASE_FILE", str(w.passphrase))
    child = spawn("diary", "edit", w.ids["quick"])
    child.expect("editing now")
    assert [p.name for p in buffers(w).iterdir()]  # the buffer is there while the editor runs
    child.sendintr()
    child.expect(__import__("pexpect").EOF)
    child.close()
    assert child.exitstatus == 130 or child.signalstatus == signal.SIGINT
    no_buffers_left(w)
    assert w.leaks() == []
    assert "Typed in the editor" not in w.ok("diary", "show", w.ids["quick"])
