"""A1, A8: a writer killed at any moment leaves every record whole, old or new, never torn.

Each trial starts a real peerjournal process that runs the commands a person runs, one after
another, exactly as ``python -m peerjournal ARGS`` does (``runpy`` on the package's __main__),
and SIGKILLs it 0-80 ms after it starts on them. Python needs ~0.3 s to import peerjournal, so
the process imports first and waits for a go: the kill lands among the saves, not in the
interpreter's start-up. After every trial, every record file must parse with its store, be
non-empty, and hold either its old content or a whole new one; `diary list` must show exactly
the entry files (no leftover temp file); and every save acknowledged on stdout before the kill
must be there.
"""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import leftover_temp_files, read_record, record_files

DATA = Path(__file__).parents[1] / "data" / "frameworks"

WORKER = textwrap.dedent(
    """
    import json, runpy, sys
    import peerjournal.cli, peerjournal.services.assessments, peerjournal.services.diary
    import peerjournal.services.supervision, peerjournal.services.frameworks
    commands = json.loads(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    for argv in commands:
        sys.argv = ["peerjournal", *argv]
        try:
            runpy.run_module("peerjournal", run_name="__main__", alter_sys=True)
        except SystemExit:
            pass
        sys.stdout.flush()
    """
)


@dataclass
class Figures:
    trials: int = 0
    records_checked: int = 0
    killed_mid_run: int = 0
    acknowledged: int = 0
    leftover_temp_files: set[Path] = field(default_factory=set)
    trials_that_changed_records: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class World:
    home: Path
    entries: list[str]
    answers: Path
    session_file: Path


@pytest.fixture
def world(run, home, tmp_path):
    shutil.copy(DATA / "harbour-values.yaml", home / "frameworks")
    entries = []
    for number in range(3):
        result = run("diary", "add", f"Seed entry {number}: we planned a walk.", "--title", "Seed")
        assert result.exit_code == 0, result.stderr
        entries.append(result.stdout.split()[-1])
    answers = tmp_path / "answers.yaml"
    answers.write_text("w.1: 3\nw.2: na\nf.1: {rating: 2, note: Kept a promise to call back.}\n")
    session_file = tmp_path / "session.yaml"
    session_file.write_text(
        "date: 2 days ago\nminutes: 50\ntype: professional\nsupervisor: Rowan Vale\n"
        "wellbeing: Rested and steady.\n"
        f"entries: [{entries[0]}, {entries[1]}]\n"
        "actions:\n  - {text: Read the boundaries guide, owner: Sam}\n"
    )
    return World(home, entries, answers, session_file)


def commands_for(world: World, trial: int, rng: random.Random) -> list[list[str]]:
    commands = [
        ["diary", "add", f"Trial {trial}: a long talk on the bench outside.", "--title", "Bench"],
        ["diary", "edit", rng.choice(world.entries), "--add-tag", f"trial-{trial}"],
        ["assess", "start", "harbour-values", "--answers", str(world.answers)],
        ["supervision", "new", "--from", str(world.session_file)],
    ]
    rng.shuffle(commands)
    return commands


def snapshot_records(home: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in record_files(home)}


def entry_view(stored) -> tuple[dict, dict]:
    """An entry as (what an edit may change, everything else)."""
    meta = stored.entry.meta.model_dump(by_alias=True, mode="json")
    changeable = {key: meta.pop(key, None) for key in ("tags", "updated", "discussed_in")}
    meta["body"] = [stored.entry.preamble, [(s.heading, s.text) for s in stored.entry.sections]]
    return changeable, meta


def check_trial(world: World, run, before: dict[Path, bytes], trial: int, stdout: str) -> int:
    """Every invariant of a trial; returns how many record files were checked."""
    home = world.home
    after = record_files(home)
    where = f"trial {trial}"
    for path in after:
        raw = path.read_bytes()
        assert raw, f"{where}: {path} is empty"
        stored = read_record(home, path)  # raises if the file does not parse
        old = before.get(path)
        if old is None and path.parts[-4] == "journal":
            assert stored.entry.preamble == f"Trial {trial}: a long talk on the bench outside."
        if old is None or old == raw:
            continue
        assert path.relative_to(home).parts[0] == "journal", f"{where}: {path} was rewritten"
        old_changeable, old_rest = entry_view(read_record_bytes(home, path, old))
        new_changeable, new_rest = entry_view(stored)
        assert new_rest == old_rest, f"{where}: {path} changed more than an edit may"
        assert set(old_changeable["tags"]) <= set(new_changeable["tags"])
        assert set(old_changeable["discussed_in"] or []) <= set(
            new_changeable["discussed_in"] or []
        )
    assert set(before) <= set(after), f"{where}: a record file disappeared"

    listed = run("diary", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert "skipped" not in listed.stderr
    ids = {row["id"] for row in json.loads(listed.stdout)}
    on_disk = {path.stem for path in after if path.relative_to(home).parts[0] == "journal"}
    assert ids == on_disk, f"{where}: diary list shows {ids ^ on_disk} wrongly"
    for command in (("assess", "list"), ("supervision", "list")):
        result = run(*command)
        assert result.exit_code == 0, result.stderr
        assert "skipped" not in result.stderr

    check_acknowledged(world, trial, stdout)
    return len(after)


def read_record_bytes(home: Path, path: Path, raw: bytes):
    """Parse the old bytes of an entry from a scratch file outside the home."""
    from peerjournal.store.entries import EntryStore
    from peerjournal.store.layout import DataHome

    scratch = home.parent / "scratch" / path.name
    scratch.parent.mkdir(exist_ok=True)
    scratch.write_bytes(raw)
    return EntryStore(DataHome(home)).read(scratch)


def check_acknowledged(world: World, trial: int, stdout: str) -> None:
    home = world.home
    by_stem = {path.stem: path for path in record_files(home)}
    for entry_id in re.findall(r"Saved diary entry (\S+)", stdout):
        assert entry_id in by_stem, f"trial {trial}: acknowledged entry {entry_id} is missing"
    for entry_id in re.findall(r"Updated diary entry (\S+)", stdout):
        stored = read_record(home, by_stem[entry_id])
        assert f"trial-{trial}" in stored.entry.meta.tags, f"trial {trial}: lost tag"
    for assessment_id in re.findall(r"Saved assessment (\S+)", stdout):
        stored = read_record(home, by_stem[assessment_id])
        assert stored.assessment.status == "complete"
        assert stored.assessment.responses["w.1"].rating == 3
    for session_id in re.findall(r"Saved supervision session (\S+)", stdout):
        assert session_id in by_stem, f"trial {trial}: acknowledged session is missing"
        for entry_id in world.entries[:2]:
            extra = read_record(home, by_stem[entry_id]).entry.meta.model_extra or {}
            assert session_id in extra.get("discussed_in", []), f"trial {trial}: not marked"


def acknowledgements(stdout: str) -> int:
    return len(re.findall(r"^(?:Saved|Updated) ", stdout, flags=re.MULTILINE))


def crash_trials(world: World, run, trials: int, seed: int) -> Figures:
    rng = random.Random(seed)
    figures = Figures()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for trial in range(trials):
        commands = commands_for(world, trial, rng)
        before = snapshot_records(world.home)
        process = subprocess.Popen(
            [sys.executable, "-c", WORKER, json.dumps(commands)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        assert process.stdout.readline().strip() == "ready"
        process.stdin.write("go\n")
        process.stdin.flush()
        time.sleep(rng.uniform(0, 0.080))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            figures.killed_mid_run += 1
        stdout = process.stdout.read()
        process.wait()
        process.stdin.close()
        process.stdout.close()
        figures.trials += 1
        figures.acknowledged += acknowledgements(stdout)
        figures.leftover_temp_files.update(leftover_temp_files(world.home))
        if snapshot_records(world.home) != before:
            figures.trials_that_changed_records += 1
        first = commands[0][:2]
        figures.kinds[" ".join(first)] = figures.kinds.get(" ".join(first), 0) + 1
        try:
            figures.records_checked += check_trial(world, run, before, trial, stdout)
        except AssertionError as error:
            raise AssertionError(f"seed {seed}, commands {commands}: {error}") from error
    return figures


def test_writers_killed_at_random_moments_leave_every_record_whole(world, run):
    figures = crash_trials(world, run, trials=8, seed=random.randrange(2**32))
    assert figures.trials == 8
    assert figures.records_checked >= 8 * 3  # the three seed entries, at least


@pytest.mark.slow
def test_two_hundred_and_forty_crash_trials(world, run):
    seed = random.randrange(2**32)
    figures = crash_trials(world, run, trials=240, seed=seed)
    print(  # noqa: T201 - the figures are the point of the slow run (pytest -m slow -s)
        f"\ncrash trials: {figures.trials} (seed {seed}); killed before finishing: "
        f"{figures.killed_mid_run}; record files checked: {figures.records_checked}; "
        f"trials in which records changed before the kill: "
        f"{figures.trials_that_changed_records}; "
        f"saves acknowledged before the kill and found: {figures.acknowledged}; "
        f"leftover temp files (never listed): {len(figures.leftover_temp_files)}; "
        f"first command per trial: {figures.kinds}"
    )
    assert figures.killed_mid_run > figures.trials // 2
