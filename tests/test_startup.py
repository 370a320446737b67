"""--help, --version and completion must not pay for pydantic, yaml or the services."""

import subprocess
import sys

PROBE = """
import sys
from peerjournal.cli import app
try:
    app({args!r}, prog_name="peerjournal")
except SystemExit:
    pass
heavy = sorted({{name for name in sys.modules
                if name.split(".")[0] in ("pydantic", "yaml")
                or name.startswith(("peerjournal.services", "peerjournal.store"))}})
print("HEAVY", heavy, file=sys.stderr)
"""


def heavy_modules_after(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr.strip().splitlines()[-1]


def test_importing_the_cli_loads_nothing_heavy():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, peerjournal.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml') "
            "or m.startswith(('peerjournal.services', 'peerjournal.store'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_help_does_not_import_pydantic_yaml_or_services():
    assert heavy_modules_after("--help") == "HEAVY []"


def test_version_does_not_import_pydantic_yaml_or_services():
    assert heavy_modules_after("--version") == "HEAVY []"


def test_group_help_does_not_import_pydantic_yaml_or_services():
    assert heavy_modules_after("frameworks", "--help") == "HEAVY []"


def test_the_version_entry_point_imports_no_command_line():
    probe = (
        "import sys; from peerjournal.entry import main; sys.argv = ['peerjournal', '--version'];"
        " main(); print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('typer', 'rich', 'pydantic', 'yaml')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == ["peerjournal 0.1.0", "[]"]
