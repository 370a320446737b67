"""`peerjournal diary ...`: write, read, change and move diary entries."""

import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli import diary_change, diary_read
from peerjournal.cli._context import AppContext
from peerjournal.cli.diary_read import diary_for

if TYPE_CHECKING:
    from datetime import datetime

    from peerjournal.models.entry import DiaryEntry
    from peerjournal.models.settings import Settings
    from peerjournal.services.diary import Diary, Draft
    from peerjournal.services.privacy_review import FieldFinding
    from peerjournal.ui.editor import SystemEditor

app = typer.Typer(no_args_is_help=True, help="Your diary of significant interactions.")
import_app = typer.Typer(no_args_is_help=True, help="Bring entries in from other journals.")
app.add_typer(import_app, name="import")

TagOpt = Annotated[list[str], typer.Option("--tag", "-t", help="A tag (repeat for more).")]
RefOpt = Annotated[
    list[str],
    typer.Option(
        "--competency", "-c", help="A framework item, e.g. samhsa-core/III.3 (repeatable)."
    ),
]


def _diary(context: AppContext) -> "Diary":
    return diary_for(context)


def _editor(context: AppContext) -> "SystemEditor":
    from peerjournal.cli._editing import system_editor

    return system_editor(context)


def _settings(context: AppContext) -> "Settings":
    return context.settings


@app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[
        str | None,
        typer.Argument(
            help="The entry's text (quick mode). '-' reads standard input.", show_default=False
        ),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="A short title.")] = "",
    setting: Annotated[
        str, typer.Option("--setting", help="Where it happened, as a kind of place.")
    ] = "",
    tags: TagOpt = [],  # noqa: B006 - Typer reads the default, never mutates it
    competencies: RefOpt = [],  # noqa: B006
    when: Annotated[
        str | None,
        typer.Option(
            "--date", help="When it happened: 2026-11-24 14:30, 'yesterday 3pm', '2 days ago'."
        ),
    ] = None,
    for_supervision: Annotated[
        bool, typer.Option("--for-supervision", help="Mark it to bring to supervision.")
    ] = False,
    shared: Annotated[
        bool | None,
        typer.Option("--shared/--not-shared", help="Whether you shared your own lived experience."),
    ] = None,
    planned: Annotated[
        bool | None,
        typer.Option(
            "--planned/--unplanned",
            help="Whether the interaction was planned or unplanned (most significant ones are "
            "unplanned).",
        ),
    ] = None,
    who: Annotated[
        list[str],
        typer.Option(
            "--who",
            help="Who was involved, by role only: resident, family member, staff member, peer, "
            "clinician... (repeatable, or comma-separated); a name is refused.",
        ),
    ] = [],  # noqa: B006
    composite: Annotated[
        bool,
        typer.Option(
            "--composite",
            help="Mark the entry as a composite: people or events merged or altered to protect "
            "identity.",
        ),
    ] = False,
    editor: Annotated[
        bool, typer.Option("--editor", "-e", help="Write it in $VISUAL or $EDITOR.")
    ] = False,
    guided: Annotated[
        bool,
        typer.Option("--guided", help="Ask for each part of the template (default on a terminal)."),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse to save if the privacy check finds anything.")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Carry on with the newest unfinished guided entry (a draft)."
        ),
    ] = False,
) -> None:
    """Write a diary entry: guided questions, quick text, your editor, or piped text.

    Guided mode keeps a draft after every answer: after Ctrl-C or a closed terminal,
    'peerjournal diary add --resume' carries on where you stopped ('peerjournal drafts' lists
    drafts). Each part of the template takes several lines; an empty line or Ctrl-D ends it.

    Examples: 'peerjournal diary add' asks for each part of the template;
    'peerjournal diary add "Short note" --tag group' saves at once;
    'echo text | peerjournal diary add --title "After group"' reads standard input;
    'peerjournal diary add --editor' opens your editor on the template.
    """
    from peerjournal.errors import InputError
    from peerjournal.services.diary import Draft, parse_ref_list, parse_roles

    context = AppContext.of(ctx)
    diary = _diary(context)
    settings = _settings(context)  # a home that is not set up says so before anything is typed
    if resume and (editor or text is not None):
        raise InputError("--resume carries on a guided entry; give it no text and no --editor")
    moment = context.moment(when) if when else context.clock()
    refs = diary.check_refs(parse_ref_list(competencies))
    roles = [diary.check_role(role, settings) for role in parse_roles(who)]  # before any typing
    if editor:
        entry = edit_until_valid(context, diary, diary.editor_text(None, moment), None)
        _review_and_save(context, diary, entry, strict=strict, redo=_editor_redo(context, diary))
        return
    if resume or (text is None and (guided or sys.stdin.isatty())):
        _add_guided(
            context,
            diary,
            moment,
            strict,
            Draft(
                when=moment,
                tags=list(tags),
                competencies=refs,
                for_supervision=for_supervision,
                planned=planned,
                who=roles,
                composite=composite,
            ),
            resume=resume,
        )
        return
    quick = text is not None and text != "-"
    if quick:
        _warn_shell_history(context)
    draft = Draft(
        when=moment,
        title=title,
        setting=setting,
        text=text if quick and text is not None else sys.stdin.read(),
        tags=list(tags),
        competencies=refs,
        self_disclosure=shared,
        for_supervision=for_supervision,
        planned=planned,
        who=roles,
        composite=composite,
    )
    redo = (_editor_redo(context, diary) or _retype_quick(context, diary, draft)) if quick else None
    _review_and_save(context, diary, diary.prepare(draft), strict=strict, redo=redo, ask=quick)


def _add_guided(
    context: AppContext,
    diary: "Diary",
    moment: "datetime",
    strict: bool,
    given: "Draft",
    *,
    resume: bool,
) -> None:
    """The guided interview, kept as a draft after every answer (see cli._drafts)."""
    from datetime import datetime

    from peerjournal.cli._drafts import existing_draft, kept_on_stop
    from peerjournal.models.entry import HEADINGS
    from peerjournal.services.diary import Draft
    from peerjournal.ui.entry_flow import guided_draft, redo_fields

    checkpoint = existing_draft(context, "diary", resume=resume)
    if checkpoint is None:
        started: dict[str, object] = {
            "when": moment.isoformat(),
            "tags": given.tags,
            "competencies": given.competencies,
            "for_supervision": given.for_supervision,
            "planned": given.planned,
            "who": given.who,
            "composite": given.composite,
        }
        checkpoint = context.services.drafts.start("diary", started)
    setup = checkpoint.draft.setup
    moment = datetime.fromisoformat(str(setup["when"]))
    preset = Draft(
        when=moment,
        planned=_maybe_bool(setup.get("planned")),
        who=[str(role) for role in setup.get("who") or []],
        composite=setup.get("composite") is True,
    )
    settings = context.settings
    with kept_on_stop(context, checkpoint):
        known = [tag for tag, _ in diary.tag_counts()]
        draft = guided_draft(
            context.prompter,
            context.err,
            diary.catalog,
            when=moment,
            known_tags=known,
            checkpoint=checkpoint,
            check_role=lambda typed: diary.check_role(typed, settings),
            given=preset,
        )
        draft.tags = list(setup.get("tags") or []) + draft.tags
        draft.competencies = diary.check_refs(
            list(setup.get("competencies") or []) + draft.competencies
        )
        draft.for_supervision = draft.for_supervision or bool(setup.get("for_supervision"))
        redo = _editor_redo(context, diary)

        def ask_again(entry: "DiaryEntry", findings: "list[FieldFinding]") -> "DiaryEntry":
            if redo is not None:
                return redo(entry, findings)
            fields = redo_fields(context.prompter, draft, findings, HEADINGS.__getitem__)
            return diary.prepare(fields)

        _review_and_save(context, diary, diary.prepare(draft), strict=strict, redo=ask_again)
    context.services.drafts.done(checkpoint)


Redo = Callable[["DiaryEntry", "list[FieldFinding]"], "DiaryEntry"]


def _maybe_bool(value: object) -> bool | None:
    """A flag kept in a draft's setup: true, false, or not said."""
    return value if isinstance(value, bool) else None


def _editor_redo(context: AppContext, diary: "Diary") -> Redo | None:
    """Fix findings in the editor, when one is set."""
    if not _editor(context).available:
        return None

    def redo(entry: "DiaryEntry", findings: "list[FieldFinding]") -> "DiaryEntry":
        del findings  # the whole entry opens; the findings were listed just before
        return edit_until_valid(context, diary, diary.entry_text(entry), entry)

    return redo


def _retype_quick(context: AppContext, diary: "Diary", draft: "Draft") -> Redo:
    """Without an editor, type the flagged text (or --title, --setting) again at the prompt.

    A title made from the text is made again from the new text, so it is never asked for.
    """
    given_title = bool(draft.title)

    def redo(entry: "DiaryEntry", findings: "list[FieldFinding]") -> "DiaryEntry":
        from peerjournal.services.diary import WHO_FIELD, parse_roles
        from peerjournal.ui.entry_flow import retype_field  # rich, only when asking again

        del entry  # made again from the draft
        flagged = {found.field for found in findings}
        if given_title and "title" in flagged:
            draft.title = retype_field(context.prompter, "title")
        if "setting" in flagged:
            draft.setting = retype_field(context.prompter, "setting")
        if WHO_FIELD in flagged:
            draft.who = parse_roles([retype_field(context.prompter, WHO_FIELD)])
        if "text" in flagged:
            draft.text = retype_field(context.prompter, "text")
        return diary.prepare(draft)

    return redo


def _review_and_save(
    context: AppContext,
    diary: "Diary",
    entry: "DiaryEntry",
    *,
    strict: bool,
    redo: Redo | None,
    ask: bool = True,
) -> None:
    """Run the privacy rule (services.privacy_review), then save; nothing typed is ever lost."""
    from peerjournal.cli._privacy import privacy_review, stop_on_cancel
    from peerjournal.services.diary import entry_fields, with_fields

    review = privacy_review(context, strict=strict, can_ask=ask)
    latest = entry

    def edit(current: "DiaryEntry", findings: "list[FieldFinding]") -> "DiaryEntry":
        nonlocal latest
        assert redo is not None  # noqa: S101 - "edit" is only offered with a way to edit
        latest = redo(current, findings)
        return latest

    def retyped(current: "DiaryEntry", changes: "Mapping[str, str]") -> "DiaryEntry":
        nonlocal latest  # without an editor: the flagged fields typed again at the prompt
        latest = with_fields(current, changes)
        return latest

    try:
        with stop_on_cancel(context):
            entry = review.review(entry, entry_fields, redo=edit if redo else None, put=retyped)
        path = diary.save(entry)
    except typer.Exit:
        raise  # the person chose to cancel, or to stop editing: nothing more to keep
    except BaseException:  # any failure, even an unexpected one, keeps what was typed
        keep_or_hand_back(context, diary, diary.entry_text(latest))
        raise
    from peerjournal.ui.plain import DIM

    context.write(f"Saved diary entry {entry.id}\n")
    context.say(f"  {path}", DIM)


def edit_until_valid(
    context: AppContext, diary: "Diary", text: str, original: "DiaryEntry | None"
) -> "DiaryEntry":
    """Open the editor until what comes back parses as an entry (see cli._editing)."""
    from peerjournal.cli._editing import edit_until_valid as loop

    return loop(context, text, lambda t: diary.from_editor(t, original), diary.keep_unsaved)


def keep_or_hand_back(context: AppContext, diary: "Diary", text: str) -> None:
    """Keep typed text that could not be saved; if even that fails, print it back to the person."""
    from peerjournal.cli._privacy import keep_or_hand_back as keep

    keep(context, diary.keep_unsaved, text)


def _warn_shell_history(context: AppContext) -> None:
    """Once per home: text given as an argument is kept in the shell's history."""
    from peerjournal.services.home import first_notice
    from peerjournal.ui.console import warn

    if first_notice(context.home, "shell-history"):
        warn(
            "text typed on the command line stays in your shell history; "
            "'peerjournal diary add' with no text asks for it instead",
        )


diary_read.register(app)
diary_change.register(app, import_app)
