"""`peerjournal drafts ...`: guided entries and sessions not finished yet."""

from typing import Annotated

import typer

from peerjournal.cli._context import AppContext

app = typer.Typer(
    invoke_without_command=True,
    help="Unfinished guided diary entries and supervision sessions, kept after every answer.",
)


@app.callback()
def drafts(ctx: typer.Context) -> None:
    """List drafts when no command is given."""
    if ctx.invoked_subcommand is None:
        list_drafts(ctx)


@app.command("list")
def list_drafts(ctx: typer.Context) -> None:
    """List drafts: id, kind, when started and how far it got (never the text)."""
    from peerjournal.services.drafts import KIND_NAMES, RESUME_COMMANDS, progress

    context = AppContext.of(ctx)
    found = context.services.drafts.all()
    if not found:
        context.err.print("No drafts.")
        return
    for draft in found:
        kind = KIND_NAMES.get(draft.kind, draft.kind)
        context.out.print(
            f"{draft.id}  {kind}  started {draft.started:%Y-%m-%d %H:%M}  {progress(draft)}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    kinds = dict.fromkeys(draft.kind for draft in found)
    hints = [RESUME_COMMANDS[kind] for kind in kinds if kind in RESUME_COMMANDS]
    context.err.print("Carry on with: " + " or ".join(hints), markup=False)


@app.command("discard")
def discard(
    ctx: typer.Context,
    draft_id: Annotated[
        str, typer.Argument(metavar="ID", help="A draft id or a unique start of one.")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a draft for good: drafts do not go to the trash."""
    from peerjournal.services.drafts import KIND_NAMES

    context = AppContext.of(ctx)
    service = context.services.drafts
    draft = service.find(draft_id)
    kind = KIND_NAMES.get(draft.kind, draft.kind)
    question = (
        f"Discard the {kind} draft {draft.id}? Its answers are gone for good; "
        "they cannot be restored"
    )
    if not yes and not context.prompter.confirm(question, default=False):
        context.err.print("Nothing was discarded.")
        raise typer.Exit(1)
    service.discard(draft)
    context.out.print(f"Discarded draft {draft.id}; it is gone for good", markup=False)
