"""Data flows one way: cli -> ui/services -> store -> models. Keep it so."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "peerjournal"

FORBIDDEN = {
    "models": {
        "peerjournal.store",
        "peerjournal.services",
        "peerjournal.ui",
        "peerjournal.cli",
        "yaml",
        "typer",
        "rich",
    },
    "store": {"peerjournal.services", "peerjournal.ui", "peerjournal.cli", "typer", "rich"},
    "services": {"peerjournal.ui", "peerjournal.cli", "typer", "rich"},
    "ui": {"peerjournal.cli", "peerjournal.store", "typer"},
}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_does_not_reach_upwards(layer):
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in sorted(imported_modules(path))
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[layer])
    ]
    assert offenders == []


def test_services_never_print_or_read_the_environment():
    offenders = []
    for path in sorted((PACKAGE / "services").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for banned in ("print(", "os.environ", "sys.exit(", "input("):
            if banned in source:
                offenders.append(f"{path.name} uses {banned}")
    assert offenders == []


def test_only_yamlio_parses_yaml():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "yamlio.py"
        and any(
            call in path.read_text(encoding="utf-8")
            for call in (
                "yaml.load(",
                "yaml.safe_load(",
                "unsafe_load",
                "FullLoader",
                "yaml.Loader",
            )
        )
    ]
    assert offenders == []
