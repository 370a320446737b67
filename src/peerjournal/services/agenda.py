"""The agenda for the next supervision session, built from what is already recorded.

It gathers diary entries marked for supervision and not yet discussed, open and overdue action
items, development goals and growth areas from the latest assessments, the items answered "no
opportunity yet" (learning opportunities, not deficits), and the items where the worker's and
the supervisor's ratings differ: supervision starts from the worker's own material.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from peerjournal.errors import PeerJournalError
from peerjournal.models.assessment import Assessment
from peerjournal.services.assessment_stats import Gap, ItemScore, gaps, standings, summarise
from peerjournal.services.assessments import Assessments, Listing
from peerjournal.services.diary import Filters
from peerjournal.services.frameworks import FrameworkEntry
from peerjournal.services.supervision import ActionView, StoredSession, Supervision


@dataclass(frozen=True)
class AgendaEntry:
    """A diary entry waiting for supervision."""

    id: str
    date: datetime
    title: str
    shared: bool = False  # shared by the worker: on the agenda, never marked from this home


@dataclass(frozen=True)
class AgendaGoal:
    """A development goal from an assessment, with who set it."""

    assessment: str
    framework: str
    item: str
    text: str
    role: str = "self"


@dataclass(frozen=True)
class AgendaStanding:
    """One rater's latest complete assessment on a framework: what it covers, its mean."""

    framework: str
    role: str
    assessments: tuple[str, ...]
    finished: datetime | None
    scope: str
    overall_mean: float | None


@dataclass(frozen=True)
class Agenda:
    """Everything to bring to the next session with one worker."""

    worker: str
    last_session: datetime | None
    entries: tuple[AgendaEntry, ...]
    actions: tuple[ActionView, ...]  # open, overdue first
    goals: tuple[AgendaGoal, ...]
    growth_areas: tuple[tuple[str, str, ItemScore], ...]  # (framework id, rater, item)
    gaps: tuple[tuple[str, Gap], ...]  # (framework id, gap)
    standings: tuple[AgendaStanding, ...] = ()  # self and supervisor side by side
    # items answered "no opportunity yet": (framework id, rater, item), chances to look for
    learning: tuple[tuple[str, str, ItemScore], ...] = ()

    def topics(self) -> list[str]:
        """One line per agenda point, in the order a session walks through them."""
        topics = [
            f"Diary{' (shared)' if e.shared else ''}: {e.title} ({e.id})" for e in self.entries
        ]
        for view in self.actions:
            due = f", due {view.action.due}" if view.action.due else ""
            late = " OVERDUE" if view.overdue else ""
            topics.append(
                f"Action {view.action.id}{late}: {view.action.text} ({view.action.owner}{due})"
            )
        topics += [f"Goal {g.framework}/{g.item} ({g.role}): {g.text}" for g in self.goals]
        topics += [
            f"Growth area {fw}/{i.item} ({role}): {i.text} (rated {i.rating})"
            for fw, role, i in self.growth_areas
        ]
        topics += [
            f"Learning opportunity {fw}/{i.item} ({role}): {i.text} (no opportunity yet)"
            for fw, role, i in self.learning
        ]
        topics += [
            f"Rating gap {fw}/{g.item}: self {g.self_rating}, "
            f"supervisor {g.supervisor_rating} - {g.text}"
            for fw, g in self.gaps
        ]
        return topics


def build_agenda(
    assessments: Assessments,
    supervision: Supervision,
    worker: str,
    *,
    include_diary: bool,
    as_of: datetime | None = None,
) -> Agenda:
    """The agenda for the next session with ``worker``, or for a session held at ``as_of``.

    ``include_diary`` is true in the worker's own home, where the diary is theirs. A session
    recorded after the fact takes only what was open at its own date: entries written before it
    and not discussed in an earlier session, actions open then, goals from assessments finished
    before it. Without ``as_of`` it is the agenda as things stand now.
    """
    moment = as_of or supervision.clock()
    earlier = supervision.sessions_before(worker, moment)
    entries: list[AgendaEntry] = []
    if include_diary:
        entries = _entries_open_at(assessments, supervision, worker, moment, earlier)
    else:  # a supervisor's home: what the worker chose to share, not yet discussed with them
        entries = [
            AgendaEntry(meta.id, meta.date, meta.title, shared=True)
            for sender, meta in supervision.received().entries()
            if sender.casefold() == worker.casefold()
            and meta.date <= moment
            and not (meta.model_extra or {}).get("discussed_in")
        ]
    if as_of is None:
        open_actions = supervision.actions(worker, only="open")
    else:
        open_actions = supervision.open_at(worker, as_of)
    actions = sorted(open_actions, key=lambda v: (not v.overdue, v.action.due or date.max))
    goals, growth, learning, differences, counted = _from_assessments(assessments, worker, moment)
    return Agenda(
        worker=worker,
        last_session=earlier[-1].meta.date if earlier else None,
        entries=tuple(entries),
        actions=tuple(actions),
        goals=tuple(goals),
        growth_areas=tuple(growth),
        gaps=tuple(differences),
        standings=tuple(counted),
        learning=tuple(learning),
    )


def _entries_open_at(
    assessments: Assessments,
    supervision: Supervision,
    worker: str,
    moment: datetime,
    earlier: list[StoredSession],
) -> list[AgendaEntry]:
    """Entries marked for supervision, written before ``moment``, no earlier session covered.

    An entry only a later session discussed was still waiting at ``moment``, so it counts too.
    """
    covered = {entry_id for s in earlier for entry_id in s.meta.entries}
    found = {
        e.id: AgendaEntry(e.id, e.date, e.title)
        for e in assessments.diary.summaries(Filters(waiting=True))
        if e.date <= moment
    }
    for later in supervision.sessions(worker):
        if later.meta.date < moment:
            continue
        for entry_id in later.meta.entries:
            if entry_id in covered or entry_id in found:
                continue
            try:
                meta = assessments.diary.get(entry_id).entry.meta
            except PeerJournalError:
                continue  # deleted since
            if meta.for_supervision and meta.date <= moment:
                found[meta.id] = AgendaEntry(meta.id, meta.date, meta.title)
    return sorted(found.values(), key=lambda e: e.date)


def _from_assessments(
    service: Assessments, worker: str, moment: datetime
) -> tuple[
    list[AgendaGoal],
    list[tuple[str, str, ItemScore]],
    list[tuple[str, str, ItemScore]],
    list[tuple[str, Gap]],
    list[AgendaStanding],
]:
    """Goals, growth areas, learning opportunities, gaps and standings from what counts.

    What counts is the worker's own and their supervisor's latest ratings (see ``standings``);
    a worker's rating of their supervisor is about the supervisor, so it is never among them.
    """
    done = [
        s.assessment
        for s in service.listing(Listing(subject=worker, status="complete"))
        if s.assessment.role != "supervisee"
    ]
    counted = standings(done, worker, before=moment)
    goals = [
        AgendaGoal(a.id, a.framework.id, goal.item, goal.text, a.role)
        for standing in counted
        for a in standing.assessments
        for goal in a.goals
    ]
    growth: list[tuple[str, str, ItemScore]] = []
    learning: list[tuple[str, str, ItemScore]] = []
    rows: list[AgendaStanding] = []
    merged: dict[tuple[str, str], Assessment] = {}
    for standing in counted:
        merged[(standing.framework, standing.role)] = standing.merged
        try:
            entry: FrameworkEntry | None = service.catalog.get(standing.framework)
        except PeerJournalError:
            entry = None
        summary = (
            summarise(standing.merged, entry.framework, entry.scale, limit=3) if entry else None
        )
        if summary is not None:
            growth += [(standing.framework, standing.role, i) for i in summary.growth_areas]
            learning += [
                (standing.framework, standing.role, i) for i in summary.learning_opportunities
            ]
        rows.append(
            AgendaStanding(
                standing.framework,
                standing.role,
                tuple(a.id for a in standing.assessments),
                standing.latest.finished,
                standing.scope(entry.framework if entry else None),
                summary.overall_mean if summary else None,
            )
        )
    differences: list[tuple[str, Gap]] = []
    for (framework_id, role), mine in merged.items():
        theirs = merged.get((framework_id, "supervisor"))
        if role == "self" and theirs is not None:
            differences += [(framework_id, gap) for gap in gaps(mine, theirs)]
    return goals, growth, learning, differences, rows


def agenda_markdown(agenda: Agenda, now: datetime) -> str:
    """The agenda as Markdown, for `supervision prep --out` and for printing."""
    since = f"{agenda.last_session:%Y-%m-%d}" if agenda.last_session else "no earlier session"
    lines = [
        f"# Supervision agenda: {agenda.worker}",
        "",
        f"Prepared {now:%Y-%m-%d %H:%M}. Last session: {since}.",
        "",
    ]
    sections = [
        (
            "Diary entries to discuss",
            [f"- {e.date:%Y-%m-%d} {e.title} (`{e.id}`)" for e in agenda.entries],
        ),
        (
            "Action items",
            [_action_line(view) for view in agenda.actions],
        ),
        ("Assessments counted", _standing_lines(agenda.standings)),
        (
            "Development goals",
            [f"- `{g.framework}/{g.item}` ({g.role}): {g.text}" for g in agenda.goals],
        ),
        (
            "Growth areas",
            [
                f"- `{fw}/{i.item}` rated {i.rating} ({role}): {i.text}"
                for fw, role, i in agenda.growth_areas
            ],
        ),
        *(
            [
                (
                    "Learning opportunities (no opportunity yet; not scored)",
                    [f"- `{fw}/{i.item}` ({role}): {i.text}" for fw, role, i in agenda.learning],
                )
            ]
            if agenda.learning
            else []
        ),
        (
            "Self and supervisor ratings that differ",
            [
                f"- `{fw}/{g.item}`: self {g.self_rating}, "
                f"supervisor {g.supervisor_rating}: {g.text}"
                for fw, g in agenda.gaps
            ],
        ),
    ]
    for heading, items in sections:
        lines += [f"## {heading}", ""]
        lines += items or ["- nothing"]
        lines.append("")
    lines += [
        "---",
        "",
        "A reflective-practice agenda from peerjournal; not a clinical record.",
        "",
    ]
    return "\n".join(lines)


def _action_line(view: ActionView) -> str:
    due = f", due {view.action.due}" if view.action.due else ""
    late = " **overdue**" if view.overdue else ""
    return f"- [ ] `{view.action.id}` {view.action.text} ({view.action.owner}{due}){late}"


def _standing_lines(rows: Sequence[AgendaStanding]) -> list[str]:
    """Self and supervisor side by side: a table row per framework, one column per rater."""
    if not rows:
        return []
    by_framework: dict[str, dict[str, AgendaStanding]] = {}
    for row in rows:
        by_framework.setdefault(row.framework, {})[row.role] = row
    lines = ["| Framework | Self | Supervisor |", "| --- | --- | --- |"]
    for framework_id, raters in by_framework.items():
        cells = [_standing_cell(raters.get(role)) for role in ("self", "supervisor")]
        lines.append(f"| `{framework_id}` | {cells[0]} | {cells[1]} |")
    return lines


def _standing_cell(row: AgendaStanding | None) -> str:
    if row is None:
        return "none yet"
    mean = "-" if row.overall_mean is None else f"{row.overall_mean:.2f}"
    when = f"{row.finished:%Y-%m-%d}, " if row.finished else ""
    ids = ", ".join(f"`{a}`" for a in row.assessments)
    return f"mean {mean} over {row.scope} ({when}{ids})"
