"""`peerjournal supervision agreement`: the agreements between a worker and their supervisors."""

from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext
from peerjournal.cli._privacy import StrictOpt, keep_or_hand_back, privacy_review, stop_on_cancel
from peerjournal.cli.supervision_admin import WorkerOpt

if TYPE_CHECKING:
    from datetime import date

    from peerjournal.services.agreements import Agreements, SavedAgreement, StoredAgreement
    from peerjournal.services.supervision import Supervision

INTERRUPTED = 130  # what a shell reports for Ctrl-C


def register(app: typer.Typer) -> None:
    """Add the agreement command to the supervision app."""
    app.command("agreement")(agreement)


def _service(context: AppContext) -> "Supervision":
    return context.services.supervision


def agreement(
    ctx: typer.Context,
    worker: WorkerOpt = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="What the supervision is for: line-management, professional, cultural or "
            "reflective-practice. A worker holds one agreement of each type; needed to show or "
            "change one when the worker has several.",
        ),
    ] = None,
    supervisor: Annotated[
        str | None, typer.Option("--supervisor", help="The supervisor's name.")
    ] = None,
    supervisor_lived: Annotated[
        str | None,
        typer.Option(
            "--supervisor-lived-experience",
            metavar="yes|no|unknown",
            help="Whether the supervisor has lived experience of peer work.",
        ),
    ] = None,
    line_manager: Annotated[
        str | None,
        typer.Option(
            "--line-manager",
            help="The worker's line manager, the third party of a three-way agreement "
            "(a person's name; someone new is added).",
        ),
    ] = None,
    manager_lived: Annotated[
        str | None,
        typer.Option(
            "--line-manager-lived-experience",
            metavar="yes|no|unknown",
            help="Whether the line manager has lived experience of peer work "
            "(Te Pou advises that peer workers be line managed by peer workers).",
        ),
    ] = None,
    form: Annotated[
        str | None,
        typer.Option("--form", help="How it is held: individual, group, peer or co-reflection."),
    ] = None,
    purpose: Annotated[
        str | None, typer.Option("--purpose", help="The purpose and scope of the supervision.")
    ] = None,
    goals: Annotated[
        list[str], typer.Option("--goal", help="A goal of supervision (repeatable).")
    ] = [],  # noqa: B006
    roles: Annotated[
        str | None,
        typer.Option("--roles", help="Roles and responsibilities: who does what."),
    ] = None,
    frequency: Annotated[
        str | None, typer.Option("--frequency", help="e.g. 'every two weeks'.")
    ] = None,
    minutes: Annotated[
        int | None, typer.Option("--minutes", help="Usual length of a session.")
    ] = None,
    mode: Annotated[str | None, typer.Option("--mode", help="in-person, phone or video.")] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Where sessions are held (e.g. the team room).")
    ] = None,
    brings: Annotated[
        str | None, typer.Option("--brings", help="What the worker brings to sessions.")
    ] = None,
    confidentiality: Annotated[
        str | None, typer.Option("--confidentiality", help="What stays private.")
    ] = None,
    limits: Annotated[
        str | None, typer.Option("--limits", help="The limits of confidentiality.")
    ] = None,
    notes_kept: Annotated[
        str | None, typer.Option("--notes-kept", help="How notes are kept and who sees them.")
    ] = None,
    between: Annotated[
        str | None,
        typer.Option("--between-sessions", help="Contact between sessions, and in an emergency."),
    ] = None,
    cancellations: Annotated[
        str | None,
        typer.Option("--cancellations", help="How a session is cancelled and rebooked."),
    ] = None,
    cover: Annotated[
        str | None,
        typer.Option("--cover", help="Who supervises when the supervisor is away."),
    ] = None,
    disagreements: Annotated[
        str | None,
        typer.Option("--disagreements", help="How disagreements are resolved."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help="The start date (default: today, for a new agreement)."),
    ] = None,
    review: Annotated[
        str | None,
        typer.Option("--review", help="The review date (in the future, after the start)."),
    ] = None,
    acknowledge: Annotated[
        bool,
        typer.Option(
            "--acknowledge",
            help="Record that you (this home's user, a party to the agreement) agree to it as "
            "it reads now. Changing any term later clears every acknowledgement.",
        ),
    ] = False,
    edit: Annotated[bool, typer.Option("--edit", help="Answer every question again.")] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the agreement as JSON (a list when the worker has several), for scripts.",
        ),
    ] = False,
    strict: StrictOpt = False,
    new: Annotated[
        bool, typer.Option("--new", help="Add --worker as a new person if nobody has that name.")
    ] = False,
) -> None:
    """Create, change, show or acknowledge a supervision agreement with a worker.

    A worker may hold several agreements, one of each type (--type). With no options it shows
    the agreement (or lists them when there are several), or asks for each part when there is
    none yet. A worker nobody knows yet needs 'peerjournal people add NAME' first, or --new.
    """
    from peerjournal.errors import PeerJournalError, PrivacyRefusedError
    from peerjournal.services.agreements import check_type, typed_text
    from peerjournal.services.session_draft import check_minutes

    context = AppContext.of(ctx)
    service = _service(context)
    agreements = service.agreements_service
    settings = context.settings
    who = service.resolve_worker(worker, settings, new=new, recording=True)
    if kind is not None:
        check_type(kind)
    given: dict[str, object] = {
        "supervisor": supervisor, "supervisor_lived_experience": supervisor_lived,
        "line_manager": line_manager, "line_manager_lived_experience": manager_lived,
        "form": form, "purpose": purpose, "roles": roles, "frequency": frequency,
        "minutes": minutes, "mode": mode, "place": place, "worker_brings": brings,
        "confidentiality": confidentiality, "confidentiality_limits": limits,
        "notes_kept": notes_kept, "between_sessions": between, "cancellations": cancellations,
        "cover": cover, "disagreements": disagreements,
    }  # fmt: skip
    given = {key: value for key, value in given.items() if value is not None}
    if minutes is not None:
        check_minutes(minutes)
    if goals:
        given["goals"] = goals
    if start:
        given["start_date"] = context.day(start)
    if review:
        given["review_date"] = context.day(review, future=True)
    changing = bool(given) or edit
    theirs = agreements.of_worker(who)
    if kind is None and len(theirs) > 1 and not changing and not acknowledge:
        _show_several(context, theirs, as_json=as_json)
        return
    existing = agreements.chosen(who, kind)  # several without --type: one line, exit 2
    if not changing:
        if existing is None and (acknowledge or as_json):
            from peerjournal.services.agreements import none_yet

            raise none_yet(who, kind)
        if existing is not None:
            if acknowledge:
                _acknowledge(context, agreements, who, existing.agreement.type)
            else:
                _show(context, existing, as_json=as_json)
            return
    base: dict[str, object] = existing.agreement.model_dump() if existing else {
        "id": "new", "worker": who, "type": kind or "professional",
        "supervisor": settings.name if settings.role == "supervisor" else "",
        "start_date": context.clock().date(),
    }  # fmt: skip
    answers: dict[str, object] = {}
    if not given or edit:
        _asked(context, agreements, base, answers, ask_type=existing is None and kind is None)
    typed = answers | given
    kept = typed_text(typed) if answers else None
    try:
        saved = _save(context, agreements, base | typed, existing, strict=strict, kept=kept)
    except PrivacyRefusedError:
        raise  # kept already
    except PeerJournalError:
        if kept:  # answers typed at the questions are never lost to a refusal
            keep_or_hand_back(context, agreements.keep_unsaved, kept)
        raise
    what = f"the {saved.agreement.type} supervision agreement with {who}"
    console = context.err if as_json else context.out  # stdout stays JSON with --json
    console.print(f"Saved {what} ({saved.path.stem})", markup=False)
    if saved.cleared:
        console.print(
            f"The words changed, so the acknowledgements by {', '.join(saved.cleared)} no longer "
            "hold; each party acknowledges again with --acknowledge.",
            markup=False,
        )
    if acknowledge:
        _acknowledge(context, agreements, who, saved.agreement.type, quiet=as_json)
    if as_json:
        stored = agreements.agreement(who, saved.agreement.type)
        if stored is not None:
            _show(context, stored, as_json=True)


def _save(
    context: AppContext,
    agreements: "Agreements",
    data: dict[str, object],
    existing: "StoredAgreement | None",
    *,
    strict: bool,
    kept: str | None,
) -> "SavedAgreement":
    """Check the words for identifying details and save; a refusal keeps what was typed."""
    from peerjournal.errors import PrivacyRefusedError
    from peerjournal.services.agreements import agreement_fields, agreement_with

    agreement = agreements.build(data)
    before = agreement_fields(existing.agreement) if existing else []
    try:
        with stop_on_cancel(context):
            agreement = privacy_review(context, strict=strict).review(
                agreement, agreement_fields, put=agreement_with, before=before
            )
    except PrivacyRefusedError:
        typed = "".join(f"{name}: {text}\n" for name, text in agreement_fields(agreement) if text)
        keep_or_hand_back(context, agreements.keep_unsaved, kept or typed)  # never lost
        raise
    return agreements.save_agreement(agreement)


def _show(context: AppContext, stored: "StoredAgreement", *, as_json: bool) -> None:
    if as_json:
        import json

        from peerjournal.services.agreements import agreement_json

        row = agreement_json(stored, context.clock().date())
        typer.echo(json.dumps(row, ensure_ascii=False, indent=2))
        return
    from peerjournal.ui.agreement_render import agreement_view

    context.out.print(agreement_view(stored.agreement, context.clock().date()))


def _show_several(context: AppContext, found: "list[StoredAgreement]", *, as_json: bool) -> None:
    today = context.clock().date()
    if as_json:
        import json

        from peerjournal.services.agreements import agreement_json

        rows = [agreement_json(stored, today) for stored in found]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from peerjournal.ui.agreement_render import agreements_table

    context.out.print(agreements_table(found, today))


def _acknowledge(
    context: AppContext, agreements: "Agreements", who: str, kind: str, *, quiet: bool = False
) -> None:
    """Record the home's user's acknowledgement and say who has yet to give theirs."""
    from peerjournal.services.agreements import awaiting

    me = context.settings.name
    done = agreements.acknowledge(who, kind, me)
    what = f"the {kind} supervision agreement with {who}"
    if done.earlier is not None:
        message = f"{me} already acknowledged {what} as it reads now, on {done.earlier.at:%Y-%m-%d}"
    else:
        message = f"Acknowledged {what} as {me}"
    waiting = [f"{name} ({role})" for role, name in awaiting(done.stored.agreement)]
    message += (
        "; not yet acknowledged by " + ", ".join(waiting)
        if waiting
        else "; every party has acknowledged it now"
    )
    console = context.err if quiet else context.out
    console.print(message, markup=False)


def _asked(
    context: AppContext,
    agreements: "Agreements",
    base: dict[str, object],
    answers: dict[str, object],
    *,
    ask_type: bool,
) -> None:
    """Ask each part; Ctrl-C or an ended input keeps every answer given so far."""
    from peerjournal.errors import PeerJournalError
    from peerjournal.services.agreements import typed_text

    try:
        _ask_agreement(context, agreements, base, answers, ask_type=ask_type)
    except KeyboardInterrupt:
        context.err.print()
        if answers:
            keep_or_hand_back(context, agreements.keep_unsaved, typed_text(answers))
        context.err.print("Stopped; the agreement was not saved.", markup=False)
        raise typer.Exit(INTERRUPTED) from None
    except PeerJournalError:
        if answers:
            keep_or_hand_back(context, agreements.keep_unsaved, typed_text(answers))
        raise


def _ask_agreement(
    context: AppContext,
    agreements: "Agreements",
    base: dict[str, object],
    answers: dict[str, object],
    *,
    ask_type: bool,
) -> None:
    """Each part of the agreement in turn, into ``answers`` as it is given; each one checked."""
    from peerjournal.errors import PeerJournalError
    from peerjournal.models.agreement import LIVED_EXPERIENCE
    from peerjournal.models.supervision import MODES, SUPERVISION_FORMS, SUPERVISION_TYPES
    from peerjournal.services.session_draft import MAX_MINUTES

    ask, choose, err = context.prompter.ask, context.prompter.choose, context.err

    def text(key: str, question: str) -> None:
        answers[key] = ask(question, default=str(base.get(key) or ""))

    def pick(key: str, question: str, choices: "tuple[str, ...]", default: str) -> None:
        answers[key] = choose(question, choices, default=str(base.get(key) or default))

    def person(key: str, question: str) -> str:
        while True:
            name = ask(question, default=str(base.get(key) or ""))
            problem = agreements.name_problem(name)
            if problem is None:
                answers[key] = name
                return name
            err.print(f"{problem} Please type the name again.", markup=False)

    def day(question: str, key: str, *, future: bool) -> "date":
        default = base.get(key) or (context.clock().date() if key == "start_date" else "")
        while True:
            typed = ask(question, default=str(default))
            try:
                return context.day(typed, future=future)
            except PeerJournalError as problem:  # a date it cannot read is asked again
                err.print(str(problem), markup=False)

    lived = "Does {} have lived experience of peer work?"
    if person("supervisor", "Supervisor's name"):
        pick(
            "supervisor_lived_experience",
            lived.format("the supervisor"),
            LIVED_EXPERIENCE,
            "unknown",
        )
    if person("line_manager", "Line manager's name (empty for none)"):
        pick(
            "line_manager_lived_experience",
            lived.format("the line manager"),
            LIVED_EXPERIENCE,
            "unknown",
        )
    if ask_type:
        pick("type", "Type of supervision", SUPERVISION_TYPES, "professional")
    pick("form", "Form (how it is held)", SUPERVISION_FORMS, "individual")
    text("purpose", "Purpose and scope")
    known_goals = base.get("goals")
    joined = "; ".join(str(g) for g in known_goals) if isinstance(known_goals, list) else ""
    goals = ask("Goals of supervision, separated by semicolons", default=joined)
    answers["goals"] = [goal.strip() for goal in goals.split(";") if goal.strip()]
    text("roles", "Roles and responsibilities (who does what)")
    text("frequency", "How often (e.g. every two weeks)")
    answers["frequency"] = answers["frequency"] or "every two weeks"
    while True:
        length = ask("Usual length in minutes", default=str(base.get("minutes") or 60))
        if length.isdigit() and 0 < int(length) <= MAX_MINUTES:
            answers["minutes"] = int(length)
            break
        err.print(f"Please give a whole number of minutes, 1 to {MAX_MINUTES}.")
    pick("mode", "Mode", MODES, "in-person")
    text("place", "Place (e.g. the team room)")
    text("worker_brings", "What the worker brings (e.g. diary entries, questions)")
    text("confidentiality", "What stays confidential")
    text("confidentiality_limits", "Limits of confidentiality")
    text("notes_kept", "How notes are kept and who sees them")
    text("between_sessions", "Contact between sessions (and in an emergency)")
    text("cancellations", "Cancellations (notice, rebooking)")
    text("cover", "Cover when the supervisor is away")
    text("disagreements", "How disagreements are resolved")
    answers["start_date"] = start = day("Start date", "start_date", future=False)
    while True:
        review = day("Review date", "review_date", future=True)
        reason = agreements.review_date_problem(review, start)
        if reason is None:
            answers["review_date"] = review
            return
        err.print(f"{reason}; please give another date.", markup=False)
