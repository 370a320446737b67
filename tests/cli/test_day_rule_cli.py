"""The day rule through the real commands: an entry or a session belongs to its writer's day.

Each test runs with the commands given UTC, Pacific/Kiritimati (+14) and America/Adak (-10/-9)
as their zone (CI runs the whole suite with the process in such zones as well). The records are
dated with explicit offsets far from those zones, so a rule that used a zone would list, show or
count at least one of them under another day in every one of the three.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from helpers import entry_path

# Far from each other and from UTC: +14 all year, and -10 (-9 in summer) with summer time.
FAR_ZONES = ("UTC", "Pacific/Kiritimati", "America/Adak")

ENTRIES = {
    "Late handover": "2026-12-01 00:30+13:00",  # 1 December where it was written
    "Evening phone call": "2026-11-30 23:30-10:00",  # 30 November there
    "Last visit of the day": "2026-12-01 23:59+14:00",  # 1 December there
    "Garden at midnight": "2026-12-02 00:00-12:00",  # 2 December there
}


@pytest.fixture(params=FAR_ZONES)
def zone(request: pytest.FixtureRequest) -> ZoneInfo:
    """The zone the commands are handed; the process's own zone is never changed here."""
    return ZoneInfo(request.param)


def ok(run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


@pytest.fixture
def diary(run, home) -> dict[str, str]:
    """The entries above, added with `diary add --date`; their ids by title.

    The theme tag puts every title in a diary report, so a report shows which ones it took.
    """
    return {
        title: ok(run, "diary", "add", "We talked it through.", "--title", title,
                  "--date", when, "--tag", "persistence").split()[-1]
        for title, when in ENTRIES.items()
    }  # fmt: skip


def listed_ids(run, *filters: str) -> set[str]:
    return set(ok(run, "diary", "list", "--ids", *filters).split())


def test_on_lists_the_entries_written_on_that_day(run, diary) -> None:
    assert listed_ids(run, "--on", "2026-12-01") == {
        diary["Late handover"],
        diary["Last visit of the day"],
    }
    assert listed_ids(run, "--on", "2026-11-30") == {diary["Evening phone call"]}
    assert listed_ids(run, "--on", "2026-12-02") == {diary["Garden at midnight"]}


def test_since_and_until_cut_at_each_entrys_own_midnight(run, diary) -> None:
    assert listed_ids(run, "--until", "2026-11-30") == {diary["Evening phone call"]}
    assert listed_ids(run, "--since", "2026-12-02") == {diary["Garden at midnight"]}
    assert listed_ids(run, "--since", "2026-12-01", "--until", "2026-12-01") == {
        diary["Late handover"],
        diary["Last visit of the day"],
    }


def test_ids_and_folders_carry_the_entrys_own_day(run, diary, home) -> None:
    assert diary["Late handover"].startswith("20261201-0030-")
    assert diary["Evening phone call"].startswith("20261130-2330-")
    folder = entry_path(home, "x", datetime.fromisoformat(ENTRIES["Late handover"])).parent
    assert folder.parts[-2:] == ("2026", "12")  # the writer's day, not UTC's 30 November
    december = {path.stem for path in folder.glob("*.md")}
    assert december == {
        diary[t] for t in ("Late handover", "Last visit of the day", "Garden at midnight")
    }


def test_a_listed_row_shows_the_day_the_entry_was_written(run, diary) -> None:
    table = ok(run, "diary", "list", "--on", "2026-12-01")
    rows = {line.split()[0]: line for line in table.splitlines() if line.strip()}
    assert "2026-12-01 00:30" in rows[diary["Late handover"]]
    assert "2026-12-01 23:59" in rows[diary["Last visit of the day"]]
    assert "2026-11-30" not in table
    assert "2026-12-02" not in table


def test_on_a_day_in_june_2024_shows_only_rows_of_that_day(run, home) -> None:
    kept = ok(run, "diary", "add", "Shift notes.", "--title", "Shift notes",
              "--date", "2024-06-12 23:30-10:00").split()[-1]  # fmt: skip
    ok(run, "diary", "add", "Next morning.", "--title", "Next morning",
       "--date", "2024-06-13 00:30+13:00")  # fmt: skip
    table = ok(run, "diary", "list", "--on", "2024-06-12")
    assert kept in table
    assert "2024-06-12 23:30" in table
    assert "Next morning" not in table
    assert "2024-06-13" not in table


def month_rows(markdown: str) -> dict[str, int]:
    """The 'Entries per month' table of a diary report, as {month: count}."""
    return {m: int(n) for m, n in re.findall(r"^\| (\d{4}-\d{2}) \| (\d+) \|$", markdown, re.M)}


def test_a_month_report_counts_each_entry_in_the_month_it_was_written(run, diary) -> None:
    november = ok(run, "report", "diary", "--since", "2026-11-01", "--until", "2026-11-30")
    assert month_rows(november) == {"2026-11": 1}
    assert "Evening phone call" in november
    assert "Late handover" not in november
    december = ok(run, "report", "diary", "--since", "2026-12-01", "--until", "2026-12-31")
    assert month_rows(december) == {"2026-12": 3}
    assert "Evening phone call" not in december


SESSIONS = {
    "2024-06-30 23:30-10:00": "50",  # 30 June where it was held
    "2024-07-01 00:30+14:00": "70",  # 1 July there
}


@pytest.fixture
def sessions(run, home) -> None:
    for when, minutes in SESSIONS.items():
        ok(run, "supervision", "new", "--date", when, "--minutes", minutes,
           "--supervisor", "Rowan Vale", "--notes", "We talked about pacing.")  # fmt: skip


def hours_rows(text: str) -> dict[str, tuple[str, str]]:
    """The rows of `supervision hours`, as {group: (sessions, hours)}."""
    return {
        parts[0]: (parts[1], " ".join(p for p in parts[2:4] if re.fullmatch(r"\d+[hm]", p)))
        for parts in (line.split() for line in text.splitlines())
        if len(parts) >= 3 and parts[1].isdigit()
    }


def test_session_hours_by_month_follow_each_sessions_own_day(run, sessions) -> None:
    rows = hours_rows(ok(run, "supervision", "hours", "--by", "month"))
    assert rows["2024-06"] == ("1", "50m")
    assert rows["2024-07"] == ("1", "1h 10m")


def test_session_hours_for_one_day_take_the_sessions_held_that_day(run, sessions) -> None:
    first = hours_rows(ok(run, "supervision", "hours", "--since", "2024-07-01",
                          "--until", "2024-07-01"))  # fmt: skip
    assert first["total"] == ("1", "1h 10m")
    last = hours_rows(ok(run, "supervision", "hours", "--until", "2024-06-30"))
    assert last["total"] == ("1", "50m")


def test_a_supervision_report_takes_the_sessions_of_its_period(run, sessions) -> None:
    july = ok(run, "report", "supervision", "--since", "2024-07-01", "--until", "2024-07-31")
    assert re.findall(r"^\| (\d{4}-\d{2}-\d{2}) \|", july, re.M) == ["2024-07-01"]
    assert "1 session," in july
