"""Issue 14 §3: the home screen resurfaces the entry of this day a year (or a month) ago.

Beside it: the self-rating given then for a competency the entry is linked to (the last complete
self-assessment on or before the entry's day) and the latest one. The facts stay cached, a warm
screen stays free of pydantic and YAML, and nothing of the entry but its title is shown.
"""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from helpers import NOW, ZONE
from peerjournal.store.facts_cache import facts_path
from peerjournal.store.layout import DataHome

YEAR_AGO = NOW.replace(year=NOW.year - 1)
BODY = "We stood at the door and said hello to everyone coming in for the quiz night."


def ok(run, *args: str, input: str | None = None) -> str:
    result = run(*args, input=input)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def rows(stdout: str, label: str) -> list[str]:
    return [" ".join(r.split()) for r in stdout.splitlines() if r.strip().startswith(label)]


def rate_welcome(run, clock, when, rating: int, *, linked: bool = False) -> None:
    """A complete self-assessment on the harbour framework, finished at ``when``.

    With an entry ``linked`` to w.1 the assessment offers it as evidence: Enter links none.
    """
    clock.now = when
    evidence = "\n" if linked else ""
    answers = f"{rating}\n{evidence}\n2\n\n2\n\n\n"
    ok(run, "assess", "start", "harbour-values", input=answers)
    clock.now = NOW


def entry_on(run, when, title: str, *refs: str) -> str:
    links = [arg for ref in refs for arg in ("--competency", ref)]
    day = f"{when:%Y-%m-%d %H:%M}"
    stdout = ok(run, "diary", "add", BODY, "--title", title, "--date", day, *links)
    return stdout.split()[-1]


@pytest.fixture
def rated(run, harbour, clock) -> str:
    """Ratings of w.1 before, just after and well after an entry written a year ago today."""
    rate_welcome(run, clock, YEAR_AGO - timedelta(days=10), 1)  # the rating given then
    rate_welcome(run, clock, YEAR_AGO + timedelta(days=5), 2)  # after the entry: not "then"
    rate_welcome(run, clock, NOW - timedelta(days=7), 3)  # the latest
    return entry_on(run, YEAR_AGO, "Welcome at the door", "harbour-values/w.1")


def test_a_year_old_entry_comes_back_with_the_rating_then_and_now(run, rated):
    screen = ok(run)
    assert rows(screen, "on this day") == [f"on this day a year ago: Welcome at the door ({rated})"]
    assert rows(screen, "rated then") == ["rated then harbour-values/w.1: 1 then, 3 now"]
    assert BODY not in screen
    assert "quiz" not in screen


def test_the_warm_screen_is_the_cold_one_and_keeps_no_diary_text(run, rated, home, cache_root):
    facts = facts_path(DataHome(home), cache_root)
    first = ok(run)
    stored = facts.read_bytes()
    assert "Welcome at the door" not in stored.decode()
    assert "quiz" not in stored.decode()
    assert ok(run) == first
    assert facts.read_bytes() == stored  # read, not written again
    facts.unlink()
    assert ok(run) == first  # a cold run gives the same screen


def test_a_new_self_assessment_shows_as_the_rating_now(run, rated, clock):
    before = rows(ok(run), "rated then")
    assert before == ["rated then harbour-values/w.1: 1 then, 3 now"]
    rate_welcome(run, clock, NOW - timedelta(hours=1), 1, linked=True)
    assert rows(ok(run), "rated then") == ["rated then harbour-values/w.1: 1 then, the same now"]


def test_a_month_old_entry_comes_back_when_no_year_old_one_exists(run, harbour):
    month_ago = NOW.replace(month=NOW.month - 1) if NOW.month > 1 else NOW.replace(month=12)
    entry_id = entry_on(run, month_ago, "Quiet lunch", "harbour-values/f.1")
    entry_on(run, NOW - timedelta(days=3), "Not a month ago")
    screen = ok(run)
    assert rows(screen, "on this day") == [f"on this day a month ago: Quiet lunch ({entry_id})"]
    assert rows(screen, "rated then") == []  # never rated on or before that day


def test_two_entries_that_day_show_the_later_and_count_the_other(run, harbour):
    entry_on(run, YEAR_AGO - timedelta(hours=3), "Morning walk")
    later = entry_on(run, YEAR_AGO, "Afternoon tea")
    [line] = rows(ok(run), "on this day")
    assert line == f"on this day a year ago: Afternoon tea ({later}) and 1 other"


def test_nothing_from_that_day_shows_nothing(run, home):
    entry_on(run, NOW - timedelta(days=40), "Some other day")
    screen = ok(run)
    assert rows(screen, "on this day") == []
    assert rows(screen, "rated then") == []


def test_an_unfinished_self_assessment_gives_no_rating(run, harbour, clock):
    """Only complete self-assessments count: a draft in progress rated nothing yet."""
    clock.now = YEAR_AGO - timedelta(days=2)
    ok(run, "assess", "start", "harbour-values", input="2\nA note.\nq\n")  # a draft: not rated
    clock.now = NOW
    entry_on(run, YEAR_AGO, "Welcome at the door", "harbour-values/w.1")
    screen = ok(run)
    assert rows(screen, "on this day") != []
    assert rows(screen, "rated then") == []


PROBE = """
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from peerjournal.cli import app
from peerjournal.cli._context import AppContext

now = datetime.fromisoformat({now!r})
context = AppContext(clock=lambda: now, zone=ZoneInfo({zone!r}), cache_root=Path({cache!r}))
try:
    app([], prog_name="peerjournal", obj=context)
except SystemExit:
    pass
heavy = sorted({{name.split(".")[0] for name in sys.modules}} & {{"pydantic", "yaml"}})
print("HEAVY", heavy, file=sys.stderr)
"""


def test_a_warm_screen_with_a_resurfaced_entry_loads_neither_pydantic_nor_yaml(
    run, rated, cache_root
):
    ok(run)  # the facts and the index, warm
    script = PROBE.format(now=NOW.isoformat(), zone=ZONE.key, cache=str(cache_root))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "on this day" in result.stdout
    assert "1 then, 3 now" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "HEAVY []"


def test_the_facts_of_an_older_peerjournal_are_read_again(run, rated, home, cache_root):
    import json

    facts = facts_path(DataHome(home), cache_root)
    first = ok(run)
    stored = json.loads(facts.read_text())
    del stored["facts"]["ratings"]  # as version 1 wrote them
    stored["version"] = 1
    facts.write_text(json.dumps(stored))
    assert ok(run) == first
    assert "ratings" in json.loads(Path(facts).read_text())["facts"]
