"""The home screen's facts: read by the services that own the records, cached, never stale.

The facts hold nothing that depends on today; the dashboard applies the clock at every run, so a
cached fact and a fresh one give the same screen on any day, in any zone.
"""

import json
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from helpers import NOW, FixedClock
from peerjournal.cli._context import AppContext
from peerjournal.services.container import Services
from peerjournal.services.dashboard import dashboard
from peerjournal.services.home import load_settings
from peerjournal.services.home_facts import (
    HomeFacts,
    compute_facts,
    facts_from_json,
    facts_to_json,
    home_facts,
)
from peerjournal.services.session_draft import SessionDraft
from peerjournal.services.supervision import Supervision
from peerjournal.store import facts_cache
from peerjournal.store.facts_cache import facts_path, signature
from peerjournal.store.layout import DataHome
from peerjournal.store.people import PeopleStore

TODAY = NOW.date()


def ok(run, *args: str, input: str | None = None) -> str:
    result = run(*args, input=input)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def session(run, tmp_path: Path, worker: str, days_ago: int, actions: str = "") -> None:
    when = NOW - timedelta(days=days_ago)
    path = tmp_path / f"{worker.split()[0]}-{days_ago}.yaml"
    path.write_text(
        f"date: {when:%Y-%m-%d %H:%M}\nminutes: 50\ntype: professional\nworker: {worker}\n"
        f"notes: We talked the fortnight through.\n{actions}"
    )
    ok(run, "supervision", "new", "--from", str(path))


def due_in(days: int) -> str:
    return f"{TODAY + timedelta(days=days)}"


@pytest.fixture
def caseload(run, isolated: Path, tmp_path: Path) -> Path:
    """Rowan Vale supervises Ari and Jo: sessions, actions due soon and later, agreements."""
    ok(run, "init", "--name", "Rowan Vale", "--role", "supervisor")
    for name in ("Ari Moana", "Jo Tane"):
        ok(run, "people", "add", name)
    session(
        run, tmp_path, "Ari Moana", 20,
        f"actions:\n  - {{text: Send the roster, owner: Ari, due: {due_in(-5)}}}\n"
        f"  - {{text: Book the room, owner: Ari, due: {due_in(4)}}}\n"
        "  - {text: Read the policy, owner: Ari}\n",
    )  # fmt: skip
    session(
        run, tmp_path, "Jo Tane", 3,
        f"actions:\n  - {{text: Call the team, owner: Jo, due: {due_in(10)}}}\n",
    )  # fmt: skip
    for worker, review in (("Jo Tane", due_in(6)), ("Ari Moana", due_in(30))):
        ok(
            run, "supervision", "agreement", "--worker", worker, "--supervisor", "Rowan Vale",
            "--frequency", "every two weeks", "--review", review,
        )  # fmt: skip
    return isolated


def built(context: Callable[[], AppContext], home: Path, clock: Callable[[], datetime]) -> Services:
    """A fresh invocation's services, with the given clock."""
    root = context()
    return Services(
        DataHome(home), clock=clock, zone=root.zone, cache_root=root.cache_root, progress=None
    )


def fresh_facts(services: Services) -> HomeFacts:
    settings = load_settings(services.home)
    return compute_facts(settings, services.supervision, services.assessment_store)


def test_facts_survive_their_json(caseload, context) -> None:
    facts = fresh_facts(built(context, caseload, FixedClock(NOW)))
    assert [w.worker for w in facts.caseload] == ["Ari Moana", "Jo Tane"]
    assert len(facts.open_action_dues) == 4
    assert facts_from_json(json.loads(json.dumps(facts_to_json(facts)))) == facts


@pytest.mark.parametrize("days_later", [0, 3, 4, 5, 6, 7, 10, 11, 15, 30, 31, 90])
def test_cached_facts_give_todays_screen_on_any_later_day(caseload, context, days_later) -> None:
    warm = built(context, caseload, FixedClock(NOW))
    home_facts(warm, lambda: load_settings(warm.home))  # stored now, read later
    later = FixedClock(NOW + timedelta(days=days_later))
    cached_run = built(context, caseload, later)
    cached = home_facts(cached_run, lambda: pytest.fail("a warm cache reads no settings"))
    assert "supervision" not in cached_run.__dict__  # no record file was read
    fresh_run = built(context, caseload, later)
    board = dashboard(cached, cached_run.query, clock=later)
    assert board == dashboard(fresh_facts(fresh_run), fresh_run.query, clock=later)
    # the overdue rule is Supervision's, on the clock's own day
    overdue = Supervision(DataHome(caseload), clock=later).actions(only="overdue")
    assert board.overdue_actions == len(overdue)
    assert [w.overdue_actions for w in board.caseload] == [
        sum(1 for view in overdue if view.worker == w.worker) for w in board.caseload
    ]


MUTATIONS: dict[str, Callable[[dict], None]] = {
    "name is a number": lambda d: d.update(name=3),
    "a day is not a day": lambda d: d.update(last_session_day="last tuesday"),
    "a count is text": lambda d: d.update(drafts="2"),
    "a count is true": lambda d: d.update(drafts=True),
    "the target is text": lambda d: d.update(hours_target="25"),
    "a field is missing": lambda d: d.pop("role"),
    "dues are not a list": lambda d: d.update(open_action_dues="2026"),
    "a review is not a pair": lambda d: d.update(agreement_reviews=[["Jo Tane"]]),
    "a caseload row is a list": lambda d: d.update(caseload=[[1, 2]]),
    "a row lacks minutes": lambda d: d["caseload"][0].pop("minutes"),
}


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_facts_of_the_wrong_shape_are_not_facts(caseload, context, mutation) -> None:
    data = facts_to_json(fresh_facts(built(context, caseload, FixedClock(NOW))))
    mutation(data)
    assert facts_from_json(data) is None


def test_wrong_facts_under_a_right_digest_are_read_again(caseload, context) -> None:
    services = built(context, caseload, FixedClock(NOW))
    right = home_facts(services, lambda: load_settings(services.home))
    path = facts_path(services.home, services.cache_root)
    stored = json.loads(path.read_text())
    stored["facts"]["drafts"] = "many"
    stored["digest"] = facts_cache._digest(stored["facts"])
    path.write_text(json.dumps(stored))
    again = built(context, caseload, FixedClock(NOW))
    assert home_facts(again, lambda: load_settings(again.home)) == right
    assert json.loads(path.read_text())["facts"]["drafts"] == 0  # and stored right again


def test_a_cache_that_cannot_be_written_still_gives_the_facts(caseload, context) -> None:
    services = built(context, caseload, FixedClock(NOW))
    path = facts_path(services.home, services.cache_root)
    path.mkdir(parents=True)  # a folder in the way: neither readable nor writable as a file
    facts = home_facts(services, lambda: load_settings(services.home))
    assert facts == fresh_facts(built(context, caseload, FixedClock(NOW)))
    assert path.is_dir()


def test_the_people_folder_watched_is_the_people_stores(caseload) -> None:
    home = DataHome(caseload)
    assert home.root / facts_cache.PEOPLE_DIR == PeopleStore(home).folder
    assert PeopleStore(home).folder in facts_cache.watched(home)


def test_the_signature_moves_with_every_change_and_never_with_a_read(
    run, caseload, tmp_path
) -> None:
    home = DataHome(caseload)
    before = signature(home)
    ok(run, "supervision", "list")
    ok(run)
    assert signature(home) == before
    session(run, tmp_path, "Jo Tane", 1)
    added = signature(home)
    assert added != before
    settings = home.settings_file
    settings.write_text(settings.read_text().replace("name: Rowan Vale", "name: Rowan"))
    assert signature(home) != added


def test_the_facts_file_is_private(caseload, context) -> None:
    services = built(context, caseload, FixedClock(NOW))
    home_facts(services, lambda: load_settings(services.home))
    path = facts_path(services.home, services.cache_root)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_a_worker_renamed_shows_by_their_new_name_on_the_next_home_screen(run, caseload) -> None:
    assert "Jo Tane" in ok(run)
    ok(run, "people", "rename", "Jo Tane", "Jo Tane-Whiti")
    board = ok(run)
    assert "Jo Tane-Whiti" in board
    assert "Jo Tane " not in board  # nowhere by the name they had


# --- the day rule, cached: a session belongs to its own day, whatever the zone ---------------


@pytest.mark.parametrize("zone_name", ["UTC", "Pacific/Kiritimati", "America/Adak"])
@pytest.mark.parametrize(("hours_later", "days"), [(7, 0), (31, 1)])
def test_days_since_a_session_count_from_its_own_day_in_any_zone(
    home, context, zone_name, hours_later, days
) -> None:
    # 00:30 in Auckland (+13) is the previous day in UTC and in Adak
    day = TODAY + timedelta(days=7)
    when = datetime.combine(day, time(0, 30), tzinfo=timezone(timedelta(hours=13)))
    now = datetime.combine(day, time(8, 0), tzinfo=UTC) + timedelta(hours=hours_later - 7)
    Supervision(DataHome(home), clock=FixedClock(now)).record(
        SessionDraft(when=when, workers=["Sam Rivers"], supervisor="Rowan Vale", minutes=60)
    )
    zone = ZoneInfo(zone_name)
    for _ in range(2):  # cold, then from the cache
        services = Services(
            DataHome(home), clock=FixedClock(now), zone=zone, cache_root=context().cache_root
        )
        facts = home_facts(services, lambda services=services: load_settings(services.home))
        assert facts.last_session_day == day
        assert dashboard(facts, services.query, clock=FixedClock(now)).days_since_session == days
