"""`peerjournal supervision ...`: prepare, record and follow up supervision sessions."""

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli import signoff, supervision_admin, supervision_agreement
from peerjournal.cli._context import AppContext, confirm_or_stop
from peerjournal.cli._privacy import StrictOpt

if TYPE_CHECKING:
    from datetime import datetime

    from peerjournal.models.settings import Settings
    from peerjournal.services.agenda import Agenda
    from peerjournal.services.session_draft import SessionDraft
    from peerjournal.services.supervision import Supervision

app = typer.Typer(
    no_args_is_help=True, help="Supervision sessions, agendas, action items and hours."
)

WorkerOpt = Annotated[
    str | None,
    typer.Option("--worker", "-w", help="The worker (default: you, or your only worker)."),
]


def service_for(context: AppContext) -> "Supervision":
    """The supervision service for this invocation's home."""
    return context.services.supervision


def settings_for(context: AppContext) -> "Settings":
    """The home's settings; a home that is not set up says how to begin."""
    return context.settings


def _agenda(
    context: AppContext,
    service: "Supervision",
    worker: str,
    settings: "Settings",
    as_of: "datetime | None" = None,
    *,
    group: "list[str] | None" = None,
) -> "Agenda":
    """The agenda now, or (``as_of``) what was open when a session took place.

    A session with several workers starts from an empty agenda: each worker's own agenda
    (their diary, gaps, actions) is theirs, not the group's.
    """
    from peerjournal.services.agenda import Agenda, build_agenda

    if group and len(group) > 1:
        return Agenda(", ".join(group), None, (), (), (), (), ())

    own_diary = settings.role == "peer-worker" and worker.casefold() == settings.name.casefold()
    return build_agenda(
        context.services.assessments, service, worker, include_diary=own_diary, as_of=as_of
    )


@app.command("prep")
def prep(
    ctx: typer.Context,
    worker: WorkerOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Also write the agenda to this Markdown file."),
    ] = None,
) -> None:
    """Build the agenda for the next session: diary entries, actions, goals, rating gaps.

    In a worker's own home it lists their diary entries marked for supervision and not yet
    discussed; in a supervisor's home it lists actions, goals, growth areas and gaps for the worker.
    """
    from peerjournal.services.agenda import agenda_markdown

    context = AppContext.of(ctx)
    service = service_for(context)
    settings = settings_for(context)
    who = service.resolve_worker(worker, settings)
    agenda = _agenda(context, service, who, settings)
    text = agenda_markdown(agenda, context.clock())
    if out is not None:
        service.write_text(out, text)
        context.err.print(f"Wrote {out}", markup=False)
    from rich.markdown import Markdown

    context.out.print(Markdown(text) if context.out.is_terminal else text, markup=False)


@app.command("new")
def new(
    ctx: typer.Context,
    workers: Annotated[
        list[str],
        typer.Option(
            "--worker",
            "-w",
            help="A worker in the session (repeatable for a group; default: you, or your only "
            "worker).",
        ),
    ] = [],  # noqa: B006
    session_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="What it is for: line-management, professional, cultural or reflective-practice.",
        ),
    ] = None,
    form: Annotated[
        str | None,
        typer.Option(
            "--form",
            help="How it is held: individual, group, peer or co-reflection (default: individual "
            "for one worker, group for several).",
        ),
    ] = None,
    domains: Annotated[
        list[str],
        typer.Option(
            "--domain",
            help="A framework domain or item it covered, FRAMEWORK/CODE, e.g. "
            "icrc-peer-recovery/advocacy (repeatable); counts toward a credential's hours.",
        ),
    ] = [],  # noqa: B006
    unscheduled: Annotated[
        bool, typer.Option("--unscheduled", help="It was not planned ahead.")
    ] = False,
    debrief: Annotated[
        bool,
        typer.Option("--debrief", help="An unscheduled debrief after a critical incident."),
    ] = False,
    cancelled: Annotated[
        bool, typer.Option("--cancelled", help="It was cancelled: kept with --why, no hours.")
    ] = False,
    missed: Annotated[
        bool, typer.Option("--missed", help="It was missed: kept with --why, no hours.")
    ] = False,
    why: Annotated[
        str | None, typer.Option("--why", help="Why it was cancelled or missed.")
    ] = None,
    minutes: Annotated[
        int | None, typer.Option("--minutes", "-m", help="How long it lasted.")
    ] = None,
    when: Annotated[
        str | None, typer.Option("--date", help="When it took place (default: now).")
    ] = None,
    notes: Annotated[
        str | None, typer.Option("--notes", help="Quick mode: the session notes as text.")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option("--from", help="Scripted mode: a YAML file with the whole session."),
    ] = None,
    editor: Annotated[
        bool, typer.Option("--editor", "-e", help="Write the notes in $VISUAL or $EDITOR.")
    ] = False,
    supervisor: Annotated[
        str | None, typer.Option("--supervisor", help="The supervisor's name.")
    ] = None,
    strict: StrictOpt = False,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Carry on with the newest unfinished guided session."),
    ] = False,
) -> None:
    """Record a session: notes per agenda topic, wellbeing, decisions, actions, next date.

    A session has a type (what it is for) and a form (how it is held): cultural supervision in
    a group is '--type cultural --form group --worker A --worker B'. A group session starts
    from no agenda (each worker's agenda is theirs) and each worker later sees only their own
    part of it. '--cancelled --why TEXT' or '--missed --why TEXT' keeps a session that did not
    happen; it counts no hours. '--domain FRAMEWORK/DOMAIN' tags what it covered, for a
    credential's hours (see 'supervision hours --credential').

    With no --notes, --from or --editor it walks through the agenda topic by topic (Enter
    skips one). Notes take several lines; an empty line or Ctrl-D ends them. Dates are checked
    as they are typed. The answers are kept as a draft as you go: after Ctrl-C or a closed
    terminal, 'peerjournal supervision new --resume' carries on. Diary entries on the agenda
    are marked as discussed. Notes, decisions and actions pass the privacy check before the
    session is saved.
    """
    from contextlib import AbstractContextManager, nullcontext

    from peerjournal.cli import supervision_record as record
    from peerjournal.cli._drafts import existing_draft, kept_on_stop
    from peerjournal.cli._privacy import keep_or_hand_back, privacy_review, stop_on_cancel
    from peerjournal.errors import InputError
    from peerjournal.services.session_draft import draft_fields, draft_with, recovery_text

    context = AppContext.of(ctx)
    service = service_for(context)
    settings = settings_for(context)
    if cancelled and missed:
        raise InputError("a session is either --cancelled or --missed, not both")
    attendance = "cancelled" if cancelled else "missed" if missed else "attended"
    if attendance != "attended":
        if why is None or not why.strip():
            raise InputError(f"say why the session was {attendance} with --why")
        if notes is not None or from_file is not None or editor or resume:
            raise InputError(f"a {attendance} session has no notes; give only --why")
    elif why is not None:
        raise InputError("--why goes with --cancelled or --missed")
    occasion = "critical-incident" if debrief else "unscheduled" if unscheduled else "scheduled"
    guided = attendance == "attended" and notes is None and from_file is None and not editor
    if resume and not guided:
        raise InputError("--resume carries on a guided session; drop --notes, --from and --editor")
    review = privacy_review(context, strict=strict)
    redo = None  # from a file: a flagged part is typed again at the prompt (draft_with)
    reviewed = False
    agenda_words: list[tuple[str, str]] = []  # already in the records the agenda came from
    checkpoint = None
    if guided:
        from peerjournal.services.drafts import for_worker

        where = for_worker(workers[0] if len(workers) == 1 else None)
        # a draft for another worker is not offered
        checkpoint = existing_draft(context, "session", resume=resume, where=where)
    kept: AbstractContextManager[None] = nullcontext()
    if checkpoint is not None:
        draft = record.draft_from_setup(checkpoint.draft.setup)
    elif from_file is not None:
        draft = record.draft_from_file(context, service, settings, from_file)
    else:

        def settle(draft: "SessionDraft") -> None:
            record.describe(draft, form=form, occasion=occasion, domains=domains)
            record.attend(draft, attendance, why or "")
            service.check_draft(draft)  # every option is refused before anything is asked

        draft = record.base_draft(
            context, service, settings, workers=workers, session_type=session_type,
            minutes=minutes, when=when, supervisor=supervisor,
            held=attendance == "attended", settle=settle,
        )  # fmt: skip
        agenda = _agenda(
            context, service, draft.worker, settings, as_of=draft.when, group=draft.workers
        )
        agenda_words = [("agenda", topic) for topic in agenda.topics()]
        if attendance != "attended":
            pass  # nothing to write but the reason, which the privacy review reads below
        elif notes is not None:
            draft.notes = notes
            draft.topics = [(topic, "") for topic in agenda.topics()]
            draft.entries = [e.id for e in agenda.entries if not e.shared]
            redo = partial(record.redo_guided, context)
        elif editor:
            draft = record.draft_in_editor(context, service, draft, agenda, review)
            reviewed = True  # in the editor loop, where "edit" reopens the editor
        else:
            setup = record.session_setup(draft, agenda)
            checkpoint = context.services.drafts.start("session", setup)
    if checkpoint is not None:
        topics = checkpoint.draft.setup.get("topics") or []
        agenda_words = [("agenda", str(topic)) for topic in topics]
        redo = partial(record.redo_guided, context)
        kept = kept_on_stop(context, checkpoint)
    with kept:
        if checkpoint is not None:
            draft = record.draft_guided(context, service, draft, checkpoint)
        try:
            with stop_on_cancel(context):
                if not reviewed:
                    draft = review.review(
                        draft, draft_fields, redo=redo, put=draft_with, before=agenda_words
                    )
            stored = service.record(draft)
        except typer.Exit:
            raise  # the person cancelled: nothing more to keep
        except BaseException:  # a refusal or a failed save keeps what was typed here
            if from_file is None:
                keep_or_hand_back(context, service.keep_unsaved, recovery_text(draft))
            raise
    if checkpoint is not None:
        context.services.drafts.done(checkpoint)
    held = "" if stored.meta.held else f" ({stored.meta.attendance}: no hours)"
    context.out.print(f"Saved supervision session {stored.meta.id}{held}", markup=False)
    for action in stored.meta.actions:
        context.out.print(
            f"  action {action.id}: {action.owner}, due {action.due or '-'}", markup=False
        )


@app.command("list")
def list_sessions(
    ctx: typer.Context,
    worker: WorkerOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List sessions, oldest first: workers, type, form, length (or cancelled), open actions.

    With --worker, a group session shows only that worker and their own actions.
    """
    context = AppContext.of(ctx)
    service = service_for(context)
    who = service.resolve_worker(worker, settings_for(context)) if worker else None
    sessions = service.sessions(who)
    if as_json:
        import json

        from peerjournal.services.json_views import session_json

        rows = [session_json(stored) for stored in sessions]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not sessions:
        context.err.print("No supervision sessions yet.")
        return
    from peerjournal.ui.supervision_render import sessions_table

    context.out.print(sessions_table(sessions))


@app.command("show")
def show(
    ctx: typer.Context,
    session_id: Annotated[
        str, typer.Argument(metavar="ID", help="A session id or a unique start of one.")
    ],
) -> None:
    """Show one session with its notes and action items."""
    from peerjournal.ui.supervision_render import session_view

    context = AppContext.of(ctx)
    context.out.print(session_view(service_for(context).get(session_id)))


@app.command("edit")
def edit(
    ctx: typer.Context,
    session_id: Annotated[
        str, typer.Argument(metavar="ID", help="A session id or a unique start of one.")
    ],
    strict: StrictOpt = False,
) -> None:
    """Change a session's notes and details in your editor; what you add is privacy-checked."""
    from peerjournal.cli import supervision_record as record
    from peerjournal.cli._privacy import keep_or_hand_back, privacy_review

    context = AppContext.of(ctx)
    service = service_for(context)
    stored = service.get(session_id)
    review = privacy_review(context, strict=strict)
    meta, notes = record.edit_session(context, service, stored, review)
    try:
        service.update(stored, meta, notes)
    except BaseException:  # any failure keeps the edited text
        keep_or_hand_back(context, service.keep_unsaved, service.session_text(meta, notes))
        raise
    context.out.print(f"Updated supervision session {stored.meta.id}", markup=False)


@app.command("delete")
def delete(
    ctx: typer.Context,
    session_id: Annotated[
        str, typer.Argument(metavar="ID", help="A session id or a unique start of one.")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Move a session (and its action items) to the trash."""
    context = AppContext.of(ctx)
    service = service_for(context)
    stored = service.get(session_id)
    confirm_or_stop(context, f"Move session {stored.meta.id} to the trash?", yes=yes)
    service.delete(stored)
    context.out.print(f"Moved session {stored.meta.id} to the trash", markup=False)


supervision_agreement.register(app)
supervision_admin.register(app)
signoff.register(app)
