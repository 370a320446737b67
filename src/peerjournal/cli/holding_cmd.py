"""`peerjournal trash list|empty` and `peerjournal recovery list|empty`.

The trash holds deleted records (`diary restore` and the like bring them back); the recovery
folder holds text that could not be saved. Guided drafts are `peerjournal drafts`. Emptying
destroys for good, so it lists what goes and asks first (`--yes` for scripts). Only ids, kinds,
dates and sizes are shown, never a record's text.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext, confirm_or_stop
from peerjournal.cli._secret_options import PageOpt, PassphraseFileOpt

if TYPE_CHECKING:
    from peerjournal.services.holding import BinName, Holding

trash_app = typer.Typer(
    no_args_is_help=True, help="Deleted records: list them, or delete them for good."
)
recovery_app = typer.Typer(
    no_args_is_help=True,
    help="Text kept when a save failed or was refused: list it, or delete it for good. "
    "In an encrypted home, also: a new recovery key.",
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON list, for scripts.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
IdsArg = Annotated[
    list[str] | None,
    typer.Argument(metavar="[ID]...", help="Only these (default: everything).", show_default=False),
]
WHAT = {"trash": "the trash", "recovery": "the recovery folder"}


def _holding(context: AppContext) -> "Holding":
    from peerjournal.services.holding import Holding

    return Holding(context.home, zone=context.zone)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _list(ctx: typer.Context, which: "BinName", as_json: bool) -> None:
    import json

    from rich.table import Table

    context = AppContext.of(ctx)
    items = _holding(context).items(which)
    if as_json:
        rows = [
            {"id": i.id, "kind": i.kind, "changed": i.changed.isoformat(), "size": i.size}
            for i in items
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    if not items:
        context.err.print(f"Nothing in {WHAT[which]}.", markup=False)
        return
    table = Table(box=None, header_style="bold underline")
    for column in ("id", "kind", "changed", "size"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for item in items:
        table.add_row(item.id, item.kind, f"{item.changed:%Y-%m-%d %H:%M}", _size(item.size))
    context.out.print(table)
    total = sum(item.size for item in items)
    context.err.print(
        f"{len(items)} item(s), {_size(total)}, in {_holding(context).folder(which)}", markup=False
    )


def _empty(ctx: typer.Context, which: "BinName", ids: list[str] | None, yes: bool) -> None:
    context = AppContext.of(ctx)
    holding = _holding(context)
    items = holding.chosen(which, ids or ())
    if not items:
        context.err.print(f"Nothing in {WHAT[which]}; nothing was deleted.", markup=False)
        return
    for item in items:
        context.err.print(f"  {item.id}  ({item.kind}, {_size(item.size)})", markup=False)
    confirm_or_stop(
        context,
        f"Delete {len(items)} item(s) in {WHAT[which]} for good? They cannot be brought back",
        yes=yes,
    )
    count = holding.destroy(which, items)
    context.out.print(
        f"Deleted {count} item(s) from {WHAT[which]}; they are gone for good.", markup=False
    )


@trash_app.command("list")
def trash_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List deleted records by id, kind, date and size (restore one with its 'restore')."""
    _list(ctx, "trash", as_json)


@trash_app.command("empty")
def trash_empty(ctx: typer.Context, ids: IdsArg = None, yes: YesOpt = False) -> None:
    """Delete records in the trash for good, after asking: they cannot be restored."""
    _empty(ctx, "trash", ids, yes)


@recovery_app.command("list")
def recovery_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the text kept from failed or refused saves, by id, kind, date and size."""
    _list(ctx, "recovery", as_json)


@recovery_app.command("show")
def recovery_show(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(metavar="ID", help="The kept text's id (or its start).")],
) -> None:
    """Print one kept text, so you can copy what you need (opened if the home is encrypted)."""
    context = AppContext.of(ctx)
    context.write(_holding(context).text("recovery", item))


@recovery_app.command("empty")
def recovery_empty(ctx: typer.Context, ids: IdsArg = None, yes: YesOpt = False) -> None:
    """Delete kept text for good, after asking: copy out anything you still need first."""
    _empty(ctx, "recovery", ids, yes)


@recovery_app.command("new")
def recovery_new(
    ctx: typer.Context, page: PageOpt = None, passphrase_file: PassphraseFileOpt = None
) -> None:
    """Make a new recovery key for an encrypted home; the old one stops working at once."""
    from peerjournal.cli.encryption import new_recovery_key

    new_recovery_key(ctx, page, passphrase_file)
