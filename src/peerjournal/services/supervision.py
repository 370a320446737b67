"""Supervision: sessions, action items followed from session to session, hours, agreements.

A supervisor keeps several workers apart by the ``worker`` field on every record; a worker's own
home has one worker, themself.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from peerjournal.clock import Clock
from peerjournal.errors import InputError, NotFoundError, RecordError, RecordProblemsError
from peerjournal.models.session_file import SessionFile
from peerjournal.models.settings import Settings
from peerjournal.models.supervision import (
    ATTENDANCE,
    OCCASIONS,
    SUPERVISION_TYPES,
    ActionItem,
    SessionMeta,
)
from peerjournal.services.dates import in_period, record_day
from peerjournal.services.people import People, match_name, tidy
from peerjournal.services.session_draft import (
    SessionDraft,
    check_minutes,
    concerning,
    default_form,
    form_problem,
    new_action_id,
    session_notes,
)
from peerjournal.services.supervision_hours import Grouping, HoursReport, HoursRow
from peerjournal.store import yamlio
from peerjournal.store.agreements import AgreementStore, StoredAgreement
from peerjournal.store.atomic import write_atomic
from peerjournal.store.entries import EntryStore
from peerjournal.store.ids import ambiguous
from peerjournal.store.layout import DataHome
from peerjournal.store.lock import home_lock
from peerjournal.store.recovery import keep_unsaved
from peerjournal.store.supervision import SessionStore, StoredSession
from peerjournal.store.validate import parse_model

if TYPE_CHECKING:
    from peerjournal.services.agreements import Agreements
    from peerjournal.services.framework_outline import Outline
    from peerjournal.store.received import ReceivedRecords

__all__ = ["ActionView", "HoursReport", "SessionDraft", "StoredSession", "Supervision"]
# what a session is made of and the rules for its text live in session_draft; hours totals
# in supervision_hours: this module is the service over the files
DISCUSSED_KEY = "discussed_in"


@dataclass(frozen=True)
class ActionView:
    """An action item with the session it came from and whether it is overdue."""

    action: ActionItem
    session: StoredSession
    overdue: bool

    @property
    def worker(self) -> str:
        """The worker the action concerns: its owner when a worker of the session owns it."""
        meta = self.session.meta
        owner = self.action.owner.casefold()
        return next((w for w in meta.workers if w.casefold() == owner), meta.workers[0])


class Supervision:
    """The supervision records of one data home."""

    def __init__(
        self,
        home: DataHome,
        *,
        clock: Clock,
        people: People | None = None,
        outline: "Callable[[], Outline] | None" = None,
    ) -> None:
        self.home = home
        self.clock = clock
        self.people = people or People(home)
        self._outline = outline  # the frameworks a session's --domain may name
        self.sessions_store = SessionStore(home, people=self.people.store)
        self.agreements_store = AgreementStore(home, people=self.people.store)
        # read once per invocation: a home screen asks about every worker, each question used
        # to read every file again; every write forgets them, so a write reads fresh
        self._sessions: list[StoredSession] | None = None
        self._received: ReceivedRecords | None = None
        self._agreements: list[StoredAgreement] | None = None

    def _all_sessions(self) -> list[StoredSession]:
        """This home's sessions and those shared with it (read-only), oldest first."""
        if self._sessions is None:
            found = [*self.sessions_store.iter(), *self.received().sessions()]
            self._sessions = sorted(found, key=lambda s: s.meta.date)
        return self._sessions

    def received(self) -> "ReceivedRecords":
        """What others shared with this home, under team/: read, never written (kept once)."""
        from peerjournal.store.received import ReceivedRecords

        if self._received is None:
            self._received = ReceivedRecords(self.home, self.people.store, self._owner_name)
        return self._received

    def _owner_name(self) -> str:
        from peerjournal.services.home import maybe_settings

        settings = maybe_settings(self.home)
        return settings.name if settings is not None else ""

    def _all_agreements(self) -> list[StoredAgreement]:
        if self._agreements is None:
            self._agreements = list(self.agreements_store.iter())
        return self._agreements

    def _forget(self) -> None:
        """Drop what was read: the next question reads the files again."""
        self._sessions = self._agreements = None

    def read_session_file(self, path: Path) -> SessionFile:
        """A whole session written as YAML (`supervision new --from`), checked like a record."""
        data = parse_model(yamlio.load_file(path), SessionFile, what="session file")
        if data.minutes is None:
            raise InputError("the session file needs 'minutes'", path=path)
        return data

    # --- who -----------------------------------------------------------------------------

    def workers(self) -> list[str]:
        """Every worker named in a session or an agreement, sorted."""
        names = {worker for s in self._all_sessions() for worker in s.meta.workers}
        names |= {a.agreement.worker for a in self._all_agreements()}
        return sorted(names, key=str.casefold)

    def resolve_worker(
        self, name: str | None, settings: Settings, *, new: bool = False, recording: bool = False
    ) -> str:
        """The worker a command is about: the option, yourself, or the only one you supervise.

        A typed name must be a known person's (or a worker's in records not yet migrated);
        ``new`` (``--new``) adds a person nobody knows instead of refusing; ``recording`` (a
        first session or agreement) says how to add them.
        """
        known = self.workers()
        if name:
            name = self.people.earlier(name) or name  # a name they had still finds them
            candidates = [*self.people.names(), *known, settings.name]
            try:
                return match_name(name, candidates)
            except NotFoundError as missing:
                if new and "did you mean" not in str(missing):
                    return self.people.add(name, role="worker").name
                if "did you mean" in str(missing) or not recording:
                    raise
                raise NotFoundError(
                    f"no person {tidy(name)!r}; to start with a new worker, run: "
                    f"peerjournal people add '{tidy(name)}'"
                ) from None
        if settings.role == "peer-worker":
            return settings.name
        if len(known) == 1:
            return known[0]
        hint = f" ({', '.join(known)})" if known else ""
        raise InputError(f"say which worker with --worker NAME{hint}")

    def resolve_supervisor(self, name: str) -> str:
        """The supervisor named on a record: a known person, or a new one added on first use.

        A worker names their own supervisor the first time they record a session with them, so
        a name nobody is close to is added (role supervisor); a near miss is refused.
        """
        if not name.strip():
            return ""
        known = [*self.people.names(), *(s.meta.supervisor for s in self._all_sessions())]
        known += [a.agreement.supervisor for a in self._all_agreements()]
        try:
            return match_name(name, known)
        except NotFoundError as missing:
            if "did you mean" in str(missing):
                raise
            return self.people.add(name, role="supervisor").name

    # --- sessions ------------------------------------------------------------------------

    def sessions(self, worker: str | None = None) -> list[StoredSession]:
        """Sessions, oldest first; with ``worker``, theirs as they concern them.

        A group session seen for one worker names only them and keeps only their actions and
        the supervisor's, so one worker's agenda, prep and report never show another's.
        """
        if worker is None:
            return list(self._all_sessions())
        return [concerning(s, worker) for s in self._all_sessions() if s.meta.has_worker(worker)]

    @property
    def broken(self) -> list[RecordError]:
        shared = self._received.broken if self._received is not None else []
        return [*self.sessions_store.broken, *self.agreements_store.broken, *shared]

    def last_session(self, worker: str) -> StoredSession | None:
        """The worker's last session that took place; a cancelled one is not a meeting."""
        sessions = [s for s in self.sessions(worker) if s.meta.held]
        return sessions[-1] if sessions else None

    def get(self, prefix: str) -> StoredSession:
        return self.sessions_store.find(prefix)

    def record(self, draft: SessionDraft) -> StoredSession:
        """Check and save a session; diary entries it covered are marked as discussed."""
        self.check_draft(draft)
        draft.supervisor = self.resolve_supervisor(draft.supervisor)
        meta = SessionMeta(
            id=self.sessions_store.new_id(draft.when),
            date=draft.when,
            supervisor=draft.supervisor,
            workers=draft.workers,
            type=draft.type,
            form=draft.form or default_form(draft.workers),
            occasion=draft.occasion,
            attendance=draft.attendance,
            why=" ".join(draft.why.split()),
            minutes=draft.minutes if draft.attendance == "attended" else 0,
            domains=list(dict.fromkeys(draft.domains)),
            agenda=draft.agenda or [topic for topic, _ in draft.topics],
            entries=list(dict.fromkeys(draft.entries)),
            actions=[
                ActionItem(id=new_action_id(), text=" ".join(text.split()), owner=owner, due=due)
                for text, owner, due in draft.actions
                if text.strip()
            ],
            next_session=draft.next_session,
            created=self.clock(),
        )
        with home_lock(self.home.lock_file):
            self._check_entries(meta.entries, draft.when)
            self._forget()
            stored = self.sessions_store.create(meta, session_notes(draft))
            self._forget()
            self._mark_discussed(meta.entries, stored.meta.id)
        return stored

    def update(self, stored: StoredSession, meta: SessionMeta, notes: str) -> StoredSession:
        if stored.seen_by is not None:  # a view hides other workers: writing it would drop them
            raise InputError(f"session {stored.meta.id} was read for one worker; read it whole")
        meta.id = stored.meta.id
        meta.updated = self.clock()
        if meta.workers != stored.meta.workers:  # names typed in the editor: known people's
            known = [*self.people.names(), *self.workers()]
            meta.workers = [match_name(worker, known) for worker in meta.workers]
        if meta.supervisor != stored.meta.supervisor:
            meta.supervisor = self.resolve_supervisor(meta.supervisor)
        with home_lock(self.home.lock_file):
            self._forget()
            updated = self.sessions_store.update(stored, meta, notes)
            self._forget()
            return updated

    def delete(self, stored: StoredSession) -> Path:
        """Trash a session and give back what it took: its entries wait for supervision again.

        An entry another session also discussed keeps that session's mark, so it stays discussed.
        """
        if stored.seen_by is not None:
            raise InputError(f"session {stored.meta.id} was read for one worker; read it whole")
        with home_lock(self.home.lock_file):
            self._forget()
            self._unmark_discussed(stored.meta.entries, stored.meta.id)
            trashed = self.sessions_store.trash(stored)
            self._forget()
            return trashed

    def sessions_before(self, worker: str, moment: datetime) -> list[StoredSession]:
        """A worker's sessions that took place before ``moment``, oldest first."""
        return [s for s in self.sessions(worker) if s.meta.date < moment]

    def metas(
        self, worker: str, *, since: date | None = None, until: date | None = None
    ) -> list[SessionMeta]:
        """A worker's sessions in a period, as they concern them, for counting hours."""
        return [
            s.meta
            for s in self.sessions(worker)
            if in_period(record_day(s.meta.date), since, until)
        ]

    def held_before(self, worker: str, moment: datetime) -> list[StoredSession]:
        """The sessions before ``moment`` that took place (not cancelled or missed)."""
        return [s for s in self.sessions_before(worker, moment) if s.meta.held]

    # --- actions -------------------------------------------------------------------------

    def open_at(self, worker: str, moment: datetime) -> list[ActionView]:
        """Actions that were open at ``moment``: agreed before it, not closed until after its day.

        A session recorded late takes as its follow-up what was open on its own date, not today's
        list; overdue is judged against that day too.
        """
        day = record_day(moment)
        return [
            ActionView(action, stored, overdue=action.due is not None and action.due < day)
            for stored in self.sessions_before(worker, moment)
            for action in stored.meta.actions
            if action.status == "open" or (action.closed is not None and action.closed > day)
        ]

    def actions(self, worker: str | None = None, *, only: str | None = None) -> list[ActionView]:
        """Action items, oldest session first; ``only`` is 'open' or 'overdue'."""
        today = self.clock().date()
        views = [
            ActionView(
                action,
                stored,
                overdue=action.status == "open" and action.due is not None and action.due < today,
            )
            for stored in self.sessions(worker)
            for action in stored.meta.actions
        ]
        if only == "open":
            return [v for v in views if v.action.status == "open"]
        if only == "overdue":
            return [v for v in views if v.overdue]
        return views

    def close(
        self, action_id: str, *, status: Literal["done", "dropped"], why: str = ""
    ) -> ActionView:
        """Mark an action done or dropped (with a reason), in the session that holds it."""
        if status == "dropped" and not why.strip():
            raise InputError("say why the action is dropped with --why")
        wanted = action_id.strip().casefold()
        with home_lock(self.home.lock_file):
            self._forget()  # under the lock, the files as they are now
            matches = [v for v in self.actions() if v.action.id.casefold().startswith(wanted)]
            if not wanted or not matches:
                raise NotFoundError(f"no action item with id {action_id.strip()!r}")
            if len(matches) > 1:
                raise ambiguous(action_id.strip(), [v.action.id for v in matches], "action items")
            view = matches[0]
            if view.action.status != "open":
                raise InputError(f"action {view.action.id} is already {view.action.status}")
            meta = view.session.meta.model_copy(deep=True)
            for action in meta.actions:
                if action.id == view.action.id:
                    action.status = status
                    action.closed = self.clock().date()
                    action.why = " ".join(why.split())
                    closed = action
            self.sessions_store.update(view.session, meta, view.session.notes)
            self._forget()
        return ActionView(closed, view.session, overdue=False)

    # --- hours ---------------------------------------------------------------------------

    def hours(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        worker: str | None = None,
        by: Grouping = "month",
        target_hours: float | None = None,
    ) -> HoursReport:
        """Supervision time in a period, grouped by month, type, form or worker.

        A group session counts once in a total and once for each of its workers; a cancelled
        or missed one counts no time and is reported as such.
        """
        groups: dict[str, list[int]] = defaultdict(list)
        not_held = 0
        for stored in self.sessions(worker):
            meta = stored.meta
            day = record_day(meta.date)
            if not in_period(day, since, until):
                continue
            if not meta.held:
                not_held += 1
                continue
            if by == "worker":
                keys = [worker] if worker is not None else meta.workers
            else:
                keys = [{"month": f"{day:%Y-%m}", "type": meta.type, "form": meta.form}[by]]
            for key in keys:
                groups[key].append(meta.minutes)
        if by == "worker" and worker is None and target_hours:
            for name in self.workers():  # a worker with no hours yet is furthest from the target
                groups.setdefault(name, [])
        rows = tuple(HoursRow(key, sum(m), len(m)) for key, m in sorted(groups.items()))
        held = [s for s in self.sessions(worker) if s.meta.held]
        counted = [s for s in held if in_period(record_day(s.meta.date), since, until)]
        return HoursReport(
            rows=rows,
            minutes=sum(s.meta.minutes for s in counted),
            sessions=len(counted),
            target_hours=target_hours,
            by=by,
            not_held=not_held,
        )

    # --- agreements (rules in services.agreements) ----------------------------------------

    @property
    def agreements_service(self) -> "Agreements":
        from peerjournal.services.agreements import Agreements

        return Agreements(self)

    def agreement(self, worker: str, kind: str | None = None) -> StoredAgreement | None:
        """The worker's agreement of that type; without one, the one whose review comes first."""
        return self.agreements_service.agreement(worker, kind)

    def agreements(self) -> list[StoredAgreement]:
        """Every agreement, by worker and type (a worker may hold one of each type)."""
        return self.agreements_service.agreements()

    def from_editor(self, text: str) -> tuple[SessionMeta, str]:
        """Parse a session file as it came back from the editor; new actions get their ids."""
        from peerjournal.store import frontmatter
        from peerjournal.store.validate import parse_model

        doc, body = frontmatter.split(text)
        if isinstance(doc.data, dict):
            for action in doc.data.get("actions") or []:
                if isinstance(action, dict):
                    action.setdefault("id", new_action_id())
        return parse_model(doc, SessionMeta, what="front matter"), body.strip("\n")

    def session_text(self, meta: SessionMeta, notes: str) -> str:
        """A session as its file reads, to open again in the editor."""
        from peerjournal.store.supervision import render

        return render(meta, notes)

    def keep_unsaved(self, text: str) -> Path:
        """Keep text that could not be saved in a private recovery file."""
        return keep_unsaved(self.home, "session", text, self.clock())

    def write_text(self, path: Path, text: str) -> None:
        """Write an agenda or report the user asked for, private like every other file."""
        write_atomic(path, text)

    def due_problem(self, when: datetime, due: date) -> str | None:
        """Why an action's due date cannot be saved with a session on ``when``, if it cannot."""
        day = record_day(when)
        if due < day:
            return f"an action's due date ({due}) is before the session ({day})"
        return None

    def next_session_problem(self, when: datetime, next_session: date) -> str | None:
        """Why a next-session date cannot be saved with a session on ``when``, if it cannot."""
        day = record_day(when)
        if next_session <= day:
            return f"the next session ({next_session}) must be after this one ({day})"
        return None

    def unwritten(self, meta: SessionMeta, notes: str, template: str) -> bool:
        """True when a new session's template came back with nothing added: not worth saving."""
        same = notes.split() == template.split()
        return same and not meta.actions and meta.next_session is None

    def check_edited(self, meta: SessionMeta, text: str, *, owner: str = "") -> None:
        """The rules ``record`` applies, checked on an edited file so the editor can reopen.

        Each problem names the line of the file it is on; none of the typed text is repeated.
        The worker must be a known person (``owner``: the home's own, in an unmigrated home).
        """
        lines = text.splitlines()

        def line_of(key: str, value: object, start: int = 0) -> int | None:
            for number, line in enumerate(lines[start:], start=start + 1):
                if key in line and str(value) in line and not line.lstrip().startswith("#"):
                    return number
            return None

        problems: list[RecordError] = []
        if meta.date > self.clock():
            problems.append(
                RecordError(
                    "the session date is in the future; record a session after it happens",
                    line=line_of("date:", ""),
                    field="date",
                )
            )
        for number, action in enumerate(meta.actions, start=1):
            reason = self.due_problem(meta.date, action.due) if action.due else None
            if reason:
                problems.append(
                    RecordError(reason, line=line_of("due", action.due), field=f"action {number}")
                )
        nxt = meta.next_session
        reason = self.next_session_problem(meta.date, nxt) if nxt else None
        if reason:
            problems.append(
                RecordError(reason, line=line_of("next_session", ""), field="next_session")
            )
        known = [*self.people.names(), *self.workers(), *([owner] if owner else [])]
        named: list[str] = []
        for worker in meta.workers:
            try:
                named.append(match_name(self.people.earlier(worker) or worker, known))
            except (NotFoundError, InputError) as unknown:
                line = line_of(f"- {worker}", "") or line_of("workers:", "")
                problems.append(RecordError(unknown.message, line=line, field="workers"))
        if len(named) == len(meta.workers):
            meta.workers = named
        for reason, key in (
            (form_problem(meta.form, len(meta.workers)), "form"),
            (self._attendance_problem(meta), "why"),
        ):
            if reason:
                problems.append(RecordError(reason, line=line_of(f"{key}:", ""), field=key))
        domains: list[str] = []
        for spec in meta.domains:
            try:
                domains.append(self.domain_ref(spec))
            except (NotFoundError, InputError) as unknown:
                problems.append(
                    RecordError(unknown.message, line=line_of(spec, ""), field="domains")
                )
        meta.domains = domains
        if meta.held and meta.minutes <= 0:
            problems.append(
                RecordError(
                    "a session lasts at least one minute",
                    line=line_of("minutes:", ""),
                    field="minutes",
                )
            )
        if problems:
            raise RecordProblemsError(problems)

    # --- internals -----------------------------------------------------------------------

    def check_draft(self, draft: SessionDraft) -> None:
        """Every rule a new session must keep, so each way of writing one is held to the same."""
        if not draft.workers or not all(worker.strip() for worker in draft.workers):
            raise InputError("the session needs a worker")
        folded = [worker.casefold() for worker in draft.workers]
        if len(set(folded)) != len(folded):
            raise InputError("a worker is named twice; name each worker once")
        problem = form_problem(draft.form, len(draft.workers))
        if problem:
            raise InputError(problem)
        for value, allowed, what in (
            (draft.type, SUPERVISION_TYPES, "--type"),
            (draft.occasion, OCCASIONS, "the occasion"),
            (draft.attendance, ATTENDANCE, "attendance"),
        ):
            if value not in allowed:
                raise InputError(f"{what} must be one of: {', '.join(allowed)}")
        if draft.attendance != "attended":
            if not draft.why.strip():
                raise InputError(f"say why the session was {draft.attendance} with --why")
            if draft.entries or draft.actions:
                raise InputError(
                    f"a {draft.attendance} session discusses no entries and agrees no actions"
                )
        draft.domains = [self.domain_ref(ref) for ref in draft.domains]
        self._check_dates(draft)

    @staticmethod
    def _attendance_problem(meta: SessionMeta) -> str | None:
        if meta.held:
            return None
        if not meta.why.strip():
            return f"say why the session was {meta.attendance} (why:)"
        if meta.minutes:
            return f"a {meta.attendance} session counts no time; set minutes: 0"
        return None

    def checked_file(self, draft: SessionDraft, path: Path) -> None:
        """``check_draft`` for a session read from a file: a broken rule names the file."""
        try:
            self.check_draft(draft)
        except (InputError, NotFoundError) as problem:
            raise InputError(problem.message, path=path) from None

    def domain_ref(self, spec: str) -> str:
        """A framework domain or item a session covered, as 'framework/CODE' in its own case.

        Refused with one line naming what is unknown: a session tagged with a typo would count
        its hours toward nothing.
        """
        framework_id, _, code = spec.strip().partition("/")
        if not framework_id or not code:
            raise InputError(
                f"--domain {spec.strip()!r}: give FRAMEWORK/DOMAIN or FRAMEWORK/ITEM, "
                "e.g. icrc-peer-recovery/advocacy"
            )
        if self._outline is None:
            raise InputError("no frameworks are available to check --domain against")
        framework = self._outline().get(framework_id)
        found = framework.find_domain(code)
        if found is not None:
            return f"{framework.id}/{found.id}"
        item = framework.find_item(code)
        if item is not None:
            return f"{framework.id}/{item[1].id}"
        raise NotFoundError(f"framework {framework.id!r} has no domain or item {code.strip()!r}")

    def _check_dates(self, draft: SessionDraft) -> None:
        now = self.clock()
        if draft.when > now:
            raise InputError("the session date is in the future; record a session after it happens")
        day = record_day(draft.when)
        for text, _, due in draft.actions:
            if due is not None and due < day:
                raise InputError(f"an action's due date ({due}) is before the session ({day})")
            del text
        if draft.next_session is not None and draft.next_session <= day:
            raise InputError(
                f"the next session ({draft.next_session}) must be after this one ({day})"
            )
        if draft.attendance == "attended":
            check_minutes(draft.minutes)

    def _check_entries(self, entry_ids: Sequence[str], when: datetime) -> None:
        """A session can only have discussed entries written before it took place."""
        store = EntryStore(self.home)
        for entry_id in entry_ids:
            entry = store.find(entry_id).entry
            if entry.meta.date > when:
                raise InputError(
                    f"diary entry {entry.meta.id} was written after the session "
                    f"({record_day(entry.meta.date)} is after {record_day(when)}); "
                    "a session can only discuss entries written before it"
                )

    def _unmark_discussed(self, entry_ids: Sequence[str], session_id: str) -> None:
        store = EntryStore(self.home)
        for entry_id in dict.fromkeys(entry_ids):
            try:
                stored = store.find(entry_id)
            except NotFoundError:
                continue  # the entry was deleted since: nothing to give back
            extra = stored.entry.meta.model_extra or {}
            done = list(extra.get(DISCUSSED_KEY) or [])
            if session_id not in done:
                continue
            entry = stored.entry.model_copy(deep=True)
            rest = [other for other in done if other != session_id]
            if rest:
                setattr(entry.meta, DISCUSSED_KEY, rest)
            else:  # waiting again, as if no session had covered it
                (entry.meta.model_extra or {}).pop(DISCUSSED_KEY, None)
            store.update(stored, entry)

    def _mark_discussed(self, entry_ids: Sequence[str], session_id: str) -> None:
        store = EntryStore(self.home)  # a handful of ids: the folder lookup is cheap enough
        for entry_id in dict.fromkeys(entry_ids):
            stored = store.find(entry_id)
            entry = stored.entry.model_copy(deep=True)
            extra = entry.meta.model_extra or {}
            done = list(extra.get(DISCUSSED_KEY) or [])
            if session_id not in done:
                setattr(entry.meta, DISCUSSED_KEY, [*done, session_id])
                store.update(stored, entry)
