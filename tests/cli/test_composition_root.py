"""The composition root: commands take the clock, zone and cache handed in, and nothing else."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from helpers import NOW, FixedClock
from peerjournal.cli import app
from peerjournal.cli._context import AppContext


def test_an_entry_made_now_takes_the_clock_and_its_index_goes_to_the_cache_given(home, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    context = AppContext(clock=FixedClock(NOW), cache_root=elsewhere)
    added = CliRunner().invoke(app, ["diary", "add", "A walk round the block."], obj=context)
    assert added.exit_code == 0, added.stderr
    entry_id = added.stdout.split()[-1]
    assert entry_id.startswith(f"{NOW:%Y%m%d-%H%M}-")
    context = AppContext(clock=FixedClock(NOW), cache_root=elsewhere)
    listed = CliRunner().invoke(app, ["diary", "list", "--ids"], obj=context)
    assert listed.stdout.split() == [entry_id]
    assert len(list(elsewhere.rglob("index.sqlite"))) == 1
    assert not (tmp_path / "xdg_cache_home").exists()  # no other cache is touched
    assert not (tmp_path / "user" / ".cache").exists()


def test_typed_times_are_read_in_the_zone_handed_in(home, tmp_path):
    adak = ZoneInfo("America/Adak")
    clock = FixedClock(datetime(2026, 11, 24, 20, 0, tzinfo=UTC).astimezone(adak))
    context = AppContext(clock=clock, zone=adak, cache_root=tmp_path / "cache")
    result = CliRunner().invoke(
        app, ["diary", "add", "Soup at the drop-in.", "--date", "yesterday 9am"], obj=context
    )
    assert result.exit_code == 0, result.stderr
    [path] = home.glob("journal/*/*/*.md")
    assert "date: '2026-11-23T09:00:00-10:00'" in path.read_text(encoding="utf-8")


def test_the_home_option_keeps_the_seams_handed_in(run, home, tmp_path, cache_root):
    other = tmp_path / "other"
    assert run("--home", str(other), "init", "--name", "Jo", "--role", "peer-worker").exit_code == 0
    added = run("--home", str(other), "diary", "add", "In the other home.")
    entry_id = added.stdout.split()[-1]
    assert entry_id.startswith(f"{NOW:%Y%m%d-%H%M}-")
    assert run("--home", str(other), "diary", "list", "--ids").stdout.split() == [entry_id]
    assert len(list(cache_root.rglob("index.sqlite"))) == 1
    assert not (tmp_path / "user" / ".cache").exists()
