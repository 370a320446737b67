"""SIGKILL during `encrypt`, `rekey` and `decrypt`: every record stays readable, a rerun finishes.

A home of 300 diary entries (one jrnl import) and a few records of every other kind (an
assessment, a supervision session with an action, an agreement, a trashed entry, a draft, a
recovery file, a read-only received session) is converted by a real `python -m peerjournal`
process, which is SIGKILLed at a seeded random moment 0-300 ms after the conversion has visibly
begun (the key file exists, or says `rekeying` / `decrypting`). After each kill:

- every file of the home is either its old form or its new one, whole: byte for byte the
  original plaintext, or a complete sealed record that opens (with the keys of the key file as
  it is now) to exactly that plaintext; no file is lost, none is added but temp files;
- `diary export --json` gives every entry's text as before, `diary show` of a sample the same
  output, `diary list` every entry, and `doctor` names no damaged record;
- the same command run again finishes: `doctor` is clean, every file is sealed with the current
  key (or, after `decrypt`, byte-identical to the plaintext before encryption) and keeps its mode.

Two trials per command run by default; `-m slow` runs ten more each.
"""

import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from helpers import Home
from peerjournal.store.atomic import is_temp_file
from peerjournal.store.index import cache_folder
from peerjournal.store.layout import DataHome
from peerjournal.store.vault import stays_plain

pytest.importorskip("cryptography")
pytest.importorskip("sqlcipher3")
pytest.importorskip("pyrage")

from peerjournal.store.keyfile import load_key_file
from peerjournal.store.sealed import MAGIC, binding, is_sealed, open_bytes

PASSPHRASE = "a kettle on the harbour wall"  # noqa: S105 - a fictional one
HARBOUR = Path(__file__).parents[1] / "data" / "frameworks" / "harbour-values.yaml"
ENTRIES = 300
KEEP_PLAIN = ("encryption.json", ".lock")  # never converted
SAMPLE = 4  # entries shown one by one after each kill


# --- the home -----------------------------------------------------------------------------------


def jrnl_journal(count: int) -> str:
    """A fictional jrnl journal: one entry a day, each with its own words."""
    lines = []
    for number in range(count):
        day, hour = divmod(number, 3)
        month, mday = divmod(day, 28)
        lines.append(
            f"[2025-{month + 1:02d}-{mday + 1:02d} {9 + hour * 3:02d}:00] Visit {number}\n"
            f"Walked with resident {number} to the bakery; we talked about @garden plans "
            f"and the number {number * 7919}.\n"
        )
    return "\n".join(lines)


def build(run, tmp_path: Path) -> Path:
    """The plain home at $PEERJOURNAL_HOME, with every kind of record."""
    inputs = tmp_path / "inputs"
    inputs.mkdir(exist_ok=True)
    sam = Home(run, tmp_path / "home", "Sam Rivers", "peer-worker", frameworks=[HARBOUR])
    rowan = Home(run, tmp_path / "rowan", "Rowan Vale", "supervisor", frameworks=[HARBOUR])
    for copied in (*sam.root.glob("frameworks/*"), *rowan.root.glob("frameworks/*")):
        copied.chmod(0o600)
    journal = inputs / "journal.txt"
    journal.write_text(jrnl_journal(ENTRIES), encoding="utf-8")
    sam.ok("diary", "import", "jrnl", str(journal))
    gone = sam.ok("diary", "add", "An entry for the trash.", "--date", "2026-11-01 09:00")
    sam.ok("diary", "delete", gone.stdout.split()[-1], "--yes")
    answers = inputs / "answers.yaml"
    answers.write_text("w.1: 3\nw.2: na\nf.1: {rating: 2, note: Kept a promise.}\n")
    sam.ok("assess", "start", "harbour-values", "--answers", str(answers))
    session = inputs / "session.yaml"
    session.write_text(
        "date: 2026-11-10 09:00\nminutes: 60\ntype: professional\nsupervisor: Rowan Vale\n"
        "topics:\n  'Pacing': We talked about pacing.\n"
        "actions:\n  - {text: Ask about the roster, owner: Sam, due: 2026-12-01}\n"
    )
    sam.ok("supervision", "new", "--from", str(session))
    sam.ok(
        "supervision", "agreement", "--worker", "Sam Rivers", "--supervisor", "Rowan Vale",
        "--type", "professional", "--frequency", "every two weeks", "--minutes", "60",
        "--goal", "Use lived experience safely", "--review", "2099-03-01",
    )  # fmt: skip
    assert sam.run("diary", "add", "Call back on 555-201-3344.", "--strict").exit_code == 2
    assert sam.run("diary", "add", "--guided", input="Garden afternoon\n").exit_code == 2
    sam.trust(rowan)
    rowan.trust(sam)
    rowan.ok(
        "supervision", "new", "--worker", "Sam Rivers", "--minutes", "45",
        "--notes", "Rest after a hard week.", "--date", "2026-11-22 10:00",
    )  # fmt: skip
    bundle = inputs / "from-rowan.pjbundle"
    rowan.ok("share", "--to", "Sam Rivers", "--out", str(bundle))
    sam.ok("receive", str(bundle))
    for folder in (".trash", ".recovery", "drafts", "team", "assessments", "supervision"):
        assert [p for p in (sam.root / folder).rglob("*") if p.is_file()], folder
    assert any(
        stat.S_IMODE(p.stat().st_mode) == 0o400 for p in (sam.root / "team").rglob("*.md")
    )  # a received record is read-only
    return sam.root


@dataclass
class Plain:
    """What the home held before any encryption: each file's bytes and mode, and read-outs."""

    files: dict[str, bytes]
    modes: dict[str, int]
    export: object
    shows: dict[str, str]
    listed: set[str]


def files_of(home: Path) -> dict[str, Path]:
    return {
        path.relative_to(home).as_posix(): path
        for path in sorted(home.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def read_outs(run) -> tuple[object, dict[str, str], set[str]]:
    exported = run("diary", "export", "--json")
    assert exported.exit_code == 0, exported.stderr
    entries = json.loads(exported.stdout)
    listed = run("diary", "list", "--ids")
    assert listed.exit_code == 0, listed.stderr
    ids = set(listed.stdout.split())
    shows = {}
    for entry_id in sorted(ids)[:: max(1, len(ids) // SAMPLE)]:
        shown = run("diary", "show", entry_id)
        assert shown.exit_code == 0, shown.stderr
        shows[entry_id] = shown.stdout
    return entries, shows, ids


def capture(run, home: Path) -> Plain:
    found = files_of(home)
    entries, shows, ids = read_outs(run)
    assert len(ids) == ENTRIES
    return Plain(
        {name: path.read_bytes() for name, path in found.items()},
        {name: stat.S_IMODE(path.stat().st_mode) for name, path in found.items()},
        entries,
        shows,
        ids,
    )


class Bench:
    """One test's home, its saved forms, and the conversions run on it."""

    def __init__(self, run, tmp_path: Path, cache_root: Path, monkeypatch) -> None:
        self.run = run
        self.tmp_path = tmp_path
        self.cache_root = cache_root
        self.monkeypatch = monkeypatch
        self.home = build(run, tmp_path)
        self.passphrase = tmp_path / "inputs" / "passphrase.txt"
        self.passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")
        self.plain = capture(run, self.home)
        self.saved: dict[str, Path] = {}
        self.save("plain")

    def save(self, name: str) -> None:
        copy = self.tmp_path / "saved" / name
        shutil.copytree(self.home, copy, symlinks=True)
        self.saved[name] = copy

    def restore(self, name: str) -> None:
        """Put a saved form of the home back, with no cache and no passphrase in effect."""
        self.monkeypatch.delenv("PEERJOURNAL_PASSPHRASE_FILE", raising=False)
        shutil.rmtree(self.home)
        shutil.copytree(self.saved[name], self.home, symlinks=True)
        shutil.rmtree(cache_folder(DataHome(self.home), self.cache_root), ignore_errors=True)

    def ok(self, *args: str):
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def unlocked(self) -> None:
        self.monkeypatch.setenv("PEERJOURNAL_PASSPHRASE_FILE", str(self.passphrase))

    # --- the subprocess -----------------------------------------------------------------------

    def kill_during(self, rng: random.Random, began, *args: str) -> str:
        """Run `peerjournal ARGS` for real; SIGKILL it 0-300 ms after ``began()`` holds."""
        process = subprocess.Popen(
            [sys.executable, "-m", "peerjournal", *args],
            env=dict(os.environ),  # PEERJOURNAL_HOME, XDG_CACHE_HOME, XDG_RUNTIME_DIR of the test
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while process.poll() is None and not began():
            assert time.monotonic() < deadline, "the conversion never began"
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.3))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        _, err = process.communicate(timeout=30)
        if process.returncode == -signal.SIGKILL:
            return "killed"
        assert process.returncode == 0, err.decode()
        return "finished"

    # --- the checks ---------------------------------------------------------------------------

    def keys(self) -> tuple[dict[str, bytes], str | None, str | None]:
        """Every data key of the key file as it is now, its current key id, and its state."""
        path = self.home / "encryption.json"
        if not path.exists():
            return {}, None, None
        key_file = load_key_file(path)
        master = key_file.master_from_passphrase(PASSPHRASE)
        return key_file.data_keys(master), key_file.current, key_file.state

    def every_file_whole(self, *, sealing: bool = True) -> dict[str, int]:
        """Each file is its plaintext or a whole sealed record of it; counts of each form.

        A temp file a killed write left is skipped by every reader; while sealing it must hold
        no plaintext (nothing, or the start of a sealed record).
        """
        original = self.plain.files
        keys, _, _ = self.keys()
        found = files_of(self.home)
        counts = {"plain": 0, "sealed": 0, "temp": 0, "plain by design": 0}
        problems = []
        for name, path in found.items():
            if name in KEEP_PLAIN:
                continue
            if is_temp_file(path):
                counts["temp"] += 1
                head = path.read_bytes()[: len(MAGIC)]
                if sealing and not MAGIC.startswith(head):
                    problems.append(f"{name}: a temp file in the clear")
                continue
            raw = path.read_bytes()
            if name not in original:
                problems.append(f"{name}: a file that was not in the home")
            elif raw == original[name]:
                counts["plain by design" if stays_plain(PurePosixPath(name)) else "plain"] += 1
            elif is_sealed(raw):
                opened = open_bytes(keys, raw, binding(PurePosixPath(name)), path)
                if opened != original[name]:
                    problems.append(f"{name}: sealed, but not the original text")
                counts["sealed"] += 1
            else:
                problems.append(f"{name}: neither its plaintext nor a sealed record (torn)")
        lost = [name for name in original if name not in found and name not in KEEP_PLAIN]
        assert (problems, lost) == ([], [])
        return counts

    def reads_as_before(self) -> None:
        entries, shows, ids = read_outs(self.run)
        assert ids == self.plain.listed
        assert entries == self.plain.export
        assert shows == self.plain.shows
        doctor = self.run("doctor", "--json")
        assert doctor.exit_code in (0, 1), doctor.stderr
        findings = json.loads(doctor.stdout)
        bad = [f for f in findings if "authenticate" in f["message"] or "damaged" in f["message"]]
        assert bad == []

    def clean_and_finished(self) -> None:
        """`doctor` finds nothing but the recovery file of the build and a killed run's temp file.

        A temp file a SIGKILL leaves is for `doctor --fix` once it is a minute old, as after any
        killed save; a rerun does not remove it (see the report).
        """
        doctor = self.run("doctor", "--json")
        findings = json.loads(doctor.stdout)
        assert {f["kind"] for f in findings} <= {"recovery", "temp-file"}, doctor.stdout
        assert doctor.exit_code == (1 if any(f["kind"] == "temp-file" for f in findings) else 0)

    def modes_kept(self) -> None:
        changed = {
            name: (oct(self.plain.modes[name]), oct(stat.S_IMODE(path.stat().st_mode)))
            for name, path in files_of(self.home).items()
            if name in self.plain.modes
            and stat.S_IMODE(path.stat().st_mode) != self.plain.modes[name]
        }
        assert changed == {}

    def all_sealed_with_current(self) -> str:
        keys, current, state = self.keys()
        assert state == "encrypted"
        assert list(keys) == [current]  # an older data key is gone at the end
        wrong = {}
        for name, path in files_of(self.home).items():
            if stays_plain(PurePosixPath(name)) or is_temp_file(path):
                continue
            raw = path.read_bytes()
            if not is_sealed(raw) or raw[8:16].hex() != current:
                wrong[name] = raw[8:16].hex() if is_sealed(raw) else "plain"
        assert wrong == {}
        return current


@pytest.fixture
def bench(run, tmp_path, cache_root, monkeypatch) -> Bench:
    # The subprocess writes the passphrase slot with the real Argon2id cost (~0.1 s a try);
    # the many in-process checks after it derive the same key again and again: remember it.
    import functools

    from peerjournal.store import keyfile

    monkeypatch.setattr(keyfile, "argon2id", functools.cache(keyfile.argon2id))
    return Bench(run, tmp_path, cache_root, monkeypatch)


def trials(default: int, slow: int):
    seeds = [pytest.param(seed, id=f"seed{seed}") for seed in range(default)]
    seeds += [
        pytest.param(seed, id=f"seed{seed}", marks=pytest.mark.slow)
        for seed in range(default, default + slow)
    ]
    return pytest.mark.parametrize("seed", seeds)


def key_state(home: Path) -> str | None:
    try:
        return json.loads((home / "encryption.json").read_text(encoding="utf-8")).get("state")
    except (OSError, ValueError):
        return None


# --- encrypt ------------------------------------------------------------------------------------


@trials(default=2, slow=10)
def test_a_killed_encrypt_leaves_every_record_whole_and_a_rerun_finishes(
    bench, seed, record_property
):
    rng = random.Random(f"encrypt-{seed}")
    key_path = bench.home / "encryption.json"
    outcome = bench.kill_during(
        rng, key_path.exists, "encrypt", "--passphrase-file", str(bench.passphrase), "--yes"
    )
    counts = bench.every_file_whole()
    bench.unlocked()
    bench.reads_as_before()
    again = bench.run("encrypt")
    assert again.exit_code == 0, again.stderr
    assert bench.every_file_whole()["plain"] == 0
    bench.all_sealed_with_current()
    bench.clean_and_finished()
    bench.modes_kept()
    bench.reads_as_before()
    record_property("at the kill", f"{outcome}, {counts}")


# --- rekey --------------------------------------------------------------------------------------


@trials(default=2, slow=10)
def test_a_killed_rekey_leaves_every_record_whole_and_a_rerun_finishes(
    bench, seed, record_property
):
    rng = random.Random(f"rekey-{seed}")
    bench.ok("encrypt", "--passphrase-file", str(bench.passphrase), "--yes")
    _, first, _ = bench.keys()
    outcome = bench.kill_during(
        rng,
        lambda: key_state(bench.home) == "rekeying",
        "rekey", "--passphrase-file", str(bench.passphrase), "--yes",
    )  # fmt: skip
    counts = bench.every_file_whole()
    assert counts["plain"] == 0  # a rekey never writes a record in the clear
    bench.unlocked()
    bench.reads_as_before()
    again = bench.run("rekey")
    assert again.exit_code == 0, again.stderr
    current = bench.all_sealed_with_current()
    assert current != first
    assert json.loads((bench.home / "encryption.json").read_text())["current"] == current
    bench.every_file_whole()
    bench.clean_and_finished()
    bench.modes_kept()
    bench.reads_as_before()
    record_property("at the kill", f"{outcome}, {counts}")


# --- decrypt ------------------------------------------------------------------------------------


@trials(default=2, slow=10)
def test_a_killed_decrypt_leaves_every_record_whole_and_a_rerun_gives_the_plain_home(
    bench, seed, record_property
):
    rng = random.Random(f"decrypt-{seed}")
    bench.ok("encrypt", "--passphrase-file", str(bench.passphrase), "--yes")
    outcome = bench.kill_during(
        rng,
        lambda: key_state(bench.home) == "decrypting",
        "decrypt", "--passphrase-file", str(bench.passphrase), "--yes",
    )  # fmt: skip
    counts = bench.every_file_whole(sealing=False)
    bench.unlocked()
    bench.reads_as_before()
    if (bench.home / "encryption.json").exists():
        again = bench.run("decrypt", "--yes")
        assert again.exit_code == 0, again.stderr
    assert not (bench.home / "encryption.json").exists()
    now = {
        name: path.read_bytes()
        for name, path in files_of(bench.home).items()
        if not is_temp_file(path)  # a killed write's leftover (see clean_and_finished)
    }
    now.pop(".lock", None)
    before = dict(bench.plain.files)
    before.pop(".lock", None)
    assert sorted(now) == sorted(before)
    assert [name for name in before if now[name] != before[name]] == []
    bench.clean_and_finished()
    bench.modes_kept()
    bench.reads_as_before()
    record_property("at the kill", f"{outcome}, {counts}")


# --- a stop between the rename and the chmod ----------------------------------------------------


def received_home(run, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A small home holding one read-only received session; its passphrase file."""
    sam = Home(run, tmp_path / "home", "Sam Rivers", "peer-worker")
    rowan = Home(run, tmp_path / "rowan", "Rowan Vale", "supervisor")
    sam.trust(rowan)
    rowan.trust(sam)
    rowan.ok("supervision", "new", "--worker", "Sam Rivers", "--minutes", "45", "--notes",
             "Rest after a hard week.", "--date", "2026-11-22 10:00")  # fmt: skip
    bundle = tmp_path / "from-rowan.pjbundle"
    rowan.ok("share", "--to", "Sam Rivers", "--out", str(bundle))
    sam.ok("receive", str(bundle))
    [received] = (sam.root / "team").rglob("*.md")
    assert stat.S_IMODE(received.stat().st_mode) == 0o400
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return sam.root, received, passphrase


@pytest.mark.parametrize("command", ["encrypt", "decrypt"])
def test_a_stop_just_after_a_read_only_record_is_rewritten_keeps_it_read_only(
    run, tmp_path, monkeypatch, command
):
    _, received, passphrase = received_home(run, tmp_path)
    given = ("--passphrase-file", str(passphrase), "--yes")
    if command == "decrypt":
        assert run("encrypt", *given).exit_code == 0
        assert stat.S_IMODE(received.stat().st_mode) == 0o400
    replace = Path.replace

    def stopped_here(self, target):  # Ctrl-C (or SIGKILL) right after the rename
        done = replace(self, target)
        if Path(target).absolute() == received.absolute():
            raise KeyboardInterrupt
        return done

    monkeypatch.setattr(Path, "replace", stopped_here)
    try:
        stopped = run(command, *given)
    except KeyboardInterrupt:
        stopped = None
    monkeypatch.setattr(Path, "replace", replace)
    assert stat.S_IMODE(received.stat().st_mode) == 0o400  # read-only from the rename on
    assert stopped is None or stopped.exit_code != 0
    again = run(command, *given)
    assert again.exit_code == 0, again.stderr
    assert is_sealed(received.read_bytes()) == (command == "encrypt")
    assert stat.S_IMODE(received.stat().st_mode) == 0o400
