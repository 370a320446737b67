"""The frameworks' outline and its cache: the same answers as the catalog, never an error."""

import json
import os
import shutil
from pathlib import Path

import pytest

from helpers import add_linked
from peerjournal.errors import NotFoundError
from peerjournal.services.framework_outline import evidence
from peerjournal.store import framework_cache
from peerjournal.store.layout import DataHome

DATA = Path(__file__).parent.parent / "data" / "frameworks"


@pytest.fixture
def fresh(home, context):
    """The services of a new invocation on the test's home, cache and clock."""

    def build():
        built = context()
        built.home_option = home
        return built.services

    return build


@pytest.fixture
def cache_file(home, cache_root):
    return framework_cache.cache_file(DataHome(home), cache_root)


def settle(cache: Path) -> None:
    """Let the cache file look written a while after the framework files it describes.

    A cache written within two seconds of a change to a framework file is not trusted (a second
    change in the same timestamp tick could keep the file's stamp), so the tests move the cache
    file's stamp on instead of waiting.
    """
    stamp = cache.stat()
    os.utime(cache, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10_000_000_000))


def warm(fresh, cache: Path):
    """Build the cache in one invocation; return a later invocation that answers from it."""
    assert fresh().outline.frameworks
    settle(cache)
    services = fresh()
    assert services.outline.frameworks
    assert "catalog" not in services.__dict__, "the outline should come from the cache"
    return services


def expected_evidence(catalog, counts, framework_id):
    """The evidence map as the catalog gives it (the rule the outline must keep)."""
    if framework_id is not None:
        wanted = [catalog.get(framework_id).framework]
    else:
        linked = {ref.split("/", 1)[0] for ref in counts}
        wanted = [e.framework for e in catalog.frameworks.values() if e.framework.id in linked]
    return [
        (
            fw.id,
            [
                (f"{fw.id}/{item.id}", item.text, counts.get(f"{fw.id}/{item.id}".casefold(), 0))
                for _, item in fw.items()
            ],
        )
        for fw in wanted
    ]


def outcome(call):
    """What a call returns, or the message of the NotFoundError it raises."""
    try:
        return call()
    except NotFoundError as error:
        return f"NotFoundError: {error}"


def expected_refs(catalog, spec):
    """`--competency` terms as the catalog's models give them."""
    framework_id, _, rest = spec.strip().partition("/")
    framework = catalog.get(framework_id).framework
    if not rest:
        return None, f"{framework.id}/".casefold()
    found = framework.find_item(rest)
    if found is not None:
        return (f"{framework.id}/{found[1].id}".casefold(),), None
    domain = framework.find_domain(rest)
    if domain is None:
        raise NotFoundError(f"framework {framework.id!r} has no item or domain {rest!r}")
    return tuple(f"{framework.id}/{item.id}".casefold() for item in domain.items), None


def test_a_warm_outline_gives_the_catalogs_evidence_for_every_bundled_framework(
    run, fresh, cache_file
):
    add_linked(run, "samhsa-core/I.1", "tepou-values/mutuality")
    add_linked(run, "samhsa-core/i.1", "tepou-values/equity")
    services = warm(fresh, cache_file)
    counts = services.query.ref_counts()
    catalog = fresh().catalog
    assert catalog.problems == []
    for framework_id in [*catalog.frameworks, None, " SAMHSA-Core "]:
        wanted = expected_evidence(catalog, counts, framework_id)
        assert evidence(services.outline, counts, framework_id) == wanted
    assert fresh().diary.evidence("samhsa-core") == expected_evidence(
        catalog, counts, "samhsa-core"
    )
    assert "catalog" not in services.__dict__


@pytest.mark.parametrize("typed", ["samhsa-cor", "nothing-like-it", ""])
def test_an_unknown_framework_is_the_catalogs_error_with_its_suggestion(fresh, cache_file, typed):
    services = warm(fresh, cache_file)
    with pytest.raises(NotFoundError) as from_outline:
        services.outline.get(typed)
    with pytest.raises(NotFoundError) as from_catalog:
        fresh().catalog.get(typed)
    assert str(from_outline.value) == str(from_catalog.value)
    if typed == "samhsa-cor":
        assert "did you mean 'samhsa-core'" in str(from_outline.value)  # the closest first


@pytest.mark.parametrize(
    "spec",
    [
        "samhsa-core",
        " Samhsa-Core ",
        "samhsa-core/I.1",
        "samhsa-core/i.1",
        "tepou-values/mutuality",
        "harbour-values/WELCOME",
        "harbour-values/w.2",
        "harbour-values/nowhere",
        "no-such-framework/I.1",
    ],
)
def test_competency_terms_are_the_catalogs(home, fresh, cache_file, spec):
    own = Path(shutil.copy(DATA / "harbour-values.yaml", home / "frameworks"))
    own.chmod(0o600)
    services = warm(fresh, cache_file)
    catalog = fresh().catalog
    wanted = outcome(lambda: expected_refs(catalog, spec))
    assert outcome(lambda: services.outline.competency_refs(spec)) == wanted


def test_editing_adding_and_removing_a_home_framework_is_seen_next_time(home, fresh, cache_file):
    own = Path(shutil.copy(DATA / "harbour-values.yaml", home / "frameworks"))
    own.chmod(0o600)
    outline = warm(fresh, cache_file).outline
    assert outline.get("harbour-values").items()[0][1].text == (
        "Greets people by the name they choose."
    )

    own.write_text(own.read_text().replace("Greets people", "Welcomes all"))
    assert fresh().outline.get("harbour-values").items()[0][1].text == (
        "Welcomes all by the name they choose."
    )

    settle(cache_file)  # a same-size edit that puts the mtime back still changes the ctime
    before = own.stat()
    own.write_text(own.read_text().replace("the name", "THE NAME"))
    os.utime(own, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert fresh().outline.get("harbour-values").items()[0][1].text == (
        "Welcomes all by THE NAME they choose."
    )

    second = home / "frameworks" / "harbour-two.yaml"
    second.write_text(own.read_text().replace("id: harbour-values", "id: harbour-two"))
    assert list(fresh().outline.frameworks)[-2:] == ["harbour-two", "harbour-values"]
    own.unlink()
    assert "harbour-values" not in fresh().outline.frameworks


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00\xff garbage \x80",
        b"",
        b'{"cache": "peerjournal framework outline", "signature": ',
        b"[1, 2, 3]",
    ],
)
def test_a_damaged_cache_gives_the_right_answer_and_is_rewritten(fresh, cache_file, damage):
    good = evidence(warm(fresh, cache_file).outline, {}, "samhsa-core")
    cache_file.write_bytes(damage)
    settle(cache_file)
    assert evidence(fresh().outline, {}, "samhsa-core") == good
    assert json.loads(cache_file.read_bytes())["cache"] == "peerjournal framework outline"


def test_a_cache_with_the_right_signature_but_a_wrong_outline_is_not_trusted(fresh, cache_file):
    good = evidence(warm(fresh, cache_file).outline, {}, "samhsa-core")
    document = json.loads(cache_file.read_bytes())
    document["outline"][0][3] = "not a list of domains"
    cache_file.write_text(json.dumps(document))
    settle(cache_file)
    services = fresh()
    assert evidence(services.outline, {}, "samhsa-core") == good
    assert "catalog" in services.__dict__  # it fell back to the catalog


def test_an_unwritable_cache_still_answers(fresh, cache_file):
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.mkdir()  # a folder where the file should be: it can be neither read nor written
    wanted = expected_evidence(fresh().catalog, {}, "tepou-values")
    for _ in range(2):
        assert evidence(fresh().outline, {}, "tepou-values") == wanted
    assert cache_file.is_dir()


def test_the_cache_is_private(fresh, cache_file):
    warm(fresh, cache_file)
    assert oct(cache_file.stat().st_mode & 0o777) == "0o600"
    assert oct(cache_file.parent.stat().st_mode & 0o777) == "0o700"


def test_a_catalog_with_problems_is_loaded_and_reported_every_time(home, fresh, cache_file):
    (home / "frameworks" / "broken.yaml").write_text("id: [unclosed\n")
    reported = []
    for _ in range(2):
        services = fresh()
        assert "samhsa-core" in services.outline.frameworks
        reported.append([str(problem) for problem in services.skipped()])
    assert reported[0] == reported[1] == [str(p) for p in fresh().catalog.problems]
    assert "broken.yaml" in reported[0][0]
    assert not cache_file.exists()


def test_the_outline_of_a_catalog_already_loaded_is_that_catalog(fresh):
    services = fresh()
    catalog = services.catalog
    assert services.outline == catalog.outline()


def test_a_scale_file_added_to_the_home_is_read_and_its_problem_reported(home, fresh, cache_file):
    warm(fresh, cache_file)
    (home / "frameworks" / "scales.yaml").write_text(
        "schema: 1\nscales:\n  - id: confidence-5\n    title: Mine\n    levels:\n"
        "      - {value: 1, label: Low}\n      - {value: 2, label: High}\n"
    )
    services = fresh()
    assert "samhsa-core" in services.outline.frameworks
    assert [str(p) for p in services.skipped()] == [str(p) for p in fresh().catalog.problems]
    assert "already defined by a bundled scale" in str(services.skipped()[0])
