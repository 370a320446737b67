"""What a user would notice in the bundled frameworks: they load, they cite their sources,
their counts match what they claim, and their crosswalks point at things that exist."""

import re

import pytest

from peerjournal.models.framework import Framework
from peerjournal.services import frameworks

NEW = (
    "naps-supervisor-guidelines",
    "samhsa-model-standards",
    "hee-peer-support",
    "peertac-org",
    "tupuranga-prompts",
    "supervision-evaluation",
)


@pytest.fixture(scope="module")
def catalog() -> frameworks.Catalog:
    return frameworks.load_catalog(None)


def bundled(catalog: frameworks.Catalog) -> dict[str, frameworks.FrameworkEntry]:
    return {fid: e for fid, e in catalog.frameworks.items() if e.origin == "bundled"}


def fw(catalog: frameworks.Catalog, framework_id: str) -> Framework:
    return catalog.get(framework_id).framework


@pytest.mark.parametrize("framework_id", NEW)
def test_each_new_framework_loads_and_validates(catalog, framework_id):
    assert catalog.problems == []
    entry = catalog.get(framework_id)
    assert entry.origin == "bundled"
    [(path, framework, problems)] = frameworks.validate_paths([entry.path], None)
    assert problems == [], path
    assert framework is not None
    assert framework.id == framework_id


def test_every_bundled_framework_cites_an_address_and_a_year(catalog):
    for framework_id, entry in bundled(catalog).items():
        source = entry.framework.source
        assert source.url.startswith("https://"), framework_id
        assert source.year is not None, framework_id
        assert 1990 <= source.year <= 2030, framework_id


def test_naps_supervisor_edition_has_the_twelve_values_of_the_2013_guidelines(catalog):
    supervisor = fw(catalog, "naps-supervisor-guidelines")
    assert supervisor.audience == "supervisor"
    assert supervisor.source.year == 2019
    assert supervisor.item_count() == 12
    peer_side = [item.id for _, item in fw(catalog, "inaps-guidelines").items()]
    assert [item.id for _, item in supervisor.items()] == peer_side
    for _, item in supervisor.items():  # each value maps to the same value on the peer side
        assert item.maps_to == (f"inaps-guidelines/{item.id}",)


def test_model_standards_ship_the_readable_topics_and_say_one_of_eleven_is_missing(catalog):
    standards = fw(catalog, "samhsa-model-standards")
    assert standards.kind == "checklist"
    assert "PEP23-10-01-001" in standards.source.title
    assert standards.item_count() == 10  # SAMHSA has 11; only ten topics could be read
    assert "11 standards" in standards.description
    assert "missing" in standards.description


def test_hee_framework_has_its_nine_domains(catalog):
    hee = fw(catalog, "hee-peer-support")
    assert len(hee.domains) == 9
    # the areas read from the framework's own contents keep its numbering
    assert [i.id for i in hee.find_domain("knowledge").items] == [f"2.{n}" for n in range(1, 8)]
    assert [i.id for i in hee.find_domain("relational").items] == [f"3.{n}" for n in range(1, 7)]


def test_peertac_uses_the_three_point_organisational_scale(catalog):
    entry = catalog.get("peertac-org")
    assert entry.framework.kind == "checklist"
    assert entry.framework.scale == "org-3"
    assert [level.label for level in entry.scale.levels] == [
        "Needs improvement",
        "Adequate",
        "Exemplary",
    ]


def test_peertac_statements_keep_their_numbers_out_of_25_and_say_the_rest_are_missing(catalog):
    peertac = fw(catalog, "peertac-org")
    numbers = [int(item.id.removeprefix("c")) for _, item in peertac.items()]
    assert numbers == sorted(numbers)
    assert all(1 <= n <= 25 for n in numbers)
    assert len(numbers) == 7  # of the OSA's 25; the other 18 could not be read
    assert "25 statements" in peertac.description
    assert f"Only {len(numbers)} of the 25" in peertac.description
    for _, item in peertac.items():
        assert item.text.startswith(("Our organisation", "At least one", "Supervisors of")), item.id


def test_tupuranga_turns_three_domains_and_five_themes_into_questions(catalog):
    tupuranga = fw(catalog, "tupuranga-prompts")
    assert [len(d.items) for d in tupuranga.domains] == [3, 5]
    assert {i.id for i in tupuranga.find_domain("domains").items} == {
        "experiential-knowledge",
        "relational-focus",
        "attention-to-power",
    }
    for _, item in tupuranga.items():
        assert item.prompts, item.id
        assert all(p.endswith("?") for p in item.prompts), item.id


def test_supervision_evaluation_says_it_is_peerjournals_synthesis(catalog):
    entry = catalog.get("supervision-evaluation")
    evaluation = entry.framework
    assert evaluation.source.wording == "synthesis"
    assert "synthesis" in evaluation.title.lower()
    assert "peerjournal's own synthesis" in evaluation.description
    for cited in ("Te Pou", "N.A.P.S."):
        assert cited in evaluation.description
    assert (evaluation.audience, evaluation.kind) == (
        "supervisor",
        "checklist",
    )  # who is rated: the supervision
    assert entry.scale == catalog.scales[evaluation.scale]  # a shared scale, not its own


def test_every_samhsa_core_crosswalk_target_exists_in_icrc(catalog):
    samhsa = fw(catalog, "samhsa-core")
    icrc = fw(catalog, "icrc-peer-recovery")
    targets = [t for d in samhsa.domains for t in d.maps_to] + [
        t for _, item in samhsa.items() for t in item.maps_to
    ]
    assert len(targets) > 20  # the crosswalk is there at all
    for target in targets:
        framework_id, _, code = target.partition("/")
        assert framework_id == "icrc-peer-recovery", target
        assert icrc.find_item(code) or icrc.find_domain(code), target


def test_every_bundled_crosswalk_names_a_bundled_domain_or_item(catalog):
    frameworks_by_id = {fid: e.framework for fid, e in bundled(catalog).items()}
    for framework_id, framework in frameworks_by_id.items():
        refs = [t for d in framework.domains for t in d.maps_to]
        refs += [t for _, item in framework.items() for t in item.maps_to]
        for ref in refs:
            target_id, _, code = ref.partition("/")
            target = frameworks_by_id.get(target_id)
            assert target is not None, (framework_id, ref)
            assert target_id != framework_id, (framework_id, ref)
            assert target.find_item(code) or target.find_domain(code), (framework_id, ref)


def test_partial_frameworks_say_what_is_missing(catalog):
    for framework_id in ("samhsa-model-standards", "hee-peer-support", "peertac-org"):
        framework = fw(catalog, framework_id)
        assert re.search(r"\b(missing|partial)\b", framework.description), framework_id
        assert "Not read" in framework.source.note, framework_id
