"""Migrations snapshot first, validate before writing, and finish after a kill."""

import json
import subprocess
import sys
import textwrap
from datetime import datetime

import pytest

from helpers import NOW, FixedClock
from peerjournal.errors import RecordError
from peerjournal.services.migrate import migrate
from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome

OLD_ENTRY = """---
schema: 0
id: {id}
date: '2026-10-0{n}T10:00:00+13:00'
title: Old note {n}
supervision: yes please
---

Written before 'for_supervision' existed.
"""


def old_home(tmp_path, count=5):
    home = DataHome(tmp_path / "home")
    folder = EntryStore(home).path_for("x", datetime.fromisoformat("2026-10-01T10:00+13:00")).parent
    folder.mkdir(parents=True)
    paths = []
    for n in range(1, count + 1):
        path = folder / f"20261001-100{n}-aaa{n}.md"
        path.write_text(OLD_ENTRY.format(id=path.stem, n=n))
        paths.append(path)
    return home, paths


def rename_supervision(data, body):
    """The test's schema 0 -> 1 step: 'supervision: <text>' became 'for_supervision: <bool>'."""
    data["for_supervision"] = bool(data.pop("supervision", None))
    return data, body


STEPS = {"entry": {0: rename_supervision}}


def test_nothing_to_do_takes_no_snapshot(tmp_path):
    home = DataHome(tmp_path / "home")
    report = migrate(home, clock=FixedClock(NOW), migrations=STEPS)
    assert (report.migrated, report.snapshot) == ((), None)
    assert not home.snapshots_dir.exists()


def test_older_records_are_snapshotted_then_migrated(tmp_path):
    home, paths = old_home(tmp_path)
    originals = {path: path.read_bytes() for path in paths}
    report = migrate(home, clock=FixedClock(NOW), migrations=STEPS)
    assert sorted(report.migrated) == sorted(paths)
    for path, before in originals.items():
        assert (report.snapshot / path.relative_to(home.root)).read_bytes() == before
    entries = {stored.entry.id: stored.entry for stored in EntryStore(home).iter()}
    assert len(entries) == 5
    assert all(entry.meta.schema_ == 1 and entry.meta.for_supervision for entry in entries.values())
    assert all("supervision" not in (entry.meta.model_extra or {}) for entry in entries.values())
    assert not (home.root / ".migrating.json").exists()
    assert (
        migrate(home, clock=FixedClock(NOW), migrations=STEPS).migrated == ()
    )  # a second run has nothing left


def test_dry_run_changes_nothing(tmp_path):
    home, paths = old_home(tmp_path)
    before = [path.read_bytes() for path in paths]
    report = migrate(home, clock=FixedClock(NOW), migrations=STEPS, dry_run=True)
    assert len(report.migrated) == 5
    assert [path.read_bytes() for path in paths] == before
    assert not home.snapshots_dir.exists()


def test_a_step_that_makes_an_invalid_record_changes_nothing(tmp_path):
    home, paths = old_home(tmp_path, count=1)
    before = paths[0].read_bytes()

    def broken_step(data, body):
        data["date"] = "not a date"
        return data, body

    with pytest.raises(RecordError, match="the migrated record is not valid"):
        migrate(home, clock=FixedClock(NOW), migrations={"entry": {0: broken_step}})
    assert paths[0].read_bytes() == before


def test_a_missing_step_is_a_clear_error(tmp_path):
    home, paths = old_home(tmp_path, count=1)
    with pytest.raises(RecordError, match="no migration from schema 0 to 1 for a entry"):
        migrate(home, clock=FixedClock(NOW), migrations={"entry": {}})
    assert "schema: 0" in paths[0].read_text()


def test_records_from_a_newer_peerjournal_are_left_alone(tmp_path):
    home, paths = old_home(tmp_path, count=1)
    newer = paths[0].with_name("20261002-1000-ffff.md")
    newer.write_text(OLD_ENTRY.format(id=newer.stem, n=2).replace("schema: 0", "schema: 9"))
    before = newer.read_bytes()
    report = migrate(home, clock=FixedClock(NOW), migrations=STEPS)
    assert report.newer == (newer,)
    assert newer.read_bytes() == before


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import datetime, timezone
    from pathlib import Path
    from peerjournal.services.migrate import migrate
    from peerjournal.store.layout import DataHome
    done = []
    def step(data, body):
        data["for_supervision"] = bool(data.pop("supervision", None))
        done.append(1)
        if len(done) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return data, body
    now = datetime(2026, 11, 24, 1, 30, tzinfo=timezone.utc)
    migrate(DataHome(Path(sys.argv[1])), migrations={"entry": {0: step}}, clock=lambda: now)
    """
)


def test_a_migration_killed_halfway_finishes_when_run_again(tmp_path):
    home, paths = old_home(tmp_path, count=6)
    originals = {path: path.read_bytes() for path in paths}
    killed = subprocess.run([sys.executable, "-c", KILLER, str(home.root)], check=False)
    assert killed.returncode == -9
    state = json.loads((home.root / ".migrating.json").read_text())
    halfway = [path for path in paths if "schema: 0" not in path.read_text()]
    assert len(halfway) == 2  # two written, the third was being migrated when it died
    report = migrate(home, clock=FixedClock(NOW), migrations=STEPS)
    assert str(report.snapshot) == state["snapshot"]  # the same snapshot, not a second one
    assert len(report.migrated) == 4
    for path, before in originals.items():  # every original is in the snapshot, unharmed
        assert (report.snapshot / path.relative_to(home.root)).read_bytes() == before
    entries = list(EntryStore(home).iter())
    assert len(entries) == 6
    assert all(stored.entry.meta.schema_ == 1 for stored in entries)


def test_the_command_reports_what_it_did(run, home):
    result = run("migrate", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == "Would migrate 0 records.\n"


def test_the_people_step_is_pure_and_deterministic():
    from peerjournal.services.migrate import MIGRATIONS, people_migrations
    from peerjournal.store.people import name_id

    step = MIGRATIONS["session"][1]
    data = {"worker": "Sam  Rivers", "supervisor": "rowan vale", "minutes": 60}
    migrated, body = step(dict(data), "notes")
    assert body == "notes"
    assert migrated["worker"] == name_id("sam rivers") == name_id(" Sam Rivers ")
    assert migrated["worker"].startswith("p-")
    assert len(migrated["worker"]) == 8
    assert step(dict(migrated), "")[0] == migrated  # ids stay as they are
    assert data["worker"] == "Sam  Rivers"  # the input is not changed
    known = people_migrations({"sam rivers": "p-abc123"})
    assert known["assessment"][1]({"subject": "Sam Rivers", "assessor": ""}, "")[0] == {
        "subject": "p-abc123",
        "assessor": "",
    }
