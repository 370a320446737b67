"""Every command reads a hand-edited entry the same way: show, list, --json, tags and prep agree.

Each file is written by hand where the store files it (its own path function, never a path
typed here), as a person editing in their editor would leave it.
"""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=13)))


def hand_written(home: Path, entry_id: str, fields: str) -> Path:
    """An entry file as a person might write it, in the store's place for its id and date."""
    path = EntryStore(DataHome(home)).path_for(entry_id, WHEN)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_text(
        f"---\nid: {entry_id}\ndate: '{WHEN.isoformat()}'\n{fields}\n---\n\nAfter the group.\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def listed_ids(run, *options: str) -> list[str]:
    result = run("diary", "list", "--ids", *options)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def as_json(run, *options: str) -> dict[str, dict]:
    result = run("diary", "list", "--json", *options)
    assert result.exit_code == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)}


def tag_counts(run) -> dict[str, int]:
    result = run("diary", "tags")
    assert result.exit_code == 0, result.stderr
    return {
        tag: int(count) for tag, count in (line.split() for line in result.stdout.splitlines()[1:])
    }


def prep_lists(run, entry_id: str) -> bool:
    result = run("supervision", "prep")
    assert result.exit_code == 0, result.stderr
    return f"`{entry_id}`" in result.stdout


def test_a_tag_with_a_space_is_one_hyphenated_tag_for_every_command(run, home):
    entry_id = f"{WHEN:%Y%m%d-%H%M}-aa01"
    hand_written(home, entry_id, "title: Porch chat\ntags: [two words]")
    typed = run("diary", "add", "Later.", "--tag", "Two Words", "--date", "2026-11-21 10:00")
    assert typed.exit_code == 0, typed.stderr
    shown = run("diary", "show", entry_id)
    assert shown.exit_code == 0, shown.stderr
    assert "two-words" in shown.stdout
    assert entry_id in listed_ids(run, "--tag", "two-words")
    assert "two-words" in run("diary", "list").stdout
    assert as_json(run)[entry_id]["tags"] == ["two-words"]
    assert tag_counts(run) == {"two-words": 2}  # the typed tag and the hand-written one are one


def test_for_supervision_written_as_1_or_yes_is_marked_for_every_command(run, home):
    marked = {
        f"{WHEN:%Y%m%d-%H%M}-bb01": "for_supervision: 1",
        f"{WHEN:%Y%m%d-%H%M}-bb02": "for_supervision: yes",
    }
    for entry_id, flag in marked.items():
        hand_written(home, entry_id, f"title: Bring this\n{flag}")
    unmarked = f"{WHEN:%Y%m%d-%H%M}-bb03"
    hand_written(home, unmarked, "title: Keep this\nfor_supervision: no")
    rows = as_json(run)
    for entry_id in marked:
        shown = run("diary", "show", entry_id)
        assert shown.exit_code == 0, shown.stderr
        assert "bring to supervision" in shown.stdout
        assert rows[entry_id]["for_supervision"] is True
        assert prep_lists(run, entry_id)
    assert rows[unmarked]["for_supervision"] is False
    assert not prep_lists(run, unmarked)
    assert sorted(listed_ids(run, "--for-supervision")) == sorted(marked)


def test_a_flag_that_means_neither_is_refused_by_every_command_alike(run, home):
    entry_id = f"{WHEN:%Y%m%d-%H%M}-cc01"
    hand_written(home, entry_id, "title: Unsure\nfor_supervision: perhaps")
    shown = run("diary", "show", entry_id)
    assert shown.exit_code == 2
    assert "for_supervision: must be true or false" in shown.stderr
    assert "perhaps" not in shown.stderr  # the message names the field, never the value
    assert listed_ids(run) == []
    assert listed_ids(run, "--for-supervision") == []
    assert as_json(run) == {}
    assert not prep_lists(run, entry_id)


def test_a_tag_filter_typed_with_a_space_finds_the_hyphenated_tag(run, home):
    added = run("diary", "add", "Walked to the market.", "--tag", "Two Words")
    assert added.exit_code == 0, added.stderr
    entry_id = added.stdout.split()[-1]
    for typed in ("two words", "Two-Words", "two-words"):
        listed = run("diary", "list", "--ids", "--tag", typed)
        assert listed.stdout.split() == [entry_id], typed
    bad = run("diary", "list", "--tag", "a,b")
    assert bad.exit_code == 2
    assert "a tag is one word" in bad.stderr
