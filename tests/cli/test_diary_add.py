"""Adding diary entries the four ways: guided, quick, editor and piped."""

import json
import stat
from pathlib import Path

from helpers import entry_path
from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome

SENTINEL = "SENTINEL-7f3a"


def entries(home: Path):
    return [stored.entry for stored in EntryStore(DataHome(home)).iter()]


def only_entry(home: Path):
    [entry] = entries(home)
    return entry


def entry_files(home: Path) -> list[Path]:
    return sorted((home / "journal").rglob("*.md"))


def test_quick_add_saves_one_private_file(run, home):
    result = run(
        "diary", "add", "Helped a resident plan the week's shopping.",
        "--title", "Shopping list", "--tag", "everyday-activities", "--tag", "Group Work",
        "--competency", "samhsa-core/ii.5", "--date", "2026-11-20 10:15", "--for-supervision",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    entry = only_entry(home)
    assert result.stdout == f"Saved diary entry {entry.id}\n"
    assert entry.meta.title == "Shopping list"
    assert entry.meta.tags == ["everyday-activities", "group-work"]
    assert entry.meta.competencies == ["samhsa-core/II.5"]
    assert entry.meta.for_supervision is True
    assert entry.meta.date.strftime("%Y-%m-%d %H:%M") == "2026-11-20 10:15"
    assert entry.meta.date.utcoffset() is not None
    assert entry.preamble == "Helped a resident plan the week's shopping."
    [path] = entry_files(home)
    assert path == entry_path(home, entry.id, entry.meta.date)  # filed by its own date
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "shell history" in result.stderr  # the one-time warning about text in arguments
    again = run("diary", "add", "Second note.")
    assert "shell history" not in again.stderr


def test_piped_text_is_read_from_standard_input(run, home):
    text = "Walked to the bus stop together.\n\n- practised the route\n- **no** rush\n"
    result = run("diary", "add", "--title", "Bus route", "--tag", "persistence", input=text)
    assert result.exit_code == 0, result.stderr
    entry = only_entry(home)
    assert entry.preamble == text.strip("\n")
    assert entry.meta.tags == ["persistence"]
    assert "shell history" not in result.stderr


def test_piped_text_without_a_title_gets_one_from_its_first_words(run, home):
    run("diary", "add", input="Sat with a new resident at lunch and talked about football teams.")
    assert only_entry(home).meta.title == "Sat with a new resident at lunch and…"


GUIDED_ANSWERS = (
    "\n".join(
        [
            "Cooking together",  # title
            "shared kitchen",  # setting
            "",  # planned or unplanned: skipped
            "",  # who was involved: none given
            "A resident asked for help with a recipe.",  # what happened
            "",  # an empty line ends a section
            "We cooked it together and I shared how I learned to cook again.",  # what I did
            "",
            "",  # why it mattered: skipped
            "My own lived experience.",  # what I drew on
            "",
            "",  # what came of it: skipped
            "Offer to cook alongside, not for.",  # what I take from it
            "",
            "everyday-activities, self-disclosure",  # tags
            "judges when to share",  # competency search
            "1",  # pick the first match
            "",  # finish competencies
            "y",  # lived experience shared
            "y",  # bring to supervision
            "n",  # not a composite
        ]
    )
    + "\n"
)


def test_guided_add_asks_each_section_and_links_a_competency(run, home):
    result = run("diary", "add", "--guided", "--date", "2026-11-24 12:00", input=GUIDED_ANSWERS)
    assert result.exit_code == 0, result.stderr
    for question in (
        "Title",
        "Setting",
        "What happened?",
        "What did you do or say?",
        "Tags, separated by commas",
        "Competency",
        "Bring this to supervision?",
    ):
        assert question in result.stderr
    entry = only_entry(home)
    assert entry.meta.title == "Cooking together"
    assert entry.meta.setting == "shared kitchen"
    assert [s.heading for s in entry.sections] == [
        "What happened",
        "What I did",
        "What I drew on",
        "What I take from it",
    ]
    assert entry.section("what_i_did").startswith("We cooked it together")
    assert entry.meta.tags == ["everyday-activities", "self-disclosure"]
    assert entry.meta.competencies == ["samhsa-core/III.3"]
    assert entry.meta.self_disclosure is True
    assert entry.meta.for_supervision is True


def test_guided_add_offers_the_study_themes_and_used_tags(run, home):
    run("diary", "add", "Earlier note.", "--tag", "boundaries")
    result = run("diary", "add", "--guided", input=GUIDED_ANSWERS)
    assert "boundaries" in result.stderr
    assert "different-perspective" in result.stderr


def test_guided_add_with_empty_answers_saves_nothing(run, home):
    result = run("diary", "add", "--guided", input="\n" * 13 + "n\nn\nn\n")
    assert result.exit_code == 2
    assert result.stderr.endswith("peerjournal: the entry is empty; nothing was saved\n")
    assert entry_files(home) == []


def test_editor_add_parses_the_template(run, home, fake_editor):
    seen = fake_editor(
        {"replace": ["## What happened\n", "## What happened\n\nA phone check-in.\n"]}
    )
    result = run("diary", "add", "--editor", "--date", "2026-11-23 16:00")
    assert result.exit_code == 0, result.stderr
    template = (seen / "run-1.md").read_text()
    assert "## What I take from it" in template
    assert template.startswith("---\n# Write under each ## heading")
    entry = only_entry(home)
    assert entry.section("what_happened") == "A phone check-in."
    assert [s.heading for s in entry.sections] == ["What happened"]
    assert entry.meta.title == "A phone check-in."
    assert not Path((seen / "last-buffer-path").read_text()).exists()  # the buffer is removed


def test_editor_text_that_does_not_parse_is_kept_and_can_be_edited_again(run, home, fake_editor):
    fake_editor(
        {"replace": ["tags: []", "tags: [unclosed"]},
        {"replace": ["tags: [unclosed", "tags: [fixed]"]},
    )
    result = run("diary", "add", "--editor", input="y\n")
    assert result.exit_code == 2  # the template alone is an empty entry...
    assert "column" in result.stderr  # ...but first the YAML error was shown with its place
    assert "Your text is kept in" in result.stderr
    recovery = list((home / ".recovery").iterdir())
    assert recovery
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in recovery)


def test_editor_that_exits_non_zero_keeps_the_text(run, home, fake_editor):
    fake_editor(
        {"write": "---\ndate: 2026-11-20T10:00:00+13:00\n---\n" + SENTINEL + "\n", "exit": 3}
    )
    result = run("diary", "add", "--editor")
    assert result.exit_code == 2
    assert "the editor exited with status 3; your text is kept in" in result.stderr
    assert SENTINEL not in result.output
    [kept] = (home / ".recovery").iterdir()
    assert SENTINEL in kept.read_text()
    assert entry_files(home) == []


def test_editor_missing_is_one_clear_line(run, home):
    result = run("diary", "add", "--editor")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "peerjournal: no editor is set: set $VISUAL or $EDITOR (for example EDITOR=nano)\n"
    )


def test_unknown_competency_and_bad_date_are_refused_before_writing(run, home):
    result = run("diary", "add", "Note.", "--competency", "samhsa-core/III.9")
    assert result.exit_code == 2
    assert result.stderr.startswith("peerjournal: framework 'samhsa-core' has no item 'III.9'")
    result = run("diary", "add", "Note.", "--date", "yesterdy")
    assert result.exit_code == 2
    assert "'yesterdy' is not a date peerjournal understands" in result.stderr
    result = run("diary", "add", "Note.", "--competency", "III.3")
    assert result.exit_code == 2
    assert entry_files(home) == []


def test_add_before_init_says_how_to_begin(run, isolated):
    result = run("diary", "add", "Note.")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"peerjournal: no peerjournal data in {isolated}; run 'peerjournal init' first\n"
    )


def test_privacy_finding_can_be_kept_after_review(run, home):
    result = run("diary", "add", "Call back on 555-0142 tomorrow.", input="keep\n")
    assert result.exit_code == 0, result.stderr
    assert "text, line 1, column 14: " in result.stderr
    assert "555-0142" not in result.output
    assert len(entry_files(home)) == 1


def test_privacy_finding_can_be_cancelled(run, home):
    result = run("diary", "add", "Email jo@example.org later.", input="cancel\n")
    assert result.exit_code == 1
    assert "Cancelled; nothing was saved." in result.stderr
    assert entry_files(home) == []


def test_privacy_finding_opens_the_editor_to_fix_it(run, home, fake_editor):
    fake_editor({"replace": ["jo@example.org", "the resident"]})
    result = run("diary", "add", "Email jo@example.org later.", input="edit\n")
    assert result.exit_code == 0, result.stderr
    assert only_entry(home).preamble == "Email the resident later."


def test_strict_refuses_and_keeps_the_text(run, home):
    result = run("diary", "add", "--strict", input=f"Visited 12 Harbour Street. {SENTINEL}\n")
    assert result.exit_code == 2
    assert "nothing was saved (--strict)" in result.stderr
    assert "a street address" in result.stderr or "street" in result.stderr
    assert SENTINEL not in result.output
    [kept] = (home / ".recovery").iterdir()
    assert SENTINEL in kept.read_text()
    assert entry_files(home) == []


def test_piped_text_with_a_finding_is_not_saved_silently(run, home):
    result = run("diary", "add", input="Met at 12 Harbour Street.\n")
    assert result.exit_code == 2
    assert "review it on a terminal" in result.stderr
    assert entry_files(home) == []
    assert len(list((home / ".recovery").iterdir())) == 1


def test_watch_list_names_are_found_and_allow_list_silences(run, home):
    settings = home / "settings.yaml"
    text = settings.read_text().replace("watch_names: []", "watch_names:\n  - Tamsin")
    settings.write_text(text.replace("allow: []", "allow:\n  - 12 Hope Street"))
    result = run("diary", "add", "--strict", input="Talked with Tamsin about the group.\n")
    assert result.exit_code == 2
    assert "a name from your watch list" in result.stderr or "name" in result.stderr
    result = run("diary", "add", "--strict", input="Walked over to 12 Hope Street Clinic.\n")
    assert result.exit_code == 0, result.stderr


def test_json_of_an_added_entry_round_trips(run, home):
    run("diary", "add", "Ünïcode ✓ and **Markdown**.", "--title", "Ünïcode ✓")
    listed = json.loads(run("diary", "list", "--json").stdout)
    assert listed[0]["title"] == "Ünïcode ✓"


def test_a_tag_that_cannot_be_one_is_refused_clearly(run, home):
    result = run("diary", "add", "Note.", "--tag", "group,kitchen")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "peerjournal: a tag is one word of at most 60 characters, without ',', '#' or '@'\n"
    )
    assert entry_files(home) == []
