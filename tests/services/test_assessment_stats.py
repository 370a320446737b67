"""Assessment statistics against hand-made frameworks, with every expected number written out."""

from datetime import UTC, datetime

import pytest

from peerjournal.errors import InputError, NotFoundError
from peerjournal.models.assessment import Assessment
from peerjournal.models.framework import Framework, Scale
from peerjournal.services.assessment_stats import (
    DomainChange,
    DomainScore,
    Gap,
    ItemChange,
    ItemScore,
    compare,
    gaps,
    latest_pair,
    progress,
    summarise,
)

TEXTS = {
    "CON.1": "Listens without judging",
    "CON.2": "Shares own story with purpose",
    "CON.3": "Keeps in touch between meetings",
    "HOPE.1": "Names strengths out loud",
    "HOPE.2": "Helps set small goals",
    "HOPE.3": "Celebrates steps forward",
    "ETH.1": "Keeps confidences",
    "ETH.2": "Holds clear boundaries",
    "ETH.3": "Asks for supervision when unsure",
    "ETH.4": "Records contacts on time",
}
TITLES = {"CON": "Connection", "HOPE": "Hope", "ETH": "Ethics"}
V1_ITEMS = {
    "CON": ["CON.1", "CON.2", "CON.3"],
    "HOPE": ["HOPE.1", "HOPE.2"],
    "ETH": ["ETH.1", "ETH.2", "ETH.3", "ETH.4"],
}
# version 2 drops CON.3 and adds HOPE.3
V2_ITEMS = {
    "CON": ["CON.1", "CON.2"],
    "HOPE": ["HOPE.1", "HOPE.2", "HOPE.3"],
    "ETH": ["ETH.1", "ETH.2", "ETH.3", "ETH.4"],
}


def make_scale(top: int) -> Scale:
    return Scale.model_validate(
        {
            "id": f"points-{top}",
            "title": f"{top} points",
            "levels": [{"value": v, "label": f"Level {v}"} for v in range(1, top + 1)],
        }
    )


FIVE = make_scale(5)
THREE = make_scale(3)


def make_framework(items: dict[str, list[str]], version: str = "1", scale: Scale = FIVE):
    return Framework.model_validate(
        {
            "schema": 1,
            "id": "harbour-peer",
            "title": "Harbour Peer Practice",
            "version": version,
            "kind": "competencies",
            "source": {"publisher": "Harbour Peer Network (fictional)", "wording": "original"},
            "scale": scale.id,
            "scales": [scale.model_dump()],
            "domains": [
                {
                    "id": domain,
                    "title": TITLES[domain],
                    "items": [{"id": item, "text": TEXTS[item]} for item in ids],
                }
                for domain, ids in items.items()
            ],
        }
    )


V1 = make_framework(V1_ITEMS)
V2 = make_framework(V2_ITEMS, version="2")
V1_THREE = make_framework(V1_ITEMS, scale=THREE)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def rated(item: str, rating: int, **extra):
    domain = item.split(".")[0]
    return {"rating": rating, "domain": domain, "text": TEXTS.get(item, ""), **extra}


NA = {"not_applicable": True}
SKIP = {"skipped": True}


def make(
    responses: dict,
    *,
    id: str = "a1",
    role: str = "self",
    subject: str = "Sam Rivers",
    status: str = "complete",
    started: datetime | None = None,
    finished: datetime | str | None = "when started",
    framework: str = "harbour-peer",
    digest: str = "sha256:v1",
    domain_filter: str | None = None,
) -> Assessment:
    started = started or at(5, 1)
    if finished == "when started":
        finished = started if status == "complete" else None
    return Assessment.model_validate(
        {
            "schema": 1,
            "id": id,
            "framework": {"id": framework, "version": "1", "digest": digest, "scale": "points-5"},
            "role": role,
            "subject": subject,
            "assessor": "Rowan Vale" if role == "supervisor" else subject,
            "status": status,
            "started": started,
            "finished": finished,
            "domain_filter": domain_filter,
            "responses": responses,
        }
    )


# --- summarise -------------------------------------------------------------------------------

MIXED = make(
    {
        "CON.1": rated("CON.1", 3),
        "CON.2": NA,
        "CON.3": SKIP,
        "HOPE.1": rated("HOPE.1", 5, evidence=["entry-7"]),
        "HOPE.2": rated("HOPE.2", 2),
        "ETH.1": rated("ETH.1", 3),
        "ETH.2": rated("ETH.2", 5),
        # ETH.3 unanswered
        "ETH.4": rated("ETH.4", 1),
    }
)


def test_domain_means_exclude_na_and_skipped_and_count_unanswered_as_skipped():
    summary = summarise(MIXED, V1, FIVE)
    assert summary.domains == (
        DomainScore("CON", "Connection", 3.0, rated=1, skipped=1, not_applicable=1),
        DomainScore("HOPE", "Hope", 3.5, rated=2, skipped=0, not_applicable=0),
        DomainScore("ETH", "Ethics", 3.0, rated=3, skipped=1, not_applicable=0),
    )
    # (3 + 5 + 2 + 3 + 5 + 1) / 6 = 3.1666...
    assert summary.overall_mean == 3.17


def test_overall_mean_is_over_ratings_not_domain_means():
    assessment = make({"CON.1": rated("CON.1", 5), **{i: rated(i, 1) for i in V1_ITEMS["ETH"]}})
    summary = summarise(assessment, V1, FIVE)
    # ratings 5, 1, 1, 1, 1 -> 9 / 5; domain means would give (5 + 1) / 2 = 3
    assert summary.overall_mean == 1.8


def test_means_are_rounded_to_two_decimals():
    assessment = make(
        {"ETH.1": rated("ETH.1", 2), "ETH.2": rated("ETH.2", 2), "ETH.3": rated("ETH.3", 3)}
    )
    assert summarise(assessment, V1, FIVE).domains[2].mean == 2.33


def test_strongest_and_weakest_list_every_tie():
    summary = summarise(MIXED, V1, FIVE)
    assert [d.domain for d in summary.strongest] == ["HOPE"]
    assert [d.domain for d in summary.weakest] == ["CON", "ETH"]

    tied_top = make(
        {
            "CON.1": rated("CON.1", 2),
            "HOPE.1": rated("HOPE.1", 4),
            "ETH.1": rated("ETH.1", 5),
            "ETH.2": rated("ETH.2", 3),
        }
    )
    summary = summarise(tied_top, V1, FIVE)
    assert [d.domain for d in summary.strongest] == ["HOPE", "ETH"]
    assert [d.domain for d in summary.weakest] == ["CON"]


def test_a_domain_without_ratings_has_no_mean_and_is_neither_strongest_nor_weakest():
    assessment = make({"CON.1": rated("CON.1", 4), "HOPE.1": NA, "HOPE.2": SKIP})
    summary = summarise(assessment, V1, FIVE)
    assert summary.domains[1] == DomainScore("HOPE", "Hope", None, 0, 1, 1)
    assert summary.domains[2] == DomainScore("ETH", "Ethics", None, 0, 4, 0)
    # one rated domain is neither strongest nor weakest: there is nothing to rank it against
    assert summary.strongest == summary.weakest == ()


def test_nothing_rated_gives_no_means_and_empty_lists():
    summary = summarise(make({"CON.1": NA}), V1, FIVE)
    assert summary.overall_mean is None
    assert summary.strongest == summary.weakest == ()
    assert summary.growth_areas == summary.high_without_evidence == ()


def test_growth_areas_are_lowest_first_then_framework_order_and_respect_the_limit():
    summary = summarise(MIXED, V1, FIVE)
    assert summary.growth_areas == (
        ItemScore("ETH.4", "ETH", TEXTS["ETH.4"], 1),
        ItemScore("HOPE.2", "HOPE", TEXTS["HOPE.2"], 2),
        ItemScore("CON.1", "CON", TEXTS["CON.1"], 3),  # tie with ETH.1: framework order
        ItemScore("ETH.1", "ETH", TEXTS["ETH.1"], 3),
    )
    limited = summarise(MIXED, V1, FIVE, limit=3)
    assert [s.item for s in limited.growth_areas] == ["ETH.4", "HOPE.2", "CON.1"]
    assert summarise(MIXED, V1, FIVE, limit=0).growth_areas == ()


def test_growth_areas_leave_out_the_top_of_the_scale():
    top_only = make({i: rated(i, 5) for i in V1_ITEMS["CON"]})
    assert summarise(top_only, V1, FIVE).growth_areas == ()


def test_high_without_evidence_skips_items_with_linked_entries():
    # HOPE.1 (5) has evidence on the response; ETH.2 (5) has none
    summary = summarise(MIXED, V1, FIVE)
    assert summary.high_without_evidence == (ItemScore("ETH.2", "ETH", TEXTS["ETH.2"], 5),)
    assert summarise(MIXED, V1, FIVE, evidenced_items={"ETH.2"}).high_without_evidence == ()


def test_high_means_the_top_two_values_of_the_scale():
    assessment = make(
        {
            "CON.1": rated("CON.1", 4),
            "CON.2": rated("CON.2", 5),
            "CON.3": rated("CON.3", 3),
            "HOPE.1": rated("HOPE.1", 4),
        }
    )
    summary = summarise(assessment, V1, FIVE, evidenced_items={"HOPE.1"})
    assert [s.item for s in summary.high_without_evidence] == ["CON.1", "CON.2"]


def test_a_three_point_scale():
    assessment = make(
        {"CON.1": rated("CON.1", 3), "CON.2": rated("CON.2", 2), "CON.3": rated("CON.3", 1)}
    )
    summary = summarise(assessment, V1_THREE, THREE)
    assert summary.domains[0] == DomainScore("CON", "Connection", 2.0, 3, 0, 0)
    assert [s.item for s in summary.growth_areas] == ["CON.3", "CON.2"]
    # one rule: on a three-point scale only the top level is high, so 2 is a growth area only
    assert [s.item for s in summary.high_without_evidence] == ["CON.1"]


def test_domain_filter_limits_the_summary_to_that_domain():
    assessment = make(
        {"HOPE.1": rated("HOPE.1", 4), "HOPE.2": rated("HOPE.2", 2)}, domain_filter="HOPE"
    )
    summary = summarise(assessment, V1, FIVE)
    hope = DomainScore("HOPE", "Hope", 3.0, 2, 0, 0)
    assert summary.domains == (hope,)
    assert summary.overall_mean == 3.0
    assert hope in summary.domains
    assert summary.strongest == summary.weakest == ()  # one domain: nothing to rank


def test_answers_to_items_no_longer_in_the_framework_use_their_stored_domain():
    assessment = make(
        {
            "CON.1": rated("CON.1", 4),
            "CON.9": {"rating": 2, "domain": "CON", "text": "Visits at home"},
            "OLD.1": {"rating": 5, "domain": "OLD", "text": "Runs a group"},
        }
    )
    summary = summarise(assessment, V1, FIVE)
    assert summary.domains[0] == DomainScore("CON", "Connection", 3.0, 2, 2, 0)
    assert summary.domains[-1] == DomainScore("OLD", "OLD", 5.0, 1, 0, 0)
    assert summary.growth_areas[0] == ItemScore("CON.9", "CON", "Visits at home", 2)


# --- compare ---------------------------------------------------------------------------------

BEFORE = make(
    {
        "CON.1": rated("CON.1", 2),
        "CON.2": rated("CON.2", 3),
        "CON.3": rated("CON.3", 4),
        "HOPE.1": rated("HOPE.1", 3),
        "HOPE.2": rated("HOPE.2", 4),
        "ETH.1": rated("ETH.1", 3),
        "ETH.2": NA,
        "ETH.3": rated("ETH.3", 2),
        "ETH.4": rated("ETH.4", 5),
        "OLD.1": {"rating": 2, "domain": "OLD", "text": "Runs a group"},
    },
    id="before",
    started=at(1, 10),
)
AFTER = make(
    {
        "CON.1": rated("CON.1", 4),
        "CON.2": rated("CON.2", 3),
        "HOPE.1": NA,
        "HOPE.2": rated("HOPE.2", 4),
        "HOPE.3": rated("HOPE.3", 5),
        "ETH.1": SKIP,
        "ETH.2": rated("ETH.2", 3),
        "ETH.3": rated("ETH.3", 2),
        "ETH.4": rated("ETH.4", 5),
    },
    id="after",
    started=at(4, 10),
    digest="sha256:v2",
)


def test_compare_domain_changes_including_a_domain_only_in_before():
    comparison = compare(BEFORE, AFTER, V2)
    assert comparison.domains == (
        DomainChange("CON", "Connection", 3.0, 3.5, 0.5),  # (2+3+4)/3 -> (4+3)/2
        DomainChange("HOPE", "Hope", 3.5, 4.5, 1.0),  # (3+4)/2 -> (4+5)/2
        DomainChange("ETH", "Ethics", 3.33, 3.33, 0.0),  # (3+2+5)/3 -> (3+2+5)/3
        DomainChange("OLD", "OLD", 2.0, None, None),
    )


def test_compare_changed_items_include_rated_to_not_rated_and_back():
    comparison = compare(BEFORE, AFTER, V2)
    assert comparison.changed == (
        ItemChange("CON.1", "CON", TEXTS["CON.1"], 2, 4, 2),
        ItemChange("HOPE.1", "HOPE", TEXTS["HOPE.1"], 3, None, None),  # rated -> N/A
        ItemChange("ETH.1", "ETH", TEXTS["ETH.1"], 3, None, None),  # rated -> skipped
        ItemChange("ETH.2", "ETH", TEXTS["ETH.2"], None, 3, None),  # N/A -> rated
    )


def test_compare_new_and_removed_items_after_the_framework_changed():
    comparison = compare(BEFORE, AFTER, V2)
    assert comparison.new_items == ("HOPE.3",)
    assert comparison.removed_items == ("CON.3", "OLD.1")
    assert comparison.framework_changed is True


def test_compare_without_a_framework_uses_stored_domains_and_after_order():
    before = make({"CON.1": rated("CON.1", 3)}, id="b")
    after = make({"HOPE.1": rated("HOPE.1", 4), "CON.1": rated("CON.1", 3)}, id="c")
    comparison = compare(before, after)
    assert comparison.domains == (
        DomainChange("HOPE", "HOPE", None, 4.0, None),
        DomainChange("CON", "CON", 3.0, 3.0, 0.0),
    )
    assert comparison.changed == ()
    assert comparison.new_items == ("HOPE.1",)
    assert comparison.removed_items == ()
    assert comparison.framework_changed is False


def test_compare_refuses_two_frameworks():
    other = make({"CON.1": rated("CON.1", 3)}, framework="night-shift")
    with pytest.raises(InputError, match="different frameworks"):
        compare(BEFORE, other)
    with pytest.raises(InputError, match="different frameworks"):
        gaps(BEFORE, other)


# --- progress --------------------------------------------------------------------------------


def test_progress_rows_are_complete_assessments_oldest_first():
    first = make(
        {
            "CON.1": rated("CON.1", 2),
            "CON.3": rated("CON.3", 4),  # no longer in V2: stored domain CON
            "OLD.1": {"rating": 2, "domain": "OLD", "text": "Runs a group"},
        },
        id="first",
        started=at(1, 10),
        finished=at(1, 10, 11),
    )
    third = make(
        {"CON.1": rated("CON.1", 3), "HOPE.1": rated("HOPE.1", 4), "HOPE.3": rated("HOPE.3", 5)},
        id="third",
        started=at(1, 20),  # started before `second`, finished after it
        finished=at(3, 1),
        digest="sha256:v2",
    )
    second = make(
        {"ETH.1": rated("ETH.1", 2), "ETH.2": rated("ETH.2", 3)},
        id="second",
        role="supervisor",
        started=at(2, 1),
        finished=None,  # complete without a finish time: sorted by its start
        domain_filter="ETH",
    )
    draft = make({"CON.1": rated("CON.1", 1)}, id="draft", status="draft", started=at(4, 1))
    elsewhere = make({"CON.1": rated("CON.1", 1)}, id="elsewhere", framework="night-shift")

    result = progress([third, draft, first, elsewhere, second], V2)

    assert result.domains == (
        ("CON", "Connection"),
        ("HOPE", "Hope"),
        ("ETH", "Ethics"),
        ("OLD", "OLD"),
    )
    assert [(r.assessment, r.when, r.role) for r in result.rows] == [
        ("first", at(1, 10, 11), "self"),
        ("second", at(2, 1), "supervisor"),
        ("third", at(3, 1), "self"),
    ]
    assert [r.means for r in result.rows] == [
        {"CON": 3.0, "HOPE": None, "ETH": None, "OLD": 2.0},
        {"CON": None, "HOPE": None, "ETH": 2.5, "OLD": None},
        {"CON": 3.0, "HOPE": 4.5, "ETH": None, "OLD": None},
    ]
    assert [r.overall for r in result.rows] == [2.67, 2.5, 4.0]


def test_progress_of_nothing_is_empty():
    result = progress([], V1)
    assert result.rows == ()
    assert [d for d, _ in result.domains] == ["CON", "HOPE", "ETH"]


# --- gaps ------------------------------------------------------------------------------------

SELF = make(
    {
        "CON.1": rated("CON.1", 5),
        "CON.2": rated("CON.2", 4),
        "CON.3": rated("CON.3", 2),
        "HOPE.1": rated("HOPE.1", 3),
        "HOPE.2": NA,
        "ETH.1": rated("ETH.1", 1),
        "ETH.2": rated("ETH.2", 4),
    },
    id="self",
)
SUPERVISOR = make(
    {
        "CON.1": rated("CON.1", 2),
        "CON.2": rated("CON.2", 3),
        "CON.3": rated("CON.3", 4),
        "HOPE.1": rated("HOPE.1", 5),
        "HOPE.2": rated("HOPE.2", 1),
        "ETH.1": rated("ETH.1", 4),
        "ETH.2": SKIP,
    },
    id="supervisor",
    role="supervisor",
)


def test_gaps_largest_first_then_framework_order_with_supervisor_minus_self():
    assert gaps(SELF, SUPERVISOR, framework=V1) == (
        Gap("CON.1", "CON", TEXTS["CON.1"], 5, 2, -3),  # the worker rates themself higher
        Gap("ETH.1", "ETH", TEXTS["ETH.1"], 1, 4, 3),
        Gap("CON.3", "CON", TEXTS["CON.3"], 2, 4, 2),
        Gap("HOPE.1", "HOPE", TEXTS["HOPE.1"], 3, 5, 2),
    )


def test_gaps_with_a_higher_threshold():
    found = gaps(SELF, SUPERVISOR, threshold=3, framework=V1)
    assert [(g.item, g.difference) for g in found] == [("CON.1", -3), ("ETH.1", 3)]


def test_gaps_without_a_framework_use_stored_text_and_leave_out_na_and_skipped():
    found = gaps(SELF, SUPERVISOR)
    assert [g.item for g in found] == ["CON.1", "ETH.1", "CON.3", "HOPE.1"]
    assert found[0].text == TEXTS["CON.1"]
    assert "HOPE.2" not in {g.item for g in found}  # N/A on the self side
    assert "ETH.2" not in {g.item for g in found}  # skipped by the supervisor


# --- latest_pair -----------------------------------------------------------------------------


def pair_pool() -> list[Assessment]:
    return [
        make({}, id="self-jan", started=at(1, 5)),
        make({}, id="self-mar", subject="sam rivers", started=at(3, 5)),
        make({}, id="sup-feb", role="supervisor", subject="SAM RIVERS", started=at(2, 10)),
        make({}, id="sup-draft", role="supervisor", status="draft", started=at(4, 1)),
        make({}, id="sup-other", role="supervisor", subject="Jo Fern", started=at(5, 1)),
        make({}, id="self-other", subject="Jo Fern", started=at(1, 2)),
    ]


def test_latest_pair_takes_the_latest_of_each_role_for_the_subject():
    own, supervisor = latest_pair(pair_pool(), "  Sam RIVERS ")
    assert (own.id, supervisor.id) == ("self-mar", "sup-feb")
    own, supervisor = latest_pair(pair_pool(), "sam rivers", "harbour-peer")
    assert (own.id, supervisor.id) == ("self-mar", "sup-feb")


def test_latest_pair_picks_the_framework_with_the_most_recent_pair():
    pool = [
        *pair_pool(),
        make({}, id="night-self", framework="night-shift", started=at(6, 1)),
        make({}, id="night-sup", framework="night-shift", role="supervisor", started=at(6, 2)),
    ]
    own, supervisor = latest_pair(pool, "Sam Rivers")
    assert (own.id, supervisor.id) == ("night-self", "night-sup")
    own, supervisor = latest_pair(pool, "Sam Rivers", "harbour-peer")
    assert (own.id, supervisor.id) == ("self-mar", "sup-feb")


def test_latest_pair_without_a_subject_takes_anyone():
    own, supervisor = latest_pair(pair_pool(), None)
    assert (own.id, supervisor.id) == ("self-other", "sup-other")


def test_latest_pair_names_the_missing_supervisor_assessment():
    selves = [a for a in pair_pool() if a.role == "self"]
    message = "no complete supervisor assessment of 'Sam Rivers' on 'harbour-peer'"
    with pytest.raises(NotFoundError) as raised:
        latest_pair(selves, "Sam Rivers", "harbour-peer")
    assert raised.value.message == message
    with pytest.raises(NotFoundError) as raised:
        latest_pair(selves, "Sam Rivers")
    assert raised.value.message == message


def test_latest_pair_names_the_missing_self_assessment_and_an_unknown_person():
    supervisors = [a for a in pair_pool() if a.role == "supervisor"]
    with pytest.raises(NotFoundError) as raised:
        latest_pair(supervisors, "Sam Rivers")
    assert raised.value.message == "no complete self assessment of 'Sam Rivers' on 'harbour-peer'"
    with pytest.raises(NotFoundError) as raised:
        latest_pair(pair_pool(), "Rowan Vale", "harbour-peer")
    assert raised.value.message == "no complete assessment of 'Rowan Vale' on 'harbour-peer'"


def test_strongest_and_weakest_only_when_the_domains_differ():
    tied = summarise(make({"CON.1": rated("CON.1", 3), "HOPE.1": rated("HOPE.1", 3)}), V1, FIVE)
    assert tied.strongest == tied.weakest == ()
    apart = make({"CON.1": rated("CON.1", 2), "HOPE.1": rated("HOPE.1", 4)})
    summary = summarise(apart, V1, FIVE)
    assert [d.domain for d in summary.strongest] == ["HOPE"]
    assert [d.domain for d in summary.weakest] == ["CON"]
