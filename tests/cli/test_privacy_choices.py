"""Privacy choices default to safe: Enter never keeps a finding, and editing is always possible.

Without $EDITOR (the `isolated` fixture unsets it) a flagged field is asked again at the prompt.
Every output is checked for the flagged words: a finding names where and what kind, never them.
"""

import os
import re
import sys

import pexpect
import pytest

from peerjournal.store.entries import EntryStore
from peerjournal.store.layout import DataHome

PHONE = "555-201-3344"
QUESTION = "Edit, keep as it is, or cancel? [edit/keep/cancel]"


def entries(home):
    return [stored.entry for stored in EntryStore(DataHome(home)).iter()]


def recovered(home):
    folder = home / ".recovery"
    return sorted(folder.iterdir()) if folder.exists() else []


def never_shown(result, *words):
    for word in words:
        assert word not in result.stdout
        assert word not in result.stderr


def test_enter_does_not_keep_a_phone_number_in_quick_mode(run, home):
    result = run("diary", "add", f"Call back on {PHONE} tomorrow.", input="\n\n")
    assert result.exit_code == 2
    assert result.stderr.count(QUESTION) == 3  # Enter alone asks again, then input ends
    assert entries(home) == []
    [kept] = recovered(home)  # what was typed is kept, as for any failure
    assert PHONE in kept.read_text()
    never_shown(result, PHONE)


def test_quick_mode_without_an_editor_asks_for_the_flagged_text_again(run, home):
    result = run("diary", "add", f"Call back on {PHONE} tomorrow.", input="edit\nCall back.\n")
    assert result.exit_code == 0, result.stderr
    assert QUESTION in result.stderr
    assert "Text: type it again, without the flagged detail" in result.stderr
    [entry] = entries(home)
    assert entry.preamble == "Call back."
    never_shown(result, PHONE)


def test_typing_the_detail_again_asks_again(run, home):
    typed = f"edit\nRing {PHONE}\nedit\nRing the office\n"
    result = run("diary", "add", f"Call back on {PHONE} tomorrow.", input=typed)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count(QUESTION) == 2
    [entry] = entries(home)
    assert entry.preamble == "Ring the office"


def test_keep_is_a_typed_choice(run, home):
    result = run("diary", "add", f"Call back on {PHONE} tomorrow.", input="keep\n")
    assert result.exit_code == 0, result.stderr
    [entry] = entries(home)
    assert PHONE in entry.preamble


def test_a_new_title_can_be_typed_again_in_diary_edit(run, home):
    entry_id = run("diary", "add", "Helped set up the art room.").stdout.split()[-1]
    result = run("diary", "edit", entry_id, "--title", f"Call {PHONE}", input="edit\nArt room\n")
    assert result.exit_code == 0, result.stderr
    assert "Title: type it again" in result.stderr
    [entry] = entries(home)
    assert entry.meta.title == "Art room"
    never_shown(result, PHONE)


def test_a_dropped_action_reason_can_be_typed_again(run, home, tmp_path):
    session = tmp_path / "session.yaml"
    session.write_text(
        "date: 2026-11-20 10:00\nminutes: 30\n"
        "actions: [{text: Ask about the roster, owner: Sam, due: 2026-12-01}]\n"
    )
    made = run("supervision", "new", "--from", str(session))
    assert made.exit_code == 0, made.stderr
    [action_id] = re.findall(r"action (A[0-9a-f]{6})", made.stdout)
    result = run(
        "supervision", "drop", action_id, "--why", f"They rang {PHONE}",
        input="edit\nNo longer needed\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Reason: type it again" in result.stderr
    assert f"Action {action_id} is dropped." in result.stdout
    never_shown(result, PHONE)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_enter_asks_again_and_edit_retypes_the_text(home):
    env = {key: value for key, value in os.environ.items() if key not in ("EDITOR", "VISUAL")}
    child = pexpect.spawn(
        sys.executable, ["-m", "peerjournal", "diary", "add", f"Call back on {PHONE} tomorrow."],
        env=dict(env, COLUMNS="100"), encoding="utf-8", timeout=20,
    )  # fmt: skip
    child.delaybeforesend = 0.05
    child.expect_exact("Edit, keep as it is, or cancel?")
    child.sendline("")  # Enter alone
    child.expect("Please select one of the available options")
    child.expect_exact("Edit, keep as it is, or cancel?")
    child.sendline("edit")
    child.expect("Text: type it again")
    child.sendline("Call back tomorrow.")
    child.expect("Saved diary entry")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [entry] = entries(home)
    assert entry.preamble == "Call back tomorrow."


# --- the watch list and the allow list, without editing YAML -------------------------------------


def test_watch_list_commands_keep_other_settings_and_never_echo_the_name(run, home):
    settings = home / "settings.yaml"
    settings.write_text(settings.read_text() + "custom_key: kept\n")
    added = run("privacy", "watch", "add", "Maria  Gonzalez")
    assert added.exit_code == 0, added.stderr
    assert added.stdout == "Added a name to the watch list (1 name).\n"
    again = run("privacy", "watch", "add", "maria gonzalez")
    assert again.stdout == "That name is already on the watch list; nothing changed (1 name).\n"
    never_shown(added, "Maria", "Gonzalez")
    never_shown(again, "maria", "gonzalez")
    assert "custom_key: kept" in settings.read_text()
    assert "Maria Gonzalez" in settings.read_text()
    listed = run("privacy", "watch", "list")
    assert (listed.exit_code, listed.stdout) == (0, "Maria Gonzalez\n")
    removed = run("privacy", "watch", "remove", "MARIA GONZALEZ")
    assert removed.stdout == "Removed a name from the watch list (0 names left).\n"
    never_shown(removed, "MARIA", "Maria")
    assert "Gonzalez" not in settings.read_text()
    assert "custom_key: kept" in settings.read_text()


def test_a_name_left_off_the_command_line_is_asked_for(run, home):
    result = run("privacy", "watch", "add", input="Ana Lima\n")
    assert result.exit_code == 0, result.stderr
    assert "shell history" not in result.stderr  # only said when the name was typed as an arg
    assert run("privacy", "watch", "list").stdout == "Ana Lima\n"


def test_bad_list_input_is_one_line_and_exit_2(run, home):
    missing = run("privacy", "watch", "remove", "Nobody Here")
    assert missing.exit_code == 2
    assert "shell history" in missing.stderr  # said once per home, on the first typed name
    assert missing.stderr.splitlines()[-1] == "peerjournal: that name is not on the watch list"
    again = run("privacy", "watch", "remove", "Nobody Here")
    assert again.stderr == "peerjournal: that name is not on the watch list\n"
    empty = run("privacy", "allow", "add", " ")
    assert (empty.exit_code, empty.stderr) == (
        2,
        "peerjournal: a phrase needs at least two letters or digits\n",
    )
    assert run("privacy", "watch", "list").stderr.startswith("The watch list is empty")


def test_a_listed_name_is_found_in_part_and_the_allow_list_clears_a_phrase(run, home):
    assert run("privacy", "watch", "add", "Maria Gonzalez").exit_code == 0
    for text in ("Maria came in early.", "Walked with Ms Gonzalez to the bus."):
        result = run("diary", "add", text, input="cancel\n")
        assert result.exit_code == 1, text
        assert "a name on your watch list" in result.stderr
        never_shown(result, "Maria", "Gonzalez")
    assert run("privacy", "watch", "add", "Will Hope").exit_code == 0
    walk = "Met at the café on Hope Street."
    assert "a name on your watch list" in run("diary", "add", walk, input="cancel\n").stderr
    assert run("privacy", "allow", "add", "Hope Street").exit_code == 0
    assert run("privacy", "allow", "list").stdout == "Hope Street\n"
    saved = run("diary", "add", walk)
    assert saved.exit_code == 0, saved.stderr
    clean = run("diary", "add", "I will hope for the best.")
    assert clean.exit_code == 0, clean.stderr
    assert "privacy check" not in clean.stderr
    assert len(entries(home)) == 2
