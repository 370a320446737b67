"""Crosswalks: ``maps_to`` links checked (for `frameworks validate`) and followed.

A framework's items and domains may name what they answer to in other frameworks
("icrc-peer-recovery/D1"). Reading an assessment of framework S as framework T follows those
links from S to T only: each T domain (and each T item something maps to) gathers the S items
that map to it, with their ratings. Scored ratings are averaged on S's own scale, never
converted; "not applicable" and "no opportunity yet" are listed apart and never averaged, and a
T domain nothing maps to says so instead of looking like a low score.
"""

from dataclasses import dataclass
from typing import Literal

from peerjournal.errors import InputError, RecordError
from peerjournal.models.assessment import Assessment, Response
from peerjournal.models.framework import Domain, Framework, Item, Scale
from peerjournal.services.framework_outline import suggest
from peerjournal.store import yamlio
from peerjournal.store.validate import problem

Answer = Literal["rated", "not applicable", "no opportunity yet", "not answered"]


@dataclass(frozen=True)
class MappedItem:
    """One item of the assessed framework that maps to a target domain or item."""

    item: str
    text: str
    answer: Answer
    rating: int | None  # only when rated


@dataclass(frozen=True)
class CrossRow:
    """A target domain, or a target item something maps to, with what maps to it."""

    kind: Literal["domain", "item"]
    code: str
    title: str
    mean: float | None  # of the rated items, on the source framework's scale
    rated: tuple[MappedItem, ...] = ()
    not_applicable: tuple[MappedItem, ...] = ()
    no_opportunity: tuple[MappedItem, ...] = ()
    not_answered: tuple[MappedItem, ...] = ()

    @property
    def mapped(self) -> bool:
        """Whether anything of the assessed framework maps here."""
        return bool(self.rated or self.not_applicable or self.no_opportunity or self.not_answered)


@dataclass(frozen=True)
class Crosswalk:
    """A whole assessment of ``source`` read as ``target``: a row per target domain, in order.

    Each domain row is followed by rows for its items that have something mapped to them.
    ``unresolved`` names the links whose target code the target framework does not have.
    """

    assessment: str
    source: str
    target: str
    target_title: str
    scale_low: int
    scale_high: int
    rows: tuple[CrossRow, ...]
    unresolved: tuple[str, ...] = ()


def read_as(
    assessment: Assessment, source: Framework, scale: Scale, target: Framework
) -> Crosswalk:
    """The crosswalk of ``assessment`` (made on ``source``, rated on ``scale``) into ``target``.

    The assessment's own framework, or a target nothing maps to, is refused with one line
    (exit 2); the caller looks the frameworks up, so an unknown id is refused there.
    """
    if target.id == source.id:
        raise InputError(f"assessment {assessment.id} is already on {target.id!r}")
    walk = crosswalk(assessment, source, scale, target)
    if not any(row.mapped for row in walk.rows):
        raise InputError(
            f"nothing in {source.id!r} maps to {target.id!r} "
            "(no maps_to of its items or domains names it)"
        )
    return walk


def crosswalk(
    assessment: Assessment, source: Framework, scale: Scale, target: Framework
) -> Crosswalk:
    """Follow every ``maps_to`` from ``source`` into ``target`` (pure; see ``read_as``)."""
    by_domain: dict[str, dict[str, MappedItem]] = {d.id: {} for d in target.domains}
    by_item: dict[str, dict[str, MappedItem]] = {}
    unresolved: list[str] = []
    for domain, item in _in_scope(assessment, source):
        mapped = _mapped(item.id, item.text, assessment.responses.get(item.id))
        for ref in dict.fromkeys((*domain.maps_to, *item.maps_to)):
            framework_id, _, code = ref.strip().partition("/")
            if framework_id.strip().lower() != target.id:
                continue
            found = _resolve(target, code.strip())
            if found is None:
                unresolved.append(f"{item.id} -> {ref.strip()}")
                continue
            target_domain, target_item = found
            by_domain[target_domain.id].setdefault(item.id, mapped)
            if target_item is not None:
                by_item.setdefault(target_item.id, {}).setdefault(item.id, mapped)
    rows: list[CrossRow] = []
    for domain in target.domains:
        rows.append(_row("domain", domain.id, domain.title, by_domain[domain.id]))
        rows += [
            _row("item", item.id, item.title or item.text, by_item[item.id])
            for item in domain.items
            if item.id in by_item
        ]
    return Crosswalk(
        assessment=assessment.id,
        source=source.id,
        target=target.id,
        target_title=target.title,
        scale_low=scale.values[0],
        scale_high=scale.values[-1],
        rows=tuple(rows),
        unresolved=tuple(dict.fromkeys(unresolved)),
    )


def _in_scope(assessment: Assessment, source: Framework) -> list[tuple[Domain, Item]]:
    only = (assessment.domain_filter or "").casefold()
    return [(d, i) for d, i in source.items() if not only or d.id.casefold() == only]


def _resolve(target: Framework, code: str) -> tuple[Domain, Item | None] | None:
    """A target code as a domain of ``target``, or as an item with its domain."""
    domain = target.find_domain(code)
    if domain is not None:
        return domain, None
    found = target.find_item(code)
    return None if found is None else (found[0], found[1])


def _mapped(item_id: str, text: str, response: Response | None) -> MappedItem:
    if response is None or response.skipped:
        return MappedItem(item_id, text, "not answered", None)
    if response.not_applicable:
        return MappedItem(item_id, text, "not applicable", None)
    if response.no_opportunity:
        return MappedItem(item_id, text, "no opportunity yet", None)
    if response.rating is None:
        return MappedItem(item_id, text, "not answered", None)
    return MappedItem(item_id, response.text or text, "rated", response.rating)


def _row(
    kind: Literal["domain", "item"], code: str, title: str, found: dict[str, MappedItem]
) -> CrossRow:
    items = list(found.values())
    rated = tuple(m for m in items if m.answer == "rated")
    ratings = [m.rating for m in rated if m.rating is not None]
    return CrossRow(
        kind=kind,
        code=code,
        title=title,
        mean=round(sum(ratings) / len(ratings), 2) if ratings else None,
        rated=rated,
        not_applicable=tuple(m for m in items if m.answer == "not applicable"),
        no_opportunity=tuple(m for m in items if m.answer == "no opportunity yet"),
        not_answered=tuple(m for m in items if m.answer == "not answered"),
    )


def map_problems(
    doc: yamlio.YamlDocument, framework: Framework, known: dict[str, Framework]
) -> tuple[list[RecordError], list[RecordError]]:
    """The ``maps_to`` targets of a framework that point nowhere: (errors, warnings).

    A target must read 'framework-id/CODE', and CODE must be a domain or item id of that
    framework when it is ``known`` (installed, or checked in the same run): otherwise an error.
    A framework that is not known cannot be checked: a warning, since the file may be meant
    for a home where it is installed.
    """
    errors: list[RecordError] = []
    cannot: list[RecordError] = []
    for loc, ref in links(framework):
        framework_id, sep, code = ref.strip().partition("/")
        framework_id, code = framework_id.strip().lower(), code.strip()
        if not (sep and framework_id and code):
            errors.append(problem(doc, loc, f"maps_to target {ref!r} must be 'framework-id/CODE'"))
            continue
        target = known.get(framework_id)
        if target is None:
            hint = suggest(framework_id, known)
            message = f"maps_to target {ref!r}: framework {framework_id!r} is not installed"
            cannot.append(problem(doc, loc, f"{message}, so it was not checked{hint}"))
            continue
        if target.find_domain(code) is None and target.find_item(code) is None:
            codes = [d.id for d in target.domains] + [i.id for _, i in target.items()]
            hint = suggest(code, codes)
            errors.append(
                problem(
                    doc,
                    loc,
                    f"maps_to target {ref!r}: framework {target.id!r} has no domain or item "
                    f"{code!r}{hint}",
                )
            )
    return errors, cannot


def links(framework: Framework) -> list[tuple[tuple[str | int, ...], str]]:
    """Every ``maps_to`` target of a framework, with where it is in the file."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for d_index, domain in enumerate(framework.domains):
        found += [(("domains", d_index, "maps_to", n), r) for n, r in enumerate(domain.maps_to)]
        for i_index, item in enumerate(domain.items):
            where = ("domains", d_index, "items", i_index, "maps_to")
            found += [((*where, n), ref) for n, ref in enumerate(item.maps_to)]
    return found
