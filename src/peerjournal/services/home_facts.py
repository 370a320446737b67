"""What the home screen knows of a home apart from the diary and today: its "home facts".

Settings, supervision records and assessments take YAML, JSON and pydantic to read, on every
run of the home screen. None of what the screen needs of them depends on today's date, so the
facts are read once by the services that own those records (every rule stays theirs: the day a
record belongs to, which actions are open, whose hours are whose) and kept in a rebuildable cache
(``store.facts_cache``) until one of their files changes. What does depend on today (days since,
overdue, a passed review) is worked out by the dashboard against the clock, at every run.

This module imports nothing heavy at module level: a warm home screen reads the facts from JSON.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from datetime import datetime

    from peerjournal.errors import RecordError
    from peerjournal.models.assessment import Assessment
    from peerjournal.models.settings import Settings
    from peerjournal.services.container import Services
    from peerjournal.services.supervision import ActionView, Supervision
    from peerjournal.store.assessments import AssessmentStore


class WorkerFacts(NamedTuple):
    """One worker of a supervisor's caseload, before today is applied."""

    worker: str
    last_session_day: date | None  # the day of their latest session (the record's own day)
    open_action_dues: tuple[date | None, ...]  # one per open action, None when none is set
    minutes: int  # supervision time recorded with this worker, all told
    review_date: date | None  # of their supervision agreement, if there is one
    last_shared_day: date | None = None  # the day their last bundle was received here


# Per competency (its lower-case reference), each rating given in a complete self-assessment:
# (the assessment's day, the rating), oldest first. Derived from the assessments, so it is kept
# under their signature like every other fact; resurfacing picks "then" and "now" from it.
RatingHistory = tuple[tuple[str, tuple[tuple[date, int], ...]], ...]


class HomeFacts(NamedTuple):
    """Everything the home screen needs apart from the diary counts and the clock."""

    name: str
    role: str
    supervision_days: int
    assessment_days: int
    hours_target: float | None
    last_session_day: date | None
    last_assessment_day: date | None  # the day the latest complete assessment was finished
    open_action_dues: tuple[date | None, ...]
    agreement_reviews: tuple[tuple[str, date], ...]  # (worker, review date), by worker
    drafts: int  # assessments in progress
    caseload: tuple[WorkerFacts, ...] = ()  # a supervisor's workers, themself left out
    ratings: RatingHistory = ()  # the home owner's own self-assessment ratings, by competency

    def rating_history(self, ref: str) -> tuple[tuple[date, int], ...]:
        """The self-ratings of one competency reference (any case), oldest first."""
        wanted = ref.casefold()
        return next((history for key, history in self.ratings if key == wanted), ())


def is_overdue(due: date | None, today: date) -> bool:
    """Whether an open action is overdue today: the rule of ``Supervision.actions``."""
    return due is not None and due < today


def home_facts(services: "Services", settings: "Callable[[], Settings]") -> HomeFacts:
    """The home's facts: from the cache when none of their files changed, else from the services.

    ``settings`` is the invocation's one reading of settings.yaml, asked for only on a miss.
    Facts are stored only when every file read cleanly, so a skipped file is named (by
    ``Services.skipped``) on every run, as before the cache.
    """
    cache = services.facts_cache
    stamps = cache.signature()
    stored = cache.load(stamps)
    if stored is not None:
        cached = facts_from_json(stored)
        if cached is not None:
            return cached
    facts = compute_facts(settings(), services.supervision, services.assessment_store)
    if not _problems(services) and cache.signature() == stamps:  # nothing moved meanwhile
        cache.save(stamps, facts_to_json(facts))
    return facts


def _problems(services: "Services") -> "list[RecordError]":
    """What the reads behind the facts skipped (supervision, assessments, people)."""
    return [
        *services.supervision.broken,
        *services.assessment_store.broken,
        *services.people.broken,
    ]


def _first_reviews(supervision: "Supervision") -> tuple[tuple[str, date], ...]:
    """Per worker, the review date that comes first of all their agreements (one per type)."""
    first: dict[str, date] = {}
    for stored in supervision.agreements():
        agreement = stored.agreement
        if agreement.worker not in first or agreement.review_date < first[agreement.worker]:
            first[agreement.worker] = agreement.review_date
    return tuple(sorted(first.items(), key=lambda pair: pair[0].casefold()))


def compute_facts(
    settings: "Settings", supervision: "Supervision", assessment_store: "AssessmentStore"
) -> HomeFacts:
    """Read the facts through the services that own the records (the slow, cold path)."""
    from peerjournal.services.dates import record_day

    sessions = [s for s in supervision.sessions() if s.meta.held]  # a cancelled one is no meeting
    assessments = [stored.assessment for stored in assessment_store.iter()]
    done = [  # a worker's rating of their supervisor is not an assessment of their own practice
        a.finished or a.started
        for a in assessments
        if a.status == "complete" and a.role != "supervisee"
    ]
    reminders = settings.reminders
    return HomeFacts(
        name=settings.name,
        role=settings.role,
        supervision_days=reminders.supervision_days,
        assessment_days=reminders.assessment_days,
        hours_target=reminders.hours_target,
        last_session_day=record_day(sessions[-1].meta.date) if sessions else None,
        last_assessment_day=record_day(max(done)) if done else None,
        open_action_dues=_dues(supervision.actions(only="open")),
        agreement_reviews=_first_reviews(supervision),
        drafts=sum(1 for a in assessments if a.status == "draft"),
        caseload=_caseload(settings, supervision),
        ratings=_ratings(settings, assessments),
    )


def _ratings(settings: "Settings", assessments: "Sequence[Assessment]") -> RatingHistory:
    """Every rating the home's owner gave themself in a complete self-assessment, by item.

    Not applicable, no opportunity yet and skipped answers are no rating. Ratings are ordered by
    when the assessment was finished, so the last one on or before a day is the one given then.
    """
    from peerjournal.services.dates import record_day

    owner = settings.name.casefold()
    given: dict[str, list[tuple[datetime, int]]] = {}
    for assessment in assessments:
        if assessment.status != "complete" or assessment.role != "self":
            continue
        if assessment.subject.casefold() != owner:
            continue
        when = assessment.finished or assessment.started
        for item_id, response in assessment.responses.items():
            if response.rating is None or response.skipped or not response.scored:
                continue
            ref = f"{assessment.framework.id}/{item_id}".casefold()
            given.setdefault(ref, []).append((when, response.rating))
    return tuple(
        (ref, tuple((record_day(when), rating) for when, rating in sorted(pairs, key=_moment)))
        for ref, pairs in sorted(given.items())
    )


def _moment(pair: "tuple[datetime, int]") -> float:
    return pair[0].timestamp()


def _caseload(settings: "Settings", supervision: "Supervision") -> tuple[WorkerFacts, ...]:
    """Every worker a supervisor's home knows of, themself left out; nobody for a worker."""
    from peerjournal.services.dates import record_day

    if settings.role != "supervisor":
        return ()
    workers = []
    shared = supervision.received().last_received()
    for worker in supervision.workers():
        if worker.casefold() == settings.name.casefold():
            continue
        last = supervision.last_session(worker)
        stored = supervision.agreement(worker)
        workers.append(
            WorkerFacts(
                worker=worker,
                last_session_day=record_day(last.meta.date) if last else None,
                open_action_dues=_dues(supervision.actions(worker, only="open")),
                minutes=supervision.hours(worker=worker).minutes,
                review_date=stored.agreement.review_date if stored else None,
                last_shared_day=shared.get(worker.casefold()),
            )
        )
    return tuple(workers)


def _dues(views: "Sequence[ActionView]") -> tuple[date | None, ...]:
    return tuple(view.action.due for view in views)


# --- JSON ----------------------------------------------------------------------------------


def facts_to_json(facts: HomeFacts) -> dict[str, Any]:
    """The facts as plain JSON values (dates as ISO text)."""
    return {
        "name": facts.name,
        "role": facts.role,
        "supervision_days": facts.supervision_days,
        "assessment_days": facts.assessment_days,
        "hours_target": facts.hours_target,
        "last_session_day": _day_text(facts.last_session_day),
        "last_assessment_day": _day_text(facts.last_assessment_day),
        "open_action_dues": [_day_text(due) for due in facts.open_action_dues],
        "agreement_reviews": [[worker, day.isoformat()] for worker, day in facts.agreement_reviews],
        "drafts": facts.drafts,
        "caseload": [
            {
                "worker": w.worker,
                "last_session_day": _day_text(w.last_session_day),
                "open_action_dues": [_day_text(due) for due in w.open_action_dues],
                "minutes": w.minutes,
                "review_date": _day_text(w.review_date),
                "last_shared_day": _day_text(w.last_shared_day),
            }
            for w in facts.caseload
        ],
        "ratings": {
            ref: [[day.isoformat(), rating] for day, rating in history]
            for ref, history in facts.ratings
        },
    }


def facts_from_json(data: Mapping[str, Any]) -> HomeFacts | None:
    """Facts as ``facts_to_json`` wrote them; None for anything else (read them again)."""
    try:
        target = data["hours_target"]
        if target is not None and (isinstance(target, bool) or not isinstance(target, int | float)):
            return None
        return HomeFacts(
            name=_text(data["name"]),
            role=_text(data["role"]),
            supervision_days=_number(data["supervision_days"]),
            assessment_days=_number(data["assessment_days"]),
            hours_target=None if target is None else float(target),
            last_session_day=_maybe_day(data["last_session_day"]),
            last_assessment_day=_maybe_day(data["last_assessment_day"]),
            open_action_dues=tuple(_maybe_day(due) for due in _list(data["open_action_dues"])),
            agreement_reviews=tuple(
                (_text(worker), _day(day))
                for worker, day in (_pair(item) for item in _list(data["agreement_reviews"]))
            ),
            drafts=_number(data["drafts"]),
            caseload=tuple(_worker(item) for item in _list(data["caseload"])),
            ratings=_rating_history(data["ratings"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _worker(item: object) -> WorkerFacts:
    if not isinstance(item, dict):
        raise TypeError("a caseload row is an object")
    return WorkerFacts(
        worker=_text(item["worker"]),
        last_session_day=_maybe_day(item["last_session_day"]),
        open_action_dues=tuple(_maybe_day(due) for due in _list(item["open_action_dues"])),
        minutes=_number(item["minutes"]),
        review_date=_maybe_day(item["review_date"]),
        last_shared_day=_maybe_day(item["last_shared_day"]),
    )


def _rating_history(value: object) -> RatingHistory:
    if not isinstance(value, dict):
        raise TypeError("ratings are an object")
    return tuple(
        (_text(ref), tuple((_day(day), _number(rating)) for day, rating in map(_pair, _list(rows))))
        for ref, rows in value.items()
    )


def _day_text(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(value: object) -> date:
    return date.fromisoformat(_text(value))


def _maybe_day(value: object) -> date | None:
    return None if value is None else _day(value)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected a whole number")
    return value


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _pair(value: object) -> tuple[object, object]:
    if not isinstance(value, list) or len(value) != 2:
        raise TypeError("expected a pair")
    return value[0], value[1]
