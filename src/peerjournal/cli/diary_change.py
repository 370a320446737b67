"""`peerjournal diary edit|delete|restore|import`: the diary's commands that change records."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext, confirm_or_stop
from peerjournal.cli._privacy import StrictOpt
from peerjournal.cli.diary_read import diary_for

if TYPE_CHECKING:
    from peerjournal.models.entry import DiaryEntry
    from peerjournal.services.privacy_review import FieldFinding


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
    title: Annotated[str | None, typer.Option("--title", help="A new title.")] = None,
    planned: Annotated[
        bool | None,
        typer.Option("--planned/--unplanned", help="Mark the interaction as planned or unplanned."),
    ] = None,
    composite: Annotated[
        bool | None,
        typer.Option(
            "--composite/--not-composite",
            help="Mark the entry as a composite (cases merged or altered to protect identity), "
            "or not.",
        ),
    ] = None,
    strict: StrictOpt = False,
) -> None:
    """Change an entry: in your editor, or with options for the title, tags, links and marks.

    With no options the entry opens in $VISUAL/$EDITOR. If what comes back does not parse, your
    text is kept in a recovery file and you can edit again; an empty buffer never deletes.
    What the edit adds passes the privacy check, as in 'diary add'.
    """
    from peerjournal.cli._privacy import keep_or_hand_back, privacy_review, stop_on_cancel
    from peerjournal.services.diary import entry_fields, with_fields

    context = AppContext.of(ctx)
    diary = diary_for(context)
    stored = diary.get(entry_id)
    diary.check_writable(stored)  # before the editor opens: no effort spent on a refusal
    review = privacy_review(context, strict=strict)
    before = entry_fields(stored.entry)
    quick = (
        add_tag
        or remove_tag
        or add_competency
        or remove_competency
        or for_supervision is not None
        or title is not None
        or planned is not None
        or composite is not None
    )
    if quick:
        entry = diary.retag(
            stored,
            add_tags=add_tag,
            remove_tags=remove_tag,
            add_refs=add_competency,
            remove_refs=remove_competency,
            for_supervision=for_supervision,
            title=title,
            planned=planned,
            composite=composite,
        )
        with stop_on_cancel(context):
            entry = review.review(entry, entry_fields, put=with_fields, before=before)
        diary.update(stored, entry)
        context.out.print(f"Updated diary entry {stored.entry.id}", markup=False)
        return
    latest = entry = _edit_in_editor(context, stored.entry, diary.entry_text(stored.entry))

    def edit_again(current: "DiaryEntry", findings: "list[FieldFinding]") -> "DiaryEntry":
        nonlocal latest
        del findings  # the whole entry opens again; the findings were listed just before
        latest = _edit_in_editor(context, stored.entry, diary.entry_text(current))
        return latest

    try:
        with stop_on_cancel(context):
            entry = review.review(entry, entry_fields, redo=edit_again, before=before)
        diary.update(stored, entry)
    except typer.Exit:
        raise  # the person cancelled or stopped editing: the stored entry is untouched
    except BaseException:  # any failure, even an unexpected one, keeps what was typed
        keep_or_hand_back(context, diary.keep_unsaved, diary.entry_text(latest))
        raise
    context.out.print(f"Updated diary entry {stored.entry.id}", markup=False)


def _edit_in_editor(context: AppContext, original: "DiaryEntry", text: str) -> "DiaryEntry":
    """The entry as it comes back from the editor, with the fields the editor did not show."""
    from peerjournal.cli._editing import edit_until_valid

    diary = diary_for(context)
    entry = edit_until_valid(
        context, text, lambda t: diary.from_editor(t, original), diary.keep_unsaved
    )
    for key, value in (original.meta.model_extra or {}).items():
        if key not in (entry.meta.model_extra or {}):
            setattr(entry.meta, key, value)
    return entry


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
    strict: StrictOpt = False,
) -> None:
    """Import a jrnl journal; running it again imports nothing twice.

    Titles, bodies, dates, @tags and starred entries are kept; starred entries get the tag
    'starred'; '#' in a tag becomes 'sharp' and a tag over 60 characters is shortened with a hash.
    The default time formats are jrnl's: '%Y-%m-%d %H:%M' and '%Y-%m-%d %I:%M:%S %p'. Export an
    encrypted journal first: jrnl --export json > journal.json.
    Entries with possible identifying details are listed by id; --strict holds them back.
    """
    from peerjournal.cli._privacy import privacy_check
    from peerjournal.errors import PrivacyRefusedError
    from peerjournal.services.diary_import import import_jrnl as run_import
    from peerjournal.services.privacy_review import describe_all
    from peerjournal.ui.console import warn

    context = AppContext.of(ctx)
    check = privacy_check(context, strict=strict)
    diary = diary_for(context)
    report = run_import(diary, path, timeformat or None, zone=context.zone, check=check)
    for entry_id, findings in report.flagged:
        warn(f"entry {entry_id}: {describe_all(findings)}")
    for held in report.held_back:
        where = f"{path}:{held.line}" if held.line else f"{path}: entry {held.number}"
        warn(f"{where}: held back: {describe_all(held.findings)}")
    if report.flagged:
        count = len(report.flagged)
        context.err.print(
            f"{count} imported {'entry has' if count == 1 else 'entries have'} possible "
            "identifying details; change them with 'peerjournal diary edit ID'.",
            markup=False,
        )
    context.out.print(
        f"Imported {report.imported} entries from {path}; "
        f"skipped {report.skipped} already imported.",
        markup=False,
    )
    if report.held_back:
        kept_out = len(report.held_back)
        raise PrivacyRefusedError(
            f"held back {kept_out} {'entry' if kept_out == 1 else 'entries'} with possible "
            f"identifying details ({check.strict_because}); change them in {path} and import again"
        )
