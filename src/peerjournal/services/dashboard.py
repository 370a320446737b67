"""The home screen's numbers: what has happened lately and what to do next."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from peerjournal.clock import Clock
from peerjournal.models.settings import Settings
from peerjournal.services.dates import record_day
from peerjournal.services.query import DiaryQuery, Filters
from peerjournal.services.supervision import Supervision
from peerjournal.store.assessments import AssessmentStore


@dataclass(frozen=True)
class WorkerGlance:
    """One worker of a supervisor's caseload, as the home screen shows them."""

    worker: str
    days_since_session: int | None
    open_actions: int
    overdue_actions: int
    minutes: int  # supervision time recorded with this worker, all told
    hours_target: float | None
    review_date: date | None  # of the supervision agreement, if there is one
    review_passed: bool
    supervision_due: bool


@dataclass(frozen=True)
class Dashboard:
    """At a glance: recent entries, waiting topics, overdue actions, how long since what."""

    name: str
    role: str
    entries_this_week: int
    entries_this_month: int
    waiting_for_supervision: int
    open_actions: int
    overdue_actions: int
    days_since_session: int | None
    days_since_assessment: int | None
    supervision_due: bool
    assessment_due: bool
    reviews_passed: tuple[str, ...]  # workers whose agreement review date has passed
    drafts: int
    caseload: tuple[WorkerGlance, ...] = field(default=())  # a supervisor's workers

    def next_step(self) -> str:
        """The one thing most worth doing now; for a supervisor it names the worker."""
        if self.caseload:
            return _supervisor_step(self)
        if self.drafts:
            return "finish your assessment in progress: peerjournal assess resume"
        if self.overdue_actions:
            return "follow up overdue actions: peerjournal supervision actions --overdue"
        if self.reviews_passed:
            return "review the supervision agreement: peerjournal supervision agreement"
        if self.supervision_due:
            return "prepare supervision: peerjournal supervision prep"
        if self.assessment_due:
            return "rate yourself again: peerjournal assess start samhsa-core"
        if self.entries_this_week == 0:
            return "write about a significant interaction: peerjournal diary add"
        return "keep writing: peerjournal diary add; see your entries with peerjournal diary list"


def dashboard(
    settings: Settings,
    diary: DiaryQuery,
    supervision: Supervision,
    assessment_store: AssessmentStore,
    *,
    clock: Clock,
) -> Dashboard:
    """Read the home once and count what the home screen shows."""
    now = clock()
    today = now.date()
    this_week = diary.count(Filters(since=today - timedelta(days=today.weekday())))
    this_month = diary.count(Filters(since=today.replace(day=1)))
    waiting = diary.count(Filters(waiting=True))
    sessions = supervision.sessions()
    actions = supervision.actions(only="open")
    assessments = [s.assessment for s in assessment_store.iter()]
    done = [a.finished or a.started for a in assessments if a.status == "complete"]
    last_session = _days(now, sessions[-1].meta.date) if sessions else None
    last_assessment = _days(now, max(done)) if done else None
    reminders = settings.reminders
    return Dashboard(
        name=settings.name,
        role=settings.role,
        entries_this_week=this_week,
        entries_this_month=this_month,
        waiting_for_supervision=waiting,
        open_actions=len(actions),
        overdue_actions=sum(1 for view in actions if view.overdue),
        days_since_session=last_session,
        days_since_assessment=last_assessment,
        supervision_due=last_session is None or last_session >= reminders.supervision_days,
        assessment_due=last_assessment is None or last_assessment >= reminders.assessment_days,
        reviews_passed=tuple(
            a.agreement.worker
            for a in supervision.agreements()
            if a.agreement.review_date < now.date()
        ),
        drafts=sum(1 for a in assessments if a.status == "draft"),
        caseload=_caseload(settings, supervision, now),
    )


def _supervisor_step(board: Dashboard) -> str:
    """Overdue actions first, then a passed review, then the longest wait for supervision."""
    if board.drafts:
        return "finish your assessment in progress: peerjournal assess resume"
    quote = _quoted
    overdue = [w for w in board.caseload if w.overdue_actions]
    if overdue:
        worker = max(overdue, key=lambda w: w.overdue_actions).worker
        return (
            f"follow up {worker}'s overdue actions: "
            f"peerjournal supervision actions --overdue --worker {quote(worker)}"
        )
    passed = [w for w in board.caseload if w.review_passed]
    if passed:
        worker = passed[0].worker
        return (
            f"review the agreement with {worker}: "
            f"peerjournal supervision agreement --worker {quote(worker)} --edit"
        )
    due = [w for w in board.caseload if w.supervision_due]
    if due:  # never seen first, then the longest since
        worker = max(due, key=lambda w: w.days_since_session or 10**6).worker
        return (
            f"prepare supervision with {worker}: "
            f"peerjournal supervision prep --worker {quote(worker)}"
        )
    return "all caught up; see the record with: peerjournal supervision list"


def _quoted(name: str) -> str:
    """A name as it is typed in a shell: quoted when it has a space or a quote in it."""
    if name.replace("-", "").replace(".", "").isalnum():
        return name
    return "'" + name.replace("'", "'\\''") + "'"


def _caseload(
    settings: Settings, supervision: Supervision, now: datetime
) -> tuple[WorkerGlance, ...]:
    """Every worker a supervisor's home knows of, with what is waiting for each."""
    if settings.role != "supervisor":
        return ()
    reminders = settings.reminders
    glances = []
    for worker in supervision.workers():
        if worker.casefold() == settings.name.casefold():
            continue
        last = supervision.last_session(worker)
        days = _days(now, last.meta.date) if last else None
        actions = supervision.actions(worker, only="open")
        stored = supervision.agreement(worker)
        review = stored.agreement.review_date if stored else None
        glances.append(
            WorkerGlance(
                worker=worker,
                days_since_session=days,
                open_actions=len(actions),
                overdue_actions=sum(1 for view in actions if view.overdue),
                minutes=supervision.hours(worker=worker).minutes,
                hours_target=reminders.hours_target,
                review_date=review,
                review_passed=review is not None and review < now.date(),
                supervision_due=days is None or days >= reminders.supervision_days,
            )
        )
    return tuple(glances)


def _days(now: datetime, then: datetime) -> int:
    """Whole days from a record's own day to the clock's today (the one day rule)."""
    return max(0, (now.date() - record_day(then)).days)
