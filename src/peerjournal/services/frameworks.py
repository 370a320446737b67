"""Find, validate and look up frameworks: the bundled ones and the user's own YAML files."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from peerjournal.errors import InputError, NotFoundError, RecordError, RecordProblemsError
from peerjournal.models.common import FRAMEWORK_ID_PATTERN, ItemRef
from peerjournal.models.framework import Domain, Framework, Item, Scale, ScaleLibrary
from peerjournal.services.crosswalk import links, map_problems
from peerjournal.services.framework_outline import SCALES_FILE as SCALES_FILE
from peerjournal.services.framework_outline import (
    Outline,
    OutlineDomain,
    OutlineFramework,
    OutlineItem,
    suggest,
)
from peerjournal.services.framework_outline import bundled_dir as bundled_dir
from peerjournal.services.framework_outline import framework_files as framework_files
from peerjournal.store import yamlio
from peerjournal.store.atomic import create_exclusive
from peerjournal.store.layout import DataHome
from peerjournal.store.records import not_followed
from peerjournal.store.validate import parse_model, problem

Origin = Literal["bundled", "user"]


@dataclass(frozen=True)
class FrameworkEntry:
    """A loaded framework, where it came from, and a digest of its content."""

    framework: Framework
    path: Path
    origin: Origin
    scale: Scale

    @property
    def digest(self) -> str:
        """A content hash, so an assessment can tell that its framework changed since."""
        return framework_digest(self.framework)


@dataclass(frozen=True)
class ResolvedItem:
    """An item reference resolved to its framework, domain and item."""

    ref: ItemRef
    framework: Framework
    domain: Domain
    item: Item


@dataclass
class Catalog:
    """Every framework that loaded, the shared scales, and the files that did not load."""

    frameworks: dict[str, FrameworkEntry] = field(default_factory=dict)
    scales: dict[str, Scale] = field(default_factory=dict)
    problems: list[RecordError] = field(default_factory=list)

    def get(self, framework_id: str) -> FrameworkEntry:
        """The framework with this id; an unknown id names the closest ones."""
        entry = self.frameworks.get(framework_id.strip().lower())
        if entry is None:
            raise NotFoundError(
                f"no framework with id {framework_id!r}{suggest(framework_id, self.frameworks)}"
            )
        return entry

    def resolve(self, ref: str | ItemRef) -> ResolvedItem:
        """Resolve 'framework-id/item-id' (item ids match case-insensitively)."""
        parsed = ref if isinstance(ref, ItemRef) else ItemRef.parse(ref)
        framework = self.get(parsed.framework).framework
        found = framework.find_item(parsed.item)
        if found is None:
            ids = {item.id: item for _, item in framework.items()}
            hint = suggest(parsed.item, ids)
            raise NotFoundError(f"framework {framework.id!r} has no item {parsed.item!r}{hint}")
        domain, item = found
        return ResolvedItem(ItemRef(framework.id, item.id), framework, domain, item)

    def outline(self) -> Outline:
        """Ids, domains and items of every framework, in order: all the light reads need.

        The only way an outline is made, so the cached one (``framework_outline``) can never
        say anything this catalog does not.
        """
        return Outline(
            {
                framework_id: OutlineFramework(
                    fw.id,
                    fw.title,
                    fw.version,
                    tuple(
                        OutlineDomain(
                            domain.id,
                            domain.title,
                            tuple(
                                OutlineItem(item.id, f"{fw.id}/{item.id}", item.title, item.text)
                                for item in domain.items
                            ),
                        )
                        for domain in fw.domains
                    ),
                )
                for framework_id, entry in self.frameworks.items()
                for fw in [entry.framework]
            }
        )


def framework_digest(framework: Framework) -> str:
    """SHA-256 of the framework's canonical JSON form."""
    canonical = json.dumps(
        framework.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_catalog(home: DataHome | None) -> Catalog:
    """Load the bundled frameworks, then the user's; one broken file never hides the others."""
    catalog = Catalog()
    _load_scales(catalog, bundled_dir() / SCALES_FILE, required=True)
    if home is not None:
        _load_scales(catalog, home.frameworks_dir / SCALES_FILE, required=False)
    folders: list[tuple[Path, Origin]] = [(bundled_dir(), "bundled")]
    if home is not None:
        folders.append((home.frameworks_dir, "user"))
    for folder, origin in folders:
        for path in framework_files(folder):
            if origin == "user" and path.is_symlink():  # never opened, only named
                catalog.problems.append(not_followed(path))
                continue
            try:
                framework, scale = read_framework(path, catalog.scales)
            except RecordError as error:
                catalog.problems.extend(_split(error))
                continue
            clash = catalog.frameworks.get(framework.id)
            if clash is not None:
                catalog.problems.append(
                    RecordError(
                        f"framework id {framework.id!r} is already used by the {clash.origin} "
                        f"framework in {clash.path}; give this one another id",
                        path=path,
                        field="id",
                    )
                )
                continue
            catalog.frameworks[framework.id] = FrameworkEntry(framework, path, origin, scale)
    return catalog


def read_framework(path: Path, shared_scales: dict[str, Scale]) -> tuple[Framework, Scale]:
    """Parse and check one framework file, reporting every problem in it at once."""
    doc = yamlio.load_file(path)
    problems: list[RecordError] = []
    framework: Framework | None = None
    try:
        framework = parse_model(doc, Framework, what="framework file")
    except RecordProblemsError as error:
        problems.extend(error.problems)
    problems.extend(_semantic_problems(doc, shared_scales))
    if problems or framework is None:
        unique = {str(p): p for p in problems}
        raise RecordProblemsError(sorted(unique.values(), key=lambda p: p.line or 0))
    own = {scale.id: scale for scale in framework.scales}
    return framework, own.get(framework.scale) or shared_scales[framework.scale]


def validate_paths(
    paths: list[Path], home: DataHome | None, warnings: list[RecordError] | None = None
) -> list[tuple[Path, Framework | None, list[RecordError]]]:
    """Check framework files anywhere on disk: each with its framework or its problems.

    Each ``maps_to`` target is checked against the installed frameworks and the files checked
    together (see ``map_problems``); what cannot be checked is added to ``warnings``.
    """
    catalog = Catalog()
    _load_scales(catalog, bundled_dir() / SCALES_FILE, required=True)
    if home is not None:
        _load_scales(catalog, home.frameworks_dir / SCALES_FILE, required=False)
    results: list[tuple[Path, Framework | None, list[RecordError]]] = []
    for path in paths:
        try:
            if path.name == SCALES_FILE:
                _read_scale_library(path)
                results.append((path, None, []))
                continue
            framework, _ = read_framework(path, catalog.scales)
        except RecordError as error:
            results.append((path, None, _split(error)))
        else:
            results.append((path, framework, []))
    checked = [found for _, found, _ in results if found is not None]
    if any(links(found) for found in checked):
        known = {fid: entry.framework for fid, entry in load_catalog(home).frameworks.items()}
        known.update({found.id: found for found in checked})
        for path, found, problems in results:
            if found is not None and links(found):
                errors, cannot = map_problems(yamlio.load_file(path), found, known)
                problems.extend(errors)
                if warnings is not None:
                    warnings.extend(cannot)
    return results


def new_framework(home: DataHome, framework_id: str, title: str, catalog: Catalog) -> Path:
    """Write a commented starter framework into the home's frameworks folder."""
    import re

    if not re.match(FRAMEWORK_ID_PATTERN, framework_id):
        raise InputError(
            f"{framework_id!r} is not a usable id: use lowercase letters, digits and hyphens"
        )
    if framework_id in catalog.frameworks:
        entry = catalog.frameworks[framework_id]
        raise InputError(f"framework id {framework_id!r} is already used by {entry.path}")
    path = home.frameworks_dir / f"{framework_id}.yaml"
    if not create_exclusive(path, starter_text(framework_id, title), within=home.root):
        raise InputError("a framework file with that name already exists", path=path)
    return path


def starter_text(framework_id: str, title: str) -> str:
    """A valid, commented framework that shows every field an author can use."""
    return _STARTER.format(id=framework_id, title=yamlio.dump(title).strip().removesuffix("..."))


def item_matches(catalog: Catalog, words: str, limit: int = 20) -> list[ResolvedItem]:
    """Items whose id, title or text contain every word, for pickers and search."""
    needles = [word.casefold() for word in words.split()]
    found: list[ResolvedItem] = []
    for entry in catalog.frameworks.values():
        for domain, item in entry.framework.items():
            haystack = f"{entry.framework.id}/{item.id} {item.title} {item.text}".casefold()
            if all(needle in haystack for needle in needles):
                found.append(
                    ResolvedItem(
                        ItemRef(entry.framework.id, item.id), entry.framework, domain, item
                    )
                )
                if len(found) >= limit:
                    return found
    return found


def _load_scales(catalog: Catalog, path: Path, *, required: bool) -> None:
    if not path.exists() and not required:
        return
    try:
        library = _read_scale_library(path)
    except RecordError as error:
        catalog.problems.extend(_split(error))
        return
    for scale in library.scales:
        if scale.id in catalog.scales:
            catalog.problems.append(
                RecordError(
                    f"scale id {scale.id!r} is already defined by a bundled scale", path=path
                )
            )
            continue
        catalog.scales[scale.id] = scale


def _read_scale_library(path: Path) -> ScaleLibrary:
    doc = yamlio.load_file(path)
    library = parse_model(doc, ScaleLibrary, what="scale file")
    problems = []
    for index, scale in enumerate(library.scales):
        problems.extend(_level_problems(doc, ("scales", index), scale))
    if problems:
        raise RecordProblemsError(problems)
    return library


def _semantic_problems(
    doc: yamlio.YamlDocument, shared_scales: dict[str, Scale]
) -> list[RecordError]:
    """Checks that span fields: unique ids, a known scale, ordered levels. Works on raw data."""
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[RecordError] = []
    own_scales: set[str] = set()
    for index, scale in enumerate(_dicts(data.get("scales"))):
        own_scales.add(str(scale.get("id")))
        problems.extend(_raw_level_problems(doc, ("scales", index), scale))
    scale_id = data.get("scale")
    if isinstance(scale_id, str) and scale_id not in own_scales and scale_id not in shared_scales:
        known = sorted(own_scales | set(shared_scales))
        problems.append(
            problem(
                doc, ("scale",), f"unknown scale {scale_id!r}; known scales: {', '.join(known)}"
            )
        )
    domain_seen: dict[str, int] = {}
    item_seen: dict[str, tuple[int, int]] = {}
    for d_index, domain in enumerate(_dicts(data.get("domains"))):
        domain_id = domain.get("id")
        if isinstance(domain_id, str):
            if domain_id.casefold() in domain_seen:
                problems.append(
                    problem(doc, ("domains", d_index, "id"), f"duplicate domain id {domain_id!r}")
                )
            domain_seen.setdefault(domain_id.casefold(), d_index)
        for i_index, item in enumerate(_dicts(domain.get("items"))):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            first = item_seen.get(item_id.casefold())
            if first is not None:
                first_line = doc.line_of(("domains", first[0], "items", first[1], "id"))
                problems.append(
                    problem(
                        doc,
                        ("domains", d_index, "items", i_index, "id"),
                        f"duplicate item id {item_id!r} (first on line {first_line})",
                    )
                )
            item_seen.setdefault(item_id.casefold(), (d_index, i_index))
    return problems


def _raw_level_problems(
    doc: yamlio.YamlDocument, loc: tuple[str | int, ...], scale: dict[str, Any]
) -> list[RecordError]:
    values = [level.get("value") for level in _dicts(scale.get("levels"))]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return []  # the type check already reports it
    return _order_problems(doc, loc, values)


def _level_problems(
    doc: yamlio.YamlDocument, loc: tuple[str | int, ...], scale: Scale
) -> list[RecordError]:
    return _order_problems(doc, loc, list(scale.values))


def _order_problems(
    doc: yamlio.YamlDocument, loc: tuple[str | int, ...], values: list[Any]
) -> list[RecordError]:
    if values != sorted(set(values)):
        return [
            problem(doc, (*loc, "levels"), "level values must be unique and in ascending order")
        ]
    return []


def _dicts(value: Any) -> list[dict[str, Any]]:  # noqa: ANN401 - raw YAML
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _split(error: RecordError) -> list[RecordError]:
    return list(error.problems) if isinstance(error, RecordProblemsError) else [error]


_STARTER = """\
# A framework of your own for peerjournal. Check it with:
#   peerjournal frameworks validate <this file>
# Ids use letters, digits, '.', '_' and '-'. Put any value that looks like a number,
# a date or yes/no in quotes, so YAML keeps it as text.
schema: 1
id: {id}
title: {title}
version: "1"
kind: competencies          # competencies | guidelines | checklist
audience: peer-worker       # who is rated: peer-worker | supervisor
description: |
  What this framework is for, in a few sentences.
source:
  publisher: Your organisation
  short: Our org             # a short name for tables
  title: The document this framework is based on
  year: 2026
  url: ""
  wording: original         # original | paraphrased | synthesis
  note: Where the wording comes from and what was checked.
# Use a shared scale (confidence-5, proficiency-4, frequency-5, org-3, support-5)
# or define your own under `scales:` as below.
scale: {id}-scale
scales:
  - id: {id}-scale
    title: How often
    not_applicable: Not part of my role   # always offered, never scored
    levels:
      - value: 1
        label: Rarely
        description: I seldom do this yet.
      - value: 2
        label: Sometimes
        description: I do this in some situations.
      - value: 3
        label: Usually
        description: I do this in most situations.
domains:
  - id: first-area
    title: The first area of practice
    description: One or two sentences about this area.
    items:
      - id: first.1
        title: A short name
        text: An observable statement, in active voice.
        indicators:
          - A sign of this in everyday practice.
        prompts:
          - A question to reflect on.
  - id: second-area
    title: The second area of practice
    items:
      - id: second.1
        text: Another observable statement.
"""
