"""`peerjournal supervision actions|done|drop|hours|credentials`: the follow-up commands."""

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
    app.command("credentials")(credentials)


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
    by: Annotated[
        str, typer.Option("--by", help="Group by month, type, form or worker.")
    ] = "month",
    target: Annotated[
        float | None,
        typer.Option("--target", help="Hours required, e.g. 25 for the IC&RC peer credential."),
    ] = None,
    credential: Annotated[
        str | None,
        typer.Option(
            "--credential",
            help="Progress per rule of a credential (e.g. icrc-pr) with a projected date.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Total supervision hours, by month, type, form or worker, with progress toward a target.

    Cancelled and missed sessions count no hours. A group session counts once in a total and
    once for each of its workers. With --credential, each of the credential's rules (from
    bundled files or the home's credentials/*.yaml) shows hours counted and needed, and the
    date every rule is met at the pace of the last 90 days.
    """
    from peerjournal.errors import InputError
    from peerjournal.services.json_views import hours_json, progress_json
    from peerjournal.services.supervision_hours import GROUPINGS

    if by not in GROUPINGS:
        raise InputError(f"--by must be one of: {', '.join(GROUPINGS)}")
    if target is not None and target <= 0:
        raise InputError("--target must be more than 0 hours")
    context = AppContext.of(ctx)
    service = _service(context)
    first = context.day(since) if since else None
    last = context.day(until) if until else None
    if credential is not None:
        if target is not None:
            raise InputError("--credential brings its own hours; drop --target")
        rules = context.services.credentials.get(credential)
        who = service.resolve_worker(worker, context.settings)
        progress = context.services.credentials.progress(
            rules, who, service.metas(who, since=first, until=last), context.clock().date()
        )
        if as_json:
            _print_json(progress_json(progress))
            return
        from peerjournal.ui.supervision_render import credential_view

        context.out.print(credential_view(progress))
        return
    named = service.resolve_worker(worker, context.settings) if worker else None
    report = service.hours(
        since=first, until=last, worker=named,
        by=by,  # checked above
        target_hours=target,
    )  # fmt: skip
    if as_json:
        _print_json(hours_json(report))
        return
    from peerjournal.ui.supervision_render import hours_view

    context.out.print(hours_view(report, by))


def credentials(ctx: typer.Context) -> None:
    """List the credentials whose supervision rules 'hours --credential' can follow.

    Bundled ones, and the home's own credentials/*.yaml (one per credential; a file with a
    bundled id replaces it). A broken file is named with its line; the rest still list.
    """
    from peerjournal.ui.console import warn

    context = AppContext.of(ctx)
    known = context.services.credentials.all()
    for credential in known.values():
        hours = ", ".join(
            f"{rule.hours:g} h" for rule in credential.rules if rule.kind == "hours" and rule.hours
        )
        typer.echo(f"{credential.id:<14} {credential.title} ({hours})")
    for problem in context.services.credentials.problems:
        warn(str(problem))
    if context.services.credentials.problems:
        raise typer.Exit(2)


def _print_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
