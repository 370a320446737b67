"""Data flows one way: cli -> ui/services -> store -> models. Keep it so."""

import ast
import re
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
    # commands parse and render: records are read and written through services only
    "cli": {"peerjournal.store", "yaml", "pydantic"},
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
            # a call of its own, not a name ending in it (fingerprint(, pinput()
            if re.search(r"(?<![\w.])" + re.escape(banned), source):
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


# What writes, creates or removes files; ui shows and asks, the store does the rest.
FILE_WRITES = (
    "open(", "write_text(", "write_bytes(", "mkdir(", "unlink(", "rmdir(", "mkstemp(",
    "os.replace(", "os.rename(", "fdopen(", "shutil.",
)  # fmt: skip


def test_ui_writes_no_files():
    offenders = [
        f"{path.relative_to(PACKAGE)} uses {call}"
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        for call in FILE_WRITES
        if call in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each of our modules and the modules of ours it imports, at any depth of the file."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                base = node.module
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            edges |= {target for target in targets if target in modules and target != name}
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the list of modules round it, or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(name: str) -> list[str]:
        state[name] = 1
        path.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        state[name] = 2
        path.pop()
        return []

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return []


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    # The package itself (peerjournal.cli importing its sub-apps) is not an edge back.
    graph = import_graph()
    for name, edges in graph.items():
        graph[name] = {target for target in edges if not name.startswith(target + ".")}
    assert find_cycle(graph) == []
