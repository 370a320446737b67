"""Progress toward a credential's supervision rules, with a completion date from recent pace.

The rules are data (``models.credential``): bundled files and the home's own
``credentials/*.yaml``, a home's file replacing a bundled one of the same id. Hours come from
the sessions the worker took part in (a group session counts once for each of its workers);
cancelled and missed sessions count nothing.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from peerjournal.errors import NotFoundError, RecordError
from peerjournal.models.credential import Credential, Rule
from peerjournal.models.supervision import SessionMeta
from peerjournal.services.dates import record_day
from peerjournal.services.framework_outline import Outline, suggest
from peerjournal.store.layout import DataHome

BUNDLED_PACKAGE = "peerjournal.credentials"
PACE_DAYS = 90  # the projection reads the pace of the last 90 days


@dataclass(frozen=True)
class RuleProgress:
    """How far one rule is: hours counted against hours needed (per domain for 'cover')."""

    rule: Rule
    minutes: int  # counted (after caps), toward this rule or this domain
    needed_minutes: int
    domain: str = ""  # a cover rule's domain; empty otherwise
    recent_minutes: int = 0  # of ``minutes``, those in the last PACE_DAYS days
    capped_minutes: int = 0  # hours held that a cap kept from counting

    @property
    def met(self) -> bool:
        return self.minutes >= self.needed_minutes

    @property
    def remaining_minutes(self) -> int:
        return max(0, self.needed_minutes - self.minutes)

    def projected(self, today: date) -> date | None:
        """The day the rule is met at the pace of the last 90 days; None without a pace."""
        if self.met:
            return None
        if self.recent_minutes <= 0:
            return None
        per_day = self.recent_minutes / PACE_DAYS
        return today + timedelta(days=math.ceil(self.remaining_minutes / per_day))


@dataclass(frozen=True)
class CredentialProgress:
    """A worker's standing against every rule of a credential."""

    credential: Credential
    worker: str
    today: date
    rules: tuple[RuleProgress, ...]
    by_domain: tuple[tuple[str, int], ...]  # minutes per domain of the framework, shown
    supervisors: tuple[str, ...]  # who supervised the counted sessions: to check by hand
    sessions: int  # sessions that counted toward at least one rule

    @property
    def met(self) -> bool:
        return all(progress.met for progress in self.rules)

    @property
    def projected(self) -> date | None:
        """When every rule is met at the recent pace: the latest rule's date.

        None when all are met, or when a rule still open has had no hours in 90 days.
        """
        open_rules = [progress for progress in self.rules if not progress.met]
        if not open_rules:
            return None
        days = [progress.projected(self.today) for progress in open_rules]
        if any(day is None for day in days):
            return None
        return max(day for day in days if day is not None)

    @property
    def stalled(self) -> tuple[RuleProgress, ...]:
        """Rules still open with no hours in the last 90 days: no date can be projected."""
        return tuple(p for p in self.rules if not p.met and p.recent_minutes <= 0)


class Credentials:
    """The credentials a home can track: bundled ones and its own."""

    def __init__(self, home: DataHome, *, outline: Callable[[], Outline]) -> None:
        self.home = home
        self._outline = outline
        self._loaded: dict[str, Credential] | None = None
        self.problems: list[RecordError] = []

    def all(self) -> dict[str, Credential]:
        """Every credential by id; a broken file is a problem, never a crash."""
        if self._loaded is None:
            from peerjournal.store import yamlio
            from peerjournal.store.validate import parse_model

            self.problems = []
            found: dict[str, Credential] = {}
            own = credential_files(self.home.credentials_dir)
            for path in [*credential_files(bundled_dir()), *own]:
                try:
                    credential = parse_model(yamlio.load_file(path), Credential, what="credential")
                    self._check_domains(credential, path)
                except RecordError as problem:
                    self.problems.append(problem)
                    continue
                found[credential.id] = credential  # the home's own file wins over a bundled one
            self._loaded = found
        return self._loaded

    def get(self, credential_id: str) -> Credential:
        known = self.all()
        wanted = credential_id.strip().lower()
        if wanted in known:
            return known[wanted]
        for problem in self.problems:  # a broken file of that name says why, not "no such"
            if problem.path is not None and Path(problem.path).stem == wanted:
                raise problem
        names = ", ".join(sorted(known)) or "none"
        raise NotFoundError(
            f"no credential {credential_id.strip()!r}{suggest(wanted, known)} (known: {names})"
        )

    def _check_domains(self, credential: Credential, path: Path) -> None:
        """The domains a rule names must be domains of the credential's framework."""
        if credential.framework is None:
            return
        try:
            framework = self._outline().get(credential.framework)
        except NotFoundError as missing:
            raise RecordError(f"{missing.message}", path=path, field="framework") from None
        known = {domain.id.casefold() for domain in framework.domains}
        for rule in credential.rules:
            if isinstance(rule.domains, tuple):
                for code in rule.domains:
                    if code.casefold() not in known:
                        raise RecordError(
                            f"rule {rule.id!r}: framework {framework.id!r} has no domain {code!r}",
                            path=path,
                            field="domains",
                        )

    def progress(
        self, credential: Credential, worker: str, sessions: Sequence[SessionMeta], today: date
    ) -> CredentialProgress:
        """Where ``worker`` stands, from their sessions (as they concern them) up to today."""
        held = [s for s in sessions if s.held and record_day(s.date) <= today]
        domains_of = self._domains_of(credential)
        recent_from = today - timedelta(days=PACE_DAYS)

        def matches(meta: SessionMeta, rule: Rule) -> bool:
            if rule.types and meta.type not in rule.types:
                return False
            if rule.forms and meta.form not in rule.forms:
                return False
            if rule.domains is None:
                return True
            tagged = domains_of(meta)
            if rule.domains == "any":
                return bool(tagged)
            return bool(tagged & {code.casefold() for code in rule.domains})

        def recent(meta: SessionMeta) -> bool:
            return record_day(meta.date) > recent_from

        results: list[RuleProgress] = []
        counted: set[str] = set()
        caps = [rule for rule in credential.rules if rule.kind == "cap"]
        for rule in credential.rules:
            if rule.kind == "hours":
                mine = [s for s in held if matches(s, rule)]
                total = sum(s.minutes for s in mine)
                near = sum(s.minutes for s in mine if recent(s))
                kept_out = 0
                for cap in (c for c in caps if c.of == rule.id):
                    limited = [s for s in mine if matches(s, cap)]
                    allowed = round((cap.share or 0) * (rule.hours or 0) * 60)
                    over = max(0, sum(s.minutes for s in limited) - allowed)
                    kept_out += over
                    if over:  # the recent pace is of hours that still count
                        near = max(0, near - sum(s.minutes for s in limited if recent(s)))
                counted |= {s.id for s in mine}
                results.append(
                    RuleProgress(
                        rule, total - kept_out, round((rule.hours or 0) * 60),
                        recent_minutes=near, capped_minutes=kept_out,
                    )
                )  # fmt: skip
            elif rule.kind == "cover" and isinstance(rule.domains, tuple):
                for code in rule.domains:
                    mine = [s for s in held if code.casefold() in domains_of(s)]
                    counted |= {s.id for s in mine}
                    results.append(
                        RuleProgress(
                            rule, sum(s.minutes for s in mine), round((rule.hours or 0) * 60),
                            domain=code, recent_minutes=sum(s.minutes for s in mine if recent(s)),
                        )
                    )  # fmt: skip
        by_domain = self._by_domain(credential, held, domains_of)
        supervisors = sorted(
            {s.supervisor for s in held if s.id in counted and s.supervisor}, key=str.casefold
        )
        return CredentialProgress(
            credential, worker, today, tuple(results), by_domain, tuple(supervisors), len(counted)
        )

    def _domains_of(self, credential: Credential) -> Callable[[SessionMeta], set[str]]:
        """Which of the credential framework's domains a session covered (an item: its domain)."""
        if credential.framework is None:
            return lambda _meta: set()
        framework = self._outline().get(credential.framework)
        prefix = f"{framework.id}/".casefold()
        domain_of: dict[str, str] = {}
        for domain in framework.domains:
            domain_of[domain.id.casefold()] = domain.id.casefold()
            for item in domain.items:
                domain_of.setdefault(item.id.casefold(), domain.id.casefold())

        def covered(meta: SessionMeta) -> set[str]:
            found = set()
            for ref in meta.domains:
                folded = ref.casefold()
                if folded.startswith(prefix) and folded[len(prefix) :] in domain_of:
                    found.add(domain_of[folded[len(prefix) :]])
            return found

        return covered

    def _by_domain(
        self,
        credential: Credential,
        held: Sequence[SessionMeta],
        domains_of: Callable[[SessionMeta], set[str]],
    ) -> tuple[tuple[str, int], ...]:
        if credential.framework is None:
            return ()
        framework = self._outline().get(credential.framework)
        return tuple(
            (domain.id, sum(s.minutes for s in held if domain.id.casefold() in domains_of(s)))
            for domain in framework.domains
        )


def bundled_dir() -> Path:
    """The folder of credential files shipped inside the package."""
    from importlib import import_module

    package_file = import_module(BUNDLED_PACKAGE).__file__
    if package_file is None:
        return Path("/nonexistent")  # not installed with its files: only the home's own count
    return Path(package_file).parent


def credential_files(folder: Path) -> list[Path]:
    """The credential YAML files of a folder, sorted."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix in (".yaml", ".yml") and not path.name.startswith(".")
    )
