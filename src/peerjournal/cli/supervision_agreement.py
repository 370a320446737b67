"""`peerjournal supervision agreement`: the agreement between a worker and a supervisor."""

from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext
from peerjournal.cli._privacy import StrictOpt, keep_or_hand_back, privacy_review, stop_on_cancel
from peerjournal.cli.supervision_admin import WorkerOpt

if TYPE_CHECKING:
    from peerjournal.services.supervision import Supervision


def register(app: typer.Typer) -> None:
    """Add the agreement command to the supervision app."""
    app.command("agreement")(agreement)


def _service(context: AppContext) -> "Supervision":
    return context.services.supervision


def agreement(
    ctx: typer.Context,
    worker: WorkerOpt = None,
    supervisor: Annotated[
        str | None, typer.Option("--supervisor", help="The supervisor's name.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--type", help="line-management, professional, cultural, group or peer."),
    ] = None,
    frequency: Annotated[
        str | None, typer.Option("--frequency", help="e.g. 'every two weeks'.")
    ] = None,
    minutes: Annotated[
        int | None, typer.Option("--minutes", help="Usual length of a session.")
    ] = None,
    goals: Annotated[
        list[str], typer.Option("--goal", help="A goal of supervision (repeatable).")
    ] = [],  # noqa: B006
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
    review: Annotated[str | None, typer.Option("--review", help="The review date.")] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Answer every question again.")] = False,
    strict: StrictOpt = False,
    new: Annotated[
        bool, typer.Option("--new", help="Add --worker as a new person if nobody has that name.")
    ] = False,
) -> None:
    """Create, change or show the supervision agreement with a worker.

    With no options it shows the agreement, or asks for each part when there is none yet.
    A worker nobody knows yet needs 'peerjournal people add NAME' first, or --new.
    """
    from peerjournal.errors import InputError, PrivacyRefusedError
    from peerjournal.models.agreement import Agreement
    from peerjournal.models.supervision import SUPERVISION_TYPES
    from peerjournal.services.agreements import agreement_fields, agreement_with
    from peerjournal.services.supervision import check_minutes
    from peerjournal.ui.supervision_render import agreement_view

    context = AppContext.of(ctx)
    service = _service(context)
    settings = context.settings
    who = service.resolve_worker(worker, settings, new=new, recording=True)
    existing = service.agreement(who)
    given: dict[str, object] = {
        "supervisor": supervisor, "type": kind, "frequency": frequency, "minutes": minutes,
        "worker_brings": brings, "confidentiality": confidentiality,
        "confidentiality_limits": limits, "notes_kept": notes_kept,
    }  # fmt: skip
    given = {key: value for key, value in given.items() if value is not None}
    if minutes is not None:
        check_minutes(minutes)
    if goals:
        given["goals"] = goals
    if review:
        given["review_date"] = context.day(review, future=True)
    if existing is not None and not given and not edit:
        context.out.print(agreement_view(existing.agreement, context.clock().date()))
        return
    base: dict[str, object] = existing.agreement.model_dump() if existing else {
        "id": "new", "worker": who,
        "supervisor": settings.name if settings.role == "supervisor" else "",
    }  # fmt: skip
    if not given or edit:
        given = _ask_agreement(context, base) | given
    data = base | given
    if data.get("type", "professional") not in SUPERVISION_TYPES:
        raise InputError(f"--type must be one of: {', '.join(SUPERVISION_TYPES)}")
    if "review_date" not in data:
        raise InputError("the agreement needs a review date (--review)")
    agreement = Agreement.model_validate(data)
    before = agreement_fields(existing.agreement) if existing else []
    try:
        with stop_on_cancel(context):
            agreement = privacy_review(context, strict=strict).review(
                agreement, agreement_fields, put=agreement_with, before=before
            )
    except PrivacyRefusedError:
        typed = "".join(f"{name}: {text}\n" for name, text in agreement_fields(agreement) if text)
        keep_or_hand_back(context, service.keep_unsaved, typed)  # answers typed are never lost
        raise
    path = service.agreements_service.save_agreement(agreement)
    context.out.print(f"Saved the supervision agreement with {who} ({path.stem})", markup=False)


def _ask_agreement(context: AppContext, base: dict[str, object]) -> dict[str, object]:
    from peerjournal.models.supervision import SUPERVISION_TYPES
    from peerjournal.services.supervision import MAX_MINUTES

    ask = context.prompter.ask

    def text(key: str, question: str) -> str:
        return ask(question, default=str(base.get(key) or ""))

    answers: dict[str, object] = {
        "supervisor": text("supervisor", "Supervisor's name"),
        "type": context.prompter.choose(
            "Type of supervision",
            SUPERVISION_TYPES,
            default=str(base.get("type") or "professional"),
        ),
        "frequency": text("frequency", "How often (e.g. every two weeks)") or "every two weeks",
    }
    while True:
        length = ask("Usual length in minutes", default=str(base.get("minutes") or 60))
        if length.isdigit() and 0 < int(length) <= MAX_MINUTES:
            answers["minutes"] = int(length)
            break
        context.err.print(f"Please give a whole number of minutes, 1 to {MAX_MINUTES}.")
    known_goals = base.get("goals")
    joined = "; ".join(str(g) for g in known_goals) if isinstance(known_goals, list) else ""
    goals = ask("Goals of supervision, separated by semicolons", default=joined)
    answers["goals"] = [goal.strip() for goal in goals.split(";") if goal.strip()]
    answers["worker_brings"] = text(
        "worker_brings", "What the worker brings (e.g. diary entries, questions)"
    )
    answers["confidentiality"] = text("confidentiality", "What stays confidential")
    answers["confidentiality_limits"] = text("confidentiality_limits", "Limits of confidentiality")
    answers["notes_kept"] = text("notes_kept", "How notes are kept and who sees them")
    while True:
        day = ask("Review date", default=str(base.get("review_date") or ""))
        try:
            review = context.day(day, future=True)
        except Exception as problem:  # noqa: BLE001 - re-ask a bad date, never crash
            context.err.print(str(problem), markup=False)
            continue
        reason = context.services.supervision.agreements_service.review_date_problem(review)
        if reason is None:
            answers["review_date"] = review
            return answers
        context.err.print(f"{reason}; please give another date.", markup=False)
