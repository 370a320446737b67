"""Filters on a generated diary of a few hundred entries give exactly the right entries."""

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from helpers import FixedClock
from peerjournal.errors import NotFoundError
from peerjournal.services.container import Services
from peerjournal.services.diary import Draft, Filters
from peerjournal.store.layout import DataHome

ZONE = timezone(timedelta(hours=13))
NOW = datetime(2026, 11, 25, 14, 30, tzinfo=ZONE)
TAGS = ["group", "kitchen", "outing", "phone", "self-disclosure", "boundaries"]
REFS = ["samhsa-core/I.1", "samhsa-core/III.3", "samhsa-core/III.1", "inaps-guidelines/hopeful", ""]
WORDS = ["bus", "recipe", "garden", "football", "letter"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """300 entries with known dates, tags, links and words, and the list that made them."""
    root = tmp_path_factory.mktemp("world")
    home = DataHome(root / "home")
    services = Services(home, clock=FixedClock(NOW), zone=ZONE, cache_root=root / "cache")
    diary = services.diary
    rng = random.Random(20261125)
    made = []
    for number in range(300):
        when = NOW - timedelta(days=rng.randrange(0, 120), minutes=rng.randrange(0, 600))
        tags = rng.sample(TAGS, rng.randrange(0, 3))
        ref = rng.choice(REFS)
        word = rng.choice(WORDS)
        draft = Draft(
            when=when,
            title=f"Entry {number}",
            text=f"We talked about the {word}.",
            tags=tags,
            competencies=[ref] if ref else [],
            for_supervision=number % 7 == 0,
        )
        entry = diary.prepare(draft)
        diary.save(entry)
        made.append((entry.id, when, set(tags), ref, word, number % 7 == 0))
    return diary, made


def ids(diary, **filters):
    return {stored.entry.id for stored in diary.entries(Filters(**filters))}


def test_no_filter_lists_every_entry_oldest_first(world):
    diary, _made = world
    found = diary.entries()
    assert len(found) == 300
    dates = [stored.entry.date for stored in found]
    assert dates == sorted(dates)


def test_date_range_is_inclusive_of_both_days(world):
    diary, made = world
    since, until = date(2026, 10, 1), date(2026, 10, 31)
    # each entry's own day (the day rule), not the day it is in the process's zone
    expected = {i for i, when, *_ in made if since <= when.date() <= until}
    assert ids(diary, since=since, until=until) == expected
    assert expected


def test_all_tags_must_match_and_any_tag_matches_either(world):
    diary, made = world
    both = {i for i, _, tags, *_ in made if {"group", "kitchen"} <= tags}
    either = {i for i, _, tags, *_ in made if tags & {"group", "kitchen"}}
    assert ids(diary, tags=("group", "kitchen")) == both
    assert ids(diary, any_tags=("group", "kitchen")) == either
    assert both < either


def test_competency_filter_by_item_domain_and_framework(world):
    diary, made = world
    item = {i for i, _, _, ref, *_ in made if ref == "samhsa-core/III.3"}
    domain = {i for i, _, _, ref, *_ in made if ref in ("samhsa-core/III.3", "samhsa-core/III.1")}
    framework = {i for i, _, _, ref, *_ in made if ref.startswith("samhsa-core/")}
    assert ids(diary, competency="samhsa-core/iii.3") == item
    assert ids(diary, competency="samhsa-core/share") == domain
    assert ids(diary, competency="samhsa-core") == framework
    assert item < domain < framework


def test_text_supervision_and_limit_combine(world):
    diary, made = world
    expected = [(when, i) for i, when, _, _, word, sup in made if word == "garden" and sup]
    newest_two = {i for _, i in sorted(expected)[-2:]}
    assert ids(diary, text="GARDEN", for_supervision=True, limit=2) == newest_two
    assert ids(diary, text="garden talked", for_supervision=True) == {i for _, i in expected}


def test_unknown_competency_filter_is_an_error(world):
    diary, _ = world
    with pytest.raises(NotFoundError, match="has no item or domain 'nowhere'"):
        diary.entries(Filters(competency="samhsa-core/nowhere"))
