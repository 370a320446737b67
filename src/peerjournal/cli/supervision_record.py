"""The ways of writing a session down: guided, in the editor, or from a YAML file."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.models.settings import Settings
    from peerjournal.models.supervision import SessionMeta
    from peerjournal.services.agenda import Agenda
    from peerjournal.services.drafts import Checkpoint
    from peerjournal.services.privacy_review import FieldFinding, Fields, PrivacyReview
    from peerjournal.services.session_draft import SessionDraft
    from peerjournal.services.supervision import StoredSession, Supervision


def base_draft(
    context: AppContext,
    service: "Supervision",
    settings: "Settings",
    *,
    workers: "list[str] | str | None",
    session_type: str | None,
    minutes: int | None,
    when: str | None,
    supervisor: str | None,
    held: bool = True,
    settle: "Callable[[SessionDraft], None] | None" = None,
) -> "SessionDraft":
    """A draft with who, when, what kind and how long, from options, the agreement or prompts.

    ``held`` is false for a cancelled or missed session: it has no length to ask for.
    ``settle`` puts the other options on the draft and checks them before the length is asked,
    so a mistyped option never costs an answer.
    """
    from peerjournal.errors import InputError
    from peerjournal.models.supervision import SUPERVISION_TYPES
    from peerjournal.services.session_draft import SessionDraft, check_minutes

    named = [workers] if isinstance(workers, str) else list(workers or [])
    asked: list[str | None] = [*named] if named else [None]  # None: you, or your only worker
    who = [service.resolve_worker(w, settings, recording=True) for w in asked]
    # the agreement of the type asked for (or the worker's only one) gives the usual length,
    # supervisor and type; a group session has no one agreement to follow
    agreement = None
    if len(who) == 1:  # with several agreements and no --type, the professional one leads
        agreement = service.agreement(who[0], session_type or "professional")
        if agreement is None and session_type is None:
            agreement = service.agreement(who[0])
    kind = session_type or (agreement.agreement.type if agreement else "professional")
    if kind not in SUPERVISION_TYPES:
        raise InputError(f"--type must be one of: {', '.join(SUPERVISION_TYPES)}")
    default = agreement.agreement.minutes if agreement else 60
    if minutes is not None:
        check_minutes(minutes)  # typed on the command line: refuse it before anything is asked
    boss = supervisor or (agreement.agreement.supervisor if agreement else "")
    if settings.role == "supervisor" and not supervisor:
        boss = settings.name
    moment = context.moment(when) if when else context.clock()
    draft = SessionDraft(
        when=moment, workers=who, supervisor=boss, minutes=minutes or default,
        type=cast("Any", kind), form=agreement.agreement.form if agreement else None,
    )  # fmt: skip
    if settle is not None:
        settle(draft)
    if not held:
        draft.minutes = 0
    elif minutes is None:
        draft.minutes = _ask_minutes(context, str(default))
    return draft


def describe(
    draft: "SessionDraft", *, form: str | None, occasion: str, domains: "list[str]"
) -> None:
    """Put how a session was held and what it covered on the draft; check_draft checks it."""
    if form is not None:  # else the agreement's form, or the one the workers' number implies
        draft.form = cast("Any", form)
    draft.occasion = cast("Any", occasion)
    draft.domains = list(domains)


def attend(draft: "SessionDraft", attendance: str, why: str) -> None:
    """Whether the session took place and, if it did not, why."""
    draft.attendance = cast("Any", attendance)
    draft.why = why


def _ask_minutes(context: AppContext, default: str) -> int:
    from peerjournal.services.session_draft import MAX_MINUTES

    while True:
        answer = context.prompter.ask("Length of the session in minutes", default=default)
        if answer.strip().isdigit() and 0 < int(answer) <= MAX_MINUTES:
            return int(answer)
        context.err.print(f"Please give a whole number of minutes, from 1 to {MAX_MINUTES}.")


def draft_guided(
    context: AppContext, service: "Supervision", draft: "SessionDraft", checkpoint: "Checkpoint"
) -> "SessionDraft":
    """Walk through the agenda topic by topic, then wellbeing, decisions, actions, next date.

    Every answer is kept in the ``checkpoint`` (a draft on disk) before the next question, and
    answers already there are not asked again. Dates are checked where they are typed.
    """
    from peerjournal.ui.prompts import lines_question

    prompter = context.prompter
    recall = checkpoint.recall
    say = context.err.print
    say(f"[bold]Supervision with {draft.who}[/] on {draft.when:%Y-%m-%d}. Enter skips a topic.")
    if checkpoint.draft.answers:
        say("Carrying on from your draft: answered questions are not asked again.")
    topics = [str(topic) for topic in checkpoint.draft.setup.get("topics") or []]
    for number, topic in enumerate(topics, start=1):
        if not checkpoint.has(f"topic {number}"):
            say(f"Topic {number} of {len(topics)}: {topic}", markup=False)
        draft.topics.append(
            (topic, checkpoint.recall_lines(f"topic {number}", lines_question(prompter, "Notes")))
        )
    number = 1
    while extra := recall(
        f"extra topic {number}",
        lambda: prompter.ask("Another topic (Enter to go on)", default="").strip(),
    ):
        notes = checkpoint.recall_lines(
            f"extra topic {number} notes", lines_question(prompter, "Notes")
        )
        draft.topics.append((extra, notes))
        number += 1
    draft.entries = [str(entry) for entry in checkpoint.draft.setup.get("entries") or []]
    draft.wellbeing = checkpoint.recall_lines(
        "wellbeing",
        lines_question(
            prompter, "Wellbeing check: how is the worker doing, what support is needed?"
        ),
    )
    draft.decisions = checkpoint.recall_lines(
        "decisions", lines_question(prompter, "Decisions made")
    )
    number = 1
    while text := recall(
        f"action {number}",
        lambda: prompter.ask("New action item (Enter when done)", default="").strip(),
    ):
        owner = recall(
            f"action {number} owner", lambda: prompter.ask("Who does it", default=draft.worker)
        )
        due = recall(
            f"action {number} due",
            lambda: _iso(
                _ask_date(
                    context, "Due date (Enter for none)",
                    lambda day: service.due_problem(draft.when, day),
                )
            ),
        )  # fmt: skip
        draft.actions.append((text, owner, _day(due)))
        number += 1
    nxt = recall(
        "next session",
        lambda: _iso(
            _ask_date(
                context, "Next session date (Enter to leave open)",
                lambda day: service.next_session_problem(draft.when, day),
            )
        ),
    )  # fmt: skip
    draft.next_session = _day(nxt)
    return draft


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _ask_date(
    context: AppContext, question: str, problem: "Callable[[date], str | None]"
) -> date | None:
    """A date asked until it reads and fits the session; the reason is said each time."""
    from peerjournal.errors import InputError

    while True:
        answer = context.prompter.ask(question, default="").strip()
        if not answer:
            return None
        try:
            day = context.day(answer, future=True)  # due dates and next sessions look ahead
        except InputError as error:
            context.err.print(str(error), markup=False)
            continue
        reason = problem(day)
        if reason is None:
            return day
        context.err.print(f"{reason}; please give another date.", markup=False)


def session_setup(draft: "SessionDraft", agenda: "Agenda") -> dict[str, object]:
    """What a guided session's draft starts with: who, when, how long, and the agenda then."""
    return {
        "when": draft.when.isoformat(),
        "worker": draft.worker,
        "workers": draft.workers,
        "supervisor": draft.supervisor,
        "minutes": draft.minutes,
        "type": draft.type,
        "form": draft.form,
        "occasion": draft.occasion,
        "domains": draft.domains,
        "topics": agenda.topics(),
        "entries": [entry.id for entry in agenda.entries if not entry.shared],
    }


def draft_from_setup(setup: "dict[str, Any]") -> "SessionDraft":
    """A resumed session: the who, when and how long its draft was started with."""
    from datetime import datetime

    from peerjournal.services.session_draft import SessionDraft

    workers = setup.get("workers") or [setup["worker"]]
    return SessionDraft(
        when=datetime.fromisoformat(str(setup["when"])),
        workers=[str(worker) for worker in workers],
        supervisor=str(setup.get("supervisor") or ""),
        minutes=int(setup["minutes"]),
        type=setup.get("type") or "professional",
        form=setup.get("form"),
        occasion=setup.get("occasion") or "scheduled",
        domains=[str(ref) for ref in setup.get("domains") or []],
    )


def draft_from_file(
    context: AppContext, service: "Supervision", settings: "Settings", path: Path
) -> "SessionDraft":
    """A whole session from a YAML file, checked like any hand-written file."""
    data = service.read_session_file(path)
    draft = base_draft(
        context, service, settings, workers=data.workers or data.worker, session_type=data.type,
        minutes=data.minutes, when=data.date, supervisor=data.supervisor,
    )  # fmt: skip
    describe(draft, form=data.form, occasion=data.occasion, domains=data.domains)
    draft.topics = list(data.topics.items())
    draft.wellbeing, draft.decisions, draft.notes = data.wellbeing, data.decisions, data.notes
    draft.actions = [
        (a.text, a.owner, context.day(a.due, future=True) if isinstance(a.due, str) else a.due)
        for a in data.actions
    ]
    draft.next_session = context.day(data.next_session, future=True) if data.next_session else None
    draft.entries = list(data.entries)
    service.checked_file(draft, path)  # a rule broken in the file names the file
    return draft


def draft_in_editor(
    context: AppContext,
    service: "Supervision",
    draft: "SessionDraft",
    agenda: "Agenda",
    review: "PrivacyReview",
) -> "SessionDraft":
    """Open a template with the agenda as headings; read it back as a session, once reviewed."""
    from peerjournal.models.supervision import SessionMeta
    from peerjournal.services.session_draft import default_form, session_fields, session_notes

    draft.topics = [(topic, "") for topic in agenda.topics()]
    draft.entries = [entry.id for entry in agenda.entries if not entry.shared]
    meta = SessionMeta(
        id="new", date=draft.when, supervisor=draft.supervisor, workers=draft.workers,
        type=draft.type, form=draft.form or default_form(draft.workers),
        occasion=draft.occasion, minutes=draft.minutes, domains=draft.domains,
        agenda=[t for t, _ in draft.topics], entries=draft.entries,
    )  # fmt: skip
    blank = session_notes(draft) + "\n\n## Wellbeing\n\n## Decisions\n"
    template = service.session_text(meta, blank).replace("---\n", "---\n" + _EDITOR_HELP, 1)
    before = session_fields(meta, blank)  # the agenda's own words are not the person's to fix
    meta, notes = _reviewed_in_editor(
        context, service, template, review, before=before, new_session=True
    )
    if service.unwritten(meta, notes, blank):
        from peerjournal.errors import InputError

        raise InputError("nothing was written in the template; nothing was saved")
    draft.when, draft.workers, draft.minutes, draft.type = (
        meta.date,
        meta.workers,
        meta.minutes,
        meta.type,
    )
    draft.form, draft.occasion, draft.domains = meta.form, meta.occasion, meta.domains
    draft.supervisor, draft.next_session, draft.entries = (
        meta.supervisor,
        meta.next_session,
        meta.entries,
    )
    draft.agenda, draft.topics, draft.notes = meta.agenda, [], notes
    draft.actions = [(a.text, a.owner, a.due) for a in meta.actions]
    return draft


def edit_session(
    context: AppContext, service: "Supervision", stored: "StoredSession", review: "PrivacyReview"
) -> "tuple[SessionMeta, str]":
    """Edit an existing session's file in the editor; what the edit adds is reviewed."""
    from peerjournal.services.session_draft import session_fields

    text = service.session_text(stored.meta, stored.notes)
    before = session_fields(stored.meta, stored.notes)
    return _reviewed_in_editor(context, service, text, review, before=before)


def _reviewed_in_editor(
    context: AppContext,
    service: "Supervision",
    text: str,
    review: "PrivacyReview",
    *,
    before: "Fields",
    new_session: bool = False,
) -> "tuple[SessionMeta, str]":
    """Edit until the file parses and the privacy rule lets it through; "edit" reopens it.

    A new session is also checked against the rules saving applies (due dates, next session),
    so a bad field reopens the editor instead of failing after it. A refusal, or any other
    failure after the editor closed, keeps the text in a recovery file.
    """
    from peerjournal.cli._privacy import keep_or_hand_back, stop_on_cancel
    from peerjournal.services.session_draft import session_fields

    latest = _edit_until_valid(context, service, text, checked=new_session)

    def again(
        current: "tuple[SessionMeta, str]", findings: "list[FieldFinding]"
    ) -> "tuple[SessionMeta, str]":
        nonlocal latest
        del findings  # the whole file opens again; the findings were listed just before
        latest = _edit_until_valid(
            context, service, service.session_text(*current), checked=new_session
        )
        return latest

    try:
        with stop_on_cancel(context):
            return review.review(
                latest, lambda pair: session_fields(*pair), redo=again, before=before
            )
    except typer.Exit:
        raise  # the person cancelled or stopped editing
    except BaseException:
        keep_or_hand_back(context, service.keep_unsaved, service.session_text(*latest))
        raise


def redo_guided(
    context: AppContext, draft: "SessionDraft", findings: "list[FieldFinding]"
) -> "SessionDraft":
    """Ask again for each field of a session that had a finding (guided and --notes modes)."""
    flagged = {found.field for found in findings}
    ask = context.prompter.ask
    for number, (topic, notes) in enumerate(list(draft.topics), start=1):
        if f"topic {number}" in flagged:
            topic = ask(f"Topic {number} (again)", default="").strip() or f"Topic {number}"
        if f"topic {number} notes" in flagged:
            notes = ask(f"Notes on topic {number} (again)", default="")
        draft.topics[number - 1] = (topic, notes)
    if "wellbeing" in flagged:
        draft.wellbeing = ask("Wellbeing check (again)", default="")
    if "decisions" in flagged:
        draft.decisions = ask("Decisions made (again)", default="")
    if "notes" in flagged:
        draft.notes = ask("Session notes (again)", default="")
    for number, (_, owner, due) in enumerate(list(draft.actions), start=1):
        if f"action {number}" in flagged:
            draft.actions[number - 1] = (ask(f"Action {number} (again)", default=""), owner, due)
    return draft


def _edit_until_valid(
    context: AppContext, service: "Supervision", text: str, *, checked: bool = False
) -> "tuple[SessionMeta, str]":
    from peerjournal.cli._editing import edit_until_valid

    def parse(edited: str) -> "tuple[SessionMeta, str]":
        meta, notes = service.from_editor(edited)
        if checked:
            service.check_edited(meta, edited, owner=context.settings.name)
        return meta, notes

    return edit_until_valid(context, text, parse, service.keep_unsaved)


_EDITOR_HELP = """\
# Write notes under each ## topic. New actions go in the front matter, for example:
# actions: [{text: Call the housing team, owner: Sam, due: 2026-12-01}]
# next_session: 2026-12-09
"""
