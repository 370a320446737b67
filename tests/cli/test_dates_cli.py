"""Dates as people say them, in the command where each matters (today is Tuesday 2026-11-24).

Past-facing fields (entry and session dates, filters) read a bare weekday as the last one;
future-facing fields (due dates, next session, review date) as the next one. Numeric dates
follow `dates.order` in settings.yaml, else the locale.
"""

import json
from pathlib import Path

import pytest

HINT = "try 2026-11-24, 'yesterday 3pm', 'last friday' or '2 days ago'"
FUTURE_HINT = "try 2026-12-15, 'tomorrow', 'next friday', 'in 2 weeks' or 'dec 15'"


@pytest.fixture(autouse=True)
def locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A known locale, so the machine's own never decides how 12/01 is read."""
    for name in ("LC_ALL", "LC_TIME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def add(run, *args: str) -> str:
    result = run("diary", "add", "Walked a resident through the bus timetable.", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[-1]


def set_order(home: Path, order: str) -> None:
    settings = home / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "order: null" in text  # init writes the setting, so people can find it
    settings.write_text(text.replace("order: null", f"order: {order}"), encoding="utf-8")


def entry_dates(run, *args: str) -> list[str]:
    rows = json.loads(run("diary", "list", "--json", *args).stdout or "[]")
    return sorted(row["date"][:10] for row in rows)


def test_diary_list_since_a_month_and_day(run, home):
    add(run, "--date", "2025-12-14 10:00")
    add(run, "--date", "2025-12-16 10:00")
    # a filter looks back: 'dec 15' is the last December 15th
    assert entry_dates(run, "--since", "dec 15") == ["2025-12-16"]
    assert entry_dates(run, "--until", "15 December 2025") == ["2025-12-14"]


def test_diary_list_since_a_year_month(run, home):
    add(run, "--date", "2026-10-31 10:00")
    add(run, "--date", "2026-11-02 10:00")
    assert entry_dates(run, "--since", "2026-11") == ["2026-11-02"]


def test_diary_add_with_a_spelled_out_date(run, home):
    entry = add(run, "--date", "15 December 2025")
    assert entry.startswith("20251215-0900")


def test_diary_add_with_a_numeric_date_in_the_locale_order(run, home, monkeypatch):
    assert add(run, "--date", "12/15/2025").startswith("20251215-")  # en_US: month first
    monkeypatch.setenv("LANG", "en_NZ.UTF-8")
    assert add(run, "--date", "15/12/2025 3pm").startswith("20251215-1500")
    refused = run("diary", "add", "Some text.", "--date", "12/15/2025")
    assert refused.exit_code == 2
    assert refused.stdout == ""
    assert refused.stderr == (
        "peerjournal: '12/15/2025' is not a date peerjournal understands: numeric dates are read "
        f"day/month/year (dates.order: dmy in settings.yaml); {HINT}\n"
    )


def test_the_setting_wins_over_the_locale(run, home, monkeypatch):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    set_order(home, "mdy")
    assert entry_dates(run) == []
    add(run, "--date", "12/01/2025")
    assert entry_dates(run, "--on", "12/01/2025") == ["2025-12-01"]
    refused = run("diary", "list", "--since", "15/12/2025")
    assert refused.exit_code == 2
    assert "read month/day/year (dates.order: mdy in settings.yaml)" in refused.stderr
    assert refused.stderr.count("\n") == 1


def test_supervision_due_dates_and_next_session_look_ahead(run, home, tmp_path):
    body = (
        "date: today 9am\nminutes: 60\nsupervisor: Rowan Vale\n"
        "actions:\n"
        "  - {text: Book the peer group room, owner: Sam, due: next friday}\n"
        "  - {text: Read the boundaries guide, owner: Sam, due: in 2 weeks}\n"
        "  - {text: Call the housing team, owner: Sam, due: friday}\n"
        "next_session: dec 15\n"
    )
    result = run("supervision", "new", "--from", str(write(tmp_path, "s.yaml", body)))
    assert result.exit_code == 0, result.stderr
    dues = [line.rsplit("due ", 1)[1] for line in result.stdout.splitlines() if "due " in line]
    # echoed as ISO dates, never 12/01; a bare 'friday' due is the coming one, not the last
    assert dues == ["2026-11-27", "2026-12-08", "2026-11-27"]
    [session] = (home / "supervision").rglob("*.md")
    assert "next_session: '2026-12-15'" in session.read_text(encoding="utf-8")


def test_a_bare_weekday_session_date_looks_back(run, home, tmp_path):
    body = "date: friday 10:00\nminutes: 30\nnext_session: friday\n"
    result = run("supervision", "new", "--from", str(write(tmp_path, "s.yaml", body)))
    assert result.exit_code == 0, result.stderr
    [session] = (home / "supervision").rglob("*.md")
    text = session.read_text(encoding="utf-8")
    assert "date: '2026-11-20T10:00:00+13:00'" in text  # the last Friday
    assert "next_session: '2026-11-27'" in text


@pytest.fixture
def supervisor(run, isolated, tmp_path):
    assert run("init", "--name", "Rowan Vale", "--role", "supervisor").exit_code == 0
    assert run("people", "add", "Ana Lima").exit_code == 0
    body = "date: 2026-11-10 10:00\nworker: Ana Lima\nminutes: 45\n"
    assert run("supervision", "new", "--from", str(write(tmp_path, "a.yaml", body))).exit_code == 0
    return isolated


AGREEMENT = (
    *("supervision", "agreement", "--worker", "Ana Lima", "--type", "professional"),
    *("--frequency", "monthly", "--minutes", "60", "--goal", "Pace the week"),
    *("--limits", "Risk of serious harm is shared with the team lead"),
)


@pytest.mark.parametrize(
    ("typed", "review"),
    [("in 2 weeks", "2026-12-08"), ("friday", "2026-11-27"), ("next month", "2026-12-24")],
)
def test_agreement_review_date_looks_ahead(run, supervisor, typed, review):
    result = run(*AGREEMENT, "--review", typed)
    assert result.exit_code == 0, result.stderr
    shown = run("supervision", "agreement", "--worker", "Ana Lima").stdout
    assert review in shown


def test_a_future_field_hints_with_future_examples(run, supervisor):
    result = run(*AGREEMENT, "--review", "someday")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"peerjournal: 'someday' is not a date peerjournal understands; {FUTURE_HINT}\n"
    )
    past = run("supervision", "hours", "--since", "someday")
    assert past.stderr == f"peerjournal: 'someday' is not a date peerjournal understands; {HINT}\n"


def test_hours_since_a_month_name(run, supervisor):
    result = run("supervision", "hours", "--since", "nov 1", "--by", "worker")
    assert result.exit_code == 0, result.stderr
    assert "Ana Lima" in result.stdout
    none = run("supervision", "hours", "--since", "nov 11", "--by", "worker")
    assert "Ana Lima" not in none.stdout


def test_settings_written_before_the_order_existed_follow_the_locale(run, home, monkeypatch):
    settings = home / "settings.yaml"
    text = settings.read_text(encoding="utf-8").replace("dates:\n  order: null\n", "")
    settings.write_text(text, encoding="utf-8")
    assert "dates" not in text
    monkeypatch.setenv("LANG", "en_AU.UTF-8")
    assert add(run, "--date", "1/12/2025").startswith("20251201-")


@pytest.mark.parametrize(
    ("environ", "order"),
    [
        ({}, "mdy"),
        ({"LANG": "C.UTF-8"}, "mdy"),
        ({"LANG": "POSIX"}, "mdy"),
        ({"LANG": "en_US.UTF-8"}, "mdy"),
        ({"LANG": "en_NZ.UTF-8"}, "dmy"),
        ({"LANG": "de_DE@euro"}, "dmy"),
        ({"LANG": "en_US.UTF-8", "LC_TIME": "en_GB.UTF-8"}, "dmy"),
        ({"LC_ALL": "en_PH.UTF-8", "LC_TIME": "en_GB.UTF-8"}, "mdy"),
        ({"LC_ALL": "", "LANG": "fr_FR.UTF-8"}, "dmy"),
    ],
)
def test_the_locale_order(environ, order):
    from peerjournal.cli._context import locale_date_order

    assert locale_date_order(environ) == order
