"""Reports: every kind from a fixture world, parsed back as Markdown, SVG and HTML."""

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

DATA = Path(__file__).parents[1] / "data" / "frameworks"
SVG = "{http://www.w3.org/2000/svg}"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture
def world(run, home, tmp_path):
    """Entries with themes and links, two self assessments, one supervisor one, two sessions."""
    shutil.copy(DATA / "harbour-values.yaml", home / "frameworks")
    settings = home / "settings.yaml"
    settings.write_text(settings.read_text().replace("watch_names: []", "watch_names:\n  - Tamsin"))
    for title, extra in (
        (
            "Garden with Tamsin",
            ["--tag", "everyday-activities", "--competency", "harbour-values/w.1"],
        ),
        ("Shared my story", ["--tag", "self-disclosure", "--competency", "harbour-values/w.1"]),
        ("Quiet shift", ["--for-supervision"]),
    ):
        result = run(
            "diary",
            "add",
            "A short note.",
            "--title",
            title,
            "--date",
            "2026-10-02 10:00",
            *extra,
            input="keep\n",
        )
        assert result.exit_code == 0, result.stderr
    ids = {}
    for name, role, answers in (
        ("early", "self", "w.1: 1\nw.2: 2\nf.1: 2\n"),
        ("late", "self", "w.1: {rating: 3, note: Greeted everyone.}\nw.2: 2\nf.1: na\n"),
        ("sup", "supervisor", "w.1: 1\nw.2: 2\nf.1: 3\n"),
    ):
        extra = ["--role", "supervisor", "--subject", "Sam Rivers"] if role == "supervisor" else []
        result = run("assess", "start", "harbour-values", *extra, "--answers",
                     str(write(tmp_path, f"{name}.yaml", answers)))  # fmt: skip
        assert result.exit_code == 0, result.stderr
        ids[name] = result.stdout.split()[-1]
    for body in (
        "date: 2026-09-10 09:00\nminutes: 60\ndecisions: Try the new rota.\n"
        "actions: [{text: Ask about rota, owner: Sam, due: 2026-09-30}]\n",
        "date: 2026-10-12 09:00\nminutes: 90\ntype: peer\n",
    ):
        path = write(tmp_path, f"s{len(body)}.yaml", body)
        assert run("supervision", "new", "--from", str(path)).exit_code == 0
    return ids


def parse(markdown):
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    tables = sum(1 for t in tokens if t.type == "table_open")
    links, images = [], []
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                links.append(child.attrGet("href"))
            if child.type == "image":
                images.append(child.attrGet("src"))
    return headings, tables, links, images


def report(run, *args, input=None):
    result = run("report", *args, input=input)
    assert result.exit_code == 0, result.stderr
    return result


def test_assessment_report_markdown_and_its_svg(run, world, tmp_path):
    out = tmp_path / "out" / "assessment.md"
    out.parent.mkdir()
    result = report(  # the evidence names diary titles, one with a watched name: write anyway
        run, "assessment", world["late"], "--compare", world["early"], "--out", str(out),
        input="y\n",
    )  # fmt: skip
    assert f"Wrote {out}" in result.stdout
    text = out.read_text()
    headings, tables, links, images = parse(text)
    assert headings[0] == "Assessment: Harbour Peer Service practice values"
    assert headings[1:] == [
        "Contents",
        "Scale",
        "Domains",
        "Strengths and growth areas",
        "Development goals",
        "Evidence",
        "Changes since the earlier assessment",
    ]
    assert "#changes-since-the-earlier-assessment" in links
    assert tables >= 4
    assert images == ["assessment-domains.svg"]
    assert "| Welcome | 1.50 | 2.50 | 1.00 |" in text
    changed = [line for line in text.splitlines() if line.startswith("| `w.")]
    assert changed  # each changed item has its text beside its code
    assert all(line.split("|")[2].strip() for line in changed)
    assert "| `w.1` | Greets people by the name they choose. |" in text
    assert "`w.1`: Greeted everyone." in text
    assert "It is not a clinical record." in text
    svg = ET.parse(out.parent / "assessment-domains.svg").getroot()
    bars = {rect.get("data-label"): rect.get("data-value") for rect in svg.iter(f"{SVG}rect")
            if rect.get("class") == "bar"}  # fmt: skip
    assert bars == {"Welcome": "2.50"}  # f.1 was n/a: Follow-through has no ratings, no bar
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "no-data"] == ["no ratings"]
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_latest_assessment_is_the_default(run, world):
    text = report(run, "assessment").stdout
    assert world["sup"] in text


def test_diary_report_groups_by_theme_and_competency(run, world):
    text = report(run, "diary", "--since", "2026-10-01", "--until", "2026-10-31").stdout
    headings, tables, _, images = parse(text)
    assert {"Counts", "Themes", "Competencies", "Evidence map", "Reflections"} <= set(headings)
    assert "Connecting through everyday activities" in headings
    assert images == []  # printed, nothing is written beside it, so no chart is linked
    assert "**Entries per month**" in text  # the chart's numbers stand as a table instead
    [linked] = [line for line in text.splitlines() if line.startswith("- `harbour-values/w.1`: ")]
    assert "Garden with Tamsin" in linked
    assert "Shared my story" in linked
    assert "| `harbour-values/w.1` | 2 |" in text
    assert "| `harbour-values/f.1` | - |" in text
    assert tables >= 2
    empty = report(run, "diary", "--since", "2020-01-01", "--until", "2020-01-31").stdout
    assert "0 entries" in empty


def test_supervision_report_hours_against_a_target(run, world, tmp_path):
    out = tmp_path / "sup.md"
    report(run, "supervision", "--target", "25", "--out", str(out))
    text = out.read_text()
    assert "2 sessions, 2h 30m of 25h of supervision (10.0% of the target)" in text
    assert "| Ask about rota | Sam | 2026-09-30 | overdue |" in text
    assert "Try the new rota." in text
    svg = ET.parse(tmp_path / "sup-hours.svg").getroot()
    columns = {r.get("data-label"): r.get("data-value") for r in svg.iter(f"{SVG}rect")
               if r.get("class") == "column"}  # fmt: skip
    assert columns == {"2026-09": "1.00", "2026-10": "1.50"}


def test_prep_and_portfolio(run, world):
    prep = report(run, "prep").stdout
    assert "Quiet shift" in prep
    portfolio = report(run, "portfolio").stdout
    headings, _, links, _ = parse(portfolio)
    assert headings[0] == "Portfolio: Sam Rivers"
    assert "Diary digest" in headings
    assert "#diary-digest" in links
    assert portfolio.count("It is not a clinical record.") == 1


def test_html_is_one_self_contained_file(run, world, tmp_path):
    out = tmp_path / "portfolio.html"
    report(run, "portfolio", "--format", "html", "--out", str(out), "--yes")
    html = out.read_text()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".svg"] == []
    assert html.count("<svg") >= 3
    assert "@media print" in html
    without_namespace = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?://|src=|<link|<script|@import|url\(", without_namespace)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs
    assert all(href.startswith("#") for href in hrefs)
    assert 'id="diary-digest"' in html


def test_privacy_check_warns_and_pseudonymise_replaces_names_stably(run, world, tmp_path):
    plain = run("report", "diary")
    garden = next(line.split()[0] for line in run("diary", "list").stdout.splitlines()
                  if "Garden with" in line)  # fmt: skip
    # where it is, by record and part, never the words themselves
    assert f"diary entry {garden}, title: a name on your watch list" in plain.stderr
    assert "Tamsin" not in plain.stderr
    assert "Tamsin" in plain.stdout
    first = run("report", "diary", "--pseudonymise")
    second = run("report", "diary", "--pseudonymise")
    assert "Tamsin" not in first.stdout
    assert re.search(r"Garden with Person [0-9A-F]{4}", first.stdout)
    assert first.stdout.split("It was made")[0] == second.stdout.split("It was made")[0]
    refused = run("report", "diary", "--out", str(tmp_path / "d.md"), input="n\n")
    assert refused.exit_code == 1
    assert not (tmp_path / "d.md").exists()


def test_a_template_in_the_home_overrides_the_bundled_one(run, world):
    templates = Path(os.environ["PEERJOURNAL_HOME"]) / "templates"
    templates.mkdir()
    (templates / "prep.md.j2").write_text("# Harbour Peer Service\n\n{{ data.values.body }}\n")
    assert report(run, "prep").stdout.startswith("# Harbour Peer Service\n")


def test_a_broken_template_names_its_file_and_line(run, world):
    templates = Path(os.environ["PEERJOURNAL_HOME"]) / "templates"
    templates.mkdir()
    (templates / "prep.md.j2").write_text("# Agenda\n\n{% for x in %}\n")
    result = run("report", "prep")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"peerjournal: {templates / 'prep.md.j2'}:3: template error:")
    (templates / "prep.md.j2").write_text("# Agenda\n\n{{ data.nothing_here }}\n")
    result = run("report", "prep")
    assert result.exit_code == 2
    assert f"{templates / 'prep.md.j2'}:3: template error:" in result.stderr


def test_unknown_kind_and_format(run, world):
    assert run("report", "weekly").stderr.startswith("peerjournal: unknown report 'weekly'")
    assert (
        run("report", "diary", "--format", "pdf").stderr
        == "peerjournal: --format must be md or html\n"
    )


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    chromium() is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)
def test_the_html_report_renders_in_headless_chromium(run, world, tmp_path):
    out = tmp_path / "assessment.html"
    report(run, "assessment", world["late"], "--format", "html", "--out", str(out), input="y\n")
    browser = chromium()
    assert browser is not None, "CI must have chromium (.ci/run installs it)"
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,1600",
    ]  # fmt: skip
    shot = tmp_path / "shot.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", out.as_uri()],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", out.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert dom.count('class="bar"') == 1
    assert "<table>" in dom
    assert 'data-label="Welcome"' in dom
    assert "Greeted everyone." in dom


def test_a_chart_is_linked_only_when_its_file_is_written(run, world, tmp_path):
    out = tmp_path / "digest.md"
    assert report(run, "diary", "--out", str(out), "--yes").exit_code == 0
    _, _, _, images = parse(out.read_text())
    assert images == ["digest-entries.svg"]
    assert (tmp_path / "digest-entries.svg").exists()
    printed = report(run, "diary").stdout
    assert ".svg" not in printed
