"""The data behind each report: gathered from the diary, assessments and supervision records.

Each builder returns a ReportData: a title, values for its template, charts (SVG with a text
table beside each), and a list of what the report contains for its footer. Rendering lives in
report_render; nothing here formats Markdown or HTML.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peerjournal.clock import Clock
from peerjournal.errors import InputError, NotFoundError, PeerJournalError, RecordError
from peerjournal.models.assessment import Assessment
from peerjournal.models.entry import HEADINGS, THEMES
from peerjournal.models.settings import Settings
from peerjournal.services import charts
from peerjournal.services.agenda import agenda_markdown, build_agenda
from peerjournal.services.assessment_stats import (
    DomainScore,
    compare,
    in_order,
    scope_label,
    standings,
    summarise,
)
from peerjournal.services.assessments import Assessments, Listing
from peerjournal.services.crosswalk import read_as
from peerjournal.services.dates import in_period, record_day
from peerjournal.services.diary import Diary, Filters
from peerjournal.services.supervision import Supervision
from peerjournal.store.layout import DataHome
from peerjournal.units import duration

KINDS = ("assessment", "diary", "supervision", "prep", "portfolio")


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the same numbers as a text table, for readers that show no pictures."""

    name: str  # file-safe, used for the SVG file beside the Markdown
    title: str
    svg: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass
class ReportData:
    """Everything a report template needs."""

    kind: str
    title: str
    subject: str
    period: str
    generated: datetime
    values: dict[str, Any] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    contains: list[str] = field(default_factory=list)
    parts: list["ReportData"] = field(default_factory=list)  # the sections of a portfolio
    # what people wrote, each with the record and part it came from, for the privacy check
    free_text: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files that could not be read, and why

    def all_free_text(self) -> list[tuple[str, str]]:
        """The text people wrote that this report (and its parts) includes."""
        return [*self.free_text, *(text for part in self.parts for text in part.all_free_text())]


@dataclass(frozen=True)
class Period:
    """The days a report covers; None on either side means open."""

    since: date | None
    until: date | None

    def label(self) -> str:
        if not (self.since or self.until):
            return "all records"
        return f"{self.since or 'the start'} to {self.until or 'today'}"


class Reports:
    """Builds report data for one data home."""

    def __init__(
        self,
        home: DataHome,
        settings: Settings,
        *,
        diary: Diary,
        assessments: Assessments,
        supervision: Supervision,
        clock: Clock,
        skipped: Callable[[], list[RecordError]],
    ) -> None:
        self.home = home
        self.catalog = assessments.catalog
        self._skipped = skipped
        self.settings = settings
        self.clock = clock
        self.diary = diary
        self.assessments = assessments
        self.supervision = supervision

    def build(
        self,
        kind: str,
        *,
        which: str | None = None,
        compare_with: str | None = None,
        period: Period | None = None,
        tags: tuple[str, ...] = (),
        competency: str | None = None,
        worker: str | None = None,
        target: float | None = None,
        as_framework: str | None = None,
    ) -> ReportData:
        """One report of ``kind``, naming in its own text every file it had to leave out."""
        span = period or Period(None, None)
        if as_framework is not None and kind != "assessment":
            raise InputError(f"--as is for the assessment report, not the {kind} report")
        if kind == "assessment":
            data = self.assessment(which or "latest", compare_with, as_framework)
        elif kind == "diary":
            data = self.diary_digest(span, tags, competency)
        elif kind == "supervision":
            data = self.supervision_summary(worker, span, target)
        elif kind == "prep":
            data = self.prep(worker)
        elif kind == "portfolio":
            data = self.portfolio(worker, span)
        else:
            raise InputError(f"unknown report {kind!r}; choose one of: {', '.join(KINDS)}")
        data.skipped = [self._describe(problem) for problem in self._skipped()]
        return data

    def _describe(self, problem: RecordError) -> str:
        """A skipped file as the report shows it: its place in the home, never the home path."""
        where = problem.path
        if where is not None and Path(where).is_relative_to(self.home.root):
            where = Path(where).relative_to(self.home.root)
        return str(RecordError(problem.message, path=where, line=problem.line, field=problem.field))

    # --- assessment ----------------------------------------------------------------------

    def assessment(
        self, which: str, compare_with: str | None = None, as_framework: str | None = None
    ) -> ReportData:
        """One assessment: scale, domains, chart, strengths, growth areas, goals, evidence.

        With ``as_framework`` it also reads the assessment as that framework (a crosswalk).
        """
        chosen = self._assessment(which)
        entry = self.catalog.get(chosen.framework.id)
        walk = None
        if as_framework is not None:
            target = self.catalog.get(as_framework).framework
            walk = read_as(chosen, entry.framework, entry.scale, target)
        linked = self.assessments.evidence(chosen)  # one evidence rule for summary and list
        summary = summarise(chosen, entry.framework, entry.scale, evidenced_items=set(linked))
        low, high = entry.scale.values[0], entry.scale.values[-1]
        bars = [charts.Bar(score.title, score.mean) for score in summary.domains]
        chart = Chart(
            "domains",
            "Mean per domain",
            charts.bar_chart("Mean per domain", bars, minimum=low, maximum=high),
            ("Domain", "Mean", "Rated", "Skipped", "N/A", "No opportunity yet"),
            tuple(_domain_row(score) for score in summary.domains),
        )
        evidence = [
            (item_id, response, linked[item_id])
            for item_id, response in chosen.responses.items()
            if linked.get(item_id)
        ]
        comparison = None
        order: tuple[str, ...] = ()
        if compare_with is not None:
            other = self.assessments.get(compare_with).assessment
            comparison = compare(other, chosen, entry.framework)  # the earlier is "before"
            order = tuple(a.id for a in in_order(other, chosen))
        return ReportData(
            kind="assessment",
            title=f"Assessment: {entry.framework.title}",
            subject=chosen.subject,
            period=f"{chosen.started:%Y-%m-%d}",
            generated=self.clock(),
            values={
                "assessment": chosen,
                "framework": entry.framework,
                "scale": entry.scale,
                "summary": summary,
                "evidence": evidence,
                "comparison": comparison,
                "compared_with": compare_with,
                "order": order,  # (before id, after id), by date
                "scope": scope_label(chosen, entry.framework),
                "crosswalk": walk,
                "crosswalk_heading": f"Read as {walk.target_title}" if walk else "",
            },
            charts=[chart],
            contains=[
                f"the {chosen.role} assessment {chosen.id} of {chosen.subject}",
                "notes written as examples from practice",
                "titles of linked diary entries",
                *([f"its items read as {walk.target} through maps_to"] if walk else []),
            ],
            free_text=[
                *(
                    (f"assessment {chosen.id}, note on {item}", r.note)
                    for item, r in chosen.responses.items()
                    if r.note
                ),
                *((f"assessment {chosen.id}, goal on {g.item}", g.text) for g in chosen.goals),
                *(
                    (f"diary entry {entry_id}, title", title)
                    for _, _, entries in evidence
                    for entry_id, title in entries
                ),
            ],
        )

    def _assessment(self, which: str) -> Assessment:
        if which != "latest":
            return self.assessments.get(which).assessment
        done = self.assessments.listing(Listing(status="complete"))
        if not done:
            raise NotFoundError("no completed assessment yet")
        return max(done, key=lambda s: s.assessment.finished or s.assessment.started).assessment

    # --- diary ---------------------------------------------------------------------------

    def diary_digest(
        self, period: Period, tags: tuple[str, ...] = (), competency: str | None = None
    ) -> ReportData:
        """A period of the diary: counts, themes, competencies, evidence map, reflections."""
        found = [
            s.entry
            for s in self.diary.entries(
                Filters(since=period.since, until=period.until, tags=tags, competency=competency)
            )
        ]
        theme_names = dict(THEMES)
        by_theme: dict[str, list[Any]] = defaultdict(list)
        for entry in found:
            for tag in entry.meta.tags:
                if tag in theme_names:
                    by_theme[tag].append(entry)
        by_competency: dict[str, list[Any]] = defaultdict(list)
        for entry in found:
            for ref in entry.meta.competencies:
                by_competency[ref].append(entry)
        tag_counts = Counter(tag for entry in found for tag in entry.meta.tags)
        linked = sorted({ref.split("/", 1)[0] for ref in by_competency})
        evidence = []
        for framework_id in linked:
            try:
                framework = self.catalog.get(framework_id).framework
            except PeerJournalError:
                continue
            rows = [
                (
                    f"{framework.id}/{item.id}",
                    item.text,
                    len(by_competency.get(f"{framework.id}/{item.id}", [])),
                )
                for _, item in framework.items()
            ]
            evidence.append((framework, rows))
        reflections = [
            (entry, entry.section("what_i_take_from_it"))
            for entry in found
            if entry.section("what_i_take_from_it")
        ]
        months = Counter(f"{record_day(entry.date):%Y-%m}" for entry in found)
        chart = Chart(
            "entries",
            "Entries per month",
            charts.column_chart(
                "Entries per month",
                [charts.Bar(m, n) for m, n in sorted(months.items())],
                counts=True,
            ),
            ("Month", "Entries"),
            tuple((m, str(n)) for m, n in sorted(months.items())),
        )
        return ReportData(
            kind="diary",
            title="Diary digest",
            subject=self.settings.name,
            period=period.label(),
            generated=self.clock(),
            values={
                "entries": found,
                "themes": [(t, theme_names[t], by_theme[t]) for t, _ in THEMES],
                "by_competency": sorted(by_competency.items()),
                "tag_counts": tag_counts.most_common(),
                "evidence": evidence,
                "reflections": reflections,
                "heading": HEADINGS["what_i_take_from_it"],
            },
            charts=[chart],
            contains=[
                f"{len(found)} diary entries (titles, dates, tags, competencies)",
                "the 'What I take from it' reflection of each entry",
            ],
            free_text=[
                *((f"diary entry {entry.id}, title", entry.meta.title) for entry in found),
                *(
                    (f"diary entry {entry.id}, 'What I take from it'", text)
                    for entry, text in reflections
                ),
                *(("a tag", tag) for tag, _ in tag_counts.items()),
            ],
        )

    # --- supervision ---------------------------------------------------------------------

    def supervision_summary(
        self, worker: str | None, period: Period, target_hours: float | None = None
    ) -> ReportData:
        """Sessions, hours against a target, decisions and action items with their status."""
        who = self.supervision.resolve_worker(worker, self.settings)
        sessions = [
            s
            for s in self.supervision.sessions(who)
            if in_period(record_day(s.meta.date), period.since, period.until)
        ]
        hours = self.supervision.hours(
            since=period.since,
            until=period.until,
            worker=who,
            by="month",
            target_hours=target_hours,
        )
        decisions = [(s, text) for s in sessions if (text := _section(s.notes, "Decisions"))]
        chart = Chart(
            "hours",
            "Supervision hours per month",
            charts.column_chart(
                "Supervision hours per month",
                [charts.Bar(row.key, row.hours) for row in hours.rows],
                unit="h",
            ),
            ("Month", "Sessions", "Hours"),
            tuple((row.key, str(row.sessions), duration(row.minutes)) for row in hours.rows),
        )
        actions = [(s, a) for s in sessions for a in s.meta.actions]
        return ReportData(
            kind="supervision",
            title=f"Supervision: {who}",
            subject=who,
            period=period.label(),
            generated=self.clock(),
            values={
                "sessions": sessions,
                "hours": hours,
                "decisions": decisions,
                "actions": actions,
                "today": self.clock().date(),
            },
            charts=[chart],
            contains=[
                f"{len(sessions)} supervision sessions with {who} (dates, lengths, types and "
                "forms; why any did not take place)",
                "decisions and action items recorded in them",
            ],
            free_text=[
                *((f"session {s.meta.id}, why", s.meta.why) for s in sessions if s.meta.why),
                *((f"session {s.meta.id}, decisions", text) for s, text in decisions),
                *(
                    (f"session {s.meta.id}, action {a.id}", f"{a.text} {a.owner}")
                    for s, a in actions
                ),
            ],
        )

    # --- prep ----------------------------------------------------------------------------

    def prep(self, worker: str | None) -> ReportData:
        """The agenda packet for the next session."""
        who = self.supervision.resolve_worker(worker, self.settings)
        own = (
            self.settings.role == "peer-worker" and who.casefold() == self.settings.name.casefold()
        )
        agenda = build_agenda(self.assessments, self.supervision, who, include_diary=own)
        text = agenda_markdown(agenda, self.clock())
        body = text.split("\n", 1)[1].rsplit("\n---\n", 1)[0].strip()
        return ReportData(
            kind="prep",
            title=f"Supervision agenda: {who}",
            subject=who,
            period="next session",
            generated=self.clock(),
            values={"agenda": agenda, "body": body.replace("\n## ", "\n### ")},
            contains=["the agenda for the next supervision session, with diary titles"],
            free_text=[
                *((f"diary entry {entry.id}, title", entry.title) for entry in agenda.entries),
                *((f"action {view.action.id}", view.action.text) for view in agenda.actions),
                *(
                    (f"assessment {goal.assessment}, goal on {goal.item}", goal.text)
                    for goal in agenda.goals
                ),
            ],
        )

    # --- portfolio -----------------------------------------------------------------------

    def portfolio(self, worker: str | None, period: Period) -> ReportData:
        """Everything above in one document, for a review or a certification file."""
        who = (
            self.supervision.resolve_worker(worker, self.settings)
            if (worker or self.settings.role == "supervisor")
            else self.settings.name
        )
        parts: list[ReportData] = []
        done = self.assessments.listing(Listing(status="complete", subject=who))
        for standing in standings([s.assessment for s in done], who):
            # per framework and rater: self and supervisor both, a one-domain one beside the full
            for counted in reversed(standing.assessments):
                part = self.assessment(counted.id)
                part.title += f" - {counted.role}, {part.values['scope']}"  # one anchor each
                parts.append(part)
        if self.settings.role == "peer-worker":
            parts.append(self.diary_digest(period))
        try:
            parts.append(self.supervision_summary(who, period))
            parts.append(self.prep(who))
        except InputError:
            pass
        if not parts:
            raise NotFoundError(f"nothing to put in a portfolio for {who!r} yet")
        return ReportData(
            kind="portfolio",
            title=f"Portfolio: {who}",
            subject=who,
            period=period.label(),
            generated=self.clock(),
            charts=[chart for part in parts for chart in part.charts],
            contains=[item for part in parts for item in part.contains],
            parts=parts,
        )


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _domain_row(score: DomainScore) -> tuple[str, ...]:
    """A domain of an assessment as a row of the chart's text table."""
    return (
        score.title,
        _num(score.mean),
        str(score.rated),
        str(score.skipped),
        str(score.not_applicable),
        str(score.no_opportunity),
    )


def _section(notes: str, heading: str) -> str:
    """The text under one ``## heading`` of a session's notes."""
    from peerjournal.store.frontmatter import split_sections

    _, sections = split_sections(notes)
    return next((text for title, text in sections if title == heading), "")
