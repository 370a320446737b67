"""The home screen's numbers: what has happened lately and what to do next.

The counts of the diary come from its index; everything else from the home's facts
(``services.home_facts``), read from the records by their services and cached until a file
changes. Only what depends on today is worked out here, against the clock, on every run.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from peerjournal.clock import Clock
from peerjournal.services.home_facts import HomeFacts, WorkerFacts, is_overdue
from peerjournal.services.query import DiaryQuery, Filters


class WorkerGlance(NamedTuple):
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
    days_since_shared: int | None = None  # since their last bundle was received here


class Rating(NamedTuple):
    """A competency an old entry is linked to: the self-rating given then, and the latest."""

    ref: str
    then: int  # the last complete self-assessment rating on or before the entry's day
    now: int  # the latest one


class Resurfaced(NamedTuple):
    """An entry written on this day a year (or a month) ago; only its title and id are shown."""

    ago: str  # "a year ago" or "a month ago"
    entry_id: str
    title: str
    others: int  # more entries of that day, not shown
    rating: Rating | None


class Dashboard(NamedTuple):
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
    caseload: tuple[WorkerGlance, ...] = ()  # a supervisor's workers
    on_this_day: Resurfaced | None = None

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


def dashboard(facts: HomeFacts, diary: DiaryQuery, *, clock: Clock) -> Dashboard:
    """Count what the home screen shows: the diary from its index, the rest from the facts."""
    today = clock().date()
    this_week = diary.count(Filters(since=today - timedelta(days=today.weekday())))
    this_month = diary.count(Filters(since=today.replace(day=1)))
    waiting = diary.count(Filters(waiting=True))
    last_session = _days(today, facts.last_session_day)
    last_assessment = _days(today, facts.last_assessment_day)
    return Dashboard(
        name=facts.name,
        role=facts.role,
        entries_this_week=this_week,
        entries_this_month=this_month,
        waiting_for_supervision=waiting,
        open_actions=len(facts.open_action_dues),
        overdue_actions=sum(1 for due in facts.open_action_dues if is_overdue(due, today)),
        days_since_session=last_session,
        days_since_assessment=last_assessment,
        supervision_due=last_session is None or last_session >= facts.supervision_days,
        assessment_due=last_assessment is None or last_assessment >= facts.assessment_days,
        reviews_passed=tuple(
            worker for worker, review in facts.agreement_reviews if review < today
        ),
        drafts=facts.drafts,
        caseload=tuple(_glance(worker, facts, today) for worker in facts.caseload),
        on_this_day=on_this_day(facts, diary, today),
    )


def on_this_day(facts: HomeFacts, diary: DiaryQuery, today: date) -> Resurfaced | None:
    """The entry of this day a year ago, else of this day a month ago, from the index.

    Several entries on that day: the latest is shown and the others counted. Its rating is the
    first linked competency the owner had rated on or before the entry's day (``facts.ratings``,
    cached with the other facts): the rating given then, beside the latest one.
    """
    for ago, day in (("a year ago", _year_before(today)), ("a month ago", _month_before(today))):
        if day is None:
            continue
        found = diary.summaries(Filters(since=day, until=day))
        if found:
            entry = found[-1]
            return Resurfaced(
                ago, entry.id, entry.title, len(found) - 1, _rating(facts, entry.competencies, day)
            )
    return None


def _rating(facts: HomeFacts, refs: Sequence[str], day: date) -> Rating | None:
    for ref in refs:
        history = facts.rating_history(ref)
        then = [rating for rated, rating in history if rated <= day]
        if then:
            return Rating(ref, then[-1], history[-1][1])
    return None


def _year_before(today: date) -> date:
    """The same day a year earlier; 29 February looks back to the 28th."""
    if today.month == 2 and today.day == 29:
        return today.replace(year=today.year - 1, day=28)
    return today.replace(year=today.year - 1)


def _month_before(today: date) -> date | None:
    """The same day a month earlier, or None when that month has no such day (31 March)."""
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    try:
        return today.replace(year=year, month=month)
    except ValueError:
        return None


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
            f"peerjournal supervision agreement --worker {quote(worker)}"
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


def _glance(worker: WorkerFacts, facts: HomeFacts, today: date) -> WorkerGlance:
    """One worker of the caseload as of today."""
    days = _days(today, worker.last_session_day)
    review = worker.review_date
    return WorkerGlance(
        worker=worker.worker,
        days_since_session=days,
        open_actions=len(worker.open_action_dues),
        overdue_actions=sum(1 for due in worker.open_action_dues if is_overdue(due, today)),
        minutes=worker.minutes,
        hours_target=facts.hours_target,
        review_date=review,
        review_passed=review is not None and review < today,
        supervision_due=days is None or days >= facts.supervision_days,
        days_since_shared=_days(today, worker.last_shared_day),
    )


def _days(today: date, day: date | None) -> int | None:
    """Whole days from a record's own day (``record_day``, applied in the facts) to today."""
    return None if day is None else max(0, (today - day).days)
