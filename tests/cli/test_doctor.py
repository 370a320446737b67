"""`peerjournal doctor`: lists what reading skips, mends only what is safe, leaves records be."""

import json
import os
import stat
from pathlib import Path

import pytest

from helpers import DEAD_ID, DEAD_WHEN, NOW, dead_entry, entry_path, snapshot

HOME_LINE = "data home: {home} (from PEERJOURNAL_HOME environment variable)\n"
ALL_CLEAR = "All is well: nothing to report.\n"
AN_HOUR_AGO = 3600


def add_entry(run, home: Path) -> Path:
    result = run("diary", "add", "A quiet chat on the porch with Rowan Vale.")
    assert result.exit_code == 0, result.stderr
    entry_id = result.stdout.split()[-1]
    return next(home.glob(f"journal/*/*/{entry_id}.md"))


def private_file(path: Path, text: str, *, age: float = 0) -> Path:
    """A file written the way peerjournal writes one (0700 folders, 0600 file)."""
    for folder in reversed([path.parent, *path.parent.parents]):
        if not folder.exists():
            folder.mkdir(mode=0o700)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    then = NOW.timestamp() - age  # ages count from the clock the commands see
    os.utime(path, (then, then))
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def loose_umask():
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_clean_home_is_all_clear_with_exit_0(run, home):
    add_entry(run, home)
    result = run("doctor")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == HOME_LINE.format(home=home) + ALL_CLEAR


def test_a_home_that_is_not_set_up_says_so_and_creates_nothing(run, isolated):
    result = run("doctor")
    assert result.exit_code == 1
    assert f"{isolated}: no data home here yet; run 'peerjournal init'" in result.stdout
    assert not isolated.exists()


def test_a_broken_entry_is_reported_with_file_and_line_and_left_untouched(run, home):
    add_entry(run, home)
    broken = dead_entry(home, "---\ntitle: [SENTINEL-7f3a\n---\nSENTINEL-body\n")
    before = broken.read_bytes()
    result = run("doctor")
    assert result.exit_code == 1
    assert result.stdout.startswith(HOME_LINE.format(home=home))
    assert "Unreadable or invalid files (1)\n" in result.stdout
    assert f"  {broken.relative_to(home)}:3: column 1: YAML error:" in result.stdout
    assert "SENTINEL" not in result.stdout + result.stderr
    assert "1 finding.\n" in result.stdout
    assert run("doctor", "--fix").exit_code == 1
    assert broken.read_bytes() == before


def test_an_invalid_assessment_is_reported(run, home):
    folder = home / "assessments" / "2026"
    private_file(folder / "20261124-1500-x.json", '{\n  "id": "SENTINEL-a1",\n  oops\n}\n')
    private_file(folder / "20261124-1600-y.json", '{"id": 5}\n')
    result = run("doctor")
    assert result.exit_code == 1
    assert "  assessments/2026/20261124-1500-x.json:3: column 3: not valid JSON" in result.stdout
    assert "  assessments/2026/20261124-1600-y.json: id: must be text" in result.stdout
    assert "SENTINEL" not in result.stdout


def test_broken_settings_are_reported_and_the_rest_is_still_checked(run, home):
    (home / "settings.yaml").write_text("name: [SENTINEL-Sam\n", encoding="utf-8")
    broken = dead_entry(home, "no front matter\n")
    result = run("doctor")
    assert result.exit_code == 1
    assert "  settings.yaml:2: column 1: YAML error:" in result.stdout
    assert f"  {broken.relative_to(home)}:1: does not start with" in result.stdout
    assert "SENTINEL" not in result.stdout


def test_missing_settings_are_reported(run, home):
    (home / "settings.yaml").unlink()
    result = run("doctor")
    assert result.exit_code == 1
    assert "  settings.yaml: missing; run 'peerjournal init' to write it\n" in result.stdout


def test_a_broken_user_framework_and_scale_file_are_reported(run, home):
    private_file(home / "frameworks" / "broken.yaml", "id: x\n  bad: indent\n")
    private_file(home / "frameworks" / "scales.yaml", "scales: [\n")
    result = run("doctor")
    assert result.exit_code == 1
    assert "  frameworks/broken.yaml:2: column 6: YAML error:" in result.stdout
    assert "  frameworks/scales.yaml:" in result.stdout


def test_an_old_temp_file_is_removed_by_fix_and_a_fresh_one_is_kept(run, home):
    folder = entry_path(home, DEAD_ID, DEAD_WHEN).parent
    shown = folder.relative_to(home)
    old = private_file(folder / ".x.md.123.456.tmp", "half a SENTINEL", age=AN_HOUR_AGO)
    fresh = private_file(folder / ".y.md.123.789.tmp", "a save in progress")
    result = run("doctor")
    assert result.exit_code == 1
    assert "Temp files left by interrupted writes (2)\n" in result.stdout
    assert f"  {shown}/.x.md.123.456.tmp: left by an interrupted write " in result.stdout
    assert f"  {shown}/.y.md.123.789.tmp: written " in result.stdout
    assert "1 can be mended with 'peerjournal doctor --fix'." in result.stdout

    fixed = run("doctor", "--fix")
    assert f"removed temp file {shown}/.x.md.123.456.tmp" in fixed.stdout
    assert not old.exists()
    assert fresh.read_text(encoding="utf-8") == "a save in progress"
    assert fixed.exit_code == 1  # the fresh one is still there, and still reported
    assert f"  {shown}/.y.md.123.789.tmp: written " in fixed.stdout


@pytest.mark.usefixtures("loose_umask")
def test_loose_permissions_are_reported_and_fixed(run, home):
    entry = add_entry(run, home)
    text = entry.read_bytes()
    entry.unlink()
    entry.write_bytes(text)  # as a copy or an unzip would leave it under umask 022
    folder = home / "journal" / "loose"  # a folder the entry did not make
    folder.mkdir()
    home.chmod(0o755)
    assert (mode(entry), mode(folder)) == (0o644, 0o755)
    shown = entry.relative_to(home)

    result = run("doctor")
    assert result.exit_code == 1
    assert f"  {home}: folder is open to group or others (mode 0755; expected 0700)" in (
        result.stdout
    )
    assert "  journal/loose: folder is open to group or others (mode 0755; expected 0700)" in (
        result.stdout
    )
    assert f"  {shown}: file is open to group or others (mode 0644; expected 0600)" in (
        result.stdout
    )

    fixed = run("doctor", "--fix")
    assert fixed.exit_code == 0, fixed.stdout
    assert f"made {shown} private (0644 -> 0600)\n" in fixed.stdout
    assert "made journal/loose private (0755 -> 0700)\n" in fixed.stdout
    assert fixed.stdout.endswith(ALL_CLEAR)
    assert (mode(home), mode(folder), mode(entry)) == (0o700, 0o700, 0o600)
    assert entry.read_bytes() == text


@pytest.mark.usefixtures("loose_umask")
def test_a_link_out_of_the_home_is_reported_not_followed_and_not_fixed(run, home, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    other = outside / "notes.md"
    other.write_text("someone else's file\n", encoding="utf-8")
    link = home / "elsewhere"
    link.symlink_to(outside)
    inner = home / "frameworks" / "same-home"
    inner.symlink_to(home / "journal")

    result = run("doctor")
    assert result.exit_code == 1
    assert f"  elsewhere: symbolic link to {outside}, outside the data home" in result.stdout
    assert "notes.md" not in result.stdout
    assert "same-home" not in result.stdout

    fixed = run("doctor", "--fix")
    assert fixed.exit_code == 1
    assert fixed.stdout == result.stdout  # nothing changed, nothing else to say
    assert link.is_symlink()
    assert (mode(outside), mode(other)) == (0o755, 0o644)


def test_recovery_files_are_information_and_are_kept(run, home):
    recovery = home / ".recovery"
    unsaved = private_file(recovery / "unsaved-20261124-101010.md", "SENTINEL draft\n")
    conflict = private_file(recovery / "20261124-1430-3fa9.conflict-a1b2c3.md", "SENTINEL\n")
    result = run("doctor")
    assert result.exit_code == 0  # information, not a problem
    assert "2 files in .recovery/ wait for you" in result.stdout
    assert "  .recovery/unsaved-20261124-101010.md: unsaved text" in result.stdout
    assert "  .recovery/20261124-1430-3fa9.conflict-a1b2c3.md: conflict copy" in result.stdout
    assert "SENTINEL" not in result.stdout
    fixed = run("doctor", "--fix")
    assert fixed.stdout == result.stdout  # nothing changed, nothing else to say
    assert unsaved.exists()
    assert conflict.exists()


def test_fix_removes_only_old_empty_editor_buffers(run, home):
    buffers = home / ".tmp"
    empty = private_file(buffers / "edit-aaaa.md", "", age=AN_HOUR_AGO)
    fresh_empty = private_file(buffers / "edit-bbbb.md", "")
    written = private_file(buffers / "edit-cccc.md", "SENTINEL words\n", age=AN_HOUR_AGO)
    result = run("doctor")
    assert "Editor buffers left in .tmp/ (3)\n" in result.stdout
    assert "  .tmp/edit-cccc.md: editor buffer with text (15 bytes)" in result.stdout
    fixed = run("doctor", "--fix")
    assert "removed empty editor buffer .tmp/edit-aaaa.md\n" in fixed.stdout
    assert not empty.exists()
    assert fresh_empty.exists()
    assert written.read_text(encoding="utf-8") == "SENTINEL words\n"
    assert fixed.exit_code == 1
    assert "SENTINEL" not in result.stdout + fixed.stdout


def test_json_lists_findings_for_scripts(run, home):
    broken = dead_entry(home, "---\na: [\n---\n")
    old = private_file(home / "journal" / ".x.md.123.456.tmp", "", age=AN_HOUR_AGO)
    result = run("doctor", "--json")
    assert (result.exit_code, result.stderr) == (1, "")
    rows = json.loads(result.stdout)
    assert [row["kind"] for row in rows] == ["record", "temp-file"]
    assert all(set(row) == {"kind", "path", "line", "message", "fixable"} for row in rows)
    assert rows[0]["path"] == str(broken)
    assert (rows[0]["line"], rows[0]["fixable"]) == (3, False)
    assert rows[1]["path"] == str(old)
    assert (rows[1]["line"], rows[1]["fixable"]) == (None, True)

    fixed = run("doctor", "--json", "--fix")
    assert fixed.exit_code == 1
    assert [row["kind"] for row in json.loads(fixed.stdout)] == ["record"]
    assert fixed.stderr.startswith("removed temp file journal/.x.md.123.456.tmp")


def test_json_on_a_clean_home_is_an_empty_list(run, home):
    result = run("doctor", "--json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "[]\n", "")


@pytest.mark.usefixtures("loose_umask")
def test_fix_never_changes_the_bytes_of_a_record(run, home):
    for _ in range(3):
        entry = add_entry(run, home)
    entry.chmod(0o644)
    (home / "journal").chmod(0o755)
    dead_entry(home, "---\nx: [\n---\n")
    before = snapshot(home / "journal")
    result = run("doctor", "--fix")
    assert result.exit_code == 1  # the broken entry is still there
    assert "made journal private (0755 -> 0700)\n" in result.stdout
    assert snapshot(home / "journal") == before
    assert mode(entry) == 0o600


def test_a_damaged_index_is_reported_and_rebuilt(run, home, cache_root):
    added = run("diary", "add", "A quiet morning.")
    assert added.exit_code == 0
    assert run("diary", "list", "--ids").exit_code == 0  # builds the index
    [index] = cache_root.rglob("index.sqlite")
    index.write_bytes(b"SQLite format 3\x00" + b"\x01" * 4096)
    found = run("doctor")
    assert found.exit_code == 1
    assert "index" in found.stdout
    fixed = run("doctor", "--fix")
    assert "rebuilt the diary index (1 entries)" in fixed.stdout
    assert fixed.exit_code == 0
    assert run("doctor").exit_code == 0


def test_doctor_brings_the_index_up_to_date_with_every_file(run, home, tmp_path):
    """A stale cache is not a finding: doctor reads what changed, as `--fresh` would."""
    entry_id = run("diary", "add", "A quiet morning.").stdout.split()[-1]
    assert run("diary", "list", "--ids").exit_code == 0
    [path] = (home / "journal").rglob(f"{entry_id}.md")
    path.write_text(path.read_text().replace("quiet", "busy"))
    found = run("doctor")
    assert found.exit_code == 0
    assert "All is well" in found.stdout
    assert entry_id in run("diary", "list", "--text", "busy", "--ids").stdout
