"""One rule for "which day": a record belongs to the day its writer saw, in its own offset.

Every test runs with the services handed UTC, Pacific/Kiritimati (+14) and America/Adak
(-10 in winter, -9 in summer), and CI runs the whole suite with the process in such zones too. A
rule that leaned on a zone puts at least one of the records below on another day in each of
them. Only "today" comes from a clock, and the tests hand in a fixed one.
"""

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from helpers import FixedClock
from peerjournal.errors import InputError
from peerjournal.models.entry import DiaryEntry, EntryMeta
from peerjournal.services.dashboard import dashboard
from peerjournal.services.dates import in_period, parse_day, record_day
from peerjournal.services.home import load_settings
from peerjournal.services.home_facts import compute_facts
from peerjournal.services.query import DiaryQuery, Filters
from peerjournal.services.reports import Period
from peerjournal.services.session_draft import SessionDraft
from peerjournal.services.supervision import Supervision
from peerjournal.store.entries import EntryStore
from peerjournal.store.index import Index, index_path
from peerjournal.store.layout import DataHome

# Far from each other and from UTC: +14 all year, and -10 (-9 in summer) with summer time.
FAR_ZONES = ("UTC", "Pacific/Kiritimati", "America/Adak")

# Entries around the turn of 30 November to 1 December 2026, in far offsets. Beside each: its
# own day, and the day it falls on in UTC, in Kiritimati and in Adak.
ENTRIES = {
    "auckland-night": "2026-12-01 00:30+13:00",  # 12-01; UTC 11-30, Kiri 12-01, Adak 11-30
    "hawaii-late": "2026-11-30 23:30-10:00",  # 11-30; UTC 12-01, Kiri 12-01, Adak 11-30
    "line-islands-last": "2026-12-01 23:59+14:00",  # 12-01; UTC 12-01, Kiri 12-01, Adak 11-30
    "baker-midnight": "2026-12-02 00:00-12:00",  # 12-02; UTC 12-02, Kiri 12-03, Adak 12-02
}


@pytest.fixture(params=FAR_ZONES)
def zone(request: pytest.FixtureRequest) -> ZoneInfo:
    """The zone the composition root hands the services: the rule must not depend on it.

    The process's own zone is never changed here; CI runs the whole suite in far zones too.
    """
    return ZoneInfo(request.param)


@pytest.fixture
def data_home(tmp_path: Path) -> DataHome:
    return DataHome(tmp_path / "home")


@pytest.fixture
def query(data_home: DataHome, tmp_path: Path) -> DiaryQuery:
    """The diary query over a private index in tmp_path, never the user's cache."""

    def no_catalog() -> object:
        raise AssertionError("no day filter needs the frameworks")

    index = Index(data_home, index_path(data_home, tmp_path / "cache"))
    return DiaryQuery(data_home, no_catalog, index=index)


def write_entry(home: DataHome, when: str, title: str) -> Path:
    """An entry file written by the store, at the path the store chooses."""
    moment = datetime.fromisoformat(when)
    store = EntryStore(home)
    return store.create(
        DiaryEntry(meta=EntryMeta(id=store.new_id(moment), date=moment, title=title))
    )


@pytest.fixture
def diary(data_home: DataHome) -> dict[str, Path]:
    return {title: write_entry(data_home, when, title) for title, when in ENTRIES.items()}


def titles(query: DiaryQuery, filters: Filters) -> set[str]:
    return {entry.title for entry in query.summaries(filters)}


def test_the_day_is_the_date_in_the_records_own_offset() -> None:
    assert record_day(datetime.fromisoformat(ENTRIES["auckland-night"])) == date(2026, 12, 1)
    assert record_day(datetime.fromisoformat(ENTRIES["hawaii-late"])) == date(2026, 11, 30)
    assert record_day(datetime.fromisoformat(ENTRIES["baker-midnight"])) == date(2026, 12, 2)


def test_a_typed_offset_gives_the_same_day_the_entry_will_belong_to() -> None:
    now = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    for typed in ENTRIES.values():
        assert parse_day(typed, now) == record_day(datetime.fromisoformat(typed)), typed


def test_in_period_is_inclusive_and_open_ended() -> None:
    first = date(2026, 12, 1)
    assert in_period(first, first, first)
    assert in_period(first, None, None)
    assert not in_period(first, date(2026, 12, 2), None)
    assert not in_period(first, None, date(2026, 11, 30))


def test_id_and_folder_follow_the_entrys_own_day(diary: dict[str, Path]) -> None:
    path = diary["auckland-night"]
    assert path.parent.parts[-2:] == ("2026", "12")
    assert path.stem.startswith("20261201-0030-")
    hawaii = diary["hawaii-late"]
    assert hawaii.parent.parts[-2:] == ("2026", "11")
    assert hawaii.stem.startswith("20261130-2330-")


def test_on_a_day_lists_the_entries_written_on_that_day_there(
    query: DiaryQuery, diary: dict[str, Path]
) -> None:
    first = date(2026, 12, 1)
    assert titles(query, Filters(since=first, until=first)) == {
        "auckland-night",
        "line-islands-last",
    }
    second = date(2026, 12, 2)
    assert titles(query, Filters(since=second, until=second)) == {"baker-midnight"}


def test_since_and_until_cut_at_the_entries_own_midnight(
    query: DiaryQuery, diary: dict[str, Path]
) -> None:
    assert titles(query, Filters(until=date(2026, 11, 30))) == {"hawaii-late"}
    assert titles(query, Filters(since=date(2026, 12, 1))) == {
        "auckland-night",
        "line-islands-last",
        "baker-midnight",
    }
    assert query.count(Filters(since=date(2026, 12, 2), until=date(2026, 12, 3))) == 1


def test_a_listed_entry_keeps_its_own_date_and_offset(
    query: DiaryQuery, diary: dict[str, Path]
) -> None:
    first = date(2026, 12, 1)
    (night, _) = query.summaries(Filters(since=first, until=first))
    assert night.title == "auckland-night"
    assert night.date.utcoffset() == timedelta(hours=13)
    assert f"{night.date:%Y-%m-%d %H:%M}" == "2026-12-01 00:30"


# --- supervision sessions ---------------------------------------------------------------------

SESSIONS = {
    "2024-06-30 23:30-10:00": 50,  # June there; 1 July in UTC, Kiritimati and Adak
    "2024-07-01 00:30+14:00": 70,  # July there; 30 June in UTC and in Adak
}


@pytest.fixture
def supervision(data_home: DataHome) -> Supervision:
    service = Supervision(data_home, clock=FixedClock(datetime(2024, 8, 1, 9, 0, tzinfo=UTC)))
    for when, minutes in SESSIONS.items():
        service.record(
            SessionDraft(
                when=datetime.fromisoformat(when),
                workers=["Sam Rivers"],
                supervisor="Rowan Vale",
                minutes=minutes,
                notes="We talked about pacing.",
            )
        )
    return service


def test_session_ids_and_folders_follow_the_sessions_own_day(supervision: Supervision) -> None:
    stems = sorted(s.path.stem[:13] for s in supervision.sessions())
    assert stems == ["20240630-2330", "20240701-0030"]


def test_hours_by_month_bucket_each_session_on_its_own_day(supervision: Supervision) -> None:
    report = supervision.hours(by="month")
    assert [(row.key, row.minutes, row.sessions) for row in report.rows] == [
        ("2024-06", 50, 1),
        ("2024-07", 70, 1),
    ]


def test_hours_for_one_day_take_the_sessions_held_on_that_day(supervision: Supervision) -> None:
    first = date(2024, 7, 1)
    assert supervision.hours(since=first, until=first).minutes == 70
    last = date(2024, 6, 30)
    assert supervision.hours(since=last, until=last).minutes == 50
    assert supervision.hours(until=last).sessions == 1


@pytest.mark.parametrize(("due", "allowed"), [(date(2024, 7, 1), True), (date(2024, 6, 30), False)])
def test_a_due_date_is_checked_against_the_sessions_own_day(
    data_home: DataHome, due: date, allowed: bool
) -> None:
    service = Supervision(data_home, clock=FixedClock(datetime(2024, 8, 1, tzinfo=UTC)))
    draft = SessionDraft(
        when=datetime(2024, 7, 1, 0, 30, tzinfo=timezone(timedelta(hours=14))),
        workers=["Sam Rivers"],
        supervisor="Rowan Vale",
        minutes=60,
        actions=[("Ask about the garden roster", "Sam", due)],
    )
    if allowed:
        assert service.record(draft).meta.actions[0].due == due
    else:
        with pytest.raises(InputError, match="before the session"):
            service.record(draft)


# --- reports and the home screen, through the services the composition root builds ----------


def test_a_month_report_buckets_each_entry_by_its_own_day(services) -> None:
    for title, when in ENTRIES.items():
        write_entry(services.home, when, title)
    reports = services.reports(load_settings(services.home))
    november = reports.diary_digest(Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert [e.meta.title for e in november.values["entries"]] == ["hawaii-late"]
    assert november.charts[0].rows == (("2026-11", "1"),)
    december = reports.diary_digest(Period(date(2026, 12, 1), date(2026, 12, 31)))
    assert december.charts[0].rows == (("2026-12", "3"),)


@pytest.mark.parametrize(
    ("now", "days"),
    [
        (datetime(2026, 12, 1, 8, 0, tzinfo=UTC), 0),  # still 1 December, in UTC too
        (datetime(2026, 12, 2, 0, 10, tzinfo=timezone(timedelta(hours=-10))), 1),
    ],
)
def test_the_home_screen_counts_days_from_the_records_own_day(
    services, now: datetime, days: int
) -> None:
    for title, when in ENTRIES.items():
        write_entry(services.home, when, title)
    Supervision(services.home, clock=FixedClock(now)).record(
        SessionDraft(
            when=datetime.fromisoformat("2026-12-01 00:30+13:00"),
            workers=["Sam Rivers"],
            supervisor="Rowan Vale",
            minutes=60,
            notes="We talked about pacing.",
        )
    )
    settings = load_settings(services.home)
    facts = compute_facts(settings, services.supervision, services.assessment_store)
    board = dashboard(facts, services.query, clock=FixedClock(now))
    assert board.days_since_session == days
    assert board.entries_this_month == 3  # 'this month' is December on the clock's own day
