"""Supervision agreements: one per worker and type, the rules every command applies to them.

A worker may hold several agreements at once (professional, cultural, line management, ...),
each its own file; saving replaces only the agreement of the same worker and type. Each party
(worker, supervisor, any line manager) acknowledges the words as they are; a change to any term
afterwards clears the acknowledgements, since they agreed to other words.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from peerjournal.clock import Clock
from peerjournal.errors import InputError, NotFoundError
from peerjournal.models.agreement import (
    AGREEMENT_SCHEMA,
    LIVED_EXPERIENCE,
    NOT_TERMS,
    Acknowledgement,
    Agreement,
    upgraded_fields,
)
from peerjournal.models.supervision import MODES, SUPERVISION_FORMS, SUPERVISION_TYPES
from peerjournal.store.agreements import AgreementStore, StoredAgreement
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.people import normal
from peerjournal.store.recovery import keep_unsaved

if TYPE_CHECKING:
    from peerjournal.services.people import People

__all__ = [
    "Acknowledged",
    "AgreementSource",
    "Agreements",
    "SavedAgreement",
    "StoredAgreement",
    "agreement_fields",
    "agreement_json",
    "agreement_with",
    "awaiting",
    "check_type",
    "none_yet",
    "notices",
    "terms",
    "typed_text",
    "upgrade_agreement",
]

PEER_LINE_MANAGEMENT = (
    "Te Pou advises that peer workers be line managed by peer workers; "
    "{who} is recorded as having no lived experience of peer work."
)
REVIEW_PASSED = "The review date has passed: time to review this agreement."


class AgreementSource(Protocol):
    """What agreements need of the supervision service: its files, clock and people."""

    home: DataHome
    clock: Clock
    agreements_store: AgreementStore
    people: "People"

    def _all_agreements(self) -> list[StoredAgreement]: ...
    def _forget(self) -> None: ...
    def resolve_supervisor(self, name: str) -> str: ...


@dataclass(frozen=True)
class SavedAgreement:
    """What a save did: the file, and whose acknowledgements the change of words cleared."""

    path: Path
    agreement: Agreement
    created: bool
    cleared: tuple[str, ...] = ()


@dataclass(frozen=True)
class Acknowledged:
    """What an acknowledgement did: the agreement now, and an earlier one by the same person."""

    stored: StoredAgreement
    earlier: Acknowledgement | None  # already acknowledged (these words): nothing was written


def _type_order(stored: StoredAgreement) -> int:
    return SUPERVISION_TYPES.index(stored.agreement.type)


class Agreements:
    """The agreements of one home, read through the supervision service that holds the files."""

    def __init__(self, supervision: AgreementSource) -> None:
        self.supervision = supervision

    # --- reading ---------------------------------------------------------------------------

    def of_worker(self, worker: str) -> list[StoredAgreement]:
        """The worker's agreements, in the order of the types."""
        found = [
            a
            for a in self.supervision._all_agreements()
            if a.agreement.worker.casefold() == worker.casefold()
        ]
        return sorted(found, key=_type_order)

    def agreement(self, worker: str, kind: str | None = None) -> StoredAgreement | None:
        """The worker's agreement of that type; without a type, the one whose review comes first."""
        found = self.of_worker(worker)
        if kind is not None:
            return next((a for a in found if a.agreement.type == kind), None)
        return min(found, key=lambda a: a.agreement.review_date) if found else None

    def agreements(self) -> list[StoredAgreement]:
        """Every agreement, by worker, then by type."""
        return sorted(
            self.supervision._all_agreements(),
            key=lambda a: (a.agreement.worker.casefold(), _type_order(a)),
        )

    def chosen(self, worker: str, kind: str | None) -> StoredAgreement | None:
        """The one agreement a command about this worker means; several need a type."""
        if kind is not None:
            return self.agreement(worker, kind)
        found = self.of_worker(worker)
        if len(found) > 1:
            types = ", ".join(a.agreement.type for a in found)
            raise InputError(
                f"{worker} has {len(found)} supervision agreements ({types}); say which with --type"
            )
        return found[0] if found else None

    # --- checking --------------------------------------------------------------------------

    def build(self, data: Mapping[str, object]) -> Agreement:
        """An agreement from options and answers, each choice and date checked with one line."""
        for key, option, choices in _CHOICES:
            value = data.get(key)
            if value is not None and value not in choices:
                raise InputError(f"{option} must be one of: {', '.join(choices)}")
        if data.get("review_date") is None:
            raise InputError("the agreement needs a review date (--review)")
        from pydantic import ValidationError

        try:
            return Agreement.model_validate(dict(data))
        except ValidationError as error:  # name the fields, never quote what was typed
            fields = sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]})
            raise InputError(f"the agreement is not valid ({', '.join(fields)})") from None

    def review_date_problem(self, review: date, start: date | None = None) -> str | None:
        """Why an agreement's review date cannot be saved, if it cannot (asked again if so)."""
        if review <= self.supervision.clock().date():
            return "the review date must be in the future"
        if start is not None and start >= review:
            return f"the review date must come after the start date ({start})"
        return None

    def name_problem(self, name: str) -> str | None:
        """Why a typed supervisor's or line manager's name would be refused, if it would.

        A name nobody is close to is fine (the person is added when the agreement is saved);
        a near miss or an ambiguous start of a name is not.
        """
        from peerjournal.services.people import match_name

        if not name.strip():
            return None
        known = [*self.supervision.people.names()]
        for stored in self.supervision._all_agreements():
            known += [stored.agreement.supervisor, stored.agreement.line_manager]
        try:
            match_name(name, known)
        except NotFoundError as missing:
            return str(missing) if "did you mean" in str(missing) else None
        except InputError as ambiguous:
            return str(ambiguous)
        return None

    # --- writing ---------------------------------------------------------------------------

    def save_agreement(self, agreement: Agreement, notes: str = "") -> SavedAgreement:
        """Create the agreement, or replace the one with the same worker and type.

        The review date must lie ahead and after the start. A change to any term clears the
        parties' acknowledgements; saving the same words keeps them.
        """
        problem = self.review_date_problem(agreement.review_date, agreement.start_date)
        if problem:
            raise InputError(problem)
        agreement.supervisor = self.supervision.resolve_supervisor(agreement.supervisor)
        if agreement.line_manager:
            agreement.line_manager = self.supervision.resolve_supervisor(agreement.line_manager)
        now = self.supervision.clock()
        with home_lock(self.supervision.home.lock_file):
            self.supervision._forget()
            existing = self.agreement(agreement.worker, agreement.type)
            store = self.supervision.agreements_store
            if existing is None:
                agreement.id = f"agreement-{secrets.token_hex(3)}"
                agreement.created, agreement.acknowledged = now, []
                path = store.create(agreement, notes)
                self.supervision._forget()
                return SavedAgreement(path, agreement, created=True)
            cleared: tuple[str, ...] = ()
            if terms(agreement) != terms(existing.agreement):
                cleared = tuple(ack.by for ack in existing.agreement.acknowledged)
                agreement.acknowledged = []
            else:
                agreement.acknowledged = list(existing.agreement.acknowledged)
            agreement.id = existing.agreement.id
            agreement.created = existing.agreement.created
            agreement.updated = now
            path = store.update(existing, agreement, notes or existing.notes)
            self.supervision._forget()
            return SavedAgreement(path, agreement, created=False, cleared=cleared)

    def acknowledge(self, worker: str, kind: str | None, who: str) -> Acknowledged:
        """Record that ``who`` (the home's user) agrees to the agreement as it reads now.

        Only a party (its worker, supervisor or line manager) can acknowledge an agreement.
        """
        with home_lock(self.supervision.home.lock_file):
            self.supervision._forget()
            stored = self.chosen(worker, kind)
            if stored is None:
                raise NotFoundError(_none_yet(worker, kind))
            agreement = stored.agreement
            parties = agreement.parties()
            party = next((name for _, name in parties if normal(name) == normal(who)), None)
            if party is None:
                names = ", ".join(f"{role} {name}" for role, name in parties)
                raise InputError(
                    f"only a party to the agreement can acknowledge it ({names}); "
                    f"this home is {who}'s"
                )
            earlier = next(
                (a for a in agreement.acknowledged if normal(a.by) == normal(party)), None
            )
            if earlier is not None:
                return Acknowledged(stored, earlier)
            mark = Acknowledgement(by=party, at=self.supervision.clock())
            changed = agreement.model_copy(update={"acknowledged": [*agreement.acknowledged, mark]})
            path = self.supervision.agreements_store.update(stored, changed, stored.notes)
            self.supervision._forget()
            return Acknowledged(StoredAgreement(changed, stored.notes, path, ""), None)

    def keep_unsaved(self, text: str) -> Path:
        """Keep answers that could not be saved in a private recovery file."""
        return keep_unsaved(self.supervision.home, "agreement", text, self.supervision.clock())


_CHOICES: tuple[tuple[str, str, Sequence[str]], ...] = (
    ("type", "--type", SUPERVISION_TYPES),
    ("form", "--form", SUPERVISION_FORMS),
    ("mode", "--mode", MODES),
    ("supervisor_lived_experience", "--supervisor-lived-experience", LIVED_EXPERIENCE),
    ("line_manager_lived_experience", "--line-manager-lived-experience", LIVED_EXPERIENCE),
)


def check_type(kind: str) -> None:
    """Refuse a --type that is not one of the supervision types, with one line."""
    if kind not in SUPERVISION_TYPES:
        raise InputError(f"--type must be one of: {', '.join(SUPERVISION_TYPES)}")


def _none_yet(worker: str, kind: str | None) -> str:
    of = f" of type {kind}" if kind else ""
    return (
        f"no supervision agreement{of} with {worker} yet; make one with: "
        "peerjournal supervision agreement --worker NAME"
    )


def none_yet(worker: str, kind: str | None) -> NotFoundError:
    """The error for showing an agreement that does not exist (e.g. with --json)."""
    return NotFoundError(_none_yet(worker, kind))


def terms(agreement: Agreement) -> dict[str, object]:
    """What the agreement says (everything but its id, dates of writing and acknowledgements)."""
    return agreement.model_dump(exclude=set(NOT_TERMS))


def awaiting(agreement: Agreement) -> list[tuple[str, str]]:
    """(role, name) of each party who has not acknowledged the agreement as it reads now."""
    done = {normal(ack.by) for ack in agreement.acknowledged}
    return [(role, name) for role, name in agreement.parties() if normal(name) not in done]


def notices(agreement: Agreement, today: date) -> list[str]:
    """What showing the agreement points out: a passed review, Te Pou's line-management advice.

    Te Pou advises that peer workers be line managed by peer workers: when the line manager
    (or the supervisor of a line-management agreement) is known to have no lived experience of
    peer work, that is noted. A note, never an error.
    """
    found = [REVIEW_PASSED] if agreement.review_date < today else []
    if agreement.line_manager and agreement.line_manager_lived_experience == "no":
        found.append(
            PEER_LINE_MANAGEMENT.format(who=f"the line manager, {agreement.line_manager},")
        )
    elif agreement.type == "line-management" and agreement.supervisor_lived_experience == "no":
        found.append(PEER_LINE_MANAGEMENT.format(who=f"the line manager, {agreement.supervisor},"))
    return found


def upgrade_agreement(data: dict[str, object]) -> dict[str, object]:
    """An agreement's front matter in today's schema (pure: old dict in, new dict out).

    The old types ``group`` and ``peer`` become type ``professional`` with that form; every
    field added since reads as its default. A record that holds person ids (schema 2) is then
    at schema 3; one that still holds names (schema 1) keeps its number, so the step that
    turns names into ids still runs. Applying it to a current record changes nothing.
    """
    upgraded = upgraded_fields(data)
    schema = upgraded.get("schema", 1)
    if isinstance(schema, int) and not isinstance(schema, bool) and schema >= 2:
        upgraded["schema"] = max(schema, AGREEMENT_SCHEMA)
    return upgraded


# --- the text a person wrote, for the privacy check and for keeping it ------------------------

# (name as the privacy check names it, attribute), in the order they are asked
TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("purpose", "purpose"),
    ("roles and responsibilities", "roles"),
    ("frequency", "frequency"),
    ("place", "place"),
    ("what the worker brings", "worker_brings"),
    ("confidentiality", "confidentiality"),
    ("limits of confidentiality", "confidentiality_limits"),
    ("how notes are kept", "notes_kept"),
    ("contact between sessions", "between_sessions"),
    ("cancellations", "cancellations"),
    ("cover", "cover"),
    ("disagreements", "disagreements"),
)


def agreement_fields(agreement: Agreement) -> list[tuple[str, str]]:
    """The text a person wrote in an agreement, by field, for the privacy check."""
    fields = [(f"goal {n}", goal) for n, goal in enumerate(agreement.goals, start=1)]
    return [*fields, *((name, str(getattr(agreement, attr))) for name, attr in TEXT_FIELDS)]


def agreement_with(agreement: Agreement, changes: Mapping[str, str]) -> Agreement:
    """A copy of the agreement with fields (named as agreement_fields names them) typed again."""
    goals = [
        changes.get(f"goal {n}", goal).strip() for n, goal in enumerate(agreement.goals, start=1)
    ]
    update: dict[str, object] = {"goals": [goal for goal in goals if goal]}
    for name, attribute in TEXT_FIELDS:
        if name in changes:
            update[attribute] = changes[name].strip()
    return agreement.model_copy(update=update)


def typed_text(answers: Mapping[str, object]) -> str:
    """Answers typed so far as readable lines ('field: answer'), kept when they cannot be saved."""
    lines = []
    for key, value in answers.items():
        if isinstance(value, list):
            value = "; ".join(str(item) for item in value)
        if value is not None and str(value).strip():
            lines.append(f"{key.replace('_', ' ')}: {value}")
    return "".join(f"{line}\n" for line in lines)


# --- for scripts -------------------------------------------------------------------------------


def agreement_json(stored: StoredAgreement, today: date) -> dict[str, object]:
    """One agreement for ``--json``: stable keys, dates in ISO form, people by display name.

    Its terms are what an agreement is, so they are all here; free notes below the front
    matter are left out, as every supervision ``--json`` leaves typed notes out.
    """
    a = stored.agreement
    return {
        "id": a.id,
        "worker": a.worker,
        "supervisor": a.supervisor,
        "line_manager": a.line_manager or None,
        "type": a.type,
        "form": a.form,
        "purpose": a.purpose,
        "goals": list(a.goals),
        "roles": a.roles,
        "frequency": a.frequency,
        "minutes": a.minutes,
        "mode": a.mode,
        "place": a.place,
        "worker_brings": a.worker_brings,
        "confidentiality": a.confidentiality,
        "confidentiality_limits": a.confidentiality_limits,
        "notes_kept": a.notes_kept,
        "between_sessions": a.between_sessions,
        "cancellations": a.cancellations,
        "cover": a.cover,
        "disagreements": a.disagreements,
        "supervisor_lived_experience": a.supervisor_lived_experience,
        "line_manager_lived_experience": a.line_manager_lived_experience,
        "start_date": a.start_date.isoformat() if a.start_date else None,
        "review_date": a.review_date.isoformat(),
        "review_passed": a.review_date < today,
        "acknowledged": [{"by": ack.by, "at": ack.at.isoformat()} for ack in a.acknowledged],
        "awaiting_acknowledgement": [{"role": role, "name": name} for role, name in awaiting(a)],
        "notices": notices(a, today),
        "created": a.created.isoformat() if a.created else None,
        "updated": a.updated.isoformat() if a.updated else None,
    }
