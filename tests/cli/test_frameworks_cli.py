"""`peerjournal frameworks ...` as a user runs it."""

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "data" / "frameworks"
GOOD = (DATA / "harbour-values.yaml").read_text(encoding="utf-8")


def test_list_shows_every_bundled_framework_with_counts(run):
    result = run("frameworks", "list")
    assert result.exit_code == 0
    rows = {
        line.split()[0]: line.split()
        for line in result.stdout.splitlines()
        if len(line.split()) >= 6
    }
    assert set(rows) >= {
        "samhsa-core",
        "inaps-guidelines",
        "icrc-peer-recovery",
        "tepou-values",
        "supervisor-self-check",
        "supervision-checklist",
        "naps-supervisor-guidelines",
        "samhsa-model-standards",
        "hee-peer-support",
        "peertac-org",
        "tupuranga-prompts",
        "supervision-evaluation",
    }
    assert rows["samhsa-core"][1:4] == ["competencies", "12", "62"]
    assert rows["samhsa-core"][-1] == "bundled"


def test_list_includes_a_user_framework_and_warns_about_a_broken_one(run, home):
    shutil.copy(DATA / "harbour-values.yaml", home / "frameworks")
    (home / "frameworks" / "broken.yaml").write_text("id: x\n  bad: indent\n")
    result = run("frameworks", "list")
    assert result.exit_code == 0
    assert "harbour-values" in result.stdout
    assert "user" in result.stdout
    assert result.stderr.startswith("peerjournal: warning: ")
    assert "broken.yaml:2:" in result.stderr


def test_show_prints_a_tree_and_narrows_to_one_domain(run):
    result = run("frameworks", "show", "samhsa-core", "--domain", "share")
    assert result.exit_code == 0
    assert "samhsa-core/III.3" in result.stdout
    assert "samhsa-core/I.1" not in result.stdout
    assert "paraphrased" in result.stdout


def test_show_unknown_framework_and_domain_are_one_line_exit_2(run):
    result = run("frameworks", "show", "samhsa")
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr == "peerjournal: no framework with id 'samhsa'; did you mean 'samhsa-core'?\n"
    )
    result = run("frameworks", "show", "samhsa-core", "-d", "nowhere")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "peerjournal: framework 'samhsa-core' has no domain 'nowhere'; domains: engage,"
    )


def test_validate_accepts_good_files_and_the_bundled_ones(run):
    bundled = sorted(str(p) for p in (Path(__file__).parents[2] / "competencies").glob("*.yaml"))
    result = run("frameworks", "validate", str(DATA / "harbour-values.yaml"), *bundled)
    assert result.exit_code == 0, result.stderr
    assert "(2 domains, 3 items)" in result.stdout
    assert result.stderr == ""


def bad_file_cases() -> list[tuple[str, bytes, list[str]]]:
    """(name, file bytes, expected error lines after 'peerjournal: <path>')."""
    return [
        (
            "syntax",
            GOOD.replace("title: Welcome", "title: [Welcome").encode(),
            [":29: column 10: YAML error: did not find expected ',' or ']'"],
        ),
        (
            "missing-field",
            GOOD.replace(
                "        text: Explains what the service can and cannot offer.\n", ""
            ).encode(),
            [":34: domains.0.items.1.text: required field is missing"],
        ),
        (
            "duplicate-item",
            GOOD.replace("id: f.1", "id: w.2").encode(),
            [":39: domains.1.items.0.id: duplicate item id 'w.2' (first on line 34)"],
        ),
        (
            "unknown-scale",
            GOOD.replace("scale: harbour-often", "scale: harbor-often").encode(),
            [
                ":14: scale: unknown scale 'harbor-often'; known scales: confidence-5, "
                "frequency-5, harbour-often, org-3, proficiency-4, support-5"
            ],
        ),
        (
            "wrong-type",
            GOOD.replace('version: "3"', "version: 3.10").encode(),
            [
                ":5: version: must be text; put the value in quotes "
                "(YAML read it as a number, a boolean or empty)"
            ],
        ),
        (
            "not-utf8",
            GOOD.replace("Welcome", "Bienvenue \xe0 tous").encode("latin-1"),
            [":28: column 22: not valid UTF-8 (byte 0xe0); save the file as UTF-8"],
        ),
        (
            "alias-bomb",
            b"a: &a [x, x, x, x, x, x, x, x, x]\n"
            b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            b"d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
            [":1: column 4: YAML error: anchors and aliases (&, *) are not allowed"],
        ),
        ("huge", b"# padding\n" * 2_000_000, [": file is 19.1 MiB; the limit is 1 MiB"]),
        ("empty", b"", [": the framework file is empty"]),
        (
            "two-problems",
            GOOD.replace("kind: guidelines", "kind: rules")
            .replace("itmes", "x")
            .replace("    items:\n      - id: f.1", "    itmes:\n      - id: f.1")
            .encode(),
            [
                ":6: kind: must be one of: 'competencies', 'guidelines' or 'checklist'",
                ":36: domains.1.items: required field is missing",
                ":38: domains.1.itmes: unknown field (check the spelling)",
            ],
        ),
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"), bad_file_cases(), ids=[c[0] for c in bad_file_cases()]
)
def test_validate_reports_each_bad_file_as_one_line_per_problem(
    run, tmp_path, name, content, expected
):
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    result = run("frameworks", "validate", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"peerjournal: {path}{line}" for line in expected]
    assert "Traceback" not in result.output


def test_validate_checks_every_file_and_fails_if_any_is_bad(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("")
    result = run("frameworks", "validate", str(bad), str(DATA / "harbour-values.yaml"))
    assert result.exit_code == 2
    assert "ok  " in result.stdout
    assert result.stderr == f"peerjournal: {bad}: the framework file is empty\n"


def test_validate_a_missing_file(run, tmp_path):
    result = run("frameworks", "validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"peerjournal: {tmp_path / 'nope.yaml'}: cannot read (No such file or directory)\n"
    )


def test_new_writes_a_starter_that_validates_and_lists(run, home):
    result = run("frameworks", "new", "team-north", "--title", "Team North practice")
    assert result.exit_code == 0
    path = home / "frameworks" / "team-north.yaml"
    assert f"Wrote {path}" in result.stdout
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert run("frameworks", "validate", str(path)).exit_code == 0
    assert "team-north" in run("frameworks", "list").stdout
    again = run("frameworks", "new", "team-north")
    assert again.exit_code == 2
    assert "already" in again.stderr
