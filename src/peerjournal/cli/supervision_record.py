"""The ways of writing a session down: guided, in the editor, or from a YAML file."""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.models.settings import Settings
    from peerjournal.models.supervision import SessionMeta
    from peerjournal.services.agenda import Agenda
    from peerjournal.services.supervision import SessionDraft, Supervision
    from peerjournal.store.supervision import StoredSession


def base_draft(
    context: AppContext,
    service: "Supervision",
    settings: "Settings",
    *,
    worker: str | None,
    session_type: str | None,
    minutes: int | None,
    when: str | None,
    supervisor: str | None,
) -> "SessionDraft":
    """A draft with who, when, what kind and how long, from options, the agreement or prompts."""
    from peerjournal.errors import InputError
    from peerjournal.models.supervision import SUPERVISION_TYPES
    from peerjournal.services.dates import parse_moment
    from peerjournal.services.supervision import SessionDraft

    who = service.resolve_worker(worker, settings, new=True)
    agreement = service.agreement(who)
    kind = session_type or (agreement.agreement.type if agreement else "professional")
    if kind not in SUPERVISION_TYPES:
        raise InputError(f"--type must be one of: {', '.join(SUPERVISION_TYPES)}")
    if minutes is None:
        default = str(agreement.agreement.minutes) if agreement else "60"
        minutes = _ask_minutes(context, default)
    boss = supervisor or (agreement.agreement.supervisor if agreement else "")
    if settings.role == "supervisor" and not supervisor:
        boss = settings.name
    moment = parse_moment(when, context.clock()) if when else context.clock()
    return SessionDraft(when=moment, worker=who, supervisor=boss, minutes=minutes, type=kind)


def _ask_minutes(context: AppContext, default: str) -> int:
    while True:
        answer = context.prompter.ask("Length of the session in minutes", default=default)
        if answer.strip().isdigit() and int(answer) > 0:
            return int(answer)
        context.err.print("Please give a whole number of minutes.")


def draft_guided(context: AppContext, draft: "SessionDraft", agenda: "Agenda") -> "SessionDraft":
    """Walk through the agenda topic by topic, then wellbeing, decisions, actions, next date."""
    from peerjournal.services.dates import parse_day

    ask = context.prompter.ask
    say = context.err.print
    say(f"[bold]Supervision with {draft.worker}[/] on {draft.when:%Y-%m-%d}. Enter skips a topic.")
    topics = agenda.topics()
    for number, topic in enumerate(topics, start=1):
        say(f"Topic {number} of {len(topics)}: {topic}", markup=False)
        draft.topics.append((topic, ask("Notes", default="")))
    while extra := ask("Another topic (Enter to go on)", default="").strip():
        draft.topics.append((extra, ask("Notes", default="")))
    draft.entries = [entry.id for entry in agenda.entries]
    draft.wellbeing = ask(
        "Wellbeing check: how is the worker doing, what support is needed?", default=""
    )
    draft.decisions = ask("Decisions made", default="")
    while text := ask("New action item (Enter when done)", default="").strip():
        owner = ask("Who does it", default=draft.worker)
        due = _ask_date(context, "Due date (Enter for none)")
        draft.actions.append((text, owner, due))
    nxt = ask("Next session date (Enter to leave open)", default="").strip()
    draft.next_session = parse_day(nxt, context.clock()) if nxt else None
    return draft


def _ask_date(context: AppContext, question: str) -> date | None:
    from peerjournal.errors import InputError
    from peerjournal.services.dates import parse_day

    while True:
        answer = context.prompter.ask(question, default="").strip()
        if not answer:
            return None
        try:
            return parse_day(answer, context.clock())
        except InputError as problem:
            context.err.print(str(problem), markup=False)


def draft_from_file(
    context: AppContext, service: "Supervision", settings: "Settings", path: Path
) -> "SessionDraft":
    """A whole session from a YAML file, checked like any hand-written file."""
    from peerjournal.errors import InputError
    from peerjournal.models.session_file import SessionFile
    from peerjournal.services.dates import parse_day
    from peerjournal.store import yamlio
    from peerjournal.store.validate import parse_model

    data = parse_model(yamlio.load_file(path), SessionFile, what="session file")
    if data.minutes is None:
        raise InputError("the session file needs 'minutes'", path=path)
    draft = base_draft(
        context, service, settings, worker=data.worker, session_type=data.type,
        minutes=data.minutes, when=data.date, supervisor=data.supervisor,
    )  # fmt: skip
    draft.topics = list(data.topics.items())
    draft.wellbeing, draft.decisions, draft.notes = data.wellbeing, data.decisions, data.notes
    draft.actions = [(a.text, a.owner, a.due) for a in data.actions]
    draft.next_session = (
        parse_day(data.next_session, context.clock()) if data.next_session else None
    )
    draft.entries = list(data.entries)
    return draft


def draft_in_editor(
    context: AppContext, service: "Supervision", draft: "SessionDraft", agenda: "Agenda"
) -> "SessionDraft":
    """Open a template with the agenda as headings; read it back as a session."""
    from peerjournal.models.supervision import SessionMeta
    from peerjournal.services.supervision import session_notes
    from peerjournal.store.supervision import render

    draft.topics = [(topic, "") for topic in agenda.topics()]
    draft.entries = [entry.id for entry in agenda.entries]
    meta = SessionMeta(
        id="new", date=draft.when, supervisor=draft.supervisor, worker=draft.worker,
        type=draft.type, minutes=draft.minutes, agenda=[t for t, _ in draft.topics],
        entries=draft.entries,
    )  # fmt: skip
    template = render(meta, session_notes(draft) + "\n\n## Wellbeing\n\n## Decisions\n")
    template = template.replace("---\n", "---\n" + _EDITOR_HELP, 1)
    meta, notes = _edit_until_valid(context, service, template)
    draft.when, draft.worker, draft.minutes, draft.type = (
        meta.date,
        meta.worker,
        meta.minutes,
        meta.type,
    )
    draft.supervisor, draft.next_session, draft.entries = (
        meta.supervisor,
        meta.next_session,
        meta.entries,
    )
    draft.agenda, draft.topics, draft.notes = meta.agenda, [], notes
    draft.actions = [(a.text, a.owner, a.due) for a in meta.actions]
    return draft


def edit_session(
    context: AppContext, service: "Supervision", stored: "StoredSession"
) -> "tuple[SessionMeta, str]":
    """Edit an existing session's file in the editor."""
    from peerjournal.store.supervision import render

    return _edit_until_valid(context, service, render(stored.meta, stored.notes))


def _edit_until_valid(
    context: AppContext, service: "Supervision", text: str
) -> "tuple[SessionMeta, str]":
    from peerjournal.cli._editing import edit_until_valid

    return edit_until_valid(context, text, service.from_editor, service.keep_unsaved)


_EDITOR_HELP = """\
# Write notes under each ## topic. New actions go in the front matter, for example:
# actions: [{text: Call the housing team, owner: Sam, due: 2026-12-01}]
# next_session: 2026-12-09
"""
