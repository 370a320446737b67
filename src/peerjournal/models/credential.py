"""A credential's supervision rules as data: one YAML file per credential.

A certification board states how many hours of supervision a candidate needs, which of them
count (specific to its domains, of some types or forms), limits on some kinds (group hours
capped at a share), the domains that must each be covered and who may supervise. Strict like
frameworks: a typo in a hand-written file is an error with its line.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from peerjournal.models.common import Code, FrameworkId, Text
from peerjournal.models.supervision import SupervisionForm, SupervisionType

CREDENTIAL_SCHEMA = 1
RuleKind = Literal["hours", "cap", "cover"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CredentialSource(_Strict):
    """Where the rules come from; boards change them, so the year and a link matter."""

    publisher: Text
    title: Text
    year: int | None = None  # None where the page gives no date
    url: Text
    note: str = ""


class Rule(_Strict):
    """One rule a candidate's supervision must meet.

    ``hours``: at least ``hours`` of the sessions that match. ``cap``: of the hours counted
    for rule ``of``, the matching sessions count for at most ``share`` of that rule's hours.
    ``cover``: each domain in ``domains`` needs at least ``hours`` of its own.
    A session matches when its type and form are among ``types`` and ``forms`` (any, when
    empty) and, with ``domains``, it was tagged with one of them ("any": any domain of the
    credential's framework).
    """

    id: Code
    title: Text
    kind: RuleKind = "hours"
    hours: float | None = Field(default=None, gt=0, le=10_000)
    share: float | None = Field(default=None, gt=0, le=1)
    of: Code | None = None
    domains: tuple[Code, ...] | Literal["any"] | None = None
    types: tuple[SupervisionType, ...] = ()
    forms: tuple[SupervisionForm, ...] = ()
    note: str = ""

    @model_validator(mode="after")
    def _complete(self) -> "Rule":
        if self.kind in ("hours", "cover") and self.hours is None:
            raise ValueError(f"a {self.kind} rule needs 'hours'")
        if self.kind == "cap" and (self.share is None or self.of is None):
            raise ValueError("a cap rule needs 'share' and 'of' (the hours rule it limits)")
        if self.kind == "cover" and not isinstance(self.domains, tuple):
            raise ValueError("a cover rule needs 'domains': the list that must each be covered")
        return self


class Requirement(_Strict):
    """A requirement peerjournal does not track (an exam, training hours), listed so it is seen."""

    title: Text
    detail: str = ""


class Credential(_Strict):
    """A whole credential file."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal[1] = Field(alias="schema")
    id: FrameworkId
    title: Text
    framework: FrameworkId | None = None  # whose domains "specific to the domains" means
    description: str = ""
    source: CredentialSource
    supervisor: Text  # the supervisor's required qualification, as the board states it
    rules: tuple[Rule, ...] = Field(min_length=1)
    requirements: tuple[Requirement, ...] = ()

    @model_validator(mode="after")
    def _rules_agree(self) -> "Credential":
        ids = [rule.id for rule in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError("two rules have the same id")
        hours = {rule.id for rule in self.rules if rule.kind == "hours"}
        for rule in self.rules:
            if rule.kind == "cap" and rule.of not in hours:
                raise ValueError(f"rule {rule.id!r} caps {rule.of!r}, which is no hours rule")
            if rule.domains is not None and self.framework is None:
                raise ValueError(f"rule {rule.id!r} names domains but the file has no framework")
        return self
