"""The agenda for the next supervision session, built from what is already recorded.

It gathers diary entries marked for supervision and not yet discussed, open and overdue action
items, development goals and growth areas from the latest assessments, and the items where the
worker's and the supervisor's ratings differ: supervision starts from the worker's own material.
"""

from dataclasses import dataclass
from datetime import date, datetime

from peerjournal.errors import PeerJournalError
from peerjournal.models.assessment import Assessment
from peerjournal.services.assessment_stats import Gap, ItemScore, gaps, latest_pair, summarise
from peerjournal.services.assessments import Assessments, Listing
from peerjournal.services.diary import Filters
from peerjournal.services.supervision import ActionView, Supervision


@dataclass(frozen=True)
class AgendaEntry:
    """A diary entry waiting for supervision."""

    id: str
    date: datetime
    title: str


@dataclass(frozen=True)
class AgendaGoal:
    """A development goal from an assessment."""

    assessment: str
    framework: str
    item: str
    text: str


@dataclass(frozen=True)
class Agenda:
    """Everything to bring to the next session with one worker."""

    worker: str
    last_session: datetime | None
    entries: tuple[AgendaEntry, ...]
    actions: tuple[ActionView, ...]  # open, overdue first
    goals: tuple[AgendaGoal, ...]
    growth_areas: tuple[tuple[str, ItemScore], ...]  # (framework id, item)
    gaps: tuple[tuple[str, Gap], ...]  # (framework id, gap)

    def topics(self) -> list[str]:
        """One line per agenda point, in the order a session walks through them."""
        topics = [f"Diary: {e.title} ({e.id})" for e in self.entries]
        for view in self.actions:
            due = f", due {view.action.due}" if view.action.due else ""
            late = " OVERDUE" if view.overdue else ""
            topics.append(
                f"Action {view.action.id}{late}: {view.action.text} ({view.action.owner}{due})"
            )
        topics += [f"Goal {g.framework}/{g.item}: {g.text}" for g in self.goals]
        topics += [
            f"Growth area {fw}/{i.item}: {i.text} (rated {i.rating})" for fw, i in self.growth_areas
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
) -> Agenda:
    """The agenda for the next session with ``worker``.

    ``include_diary`` is true in the worker's own home, where the diary is theirs.
    """
    last = supervision.last_session(worker)
    entries: list[AgendaEntry] = []
    if include_diary:
        waiting = assessments.diary.summaries(Filters(waiting=True))
        entries = [AgendaEntry(e.id, e.date, e.title) for e in waiting]
    actions = sorted(
        supervision.actions(worker, only="open"),
        key=lambda v: (not v.overdue, v.action.due or date.max),
    )
    goals, growth, differences = _from_assessments(assessments, worker)
    return Agenda(
        worker=worker,
        last_session=last.meta.date if last else None,
        entries=tuple(entries),
        actions=tuple(actions),
        goals=tuple(goals),
        growth_areas=tuple(growth),
        gaps=tuple(differences),
    )


def _from_assessments(
    service: Assessments, worker: str
) -> tuple[list[AgendaGoal], list[tuple[str, ItemScore]], list[tuple[str, Gap]]]:
    catalog = service.catalog
    done = service.listing(Listing(subject=worker, status="complete"))
    latest: dict[str, Assessment] = {}
    for stored in done:  # oldest first, so the last one of each framework wins
        latest[stored.assessment.framework.id] = stored.assessment
    goals = [
        AgendaGoal(a.id, a.framework.id, goal.item, goal.text)
        for a in latest.values()
        for goal in a.goals
    ]
    growth: list[tuple[str, ItemScore]] = []
    for framework_id, assessment in latest.items():
        try:
            entry = catalog.get(framework_id)
        except PeerJournalError:
            continue
        summary = summarise(assessment, entry.framework, entry.scale, limit=3)
        growth += [(framework_id, item) for item in summary.growth_areas]
    differences: list[tuple[str, Gap]] = []
    for framework_id in latest:
        try:
            mine, theirs = latest_pair([s.assessment for s in done], worker, framework_id)
        except PeerJournalError:
            continue
        differences += [(framework_id, gap) for gap in gaps(mine, theirs)]
    return goals, growth, differences


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
        ("Development goals", [f"- `{g.framework}/{g.item}`: {g.text}" for g in agenda.goals]),
        (
            "Growth areas",
            [f"- `{fw}/{i.item}` rated {i.rating}: {i.text}" for fw, i in agenda.growth_areas],
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
