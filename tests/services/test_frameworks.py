"""Loading, checking and looking up frameworks."""

import shutil
from pathlib import Path

import pytest

from peerjournal.errors import InputError, NotFoundError, RecordProblemsError
from peerjournal.services import frameworks
from peerjournal.store.layout import DataHome

DATA = Path(__file__).parents[1] / "data" / "frameworks"
EXPECTED_BUNDLED = {
    "samhsa-core": (12, 62),
    "inaps-guidelines": (1, 12),
    "icrc-peer-recovery": (4, 51),
    "tepou-values": (1, 6),
    "supervisor-self-check": (4, None),
    "supervision-checklist": (7, None),
    "naps-supervisor-guidelines": (1, 12),
    "samhsa-model-standards": (1, None),
    "hee-peer-support": (9, None),
    "peertac-org": (3, None),
    "tupuranga-prompts": (2, None),
    "supervision-evaluation": (5, None),
}


@pytest.fixture
def user_home(tmp_path):
    home = DataHome(tmp_path / "home")
    home.frameworks_dir.mkdir(parents=True)
    return home


def test_every_bundled_framework_loads_with_its_counts():
    catalog = frameworks.load_catalog(None)
    assert catalog.problems == []
    assert set(catalog.frameworks) == set(EXPECTED_BUNDLED)
    for framework_id, (domains, items) in EXPECTED_BUNDLED.items():
        framework = catalog.get(framework_id).framework
        assert len(framework.domains) == domains, framework_id
        if items is not None:
            assert framework.item_count() == items, framework_id


def test_samhsa_core_has_the_published_category_sizes():
    framework = frameworks.load_catalog(None).get("samhsa-core").framework
    assert [len(d.items) for d in framework.domains] == [5, 5, 4, 4, 5, 5, 6, 5, 6, 6, 7, 4]


def test_every_bundled_framework_cites_its_source_and_wording():
    for entry in frameworks.load_catalog(None).frameworks.values():
        source = entry.framework.source
        assert source.publisher, entry.framework.id
        assert source.year, entry.framework.id
        assert source.note, entry.framework.id
        assert source.wording in ("paraphrased", "synthesis"), entry.framework.id
        assert entry.origin == "bundled"


def test_the_shared_scales_are_defined_once_with_their_sizes():
    scales = frameworks.load_catalog(None).scales
    sizes = {scale_id: len(scale.levels) for scale_id, scale in scales.items()}
    assert sizes == {
        "confidence-5": 5,
        "proficiency-4": 4,
        "frequency-5": 5,
        "org-3": 3,
        "support-5": 5,
    }


def test_a_user_framework_with_its_own_scale_loads_beside_the_bundled(user_home):
    shutil.copy(DATA / "harbour-values.yaml", user_home.frameworks_dir)
    catalog = frameworks.load_catalog(user_home)
    entry = catalog.get("harbour-values")
    assert entry.origin == "user"
    assert entry.scale.values == (1, 2, 3)
    assert len(catalog.frameworks) == len(EXPECTED_BUNDLED) + 1


def test_a_user_framework_reusing_a_bundled_id_is_reported_not_merged(user_home):
    text = (
        (DATA / "harbour-values.yaml").read_text().replace("id: harbour-values", "id: samhsa-core")
    )
    (user_home.frameworks_dir / "mine.yaml").write_text(text)
    catalog = frameworks.load_catalog(user_home)
    assert catalog.get("samhsa-core").origin == "bundled"
    assert catalog.get("samhsa-core").framework.item_count() == 62
    [problem] = catalog.problems
    assert "already used by the bundled framework" in str(problem)
    assert "mine.yaml" in str(problem)


def test_one_broken_user_file_does_not_hide_the_others(user_home):
    shutil.copy(DATA / "harbour-values.yaml", user_home.frameworks_dir)
    (user_home.frameworks_dir / "broken.yaml").write_text("id: [unclosed\n")
    catalog = frameworks.load_catalog(user_home)
    assert "harbour-values" in catalog.frameworks
    assert len(catalog.problems) == 1
    assert "broken.yaml:2" in str(catalog.problems[0])


def test_item_references_resolve_case_insensitively():
    catalog = frameworks.load_catalog(None)
    resolved = catalog.resolve("samhsa-core/iii.3")
    assert str(resolved.ref) == "samhsa-core/III.3"
    assert resolved.domain.id == "share"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("samhsa-core/III.9", "framework 'samhsa-core' has no item 'III.9'"),
        ("samhsa-cor/III.3", "no framework with id 'samhsa-cor'; did you mean 'samhsa-core'"),
        ("III.3", "'III.3' is not a reference like 'framework-id/item-id'"),
    ],
)
def test_unknown_references_are_clear(ref, message):
    error_type = InputError if "/" not in ref else NotFoundError
    with pytest.raises(error_type) as caught:
        frameworks.load_catalog(None).resolve(ref)
    assert str(caught.value).startswith(message)


def test_digest_changes_when_the_content_changes(user_home):
    path = user_home.frameworks_dir / "harbour-values.yaml"
    shutil.copy(DATA / "harbour-values.yaml", path)
    before = frameworks.load_catalog(user_home).get("harbour-values").digest
    assert before == frameworks.load_catalog(user_home).get("harbour-values").digest
    path.write_text(path.read_text().replace("Greets people", "Welcomes people"))
    after = frameworks.load_catalog(user_home).get("harbour-values").digest
    assert before != after
    assert after.startswith("sha256:")


def test_new_framework_writes_a_valid_starter_and_refuses_clashes(user_home):
    catalog = frameworks.load_catalog(user_home)
    path = frameworks.new_framework(user_home, "team-north", "Team North: practice", catalog)
    [(_, framework, problems)] = frameworks.validate_paths([path], user_home)
    assert problems == []
    assert framework.title == "Team North: practice"
    with pytest.raises(InputError, match="already exists"):
        frameworks.new_framework(user_home, "team-north", "Again", catalog)
    with pytest.raises(InputError, match="already used"):
        frameworks.new_framework(user_home, "samhsa-core", "Clash", catalog)
    with pytest.raises(InputError, match="not a usable id"):
        frameworks.new_framework(user_home, "../escape", "Bad", catalog)


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    text = (DATA / "harbour-values.yaml").read_text()
    text = text.replace("kind: guidelines", "kind: rules").replace("id: f.1", "id: w.1")
    text = text.replace("scale: harbour-often", "scale: nowhere")
    path = tmp_path / "many.yaml"
    path.write_text(text)
    with pytest.raises(RecordProblemsError) as caught:
        frameworks.read_framework(path, {})
    messages = [str(p) for p in caught.value.problems]
    assert any(":6: kind: must be one of" in m for m in messages)
    assert any(":14: scale: unknown scale 'nowhere'" in m for m in messages)
    assert any("duplicate item id 'w.1' (first on line 30)" in m for m in messages)
