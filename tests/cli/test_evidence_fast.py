"""`diary evidence` answers from the cached framework outline: same output, and no pydantic."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import add_linked
from peerjournal.store import framework_cache
from peerjournal.store.layout import DataHome

DATA = Path(__file__).parent.parent / "data" / "frameworks"

PROBE = """
import sys
from peerjournal.cli import app
try:
    app({args!r}, prog_name="peerjournal")
except SystemExit:
    pass
heavy = sorted({{name.split(".")[0] for name in sys.modules
                 if name.split(".")[0] in ("pydantic", "yaml")}})
print("HEAVY", heavy, file=sys.stderr)
"""

# What the command will do once cli/diary_read.py calls the light path (see framework_outline).
SERVICE_PROBE = """
import sys
from pathlib import Path
from peerjournal.clock import clock_in
from peerjournal.services.container import Services
from peerjournal.services.framework_outline import evidence
from peerjournal.store.layout import DataHome
services = Services(DataHome(Path(sys.argv[1])), clock=clock_in(None), zone=None,
                    cache_root=Path(sys.argv[2]))
maps = evidence(services.outline, services.query.ref_counts(), "samhsa-core")
print(maps[0][1][0])
heavy = sorted({name.split(".")[0] for name in sys.modules
                if name.split(".")[0] in ("pydantic", "yaml")})
print("HEAVY", heavy, file=sys.stderr)
"""


@pytest.fixture
def cache_file(home, cache_root):
    return framework_cache.cache_file(DataHome(home), cache_root)


@pytest.fixture
def warm(home, context, cache_file):
    """Build the outline's cache as a first invocation would, and let it settle."""

    def build():
        built = context()
        built.home_option = home
        assert built.services.outline.frameworks
        stamp = cache_file.stat()  # trusted once written well after the files it describes
        os.utime(cache_file, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10_000_000_000))

    return build


def test_an_edited_home_framework_shows_its_new_text_next_time(run, home, warm):
    own = Path(shutil.copy(DATA / "harbour-values.yaml", home / "frameworks"))
    own.chmod(0o600)
    add_linked(run, "harbour-values/w.1")
    warm()
    assert "Greets people by the name" in run("diary", "evidence", "harbour-values").stdout
    own.write_text(own.read_text().replace("Greets people", "Welcomes all"))
    result = run("diary", "evidence", "harbour-values")
    assert result.exit_code == 0, result.stderr
    assert "Welcomes all by the name" in result.stdout
    assert "Greets people" not in result.stdout


@pytest.mark.parametrize("damage", [b"\x00\xff garbage \x80", b"{", b""])
def test_a_damaged_cache_gives_the_same_output(run, home, warm, cache_file, damage):
    add_linked(run, "samhsa-core/I.1")
    warm()
    before = run("diary", "evidence", "samhsa-core")
    cache_file.write_bytes(damage)
    after = run("diary", "evidence", "samhsa-core")
    assert (after.exit_code, after.stdout, after.stderr) == (0, before.stdout, before.stderr)


def test_an_unwritable_cache_gives_the_same_output(run, home, warm, cache_file):
    add_linked(run, "samhsa-core/I.1")
    warm()
    before = run("diary", "evidence")
    cache_file.unlink()
    cache_file.mkdir()  # neither readable as a file nor replaceable
    after = run("diary", "evidence")
    assert (after.exit_code, after.stdout, after.stderr) == (0, before.stdout, before.stderr)


def test_an_unknown_framework_still_suggests_the_closest(run, home, warm):
    warm()
    result = run("diary", "evidence", "samhsa-cor")
    assert result.exit_code == 2
    assert "no framework with id 'samhsa-cor'; did you mean 'samhsa-core'" in result.stderr


def test_the_light_evidence_path_imports_neither_pydantic_nor_yaml(run, home, warm, cache_root):
    add_linked(run, "samhsa-core/I.1")
    warm()
    result = subprocess.run(
        [sys.executable, "-c", SERVICE_PROBE, str(home), str(cache_root)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("('samhsa-core/I.1', ")
    assert result.stderr.strip().splitlines()[-1] == "HEAVY []"


def test_diary_evidence_with_a_warm_cache_imports_neither_pydantic_nor_yaml(run, home, warm):
    add_linked(run, "samhsa-core/I.1")
    warm()
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=["diary", "evidence", "samhsa-core"])],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "samhsa-core/I.1" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "HEAVY []"
