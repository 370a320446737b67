"""The frameworks' outline: ids, domains and items in order, without YAML or pydantic.

`diary evidence`, `diary list --competency` and the home screen only need to know which items
each framework has and what they say. Loading the catalog (a YAML parse and a pydantic model of
every framework file) costs far more than answering, so the outline is derived from a loaded
catalog (``Catalog.outline``) and kept in a small cache file (``store.framework_cache``) under
a signature of every file the catalog reads. The catalog stays the one set of rules: the
outline is only ever written from a catalog that loaded without problems, and a catalog with
problems is loaded again each time, so its skipped files are reported exactly as before.

Also here, because both need them without pydantic: the files the catalog reads, and the
"did you mean" suggestion of an unknown id.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from peerjournal.errors import NotFoundError, StorageError
from peerjournal.store import framework_cache

if TYPE_CHECKING:
    from peerjournal.store.layout import DataHome

BUNDLED_PACKAGE = "peerjournal.competencies"
SCALES_FILE = "scales.yaml"

# Per framework id: (item reference, item text, linked entry count) for every item, in order.
EvidenceMap = list[tuple[str, list[tuple[str, str, int]]]]


# The outline's records are NamedTuples, not frozen dataclasses: as immutable, and a fifth of
# the cost to define (a light command pays for every class it imports).


class OutlineItem(NamedTuple):
    """One item: its id, its reference 'framework-id/item-id', its short title and its text."""

    id: str
    ref: str
    title: str
    text: str


class OutlineDomain(NamedTuple):
    """A domain and its items, in framework order."""

    id: str
    title: str
    items: tuple[OutlineItem, ...]


class OutlineFramework(NamedTuple):
    """What the light commands need of a framework; lookups follow ``models.framework``."""

    id: str
    title: str
    version: str
    domains: tuple[OutlineDomain, ...]

    def items(self) -> list[tuple[OutlineDomain, OutlineItem]]:
        """Every item with its domain, in framework order."""
        return [(domain, item) for domain in self.domains for item in domain.items]

    def find_item(self, item_id: str) -> tuple[OutlineDomain, OutlineItem] | None:
        """The item with this id (case-insensitive, as people type ids), or None."""
        wanted = item_id.casefold()
        return next(((d, i) for d, i in self.items() if i.id.casefold() == wanted), None)

    def find_domain(self, domain_id: str) -> OutlineDomain | None:
        wanted = domain_id.casefold()
        return next((d for d in self.domains if d.id.casefold() == wanted), None)


class Outline(NamedTuple):
    """Every framework the catalog loaded, by id, in the catalog's order."""

    frameworks: Mapping[str, OutlineFramework]

    def get(self, framework_id: str) -> OutlineFramework:
        """The framework with this id; an unknown id names the closest ones (as Catalog.get)."""
        found = self.frameworks.get(framework_id.strip().lower())
        if found is None:
            raise NotFoundError(
                f"no framework with id {framework_id!r}{suggest(framework_id, self.frameworks)}"
            )
        return found

    def competency_refs(self, spec: str) -> tuple[tuple[str, ...] | None, str | None]:
        """An item, a domain or a whole framework as index terms: (refs, None) or (None, prefix).

        Item and domain ids match case-insensitively, an item before a domain of the same id;
        every term is a lower-case reference, as the index stores them.
        """
        framework_id, _, rest = spec.strip().partition("/")
        framework = self.get(framework_id)
        if not rest:
            return None, f"{framework.id}/".casefold()
        found = framework.find_item(rest)
        if found is not None:
            return (found[1].ref.casefold(),), None
        domain = framework.find_domain(rest)
        if domain is None:
            raise NotFoundError(f"framework {framework.id!r} has no item or domain {rest!r}")
        return tuple(item.ref.casefold() for item in domain.items), None


def evidence(outline: Outline, counts: Mapping[str, int], framework_id: str | None) -> EvidenceMap:
    """Per framework, each item with its linked-entry count (``counts`` by lower-case ref).

    Without a framework id, every framework that at least one entry links to, in catalog order.
    """
    if framework_id is not None:
        wanted = [outline.get(framework_id)]
    else:
        linked = {ref.split("/", 1)[0] for ref in counts}
        wanted = [fw for fw in outline.frameworks.values() if fw.id in linked]
    return [
        (
            fw.id,
            [(item.ref, item.text, counts.get(item.ref.casefold(), 0)) for _, item in fw.items()],
        )
        for fw in wanted
    ]


class OutlineSource(Protocol):
    """What the outline is derived from: a loaded ``frameworks.Catalog``."""

    @property
    def problems(self) -> Sequence[object]: ...

    def outline(self) -> Outline: ...


def load_outline(
    home: "DataHome", cache_root: Path, catalog: Callable[[], OutlineSource]
) -> Outline:
    """The outline from the cache when no framework file changed, else from the catalog.

    The signature is taken before the catalog is read, so a file that changes meanwhile makes
    the next invocation load the catalog again rather than trust what this one wrote.
    """
    path = framework_cache.cache_file(home, cache_root)
    expected = framework_cache.signature(catalog_files(home))
    cached = _decode(framework_cache.read(path, expected))
    if cached is not None:
        return cached
    loaded = catalog()
    outline = loaded.outline()
    if not loaded.problems:  # a catalog with problems is loaded again, to report them again
        framework_cache.write(path, expected, _encode(outline))
    return outline


def bundled_dir() -> Path:
    """The folder of frameworks shipped inside the package.

    The package's own folder, as ``importlib.resources.files`` names it for a package on disk
    (the only kind the catalog reads, by path), without importing importlib.resources: its
    tempfile and zip machinery cost 2 ms of every light command.
    """
    from importlib import import_module

    package_file = import_module(BUNDLED_PACKAGE).__file__
    if package_file is None:  # a namespace package: competencies/__init__.py was not installed
        raise StorageError(f"the bundled frameworks ({BUNDLED_PACKAGE}) are not installed")
    return Path(package_file).parent


def framework_files(folder: Path) -> list[Path]:
    """The framework YAML files of a folder, sorted, without the scale library."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.glob("*.y*ml")
        if path.suffix in (".yaml", ".yml")
        and path.name != SCALES_FILE
        and not path.name.startswith(".")
    )


def catalog_files(home: "DataHome") -> list[Path]:
    """Every file ``load_catalog`` reads or looks for, for the outline's signature."""
    bundled = bundled_dir()
    own = home.frameworks_dir
    return [
        bundled / SCALES_FILE,
        own / SCALES_FILE,
        *framework_files(bundled),
        *framework_files(own),
    ]


def suggest(wanted: str, known: Iterable[str]) -> str:
    """'; did you mean ...?' naming up to three close ids, or nothing."""
    import difflib  # only an unknown id pays for it

    close = difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.5)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return ""


def _encode(outline: Outline) -> list[Any]:
    return [
        [
            fw.id,
            fw.title,
            fw.version,
            [[d.id, d.title, [[i.id, i.title, i.text] for i in d.items]] for d in fw.domains],
        ]
        for fw in outline.frameworks.values()
    ]


def _decode(stored: Any) -> Outline | None:  # noqa: ANN401 - JSON from the cache file
    """The outline a cache file holds, or None when it is not exactly what ``_encode`` wrote."""
    if not isinstance(stored, list):
        return None
    frameworks: dict[str, OutlineFramework] = {}
    for framework in stored:
        if not _strings_then_list(framework, 3):
            return None
        framework_id, title, version, domains = framework
        parsed: list[OutlineDomain] = []
        for domain in domains:
            if not _strings_then_list(domain, 2):
                return None
            items = domain[2]
            if not all(isinstance(i, list) and _strings(i, 3) for i in items):
                return None
            parsed.append(
                OutlineDomain(
                    domain[0],
                    domain[1],
                    tuple(OutlineItem(i, f"{framework_id}/{i}", t, x) for i, t, x in items),
                )
            )
        if not framework_id or framework_id in frameworks:
            return None
        frameworks[framework_id] = OutlineFramework(framework_id, title, version, tuple(parsed))
    return Outline(frameworks)


def _strings_then_list(value: Any, count: int) -> bool:  # noqa: ANN401 - JSON
    return (
        isinstance(value, list)
        and len(value) == count + 1
        and _strings(value[:count], count)
        and isinstance(value[count], list)
    )


def _strings(values: list[Any], count: int) -> bool:
    return len(values) == count and all(isinstance(v, str) for v in values)
