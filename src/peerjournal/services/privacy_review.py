"""The privacy rule for every write: find identifying details, then let the person decide.

Every command that stores text a person typed or imported passes the record through one
``PrivacyReview`` before saving it, so the rule cannot differ between ``diary add`` and ``diary
edit``, a supervision note or an assessment goal. The review is driven through a ``Reviewer``
(the command line implements it with its prompter): it is shown where each finding is and what
kind it is, never the words, because the words are the identifying detail.

The rule: no finding, the record is saved. In strict mode (``--strict``, or ``privacy: {strict:
true}`` in settings.yaml) a finding refuses the save. Otherwise the person edits, keeps or
cancels; when nobody can be asked (piped text), a finding refuses too, since saving what nobody
saw would defeat the check. Editing is always on offer where a person can answer: a record without
an editor flow is changed by typing each flagged field again (``put`` puts the answers back), and
keeping a finding is never the default. Changes are judged by what they add: details a record
already had are not asked about again, so fixing a typo in an entry that kept a date does not nag.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from peerjournal.errors import PrivacyRefusedError, ReviewCancelledError
from peerjournal.models.settings import Settings
from peerjournal.services import privacy

__all__ = [
    "UNATTENDED",
    "Decision",
    "FieldFinding",
    "Fields",
    "PrivacyCheck",
    "PrivacyReview",
    "Retype",
    "Reviewer",
    "describe_all",
]

Decision = Literal["edit", "keep", "cancel"]
Fields = Iterable[tuple[str, str]]  # (where, as a person would name it; the text found there)
T = TypeVar("T")

SETTINGS_STRICT = "privacy.strict in settings.yaml"
UNATTENDED = "review it on a terminal, or use the allow list"


@dataclass(frozen=True)
class FieldFinding:
    """An identifying detail found in one field of a record."""

    field: str  # "title", "text", a section heading, "wellbeing", "note on w.1", ...
    finding: privacy.Finding

    def describe(self) -> str:
        """Where and what, never the matched words."""
        spot = self.finding
        return f"{self.field}, line {spot.line}, column {spot.column}: {spot.label}"


def describe_all(findings: Sequence[FieldFinding]) -> str:
    """Every finding of a record on one line, for a refusal or an import report."""
    return "; ".join(found.describe() for found in findings)


Retype = Callable[[str], str]  # a field's name -> its text typed again by the person


class Reviewer(Protocol):
    """Shows the findings (never the words) and asks the person what to do."""

    def __call__(self, findings: Sequence[FieldFinding], *, can_edit: bool) -> Decision: ...


@dataclass(frozen=True)
class PrivacyCheck:
    """What to look for, and whether a finding refuses the save (and who said so)."""

    watch_names: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    strict_because: str | None = None  # "--strict" or the settings key; None when not strict

    @classmethod
    def of(cls, settings: Settings | None, *, strict: bool = False) -> "PrivacyCheck":
        """The home's word lists; strict when asked for now or set as the home's default."""
        if settings is None:
            return cls(strict_because="--strict" if strict else None)
        because = "--strict" if strict else SETTINGS_STRICT if settings.privacy.strict else None
        return cls(
            watch_names=tuple(settings.privacy.watch_names),
            allow=tuple(settings.privacy.allow),
            strict_because=because,
        )

    @property
    def strict(self) -> bool:
        return self.strict_because is not None

    def findings(self, fields: Fields, *, before: Fields = ()) -> list[FieldFinding]:
        """Identifying details in ``fields``, less those ``before`` already had (any field)."""
        had = Counter(key for _, key in self._found(before))
        new = []
        for found, key in self._found(fields):
            if had[key]:
                had[key] -= 1  # moved or untouched: the person has seen it before
            else:
                new.append(found)
        return new

    def _found(self, fields: Fields) -> list[tuple[FieldFinding, tuple[str, str]]]:
        """Findings with a key to compare them by (kind and words, never shown anywhere)."""
        return [
            (FieldFinding(name, spot), (spot.kind, text[spot.start : spot.end].casefold()))
            for name, text in fields
            if text
            for spot in privacy.scan(text, watch_names=self.watch_names, allow=self.allow)
        ]


@dataclass(frozen=True)
class PrivacyReview:
    """The privacy rule applied to one record: clean, refused, kept, cancelled or edited."""

    check: PrivacyCheck
    reviewer: Reviewer | None = None  # None when nobody can be asked (piped text, an import)
    retype: Retype | None = None  # asks for one field again, where there is no editor

    def review(
        self,
        record: T,
        fields: Callable[[T], Fields],
        *,
        redo: Callable[[T, list[FieldFinding]], T] | None = None,
        put: Callable[[T, Mapping[str, str]], T] | None = None,
        before: Fields = (),
    ) -> T:
        """The record to save: clean, kept after review, or edited until it is clean.

        ``redo`` lets the person change the record (their editor, or the questions again);
        without it, ``put`` and the reviewer's ``retype`` ask again for each flagged field.
        With neither they may only keep or cancel. Raises PrivacyRefusedError in strict mode or when
        nobody can be asked, and ReviewCancelledError when the person cancels; the caller keeps
        what was typed.
        """
        had = list(before)
        if redo is None and put is not None and self.retype is not None:
            redo = self._retyping(put, self.retype)
        while findings := self.check.findings(fields(record), before=had):
            if self.check.strict_because is not None or self.reviewer is None:
                raise refusal(findings, self.check.strict_because or UNATTENDED)
            decision = self.reviewer(findings, can_edit=redo is not None)
            if decision == "keep":
                return record
            if decision == "cancel" or redo is None:
                raise ReviewCancelledError("cancelled; nothing was saved")
            record = redo(record, findings)
        return record

    def unattended(self) -> "PrivacyReview":
        """The same rule where nobody can answer (text arrived on standard input)."""
        return PrivacyReview(self.check, None)

    @staticmethod
    def _retyping(
        put: Callable[[T, Mapping[str, str]], T], retype: Retype
    ) -> Callable[[T, list[FieldFinding]], T]:
        """Ask once for each flagged field, in the order found, and put the answers back."""

        def redo(record: T, findings: list[FieldFinding]) -> T:
            flagged = dict.fromkeys(found.field for found in findings)
            return put(record, {field: retype(field) for field in flagged})

        return redo


def refusal(findings: Sequence[FieldFinding], why: str) -> PrivacyRefusedError:
    """One line: how many, where and what kind, and that nothing was saved."""
    return PrivacyRefusedError(
        f"the privacy check found {len(findings)} possible identifying detail(s): "
        f"{describe_all(findings)}; nothing was saved ({why})"
    )
