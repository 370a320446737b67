"""`peerjournal diary edit|delete|restore|import`: the diary's commands that change records."""

from pathlib import Path
from typing import Annotated

import typer

from peerjournal.cli._context import AppContext, confirm_or_stop
from peerjournal.cli.diary_read import diary_for


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add the changing diary commands."""
    app.command("edit")(edit)
    app.command("delete")(delete)
    app.command("restore")(restore)
    import_app.command("jrnl")(import_jrnl)


def edit(
    ctx: typer.Context,
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="An entry id or a unique start of one.")
    ],
    add_tag: Annotated[list[str], typer.Option("--add-tag", help="Add a tag (repeatable).")] = [],  # noqa: B006
    remove_tag: Annotated[
        list[str], typer.Option("--remove-tag", help="Remove a tag (repeatable).")
    ] = [],  # noqa: B006
    add_competency: Annotated[
        list[str], typer.Option("--add-competency", help="Link a framework item (repeatable).")
    ] = [],  # noqa: B006
    remove_competency: Annotated[
        list[str], typer.Option("--remove-competency", help="Unlink a framework item (repeatable).")
    ] = [],  # noqa: B006
    for_supervision: Annotated[
        bool | None,
        typer.Option("--for-supervision/--not-for-supervision", help="Set the supervision mark."),
    ] = None,
) -> None:
    """Change an entry: in your editor, or with options for tags, competencies and marks.

    With no options the entry opens in $VISUAL/$EDITOR. If what comes back does not parse, your
    text is kept in a recovery file and you can edit again; an empty buffer never deletes.
    """
    from peerjournal.cli.diary import edit_until_valid, keep_or_hand_back
    from peerjournal.store.entries import render

    context = AppContext.of(ctx)
    diary = diary_for(context)
    stored = diary.get(entry_id)
    diary.check_writable(stored)  # before the editor opens: no effort spent on a refusal
    quick = (
        add_tag or remove_tag or add_competency or remove_competency or for_supervision is not None
    )
    if quick:
        entry = diary.retag(
            stored,
            add_tags=add_tag,
            remove_tags=remove_tag,
            add_refs=add_competency,
            remove_refs=remove_competency,
            for_supervision=for_supervision,
        )
    else:
        entry = edit_until_valid(context, diary, render(stored.entry), stored.entry)
        # what the tool does not know survives: fields from the file the editor did not show
        for key, value in (stored.entry.meta.model_extra or {}).items():
            if key not in (entry.meta.model_extra or {}):
                setattr(entry.meta, key, value)
    try:
        diary.update(stored, entry)
    except BaseException:  # any failure, even an unexpected one, keeps what was typed
        if not quick:
            keep_or_hand_back(context, diary, render(entry))
        raise
    context.out.print(f"Updated diary entry {stored.entry.id}", markup=False)


def delete(
    ctx: typer.Context,
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="An entry id or a unique start of one.")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Move an entry to the trash (restore it with 'diary restore ID')."""
    context = AppContext.of(ctx)
    diary = diary_for(context)
    stored = diary.get(entry_id)
    confirm_or_stop(
        context,
        f"Move entry {stored.entry.id} ({stored.entry.date:%Y-%m-%d %H:%M}) to the trash?",
        yes=yes,
    )
    diary.delete(stored)
    context.out.print(
        f"Moved entry {stored.entry.id} to the trash; "
        f"'peerjournal diary restore {stored.entry.id}' brings it back.",
        markup=False,
    )


def restore(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The id of a deleted entry.")],
) -> None:
    """Bring a deleted entry back from the trash, unchanged."""
    context = AppContext.of(ctx)
    path = diary_for(context).restore(entry_id)
    context.out.print(f"Restored diary entry {path.stem}", markup=False)


def import_jrnl(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="A jrnl journal: plain text or its JSON export.")
    ],
    timeformat: Annotated[
        list[str],
        typer.Option(
            "--timeformat", help="jrnl's timeformat setting, if you changed it (repeatable)."
        ),
    ] = [],  # noqa: B006
) -> None:
    """Import a jrnl journal; running it again imports nothing twice.

    Titles, bodies, dates, @tags and starred entries are kept; starred entries get the tag
    'starred'. The default time formats are jrnl's: '%Y-%m-%d %H:%M' and '%Y-%m-%d %I:%M:%S %p'.
    """
    from peerjournal.services.diary_import import import_jrnl as run_import

    context = AppContext.of(ctx)
    report = run_import(diary_for(context), path, timeformat or None)
    context.out.print(
        f"Imported {report.imported} entries from {path}; "
        f"skipped {report.skipped} already imported.",
        markup=False,
    )
