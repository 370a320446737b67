"""A supervision session before it is saved, and the rules for the text people type in it.

Shared by every way of recording a session (guided, quick, editor, from a file), by the privacy
check (which fields hold typed text) and by sharing (a session's bytes as a bundle carries it).
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from peerjournal.errors import InputError
from peerjournal.models.supervision import (
    SUPERVISION_FORMS,
    Attendance,
    Occasion,
    SessionMeta,
    SupervisionForm,
    SupervisionType,
)
from peerjournal.store.supervision import StoredSession


@dataclass
class SessionDraft:
    """What was said and agreed in a session, before it is checked and saved."""

    when: datetime
    workers: list[str]
    supervisor: str
    minutes: int
    type: SupervisionType = "professional"
    form: SupervisionForm | None = None  # None: individual for one worker, group for several
    occasion: Occasion = "scheduled"
    attendance: Attendance = "attended"
    why: str = ""  # why it was cancelled or missed
    domains: list[str] = field(default_factory=list)  # "framework/domain-or-item"
    topics: list[tuple[str, str]] = field(default_factory=list)  # (topic, notes)
    wellbeing: str = ""
    decisions: str = ""
    notes: str = ""
    actions: list[tuple[str, str, date | None]] = field(default_factory=list)  # text, owner, due
    next_session: date | None = None
    entries: list[str] = field(default_factory=list)
    agenda: list[str] = field(default_factory=list)  # when the topics' notes are already in notes

    @property
    def worker(self) -> str:
        """The first worker: the one a one-to-one session is with."""
        return self.workers[0] if self.workers else ""

    @property
    def who(self) -> str:
        """The workers as a person reads them: 'Sam Rivers' or 'Sam Rivers, Ari Tane'."""
        return ", ".join(self.workers)


MAX_MINUTES = 24 * 60  # the records' own bound (models.supervision): one day at most


def default_form(workers: Sequence[str]) -> SupervisionForm:
    """The form a session has when none is said: one-to-one for one worker, else a group."""
    return "individual" if len(workers) == 1 else "group"


def form_problem(form: str | None, workers: int) -> str | None:
    """Why a form does not fit the number of workers, if it does not."""
    if form is None:
        return None
    if form not in SUPERVISION_FORMS:
        return f"--form must be one of: {', '.join(SUPERVISION_FORMS)}"
    if form == "individual" and workers > 1:
        return "a session with several workers is not individual; say --form group (or peer)"
    return None


def concerning(stored: StoredSession, worker: str) -> StoredSession:
    """A session as one of its workers may see it: the others and their actions left out."""
    meta = stored.meta
    if len(meta.workers) == 1:
        return stored
    others = {w.casefold() for w in meta.workers if w.casefold() != worker.casefold()}
    mine = next(w for w in meta.workers if w.casefold() == worker.casefold())
    actions = [a for a in meta.actions if a.owner.casefold() not in others]
    seen = meta.model_copy(update={"workers": [mine], "actions": actions})
    return replace(stored, meta=seen, seen_by=mine, group_size=len(meta.workers))


def check_minutes(minutes: int, option: str = "--minutes") -> None:
    """A session length as typed: 1 to 1440 minutes, refused with one clear line otherwise."""
    if minutes <= 0:
        raise InputError(f"a session lasts at least one minute ({option})")
    if minutes > MAX_MINUTES:
        raise InputError(
            f"{minutes} minutes is more than a day; a session lasts at most "
            f"{MAX_MINUTES} minutes (24 hours) ({option})"
        )


def new_action_id() -> str:
    """A short id people can type: 'A' and six hex digits."""
    return "A" + secrets.token_hex(3)


def session_notes(draft: SessionDraft) -> str:
    """The Markdown body of a session: one section per topic, then wellbeing and decisions."""
    parts = [
        f"## {topic}\n\n{notes.strip()}" if notes.strip() else f"## {topic}"
        for topic, notes in draft.topics
    ]
    for heading, text in (("Wellbeing", draft.wellbeing), ("Decisions", draft.decisions)):
        if text.strip():
            parts.append(f"## {heading}\n\n{text.strip()}")
    notes = draft.notes.strip()
    if notes:  # notes from the editor already carry their own headings
        parts.append(notes if notes.startswith("## ") else f"## Notes\n\n{notes}")
    return "\n\n".join(parts)


def draft_fields(draft: SessionDraft) -> list[tuple[str, str]]:
    """The text a person wrote for a new session, by field, for the privacy check."""
    fields: list[tuple[str, str]] = []
    for number, (topic, notes) in enumerate(draft.topics, start=1):
        fields += [(f"topic {number}", topic), (f"topic {number} notes", notes)]
    fields += [("wellbeing", draft.wellbeing), ("decisions", draft.decisions)]
    fields += [("notes", draft.notes), ("why", draft.why)]
    fields += [(f"action {n}", text) for n, (text, _, _) in enumerate(draft.actions, start=1)]
    return fields


def draft_with(draft: SessionDraft, changes: Mapping[str, str]) -> SessionDraft:
    """The draft with fields (named as draft_fields names them) typed again, in place."""
    draft.topics = [
        (
            changes.get(f"topic {n}", topic).strip(),
            changes.get(f"topic {n} notes", notes).strip(),
        )
        for n, (topic, notes) in enumerate(draft.topics, start=1)
    ]
    for name in ("wellbeing", "decisions", "notes", "why"):
        if name in changes:
            setattr(draft, name, changes[name].strip())
    actions = [
        (changes.get(f"action {n}", text).strip(), owner, due)
        for n, (text, owner, due) in enumerate(draft.actions, start=1)
    ]
    draft.actions = [action for action in actions if action[0]]
    return draft


def shared_bytes(stored: StoredSession) -> bytes:
    """A session as a bundle carries it: read for its worker, with names, not this home's ids.

    A sign-off's session digests are of these bytes, so the worker (or a certification body
    holding the worker's files) can match each session they received against what was signed.
    """
    from peerjournal.store.supervision import render

    return render(stored.meta, stored.notes).encode("utf-8")


def session_fields(meta: SessionMeta, notes: str) -> list[tuple[str, str]]:
    """The text a person wrote in a session file, by field, for the privacy check."""
    fields = [("agenda", "\n".join(meta.agenda)), ("notes", notes), ("why", meta.why)]
    return fields + [(f"action {n}", a.text) for n, a in enumerate(meta.actions, start=1)]


def recovery_text(draft: SessionDraft) -> str:
    """A draft's words as Markdown, for a recovery file; nothing here can fail to validate."""
    parts = [f"# Supervision with {draft.who}, {draft.when:%Y-%m-%d %H:%M}"]
    if draft.attendance != "attended":
        parts.append(f"{draft.attendance.capitalize()}: {draft.why}")
    parts.append(session_notes(draft))
    if draft.actions:
        actions = [f"- {text} ({owner}, due {due or '-'})" for text, owner, due in draft.actions]
        parts.append("## Actions\n\n" + "\n".join(actions))
    return "\n\n".join(part for part in parts if part) + "\n"
