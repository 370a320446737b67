"""Importing a jrnl journal: nothing lost, tags and stars kept, safe to run twice."""

import json
import shutil
from pathlib import Path

from peerjournal.services.jrnl_format import parse_text
from peerjournal.store.entries import EntryStore
from peerjournal.store.frontmatter import join_sections
from peerjournal.store.layout import DataHome

DATA = Path(__file__).parents[1] / "data" / "jrnl"


def lines(text):
    return [line for line in text.split("\n") if line.strip()]


def imported(home):
    return sorted((s.entry for s in EntryStore(DataHome(home)).iter()), key=lambda e: e.date)


def test_a_plain_text_journal_imports_with_nothing_lost(run, home):
    source = DATA / "jrnl3_default.txt"
    result = run("diary", "import", "jrnl", str(source))
    assert result.exit_code == 0, result.stderr
    expected = parse_text(source.read_text(encoding="utf-8"))
    assert result.stdout.startswith(f"Imported {len(expected)} entries from {source}; skipped 0")
    entries = imported(home)
    assert len(entries) == len(expected)
    for entry, original in zip(entries, expected, strict=True):
        assert entry.meta.title == original.title
        body = join_sections(entry.preamble, [(s.heading, s.text) for s in entry.sections])
        # the same lines in the same order; only blank lines around ## headings are normalised
        assert lines(body) == lines(original.body)
        assert entry.date.replace(tzinfo=None) == original.date
        assert set(entry.meta.tags) >= {tag.lstrip("@#") for tag in original.tags}
    # every non-blank line of the journal is somewhere in the diary
    text = " ".join(
        f"{e.meta.title} " + join_sections(e.preamble, [(s.heading, s.text) for s in e.sections])
        for e in entries
    )
    text = " ".join(text.split())
    for line in source.read_text(encoding="utf-8").splitlines():
        content = line.split("] ", 1)[1] if line.startswith("[2023") else line
        content = " ".join(content.removesuffix(" *").split())
        assert content in text


def test_starred_entries_are_tagged_and_marked(run, home):
    run("diary", "import", "jrnl", str(DATA / "jrnl3_default.txt"))
    starred = [e for e in imported(home) if "starred" in e.meta.tags]
    assert [e.meta.title for e in starred] == ["Team huddle about the #winter-plan"]
    assert starred[0].meta.model_extra["starred"] is True


def test_importing_twice_adds_nothing(run, home):
    source = str(DATA / "jrnl4_default.txt")
    first = run("diary", "import", "jrnl", source)
    count = len(imported(home))
    second = run("diary", "import", "jrnl", source)
    assert second.exit_code == 0
    assert f"Imported 0 entries from {source}; skipped {count} already imported." in second.stdout
    assert len(imported(home)) == count
    assert first.stdout != second.stdout


def test_the_json_export_imports_too(run, home):
    result = run("diary", "import", "jrnl", str(DATA / "export.json"))
    assert result.exit_code == 0, result.stderr
    document = json.loads((DATA / "export.json").read_text(encoding="utf-8"))
    assert len(imported(home)) == len(document["entries"])


def test_a_custom_time_format(run, home):
    wrong = run("diary", "import", "jrnl", str(DATA / "custom_format.txt"))
    assert wrong.exit_code == 2
    assert "--timeformat" in wrong.stderr
    assert imported(home) == []
    right = run(
        "diary", "import", "jrnl", str(DATA / "custom_format.txt"), "--timeformat", "%d.%m.%Y %H:%M"
    )
    assert right.exit_code == 0, right.stderr
    assert imported(home)


def test_text_before_the_first_entry_is_refused_with_its_line(run, home, tmp_path):
    journal = tmp_path / "journal.txt"
    shutil.copy(DATA / "jrnl3_default.txt", journal)
    journal.write_text("A stray note SENTINEL-7f3a\n" + journal.read_text())
    result = run("diary", "import", "jrnl", str(journal))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"peerjournal: {journal}:1: ")
    assert "SENTINEL-7f3a" not in result.stderr
    assert imported(home) == []


def test_a_missing_file(run, home, tmp_path):
    result = run("diary", "import", "jrnl", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
