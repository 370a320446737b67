"""`peerjournal supervision actions|done|drop|hours`: the follow-up commands."""

from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext
from peerjournal.cli._privacy import StrictOpt, privacy_review, stop_on_cancel

if TYPE_CHECKING:
    from peerjournal.services.supervision import Supervision

WorkerOpt = Annotated[
    str | None,
    typer.Option("--worker", "-w", help="The worker (default: you, or your only worker)."),
]


def register(app: typer.Typer) -> None:
    """Add the follow-up commands to the supervision app."""
    app.command("actions")(actions)
    app.command("done")(done)
    app.command("drop")(drop)
    app.command("hours")(hours)


def _service(context: AppContext) -> "Supervision":
    return context.services.supervision


def actions(
    ctx: typer.Context,
    worker: WorkerOpt = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only open actions.")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open actions past their due date.")
    ] = False,
) -> None:
    """List action items from every session, open and overdue ones marked."""
    from peerjournal.ui.supervision_render import actions_table

    context = AppContext.of(ctx)
    service = _service(context)
    who = service.resolve_worker(worker, context.settings) if worker else None
    only = "overdue" if overdue else "open" if open_only else None
    views = service.actions(who, only=only)
    if not views:
        context.err.print("No action items match.")
        return
    context.out.print(actions_table(views))


def done(
    ctx: typer.Context,
    action_id: Annotated[str, typer.Argument(metavar="ID", help="An action id, e.g. A3f9c2.")],
) -> None:
    """Mark an action item done; it leaves the next agenda."""
    context = AppContext.of(ctx)
    view = _service(context).close(action_id, status="done")
    context.out.print(f"Action {view.action.id} is done.", markup=False)


def drop(
    ctx: typer.Context,
    action_id: Annotated[str, typer.Argument(metavar="ID", help="An action id, e.g. A3f9c2.")],
    why: Annotated[str, typer.Option("--why", help="Why it is no longer needed.")] = "",
    strict: StrictOpt = False,
) -> None:
    """Drop an action item, with the reason; it leaves the next agenda."""
    context = AppContext.of(ctx)
    with stop_on_cancel(context):
        why = privacy_review(context, strict=strict).review(
            why, lambda text: [("reason", text)], put=lambda _, again: again["reason"]
        )
    view = _service(context).close(action_id, status="dropped", why=why)
    context.out.print(f"Action {view.action.id} is dropped.", markup=False)


def hours(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="From this day.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Up to and including this day.")
    ] = None,
    worker: WorkerOpt = None,
    by: Annotated[str, typer.Option("--by", help="Group by month, type or worker.")] = "month",
    target: Annotated[
        float | None,
        typer.Option("--target", help="Hours required, e.g. 25 for the IC&RC peer credential."),
    ] = None,
) -> None:
    """Total supervision hours, by month, type or worker, with progress toward a target."""
    from peerjournal.errors import InputError
    from peerjournal.ui.supervision_render import hours_view

    if by not in ("month", "type", "worker"):
        raise InputError("--by must be one of: month, type, worker")
    if target is not None and target <= 0:
        raise InputError("--target must be more than 0 hours")
    context = AppContext.of(ctx)
    service = _service(context)
    who = service.resolve_worker(worker, context.settings) if worker else None
    report = service.hours(
        since=context.day(since) if since else None,
        until=context.day(until) if until else None,
        worker=who,
        by=by,  # type: ignore[arg-type]  # checked above
        target_hours=target,
    )
    context.out.print(hours_view(report, by))
