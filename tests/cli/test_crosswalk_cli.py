"""Crosswalks at the command line: `assess show --as`, `report assessment --as`, and
`frameworks validate` checking maps_to targets."""

import re
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "data" / "frameworks"
BUNDLED = Path(__file__).parents[2] / "competencies"


def install(home: Path, *names: str) -> None:
    for name in names or ("harbour-skills.yaml", "north-tasks.yaml"):
        shutil.copy(DATA / name, home / "frameworks")


def saved_id(result) -> str:
    assert result.exit_code == 0, result.stderr
    return re.findall(r"Saved assessment (\S+)", result.stdout)[0]


@pytest.fixture
def assessed(run, home: Path, tmp_path: Path) -> str:
    install(home)
    answers = tmp_path / "answers.yaml"
    answers.write_text("t.1: 4\nt.2: na\nc.1: no-opportunity\nc.2: 2\nm.1: 1\n")
    return saved_id(run("assess", "start", "harbour-skills", "--answers", str(answers)))


def test_show_as_another_framework_lists_what_maps_to_each_domain(run, assessed):
    result = run("assess", "show", assessed, "--as", "north-tasks")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "read as North Board peer tasks (north-tasks)" in out
    assert "on harbour-skills's 1-4 scale" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "4.00" in lines["COMM"]
    assert "rated: t.1 4" in lines["COMM"]
    assert "not applicable: t.2" in out
    assert "no opportunity yet: c.1" in out
    assert "2.00" in lines["SAFE"]
    assert "nothing maps here" in lines["LEAD"]
    assert "c.2 -> north-tasks/NOPE" in out  # a link to a code the target does not have
    assert "Mean per domain" not in out  # the crosswalk instead of the summary


def test_show_as_an_unknown_or_unmapped_framework_is_one_line_and_exit_2(run, assessed):
    unknown = run("assess", "show", assessed, "--as", "north-task")
    assert unknown.exit_code == 2
    assert unknown.stdout == ""
    assert unknown.stderr == (
        "peerjournal: no framework with id 'north-task'; did you mean 'north-tasks'?\n"
    )
    unmapped = run("assess", "show", assessed, "--as", "samhsa-core")
    assert unmapped.exit_code == 2
    assert unmapped.stdout == ""
    assert unmapped.stderr == (
        "peerjournal: nothing in 'harbour-skills' maps to 'samhsa-core' "
        "(no maps_to of its items or domains names it)\n"
    )


def test_the_assessment_report_takes_the_same_as_option(run, assessed):
    result = run("report", "assessment", assessed, "--as", "north-tasks")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "- [Read as North Board peer tasks](#read-as-north-board-peer-tasks)" in out
    assert "## Read as North Board peer tasks" in out
    assert "| `COMM` Communication | 4.00 | `t.1` 4 | `t.2` |  |" in out
    assert "| `SAFE` Safety | 2.00 | `c.2` 2 |  | `c.1` |" in out
    assert "| `LEAD` Leadership | nothing maps here |" in out
    plain = run("report", "assessment", assessed)
    assert "Read as" not in plain.stdout
    wrong = run("report", "diary", "--as", "north-tasks")
    assert wrong.exit_code == 2
    assert wrong.stderr == "peerjournal: --as is for the assessment report, not the diary report\n"
    unmapped = run("report", "assessment", assessed, "--as", "samhsa-core")
    assert unmapped.exit_code == 2
    assert "nothing in 'harbour-skills' maps to 'samhsa-core'" in unmapped.stderr


def test_validate_names_a_target_code_that_does_not_exist(run, home, tmp_path):
    install(home, "north-tasks.yaml")
    broken = tmp_path / "harbour-skills.yaml"
    text = (DATA / "harbour-skills.yaml").read_text()
    broken.write_text(text.replace("north-tasks/comm.2", "north-tasks/COMM.9"))
    line = next(n for n, t in enumerate(broken.read_text().splitlines(), 1) if "COMM.9" in t)
    result = run("frameworks", "validate", str(broken))
    assert result.exit_code == 2
    errors = [e for e in result.stderr.splitlines() if "warning" not in e]
    assert errors[0].startswith(
        f"peerjournal: {broken}:{line}: domains.0.items.0.maps_to.0: maps_to target "
        "'north-tasks/COMM.9': framework 'north-tasks' has no domain or item 'COMM.9'; "
        "did you mean"
    )
    nope = [e for e in errors if "NOPE" in e]
    assert len(nope) == 1
    assert "domains.1.items.1.maps_to.1" in nope[0]
    assert len(errors) == 2


def test_a_target_in_a_framework_not_installed_is_a_warning_unless_checked_together(
    run, home, tmp_path
):
    alone = tmp_path / "harbour-skills.yaml"
    text = (DATA / "harbour-skills.yaml").read_text()
    alone.write_text(text.replace(", north-tasks/NOPE", ""))
    result = run("frameworks", "validate", str(alone))
    assert result.exit_code == 0, result.stderr
    warnings = result.stderr.splitlines()
    assert len(warnings) == 4  # the domain's and three items' links
    assert warnings[0].startswith(f"peerjournal: warning: {alone}:")
    assert warnings[0].endswith(
        "maps_to target 'north-tasks/COMM': framework 'north-tasks' is not installed, "
        "so it was not checked"
    )
    together = run("frameworks", "validate", str(alone), str(DATA / "north-tasks.yaml"))
    assert together.exit_code == 0, together.stderr
    assert together.stderr == ""


def test_validate_help_says_how_targets_are_checked(run):
    result = run("frameworks", "validate", "--help")
    assert "maps_to" in result.stdout
    assert "warning" in result.stdout


def test_the_bundled_samhsa_map_reads_as_icrc(run, home, services, tmp_path):
    text = (BUNDLED / "samhsa-core.yaml").read_text()
    if "maps_to" not in text:
        pytest.skip("the bundled samhsa-core has no maps_to yet")
    checked = run("frameworks", "validate", str(BUNDLED / "samhsa-core.yaml"))
    assert checked.exit_code == 0, checked.stderr
    assert checked.stderr == ""  # every target exists in the bundled icrc-peer-recovery
    framework = services.catalog.get("samhsa-core").framework
    answers = tmp_path / "answers.yaml"
    answers.write_text("".join(f"{item.id}: 3\n" for _, item in framework.items()))
    assessed = saved_id(run("assess", "start", "samhsa-core", "--answers", str(answers)))
    result = run("assess", "show", assessed, "--as", "icrc-peer-recovery")
    assert result.exit_code == 0, result.stderr
    icrc = services.catalog.get("icrc-peer-recovery").framework
    for domain in icrc.domains:
        assert domain.id in result.stdout
    assert "3.00" in result.stdout
