"""Numbers from assessments: a summary, changes between two, progress over time, and gaps.

Pure functions over the models, so every command and report shares one definition of a mean:
ratings only, never "not applicable", "no opportunity yet" or skipped answers. Framework
files change between assessments, so each response stores its item's domain and text; the
current framework is preferred for titles and order where it still knows an item, and the
stored values fill in where it does not, which keeps old assessments comparable with new ones.
"""

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import datetime

from peerjournal.errors import InputError, NotFoundError
from peerjournal.models.assessment import Assessment, Response
from peerjournal.models.framework import Framework, Scale

_Index = dict[str, tuple[str, str]]  # item id -> (domain id, item text), in framework order


@dataclass(frozen=True)
class DomainScore:
    """One domain of one assessment."""

    domain: str
    title: str
    mean: float | None
    rated: int
    skipped: int  # skipped and unanswered
    not_applicable: int
    no_opportunity: int = 0  # "no opportunity yet": not scored, and not a deficit either


@dataclass(frozen=True)
class ItemScore:
    """One item of one assessment."""

    item: str
    domain: str
    text: str
    rating: int | None


@dataclass(frozen=True)
class Summary:
    """What one assessment says, domain by domain, and where to look next."""

    domains: tuple[DomainScore, ...]
    overall_mean: float | None
    strongest: tuple[DomainScore, ...]
    weakest: tuple[DomainScore, ...]
    growth_areas: tuple[ItemScore, ...]
    high_without_evidence: tuple[ItemScore, ...]
    # items answered "no opportunity yet": learning opportunities, never growth areas
    learning_opportunities: tuple[ItemScore, ...] = ()


@dataclass(frozen=True)
class DomainChange:
    """A domain's mean before and after."""

    domain: str
    title: str
    before: float | None
    after: float | None
    change: float | None


@dataclass(frozen=True)
class ItemChange:
    """An item whose rating changed (None: not rated)."""

    item: str
    domain: str
    text: str
    before: int | None
    after: int | None
    change: int | None


@dataclass(frozen=True)
class Comparison:
    """Two assessments on the same framework, side by side."""

    domains: tuple[DomainChange, ...]
    changed: tuple[ItemChange, ...]
    new_items: tuple[str, ...]
    removed_items: tuple[str, ...]
    framework_changed: bool


@dataclass(frozen=True)
class ProgressRow:
    """One complete assessment as a row of domain means."""

    assessment: str
    when: datetime
    role: str
    means: dict[str, float | None]
    overall: float | None


@dataclass(frozen=True)
class Progress:
    """Domain means of every complete assessment on one framework, oldest first."""

    domains: tuple[tuple[str, str], ...]
    rows: tuple[ProgressRow, ...]


@dataclass(frozen=True)
class Gap:
    """An item the worker and the supervisor rated far apart (difference: supervisor - self)."""

    item: str
    domain: str
    text: str
    self_rating: int
    supervisor_rating: int
    difference: int


def summarise(
    assessment: Assessment,
    framework: Framework,
    scale: Scale,
    *,
    evidenced_items: Set[str] = frozenset(),
    limit: int = 5,
) -> Summary:
    """Domain means and counts, strongest and weakest domains, growth areas, unevidenced highs.

    Items answered "no opportunity yet" are counted apart and listed as learning opportunities.
    """
    index = _index(framework)
    rows = [(i, d, t, assessment.responses.get(i)) for i, (d, t) in index.items()]
    rows += [(i, r.domain, r.text, r) for i, r in assessment.responses.items() if i not in index]
    rows = [row for row in rows if row[1] and _in_scope(assessment, row[1])]
    titles = _titles(framework)
    domains = tuple(
        _domain_score(d, titles.get(d, d), [r for _, e, _, r in rows if e == d])
        for d in dict.fromkeys(row[1] for row in rows)
    )
    scored = [
        (rating, ItemScore(i, d, t, rating), r)
        for i, d, t, r in rows
        if r is not None and (rating := _rating(r)) is not None
    ]
    means = [d.mean for d in domains if d.mean is not None]
    # strongest and weakest say something only when at least two domains differ
    ranked = len(means) > 1 and max(means) != min(means)
    top = high_values(scale)
    lower = sorted((p for p in scored if p[0] < min(top)), key=lambda p: p[0])
    evidenced = {ref.casefold() for ref in evidenced_items}
    return Summary(
        domains=domains,
        overall_mean=_mean([rating for rating, _, _ in scored]),
        strongest=tuple(d for d in domains if ranked and d.mean == max(means)),
        weakest=tuple(d for d in domains if ranked and d.mean == min(means)),
        growth_areas=tuple(score for _, score, _ in lower[: max(limit, 0)]),
        high_without_evidence=tuple(
            score
            for rating, score, response in scored
            if rating in top
            and not response.evidence
            and score.item.casefold() not in evidenced
            and f"{framework.id}/{score.item}".casefold() not in evidenced
        ),
        learning_opportunities=tuple(
            ItemScore(i, d, t, None) for i, d, t, r in rows if r is not None and r.no_opportunity
        ),
    )


def high_values(scale: Scale) -> tuple[int, ...]:
    """The ratings that count as high: the top two levels, or the top one on a short scale.

    One rule for "rated high" and for growth areas (rated below high), so an item is never both.
    """
    values = sorted(scale.values)
    return tuple(values[-2:] if len(values) >= 4 else values[-1:])


def in_order(first: Assessment, second: Assessment) -> tuple[Assessment, Assessment]:
    """Two assessments, the earlier first, whichever order they were named in."""
    return (
        (first, second)
        if (_when(first), first.id) <= (_when(second), second.id)
        else (
            second,
            first,
        )
    )


def compare(
    before: Assessment, after: Assessment, framework: Framework | None = None
) -> Comparison:
    """What changed from the earlier to the later of two assessments (ordered by date here).

    Pass the current framework for titles and order.
    """
    before, after = in_order(before, after)
    _check_same_framework(before, after, framework)
    index = _index(framework)
    titles = _titles(framework)
    means_before, means_after = _domain_means(before, index), _domain_means(after, index)
    order = _domain_order(after, framework, index)
    order += [d for d in _domain_order(before, framework, index) if d not in order]
    domains = tuple(
        DomainChange(
            domain,
            titles.get(domain, domain),
            old := means_before.get(domain),
            new := means_after.get(domain),
            None if old is None or new is None else round(new - old, 2),
        )
        for domain in order
    )
    changed: list[ItemChange] = []
    for item in _ordered(index, after.responses):
        if item not in before.responses:
            continue
        old_rating = _rating(before.responses[item])
        new_rating = _rating(after.responses[item])
        if old_rating != new_rating:
            domain, text = _where(item, index, after.responses[item], before.responses[item])
            change = None if old_rating is None or new_rating is None else new_rating - old_rating
            changed.append(ItemChange(item, domain, text, old_rating, new_rating, change))
    in_after = list(after.responses)
    in_after += [item for item, (domain, _) in index.items() if _in_scope(after, domain)]
    return Comparison(
        domains=domains,
        changed=tuple(changed),
        new_items=tuple(i for i in _ordered(index, in_after) if i not in before.responses),
        removed_items=tuple(
            i for i in before.responses if i not in after.responses and i not in index
        ),
        framework_changed=before.framework.digest != after.framework.digest,
    )


def progress(assessments: Sequence[Assessment], framework: Framework) -> Progress:
    """Domain means of the complete assessments on `framework`, oldest first."""
    chosen = sorted(
        (a for a in assessments if a.status == "complete" and a.framework.id == framework.id),
        key=lambda a: (_when(a), a.id),
    )
    index = _index(framework)
    titles = _titles(framework)
    order = list(titles)
    for assessment in chosen:
        order += [d for d in _domain_order(assessment, None, index) if d not in order]
    rows = tuple(
        ProgressRow(
            a.id,
            _when(a),
            a.role,
            {d: means.get(d) for d in order},
            _mean([r for r in map(_rating, a.responses.values()) if r is not None]),
        )
        for a, means in ((a, _domain_means(a, index)) for a in chosen)
    )
    return Progress(tuple((d, titles.get(d, d)) for d in order), rows)


def gaps(
    self_assessment: Assessment,
    supervisor_assessment: Assessment,
    *,
    threshold: int = 2,
    framework: Framework | None = None,
) -> tuple[Gap, ...]:
    """Items both rated whose ratings differ by `threshold` or more, largest first."""
    _check_same_framework(self_assessment, supervisor_assessment, framework)
    index = _index(framework)
    mine, theirs = self_assessment.responses, supervisor_assessment.responses
    found: list[Gap] = []
    for item in _ordered(index, mine):
        own = _rating(mine[item])
        other = _rating(theirs[item]) if item in theirs else None
        if own is None or other is None or abs(other - own) < threshold:
            continue
        domain, text = _where(item, index, mine[item], theirs[item])
        found.append(Gap(item, domain, text, own, other, other - own))
    return tuple(sorted(found, key=lambda gap: -abs(gap.difference)))


def latest_pair(
    assessments: Sequence[Assessment], subject: str | None, framework_id: str | None = None
) -> tuple[Assessment, Assessment]:
    """The latest complete self and supervisor assessments of one person on one framework.

    Without `framework_id`, the framework whose pair is most recent; without `subject`, anyone.
    """
    wanted = subject.strip().casefold() if subject and subject.strip() else None
    where = framework_id.strip().lower() if framework_id and framework_id.strip() else None
    pool = sorted(
        (
            a
            for a in assessments
            if a.status == "complete"
            and (wanted is None or a.subject.strip().casefold() == wanted)
            and (where is None or a.framework.id == where)
        ),
        key=lambda a: (_when(a), a.id),
    )
    latest = {(a.framework.id, a.subject.strip().casefold(), a.role): a for a in pool}
    pairs = [
        (own, latest[(fid, who, "supervisor")])
        for (fid, who, role), own in latest.items()
        if role == "self" and (fid, who, "supervisor") in latest
    ]
    if pairs:
        return max(pairs, key=lambda p: (max(map(_when, p)), min(map(_when, p))))
    whom = f" of {subject.strip()!r}" if wanted and subject else ""
    if not pool:
        raise NotFoundError(f"no complete assessment{whom}" + (f" on {where!r}" if where else ""))
    last = pool[-1]  # its group has no pair, so it lacks the other role
    whom = whom or f" of {last.subject!r}"
    if last.role == "supervisee":  # an evaluation by someone they supervise pairs with nothing
        raise NotFoundError(
            f"no self and supervisor assessments{whom} on {last.framework.id!r} to compare "
            f"({last.id} is rated by someone they supervise)"
        )
    missing = "supervisor" if last.role == "self" else "self"
    raise NotFoundError(f"no complete {missing} assessment{whom} on {last.framework.id!r}")


@dataclass(frozen=True)
class Standing:
    """What one rater's latest complete assessments of a person on one framework say.

    ``assessments`` is the latest whole-framework assessment, then any one-domain assessments
    finished after it (the latest per domain), oldest first: a narrower assessment adds to the
    full one and never hides it. ``merged`` holds the newest answer to each item among them.
    """

    framework: str
    role: str
    assessments: tuple[Assessment, ...]
    merged: Assessment

    @property
    def latest(self) -> Assessment:
        return self.assessments[-1]

    def scope(self, framework: Framework | None) -> str:
        """Which part of the framework these assessments cover, said plainly."""
        domains = [a.domain_filter for a in self.assessments]
        if None in domains or len(domains) == 1:
            return scope_label(self.assessments[0] if None in domains else self.latest, framework)
        titles = _titles(framework)
        named = ", ".join(titles.get(d, d) for d in domains if d)
        total = f" of {len(framework.domains)}" if framework is not None else ""
        return f"{len(domains)}{total} domains ({named})"


def scope_label(assessment: Assessment, framework: Framework | None) -> str:
    """'all 12 domains' or '1 of 12 domains (share)': what an assessment's numbers cover."""
    total = len(framework.domains) if framework is not None else None
    only = assessment.domain_filter
    if not only:
        return f"all {total} domains" if total else "the whole framework"
    title = next((d.title for d in framework.domains if d.id == only), only) if framework else only
    return f"1 of {total} domains ({title})" if total else f"one domain ({title})"


def standings(
    assessments: Sequence[Assessment], subject: str, *, before: datetime | None = None
) -> list[Standing]:
    """The assessments that count for ``subject``: per framework and per rater (self first).

    Only complete ones, finished by ``before`` when given (a session recorded late counts what
    was known at its date).
    """
    wanted = subject.strip().casefold()
    pool = sorted(
        (
            a
            for a in assessments
            if a.status == "complete"
            and a.subject.strip().casefold() == wanted
            and (before is None or _when(a) <= before)
        ),
        key=lambda a: (_when(a), a.id),
    )
    groups: dict[tuple[str, str], list[Assessment]] = {}
    for assessment in pool:
        groups.setdefault((assessment.framework.id, assessment.role), []).append(assessment)
    found: list[Standing] = []
    for (framework_id, role), group in sorted(
        groups.items(), key=lambda pair: (pair[0][0], pair[0][1] != "self")
    ):
        full = [a for a in group if not a.domain_filter]
        start = _when(full[-1]) if full else None
        narrow: dict[str, Assessment] = {}
        for a in group:
            if a.domain_filter and (start is None or _when(a) > start):
                narrow[a.domain_filter] = a  # oldest first, so the latest per domain stays
        chosen = sorted([*full[-1:], *narrow.values()], key=lambda a: (_when(a), a.id))
        found.append(Standing(framework_id, role, tuple(chosen), _merge(chosen)))
    return found


def _merge(chosen: Sequence[Assessment]) -> Assessment:
    """One assessment holding the newest answer to each item; its scope is theirs combined."""
    responses: dict[str, Response] = {}
    for assessment in chosen:
        responses.update(assessment.responses)
    scopes = {a.domain_filter for a in chosen}
    only = scopes.pop() if len(scopes) == 1 else None
    return chosen[-1].model_copy(update={"responses": responses, "domain_filter": only})


def _check_same_framework(
    first: Assessment, second: Assessment, framework: Framework | None
) -> None:
    ids = {first.framework.id, second.framework.id}
    if len(ids) > 1:
        raise InputError(
            f"the assessments are on different frameworks "
            f"({first.framework.id!r} and {second.framework.id!r})"
        )
    if framework is not None and framework.id not in ids:
        raise InputError(f"the assessments are on {first.framework.id!r}, not on {framework.id!r}")


def _index(framework: Framework | None) -> _Index:
    if framework is None:
        return {}
    return {item.id: (domain.id, item.text) for domain, item in framework.items()}


def _titles(framework: Framework | None) -> dict[str, str]:
    return {} if framework is None else {d.id: d.title for d in framework.domains}


def _rating(response: Response) -> int | None:
    """The rating that counts toward means; None for N/A, no opportunity, skipped or empty."""
    if response.not_applicable or response.no_opportunity or response.skipped:
        return None
    return response.rating


def _mean(ratings: Sequence[int]) -> float | None:
    return round(sum(ratings) / len(ratings), 2) if ratings else None


def _when(assessment: Assessment) -> datetime:
    return assessment.finished or assessment.started


def _in_scope(assessment: Assessment, domain: str) -> bool:
    only = assessment.domain_filter
    return not only or only.casefold() == domain.casefold()


def _where(item: str, index: _Index, *responses: Response) -> tuple[str, str]:
    """An item's domain and text: the framework's, else the first stored ones."""
    if item in index:
        return index[item]
    domain = next((r.domain for r in responses if r.domain), "")
    return domain, next((r.text for r in responses if r.text), "")


def _ordered(index: _Index, items: Iterable[str]) -> list[str]:
    """Item ids in framework order, then the others in the order given."""
    present = dict.fromkeys(items)
    return [i for i in index if i in present] + [i for i in present if i not in index]


def _domain_order(assessment: Assessment, framework: Framework | None, index: _Index) -> list[str]:
    """The framework's domains in this assessment's scope, then any others its answers name."""
    order = [d.id for d in framework.domains if _in_scope(assessment, d.id)] if framework else []
    for item, response in assessment.responses.items():
        domain = _where(item, index, response)[0]
        if domain and domain not in order:
            order.append(domain)
    return order


def _domain_means(assessment: Assessment, index: _Index) -> dict[str, float | None]:
    ratings: dict[str, list[int]] = {}
    for item, response in assessment.responses.items():
        rating = _rating(response)
        if rating is not None:
            ratings.setdefault(_where(item, index, response)[0], []).append(rating)
    return {domain: _mean(values) for domain, values in ratings.items()}


def _domain_score(domain: str, title: str, responses: Sequence[Response | None]) -> DomainScore:
    ratings = [r for r in (_rating(x) for x in responses if x is not None) if r is not None]
    not_applicable = sum(1 for x in responses if x is not None and x.not_applicable)
    no_chance = sum(
        1 for x in responses if x is not None and x.no_opportunity and not x.not_applicable
    )
    return DomainScore(
        domain,
        title,
        _mean(ratings),
        len(ratings),
        len(responses) - len(ratings) - not_applicable - no_chance,
        not_applicable,
        no_chance,
    )
