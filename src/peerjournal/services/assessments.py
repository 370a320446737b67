"""Assessments: start, answer, resume, finish, list and delete; any framework that loads works.

The interview itself lives in the ui layer; this service only holds the rules and saves after
every answer, so a resumed draft continues exactly where it stopped.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peerjournal.clock import Clock
from peerjournal.errors import (
    InputError,
    NotFoundError,
    PeerJournalError,
    RecordError,
    RecordProblemsError,
)
from peerjournal.models.assessment import (
    Assessment,
    FrameworkStamp,
    Goal,
    Response,
    Revision,
    Role,
)
from peerjournal.models.framework import Domain, Item, Scale
from peerjournal.models.settings import Settings
from peerjournal.services.diary import Diary, Filters
from peerjournal.services.frameworks import Catalog, FrameworkEntry
from peerjournal.services.privacy_review import PrivacyReview
from peerjournal.store import yamlio
from peerjournal.store.assessments import AssessmentStore, StoredAssessment
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.recovery import keep_unsaved
from peerjournal.store.validate import problem

MAX_GOALS = 3
__all__ = [
    "MAX_GOALS",
    "Assessments",
    "Listing",
    "StoredAssessment",
    "edited_fields",
    "parse_rating",
    "with_edited",
    "written_fields",
]


@dataclass(frozen=True)
class Listing:
    """Which assessments `assess list` wants."""

    framework: str | None = None
    role: Role | None = None
    subject: str | None = None
    status: str | None = None


class Assessments:
    """The assessments of one data home."""

    def __init__(
        self,
        home: DataHome,
        catalog: Catalog,
        diary: Diary,
        *,
        clock: Clock,
        store: AssessmentStore | None = None,
    ) -> None:
        self.home = home
        self.catalog = catalog
        self.diary = diary  # the evidence an item is offered comes from the diary's index
        self.clock = clock
        self.store = store or AssessmentStore(home)
        self._shared: list[StoredAssessment] | None = None  # read once per invocation

    def resolve_subject(self, name: str | None, settings: Settings) -> str:
        """The person an assessment is of: yourself, or a known person a typed name means."""
        if not name:
            return settings.name
        from peerjournal.services.people import People, match_name

        people = People(self.home, self.store.people)
        name = people.earlier(name) or name  # a name they had still finds them
        known = [*people.names(), settings.name]
        known += [s.assessment.subject for s in self.store.iter()]
        return match_name(name, known)

    def about(self, framework_id: str, name: str, settings: Settings) -> tuple[Role, str]:
        """The rater's role and the person an assessment started with ``--about NAME`` is of.

        Who rates follows from the home: a peer worker rates someone who supervises them (role
        ``supervisee``, so it never counts as their own self-assessment); a supervisor rates a
        worker (role ``supervisor``). The framework must fit: a peer worker rates on a checklist
        (such as supervision-evaluation) or a framework for supervisors, never on competencies
        or guidelines for their own practice; a supervisor rates a worker on a framework for
        peer workers. The name must be a known person other than you.
        """
        framework = self.catalog.get(framework_id).framework
        role: Role = "supervisee" if settings.role == "peer-worker" else "supervisor"
        if role == "supervisee" and framework.audience == "peer-worker":
            if framework.kind != "checklist":
                raise InputError(
                    f"{framework.id!r} describes a peer worker's own practice: rate yourself on "
                    "it without --about; --about rates your supervisor on a checklist such as "
                    "supervision-evaluation, or on a framework for supervisors"
                )
        elif role == "supervisor" and framework.audience != "peer-worker":
            raise InputError(
                f"{framework.id!r} is for supervisors; --about rates a worker you supervise on "
                "a framework for peer workers"
            )
        subject = self.resolve_subject(name, settings)
        if subject.casefold() == settings.name.casefold():
            raise InputError("--about names someone else; to rate yourself, leave it out")
        return role, subject

    def check_self(self, framework_id: str, settings: Settings) -> None:
        """A peer worker does not rate themself on a framework that rates a supervisor.

        Such a rating (supervision-evaluation, say) is about their supervisor and is started
        with --about; as a self-assessment it would land in their own prep and standings.
        """
        framework = self.catalog.get(framework_id).framework
        if settings.role == "peer-worker" and framework.audience == "supervisor":
            raise InputError(
                f"{framework.id!r} rates a supervisor, not your own practice; to rate your "
                f"supervisor, run: peerjournal assess start {framework.id} --about NAME"
            )

    # --- running -------------------------------------------------------------------------

    def start(
        self,
        framework_id: str,
        *,
        role: Role,
        subject: str,
        assessor: str,
        domain: str | None = None,
    ) -> StoredAssessment:
        """Create and save a new draft."""
        entry = self.catalog.get(framework_id)
        if domain is not None and entry.framework.find_domain(domain) is None:
            known = ", ".join(d.id for d in entry.framework.domains)
            raise NotFoundError(
                f"framework {entry.framework.id!r} has no domain {domain!r}; domains: {known}"
            )
        if not subject.strip():
            raise InputError("say who is assessed with --subject NAME")
        now = self.clock()
        assessment = Assessment(
            id=self.store.new_id(now, entry.framework.id, role),
            framework=FrameworkStamp(
                id=entry.framework.id,
                version=entry.framework.version,
                digest=entry.digest,
                scale=entry.scale.id,
                title=entry.framework.title,
            ),
            role=role,
            subject=subject.strip(),
            assessor=assessor,
            started=now,
            domain_filter=entry.framework.find_domain(domain).id if domain else None,  # type: ignore[union-attr]
        )
        with home_lock(self.home.lock_file):
            return self.store.create(assessment)

    def framework_of(self, assessment: Assessment) -> FrameworkEntry:
        """The framework an assessment was made against, as it loads today."""
        return self.catalog.get(assessment.framework.id)

    def items(self, assessment: Assessment) -> list[tuple[Domain, Item]]:
        """The items this assessment asks, in framework order."""
        framework = self.framework_of(assessment).framework
        return [
            (domain, item)
            for domain, item in framework.items()
            if assessment.domain_filter is None or domain.id == assessment.domain_filter
        ]

    def answer(
        self, stored: StoredAssessment, item: tuple[Domain, Item], response: Response, position: int
    ) -> StoredAssessment:
        """Record one answer and where to go next, and save at once."""
        domain, found = item
        assessment = stored.assessment.model_copy(deep=True)
        assessment.responses[found.id] = response.model_copy(
            update={"domain": domain.id, "text": found.text}
        )
        assessment.position = position
        return self._save(stored, assessment)

    def move(self, stored: StoredAssessment, position: int) -> StoredAssessment:
        """Remember the position (after 'back' or a quit) without changing answers."""
        assessment = stored.assessment.model_copy(update={"position": position})
        return self._save(stored, assessment)

    def finish(self, stored: StoredAssessment, goals: Sequence[Goal] = ()) -> StoredAssessment:
        """Mark complete with up to three development goals linked to items."""
        if len(goals) > MAX_GOALS:
            raise InputError(f"set at most {MAX_GOALS} development goals")
        assessment = stored.assessment.model_copy(deep=True)
        assessment.status = "complete"
        assessment.finished = self.clock()
        assessment.goals = [self.goal(stored.assessment, goal.item, goal.text) for goal in goals]
        return self._save(stored, assessment)

    def goal_item(self, assessment: Assessment, item_id: str) -> str:
        """The item a goal is about, checked before its text is asked (so no text is lost)."""
        framework = self.framework_of(assessment).framework
        found = framework.find_item(item_id.strip())
        if found is None:
            ids = [item.id for _, item in self.items(assessment)]
            more = f" and {len(ids) - 10} more" if len(ids) > 10 else ""
            known = ", ".join(ids[:10]) + more
            raise NotFoundError(
                f"framework {framework.id!r} has no item {item_id.strip()!r}; items: {known}"
            )
        return found[1].id

    def goal(self, assessment: Assessment, item_id: str, text: str) -> Goal:
        """A development goal on an item of the assessment's framework (id spelled as defined)."""
        framework = self.framework_of(assessment).framework
        found = framework.find_item(item_id.strip())
        if found is None:
            raise NotFoundError(f"framework {framework.id!r} has no item {item_id.strip()!r}")
        if not text.strip():
            raise InputError("a development goal needs some text")
        return Goal(item=found[1].id, text=" ".join(text.split()))

    def edit(self, stored: StoredAssessment, goals: Sequence[Goal], notes: str) -> StoredAssessment:
        """Replace a finished assessment's goals and notes; what they were goes to its history.

        Ratings are never touched: an assessment is what was rated on the day, and a new rating
        is a new assessment. Goals are checked against the framework like those set at the end.
        """
        current = stored.assessment
        if current.status != "complete":
            raise InputError(
                f"assessment {current.id} is a draft; finish it with "
                f"'peerjournal assess resume {current.id}'"
            )
        if len(goals) > MAX_GOALS:
            raise InputError(f"set at most {MAX_GOALS} development goals")
        checked = [self.goal(current, goal.item, goal.text) for goal in goals]
        now = self.clock()
        assessment = current.model_copy(deep=True)
        assessment.revisions.append(
            Revision(changed=now, goals=list(current.goals), notes=current.notes)
        )
        assessment.goals, assessment.notes, assessment.updated = checked, notes.strip(), now
        return self._save(stored, assessment)

    def drafts_like(self, framework_id: str, *, role: Role, subject: str) -> list[StoredAssessment]:
        """Drafts of this framework, rater and person, newest first: offered before a new one."""
        entry = self.catalog.get(framework_id)
        wanted = Listing(framework=entry.framework.id, role=role, subject=subject, status="draft")
        return list(reversed(self.listing(wanted)))

    def latest_draft(self) -> StoredAssessment:
        drafts = [s for s in self.store.iter() if s.assessment.status == "draft"]
        if not drafts:
            raise NotFoundError(
                "no assessment in progress; start one with 'peerjournal assess start'"
            )
        return max(drafts, key=lambda s: s.assessment.started)

    def apply_answers(
        self, stored: StoredAssessment, path: Path, *, review: PrivacyReview | None = None
    ) -> StoredAssessment:
        """Fill a draft from an answers file: item id -> a value, 'na', 'no-opportunity' or {...}.

        A value may also be 'skip', or a mapping {rating, note} whose rating is any of these.

        Its notes and goals pass the privacy ``review`` before anything is saved; a file
        cannot be edited from here, so the person may only keep or cancel.
        """
        doc = yamlio.load_file(path)
        data = doc.data
        goals_data: Any = []
        prefix: tuple[str, ...] = ()
        answers: Any = data
        if isinstance(data, dict) and isinstance(data.get("answers"), dict):
            goals_data = data.get("goals") or []
            answers, prefix = data["answers"], ("answers",)
        if not isinstance(answers, dict):
            raise RecordError("expected a mapping of item ids to answers", path=path, line=1)
        entry = self.framework_of(stored.assessment)
        items = {
            item.id.casefold(): (domain, item) for domain, item in self.items(stored.assessment)
        }
        problems: list[RecordError] = []
        assessment = stored.assessment.model_copy(deep=True)
        for key, value in answers.items():
            loc = (*prefix, key)
            found = items.get(str(key).casefold())
            if found is None:
                problems.append(problem(doc, loc, f"no item {key!r} in {entry.framework.id!r}"))
                continue
            try:
                response = _response_from(value, entry.scale)
            except ValueError as error:
                problems.append(problem(doc, loc, str(error)))
                continue
            domain, item = found
            assessment.responses[item.id] = response.model_copy(
                update={"domain": domain.id, "text": item.text}
            )
        goals = _goals_from(goals_data, doc, problems)
        if problems:
            raise RecordProblemsError(problems)
        if review is not None:
            assessment, goals = review.review(
                (assessment, goals), lambda pair: written_fields(*pair), put=written_with
            )
        for domain, item in self.items(assessment):
            assessment.responses.setdefault(
                item.id, Response(skipped=True, domain=domain.id, text=item.text)
            )
        assessment.position = len(self.items(assessment))
        saved = self._save(stored, assessment)
        return self.finish(saved, goals)

    # --- reading -------------------------------------------------------------------------

    def get(self, prefix: str) -> StoredAssessment:
        """An assessment by id prefix: this home's own, else one shared with it."""
        from peerjournal.errors import NotFoundError

        try:
            return self.store.find(prefix)
        except NotFoundError:
            wanted = prefix.strip()
            shared = [s for s in self._received() if s.assessment.id.startswith(wanted)]
            if wanted and len(shared) == 1:
                return shared[0]
            raise

    def _received(self) -> list[StoredAssessment]:
        """Completed assessments shared with this home (a worker's, or a supervisor's ratings)."""
        from peerjournal.services.home import maybe_settings
        from peerjournal.store.received import ReceivedRecords

        def owner() -> str:
            settings = maybe_settings(self.home)
            return settings.name if settings is not None else ""

        if self._shared is None:
            people = self.store.people_store()
            self._shared = ReceivedRecords(self.home, people, owner).assessments()
        return self._shared

    def listing(self, wanted: Listing | None = None) -> list[StoredAssessment]:
        """Assessments matching the listing, oldest first."""
        wanted = wanted or Listing()
        found = [
            stored
            for stored in [*self.store.iter(), *self._received()]
            if (wanted.framework is None or stored.assessment.framework.id == wanted.framework)
            and (wanted.role is None or stored.assessment.role == wanted.role)
            and (
                wanted.subject is None
                or stored.assessment.subject.casefold() == wanted.subject.casefold()
            )
            and (wanted.status is None or stored.assessment.status == wanted.status)
        ]
        return sorted(found, key=lambda s: s.assessment.started)

    @property
    def broken(self) -> list[RecordError]:
        return self.store.broken

    def linked_entries(self, framework_id: str, item_id: str) -> list[tuple[str, str]]:
        """Diary entries (id, title) linked to an item, newest first, to offer as evidence."""
        linked = self.diary.summaries(Filters(competency=f"{framework_id}/{item_id}"))
        return [(entry.id, entry.title) for entry in reversed(linked)]

    def evidence(self, assessment: Assessment) -> dict[str, list[tuple[str, str]]]:
        """The diary evidence of each item: (entry id, title), linked in the answer or the diary.

        The one rule every summary and report uses: an item has evidence when its answer names
        a diary entry, or a diary entry is linked to the item; "rated high with no evidence"
        and the report's evidence list are read from this same map, so they cannot disagree.
        """
        framework_id = assessment.framework.id
        found: dict[str, dict[str, str]] = {}
        for item_id, response in assessment.responses.items():
            for entry_id in response.evidence:
                found.setdefault(item_id, {})[entry_id] = self._title(entry_id)
        try:
            linked = self.diary.summaries(Filters(competency=framework_id))
        except NotFoundError:
            linked = []  # the framework no longer loads: only the answers' own links count
        items = {r.casefold(): r for r in assessment.responses}
        prefix = f"{framework_id}/".casefold()
        for entry in linked:
            for ref in entry.competencies:
                if ref.casefold().startswith(prefix):
                    item = ref.split("/", 1)[1]
                    key = items.get(item.casefold(), item)
                    found.setdefault(key, {}).setdefault(entry.id, entry.title)
        return {item: list(entries.items()) for item, entries in found.items()}

    def _title(self, entry_id: str) -> str:
        try:
            return self.diary.get(entry_id).entry.meta.title
        except PeerJournalError:
            return "(entry not found)"

    def delete(self, stored: StoredAssessment) -> Path:
        with home_lock(self.home.lock_file):
            return self.store.trash(stored)

    def keep_unsaved(self, text: str) -> Path:
        """Keep a note or goal the privacy check refused in a private recovery file."""
        return keep_unsaved(self.home, "assessment", text, self.clock())

    def _save(self, stored: StoredAssessment, assessment: Assessment) -> StoredAssessment:
        with home_lock(self.home.lock_file):
            return self.store.save(stored, assessment)


def edited_fields(goals: Sequence[Goal], notes: str) -> list[tuple[str, str]]:
    """The goals and notes `assess edit` stores, by field, for the privacy check."""
    fields = [(f"goal {n} on {goal.item}", goal.text) for n, goal in enumerate(goals, start=1)]
    return [*fields, ("notes", notes)]


def with_edited(pair: tuple[list[Goal], str], changes: Mapping[str, str]) -> tuple[list[Goal], str]:
    """Goals and notes with the fields (named as edited_fields names them) typed again."""
    goals, notes = pair
    again = [
        goal.model_copy(update={"text": changes.get(f"goal {n} on {goal.item}", goal.text)})
        for n, goal in enumerate(goals, start=1)
    ]
    return [goal for goal in again if goal.text.strip()], changes.get("notes", notes)


def written_fields(assessment: Assessment, goals: Sequence[Goal] = ()) -> list[tuple[str, str]]:
    """The text a person wrote in an assessment (notes and goals), for the privacy check."""
    fields = [(f"note on {item}", response.note) for item, response in assessment.responses.items()]
    return fields + [(f"goal on {goal.item}", goal.text) for goal in goals]


def written_with(
    pair: tuple[Assessment, list[Goal]], changes: Mapping[str, str]
) -> tuple[Assessment, list[Goal]]:
    """Notes and goals (named as written_fields names them) typed again; an empty goal goes."""
    assessment, goals = pair
    assessment = assessment.model_copy(deep=True)
    for item, response in assessment.responses.items():
        if f"note on {item}" in changes:
            note = changes[f"note on {item}"].strip()
            assessment.responses[item] = response.model_copy(update={"note": note})
    kept = [
        goal.model_copy(update={"text": changes.get(f"goal on {goal.item}", goal.text).strip()})
        for goal in goals
    ]
    return assessment, [goal for goal in kept if goal.text]


NOT_APPLICABLE_WORDS = ("n", "na", "n/a")
NO_OPPORTUNITY_WORDS = ("o", "no-opportunity", "no opportunity", "no opportunity yet")


def parse_rating(text: str, scale: Scale) -> Response | None:
    """A typed answer as a response: a scale value, 'n' or 'o'; None when it is none of them."""
    answer = text.strip().lower()
    if answer in NOT_APPLICABLE_WORDS:
        return Response(not_applicable=True)
    if answer in NO_OPPORTUNITY_WORDS:
        return Response(no_opportunity=True)
    if answer.lstrip("-").isdigit() and int(answer) in scale.values:
        return Response(rating=int(answer))
    return None


def _response_from(value: Any, scale: Scale) -> Response:  # noqa: ANN401 - raw YAML
    note = ""
    if isinstance(value, dict):
        unknown = set(value) - {"rating", "note"}
        if unknown:
            raise ValueError(f"unknown key {sorted(unknown)[0]!r}; use rating and note")
        note = str(value.get("note") or "")
        value = value.get("rating")
    word = value.strip().lower() if isinstance(value, str) else None
    if word in NOT_APPLICABLE_WORDS:
        return Response(not_applicable=True, note=note)
    if word in NO_OPPORTUNITY_WORDS:
        return Response(no_opportunity=True, note=note)
    if word in ("skip", "s"):
        return Response(skipped=True, note=note)
    if isinstance(value, bool) or not isinstance(value, int) or value not in scale.values:
        allowed = ", ".join(str(v) for v in scale.values)
        raise ValueError(
            f"must be one of {allowed}, 'na', 'no-opportunity' or 'skip' (scale {scale.id})"
        )
    return Response(rating=value, note=note)


def _goals_from(data: Any, doc: yamlio.YamlDocument, problems: list[RecordError]) -> list[Goal]:  # noqa: ANN401
    if not isinstance(data, list):
        problems.append(problem(doc, ("goals",), "must be a list of {item, text}"))
        return []
    goals = []
    for index, raw in enumerate(data):
        if not (
            isinstance(raw, dict)
            and isinstance(raw.get("item"), str)
            and isinstance(raw.get("text"), str)
        ):
            problems.append(problem(doc, ("goals", index), "a goal needs 'item' and 'text'"))
            continue
        goals.append(Goal(item=raw["item"], text=raw["text"]))
    return goals
