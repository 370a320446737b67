"""Supervision agreements: one per worker and type, the rules every command applies to them."""

import secrets
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Protocol

from peerjournal.clock import Clock
from peerjournal.errors import InputError
from peerjournal.models.agreement import Agreement
from peerjournal.store.agreements import AgreementStore, StoredAgreement
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock


class AgreementSource(Protocol):
    """What agreements need of the supervision service: its files, clock and people."""

    home: DataHome
    clock: Clock
    agreements_store: AgreementStore

    def _all_agreements(self) -> list[StoredAgreement]: ...
    def _forget(self) -> None: ...
    def resolve_supervisor(self, name: str) -> str: ...


class Agreements:
    """The agreements of one home, read through the supervision service that holds the files."""

    def __init__(self, supervision: AgreementSource) -> None:
        self.supervision = supervision

    def agreement(self, worker: str) -> StoredAgreement | None:
        found = [
            a
            for a in self.supervision._all_agreements()
            if a.agreement.worker.casefold() == worker.casefold()
        ]
        return max(found, key=lambda a: a.agreement.review_date) if found else None

    def agreements(self) -> list[StoredAgreement]:
        return sorted(
            self.supervision._all_agreements(), key=lambda a: a.agreement.worker.casefold()
        )

    def save_agreement(self, agreement: Agreement, notes: str = "") -> Path:
        """Create or replace the agreement with this worker; the review date must lie ahead."""
        if agreement.review_date <= self.supervision.clock().date():
            raise InputError("the review date must be in the future")
        agreement.supervisor = self.supervision.resolve_supervisor(agreement.supervisor)
        now = self.supervision.clock()
        with home_lock(self.supervision.home.lock_file):
            self.supervision._forget()
            existing = self.agreement(agreement.worker)
            if existing is None:
                agreement.id = f"agreement-{secrets.token_hex(3)}"
                agreement.created = now
                path = self.supervision.agreements_store.create(agreement, notes)
                self.supervision._forget()
                return path
            agreement.id = existing.agreement.id
            agreement.created = existing.agreement.created
            agreement.updated = now
            path = self.supervision.agreements_store.update(
                existing, agreement, notes or existing.notes
            )
            self.supervision._forget()
            return path

    def review_date_problem(self, review: date) -> str | None:
        """Why an agreement's review date cannot be saved, if it cannot (asked again if so)."""
        if review <= self.supervision.clock().date():
            return "the review date must be in the future"
        return None


def agreement_fields(agreement: Agreement) -> list[tuple[str, str]]:
    """The text a person wrote in an agreement, by field, for the privacy check."""
    fields = [(f"goal {n}", goal) for n, goal in enumerate(agreement.goals, start=1)]
    return [
        *fields,
        ("frequency", agreement.frequency),
        ("what the worker brings", agreement.worker_brings),
        ("confidentiality", agreement.confidentiality),
        ("limits of confidentiality", agreement.confidentiality_limits),
        ("how notes are kept", agreement.notes_kept),
    ]


_AGREEMENT_FIELDS = {
    "frequency": "frequency",
    "what the worker brings": "worker_brings",
    "confidentiality": "confidentiality",
    "limits of confidentiality": "confidentiality_limits",
    "how notes are kept": "notes_kept",
}


def agreement_with(agreement: Agreement, changes: Mapping[str, str]) -> Agreement:
    """A copy of the agreement with fields (named as agreement_fields names them) typed again."""
    goals = [
        changes.get(f"goal {n}", goal).strip() for n, goal in enumerate(agreement.goals, start=1)
    ]
    update: dict[str, object] = {"goals": [goal for goal in goals if goal]}
    for name, attribute in _AGREEMENT_FIELDS.items():
        if name in changes:
            update[attribute] = changes[name].strip()
    return agreement.model_copy(update=update)
