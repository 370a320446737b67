"""Reading an assessment of one framework as another, through maps_to (S to T only)."""

import re
import shutil
from pathlib import Path

import pytest

from peerjournal.errors import InputError, NotFoundError
from peerjournal.services.crosswalk import read_as

DATA = Path(__file__).parents[1] / "data" / "frameworks"


def install(home: Path) -> None:
    """The fictional source and target frameworks, in the home's frameworks folder."""
    for name in ("harbour-skills.yaml", "north-tasks.yaml"):
        shutil.copy(DATA / name, home / "frameworks")


def read_as_id(services, assessment, target_id: str):
    """The crosswalk as the commands look it up: both frameworks from the home's catalog."""
    source = services.catalog.get(assessment.framework.id)
    target = services.catalog.get(target_id).framework
    return read_as(assessment, source.framework, source.scale, target)


ANSWERS = "t.1: 4\nt.2: na\nc.1: no-opportunity\nc.2: 2\nm.1: 1\n"


@pytest.fixture
def assessed(run, home: Path, tmp_path: Path) -> str:
    """Both frameworks in the home and a completed assessment of the source; its id."""
    install(home)
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS)
    result = run("assess", "start", "harbour-skills", "--answers", str(answers))
    assert result.exit_code == 0, result.stderr
    return re.findall(r"Saved assessment (\S+)", result.stdout)[0]


def test_each_target_domain_gathers_the_items_that_map_to_it(services, assessed):
    walk = read_as_id(services, services.assessments.get(assessed).assessment, "north-tasks")
    rows = {(row.kind, row.code): row for row in walk.rows}
    assert [(row.kind, row.code) for row in walk.rows] == [
        ("domain", "COMM"),
        ("item", "COMM.2"),  # an item row only where something maps to the item
        ("domain", "SAFE"),
        ("item", "SAFE.1"),
        ("domain", "LEAD"),
    ]
    comm = rows[("domain", "COMM")]
    # t.1 maps through its domain and its own link; it counts once
    assert [(m.item, m.rating) for m in comm.rated] == [("t.1", 4)]
    assert [m.item for m in comm.not_applicable] == ["t.2"]
    assert comm.mean == 4.0
    safe = rows[("domain", "SAFE")]
    assert safe.mean == 2.0  # no opportunity yet is listed, never averaged
    assert [m.item for m in safe.no_opportunity] == ["c.1"]
    assert [(m.item, m.rating) for m in rows[("item", "SAFE.1")].rated] == [("c.2", 2)]
    lead = rows[("domain", "LEAD")]
    assert not lead.mapped
    assert lead.mean is None
    assert walk.unresolved == ("c.2 -> north-tasks/NOPE",)
    assert (walk.scale_low, walk.scale_high) == (1, 4)  # the source's own scale


def test_an_unknown_or_unmapped_target_or_the_same_framework_is_refused(services, assessed):
    assessment = services.assessments.get(assessed).assessment
    with pytest.raises(NotFoundError, match="no framework with id 'north-task'"):
        read_as_id(services, assessment, "north-task")
    with pytest.raises(InputError, match="nothing in 'harbour-skills' maps to 'samhsa-core'"):
        read_as_id(services, assessment, "samhsa-core")
    with pytest.raises(InputError, match="already on 'harbour-skills'"):
        read_as_id(services, assessment, "harbour-skills")


def test_a_one_domain_assessment_maps_only_what_it_asked(run, services, home, tmp_path):
    install(home)
    answers = tmp_path / "answers.yaml"
    answers.write_text("c.2: 3\n")
    result = run("assess", "start", "harbour-skills", "--domain", "care", "--answers", str(answers))
    assert result.exit_code == 0, result.stderr
    [stored] = services.assessments.listing()
    walk = read_as_id(services, stored.assessment, "north-tasks")
    rows = {row.code: row for row in walk.rows}
    assert not rows["COMM"].mapped  # the talk domain was not asked
    assert [m.item for m in rows["SAFE"].not_answered] == ["c.1"]
    assert rows["SAFE"].mean == 3.0
