"""The home screen answers from cached facts: the same screen as a cold run, and never stale."""

import json
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from helpers import NOW, ZONE, populate
from peerjournal.store.facts_cache import facts_path
from peerjournal.store.layout import DataHome


def ok(run, *args: str, input: str | None = None) -> str:
    result = run(*args, input=input)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


@pytest.fixture
def facts_file(home: Path, cache_root: Path) -> Path:
    return facts_path(DataHome(home), cache_root)


def screen(run) -> tuple[int, str, str]:
    result = run()
    return result.exit_code, result.stdout, result.stderr


def cold(run, facts_file: Path) -> tuple[int, str, str]:
    """The home screen with no cached facts: everything read from the records."""
    facts_file.unlink(missing_ok=True)
    return screen(run)


def line(stdout: str, label: str) -> str:
    [found] = [row.strip() for row in stdout.splitlines() if row.strip().startswith(label)]
    return " ".join(found.split())


def new_session(run, tmp_path: Path, days_ago: int, due_in: int | None = None) -> None:
    when = NOW - timedelta(days=days_ago)
    path = tmp_path / f"session-{days_ago}.yaml"
    actions = ""
    if due_in is not None:
        due = NOW.date() + timedelta(days=due_in)
        actions = f"actions:\n  - {{text: Ask about the roster, owner: Sam, due: {due}}}\n"
    path.write_text(
        f"date: {when:%Y-%m-%d %H:%M}\nminutes: 60\ntype: professional\n"
        f"supervisor: Rowan Vale\nnotes: We talked about pacing.\n{actions}"
    )
    ok(run, "supervision", "new", "--from", str(path))


def test_a_warm_home_screen_is_the_cold_one(run, home, tmp_path, facts_file):
    populate(run, home, tmp_path)
    ok(run)  # the index and the facts, both warm
    first = cold(run, facts_file)
    assert facts_file.is_file()
    stored = facts_file.read_bytes(), facts_file.stat().st_mtime_ns
    warm = screen(run)
    assert warm == first
    assert (facts_file.read_bytes(), facts_file.stat().st_mtime_ns) == stored  # read, not written
    assert facts_file.stat().st_mode & 0o777 == 0o600
    assert facts_file.parent.stat().st_mode & 0o777 == 0o700


def test_a_new_session_shows_on_the_next_home_screen(run, home, tmp_path, facts_file):
    before = ok(run)
    assert line(before, "last supervision") == "last supervision never - supervision is due"
    new_session(run, tmp_path, days_ago=3, due_in=7)
    after = screen(run)
    assert line(after[1], "last supervision") == "last supervision 3 days ago"
    assert line(after[1], "open actions") == "open actions 1"
    assert after == cold(run, facts_file)


def test_finishing_an_assessment_shows_on_the_next_home_screen(run, home, facts_file):
    data = Path(__file__).parent.parent / "data" / "frameworks" / "harbour-values.yaml"
    Path(shutil.copy(data, home / "frameworks")).chmod(0o600)
    ok(run, "assess", "start", "harbour-values", input="2\nA note.\nq\n")
    during = ok(run)
    assert line(during, "assessments in progress") == "assessments in progress 1"
    assert "finish your assessment in progress" in during
    ok(run, "assess", "resume", input="3\n\n1\n\n\n")
    after = screen(run)
    assert "assessments in progress" not in after[1]
    assert line(after[1], "last assessment") == "last assessment 0 days ago"
    assert after == cold(run, facts_file)


def test_a_name_changed_in_settings_shows_on_the_next_home_screen(run, home, facts_file):
    assert "peerjournal: Sam Rivers (peer-worker)" in ok(run)
    settings = home / "settings.yaml"
    settings.write_text(settings.read_text().replace("name: Sam Rivers", "name: Samwise Rivers"))
    after = screen(run)
    assert "peerjournal: Samwise Rivers (peer-worker)" in after[1]
    assert after == cold(run, facts_file)


def test_an_action_becomes_overdue_as_the_clock_moves(run, home, tmp_path, clock, facts_file):
    new_session(run, tmp_path, days_ago=1, due_in=2)
    assert line(ok(run), "overdue actions") == "overdue actions 0"
    stored = facts_file.read_bytes()
    clock.now = NOW + timedelta(days=3)
    later = ok(run)
    assert line(later, "overdue actions") == "overdue actions 1"
    assert "follow up overdue actions" in later
    assert line(later, "last supervision") == "last supervision 4 days ago"
    assert facts_file.read_bytes() == stored  # the same facts, a later day


def _truncated(good: bytes) -> bytes:
    return good[: len(good) // 2]


def _other_facts(good: bytes) -> bytes:
    stored = json.loads(good)
    stored["facts"]["name"] = "Someone Else"  # its digest no longer matches
    return json.dumps(stored).encode()


def _other_home(good: bytes) -> bytes:
    stored = json.loads(good)
    stored["home"] = "/somewhere/else"
    return json.dumps(stored).encode()


GARBAGE = {
    "empty": lambda good: b"",
    "binary": lambda good: b"\x00\xff\xfe not json at all",
    "an empty object": lambda good: b"{}",
    "a list": lambda good: b"[1, 2, 3]",
    "nested too deep": lambda good: b"[" * 100_000 + b"]" * 100_000,
    "truncated": _truncated,
    "facts changed in place": _other_facts,
    "another home's": _other_home,
}


@pytest.mark.parametrize("garbage", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_in_the_cache_gives_the_right_screen(run, home, tmp_path, facts_file, garbage):
    new_session(run, tmp_path, days_ago=2, due_in=5)
    right = screen(run)
    good = facts_file.read_bytes()
    facts_file.write_bytes(garbage(good))
    assert screen(run) == right
    assert facts_file.read_bytes() == good  # and the cache is whole again


def test_a_cache_folder_in_the_way_still_gives_the_right_screen(run, home, tmp_path, facts_file):
    new_session(run, tmp_path, days_ago=2, due_in=5)
    right = screen(run)
    facts_file.unlink()
    facts_file.mkdir()  # the facts file cannot be read or written
    assert screen(run) == right
    assert screen(run) == right


def test_an_unwritable_cache_root_still_gives_the_right_screen(
    run, home, tmp_path, cache_root, facts_file
):
    new_session(run, tmp_path, days_ago=2, due_in=5)
    right = screen(run)
    shutil.rmtree(cache_root)
    cache_root.write_text("a file where the cache folder should be\n")
    blocked = screen(run)
    assert blocked[:2] == right[:2]  # the index says on stderr that it is in memory
    assert "could not save" not in blocked[2]
    assert not facts_file.exists()


def test_a_broken_session_is_named_on_every_home_screen(run, home, tmp_path, facts_file):
    new_session(run, tmp_path, days_ago=2, due_in=5)
    ok(run)
    stale = facts_file.read_bytes()
    broken = DataHome(home).sessions_dir / f"{NOW:%Y}" / "broken.md"
    broken.write_text("---\nid: [not closed\n---\n")
    broken.chmod(0o600)
    first = screen(run)
    assert "broken.md" in first[2]
    assert "(skipped)" in first[2]
    assert facts_file.read_bytes() == stale  # not cached, so the next run names it again
    assert screen(run) == first


# --- a warm home screen loads neither pydantic nor YAML --------------------------------------

PROBE = """
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from peerjournal.cli._context import AppContext

now = datetime.fromisoformat({now!r})
context = AppContext(clock=lambda: now, zone=ZoneInfo({zone!r}), cache_root=Path({cache!r}))
{body}
heavy = sorted({{name.split(".")[0] for name in sys.modules}} & {{"pydantic", "yaml"}})
print("HEAVY", heavy, file=sys.stderr)
"""

FACTS_AND_COUNTS = """
from peerjournal.services.dashboard import dashboard
from peerjournal.services.home_facts import home_facts

services = context.services
board = dashboard(home_facts(services, lambda: context.settings), services.query, clock=lambda: now)
print(board.name, board.open_actions, file=sys.stderr)
"""

WHOLE_SCREEN = """
from peerjournal.cli import app

try:
    app([], prog_name="peerjournal", obj=context)
except SystemExit:
    pass
"""


def probe(body: str, cache_root: Path) -> list[str]:
    script = PROBE.format(now=NOW.isoformat(), zone=ZONE.key, cache=str(cache_root), body=body)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return result.stderr.strip().splitlines()


@pytest.fixture
def warm(run, home, tmp_path, facts_file) -> None:
    new_session(run, tmp_path, days_ago=2, due_in=5)
    ok(run)
    assert facts_file.is_file()


def test_warm_facts_and_counts_load_neither_pydantic_nor_yaml(warm, cache_root):
    assert probe(FACTS_AND_COUNTS, cache_root) == [
        "Sam Rivers 1",
        "HEAVY []",
    ]


def test_a_cold_home_screen_does_load_them(home, cache_root):
    # the probe above can see pydantic: without cached facts the records are read with it
    assert probe(FACTS_AND_COUNTS, cache_root)[-1] == "HEAVY ['pydantic', 'yaml']"


def test_a_warm_home_screen_loads_neither_pydantic_nor_yaml(warm, cache_root):
    assert probe(WHOLE_SCREEN, cache_root)[-1] == "HEAVY []"


def test_settings_broken_after_a_warm_run_are_reported_not_hidden(run, home, facts_file):
    ok(run)
    assert facts_file.is_file()
    settings = home / "settings.yaml"
    settings.write_text(settings.read_text().replace("role: peer-worker", "role: boss"))
    result = run()
    assert (result.exit_code, result.stdout) == (2, "")
    assert "role: must be one of" in result.stderr
