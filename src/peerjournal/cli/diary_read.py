"""`peerjournal diary list|show|tags|evidence|lint|export`: the diary's read-only commands."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.services.diary import Diary
    from peerjournal.services.query import DiaryQuery, Filters


def register(app: typer.Typer) -> None:
    """Add the read-only diary commands to the diary app."""
    app.command("list")(list_entries)
    app.command("show")(show)
    app.command("tags")(tags)
    app.command("evidence")(evidence)
    app.command("lint")(lint)
    app.command("export")(export)


SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="From this day: 2026-11-01, 'last friday', 'this month'."),
]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to and including this day.")]
OnOpt = Annotated[str | None, typer.Option("--on", help="Only this day.")]
TagFilter = Annotated[
    list[str], typer.Option("--tag", "-t", help="Entries with this tag (repeat: all must match).")
]
AnyTagFilter = Annotated[
    list[str], typer.Option("--any-tag", help="Entries with any of these tags (repeatable).")
]
CompetencyFilter = Annotated[
    str | None,
    typer.Option(
        "--competency", "-c", help="An item, a domain or a whole framework: samhsa-core/III.3."
    ),
]
TextFilter = Annotated[str | None, typer.Option("--text", help="Words in the title or body.")]
SupervisionFilter = Annotated[
    bool, typer.Option("--for-supervision", help="Only entries marked for supervision.")
]
PlannedFilter = Annotated[
    bool | None,
    typer.Option(
        "--planned/--unplanned",
        help="Only planned, or only unplanned, interactions.",
        show_default=False,
    ),
]
CompositeFilter = Annotated[
    bool | None,
    typer.Option(
        "--composite/--not-composite",
        help="Only composite entries (cases merged or altered to protect identity), or none.",
        show_default=False,
    ),
]


def query_for(context: AppContext) -> "DiaryQuery":
    """The light query layer, for commands that only list and count."""
    return context.services.query


def diary_for(context: AppContext) -> "Diary":
    """The diary service for this invocation's home, reading through its index."""
    return context.services.diary


def build_filters(
    context: AppContext,
    *,
    since: str | None = None,
    until: str | None = None,
    on: str | None = None,
    tag: list[str] | None = None,
    any_tag: list[str] | None = None,
    competency: str | None = None,
    text: str | None = None,
    for_supervision: bool = False,
    limit: int | None = None,
    planned: bool | None = None,
    composite: bool | None = None,
) -> "Filters":
    """Parse the filter options into the service's Filters."""
    from peerjournal.errors import InputError
    from peerjournal.services.query import Filters

    if on and (since or until):
        raise InputError("--on cannot be combined with --since or --until")
    start, end = (on, on) if on else (since, until)
    first = context.day(start) if start else None
    last = context.day(end) if end else None
    if first and last and first > last:
        raise InputError("--since is after --until")
    if limit is not None and limit < 0:
        raise InputError("--limit must be 0 or more")
    return Filters(
        since=first,
        until=last,
        tags=tuple(tag or ()),
        any_tags=tuple(any_tag or ()),
        competency=competency,
        text=text,
        for_supervision=True if for_supervision else None,
        limit=limit,
        planned=planned,
        composite=composite,
    )


def list_entries(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    on: OnOpt = None,
    tag: TagFilter = [],  # noqa: B006 - Typer reads the default, never mutates it
    any_tag: AnyTagFilter = [],  # noqa: B006
    competency: CompetencyFilter = None,
    text: TextFilter = None,
    for_supervision: SupervisionFilter = False,
    planned: PlannedFilter = None,
    composite: CompositeFilter = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="Only the newest N.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    ids: Annotated[bool, typer.Option("--ids", help="Print only the ids, one per line.")] = False,
) -> None:
    """List diary entries, oldest first; filters combine (all must match)."""
    from peerjournal.ui.diary_render import entries_table

    context = AppContext.of(ctx)
    diary = query_for(context)
    filters = build_filters(
        context, since=since, until=until, on=on, tag=tag, any_tag=any_tag,
        competency=competency, text=text, for_supervision=for_supervision, limit=limit,
        planned=planned, composite=composite,
    )  # fmt: skip
    if as_json:
        import json

        full = diary_for(context).entries(filters)
        rows = [stored.entry.meta.stored(as_file=False) for stored in full]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    found = diary.summaries(filters)
    if ids:
        typer.echo("".join(f"{entry.id}\n" for entry in found), nl=False)
    elif not found:
        context.say("No entries match.")
    else:
        context.write(entries_table(found, context.terminal))


def show(
    ctx: typer.Context,
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="An entry id or a unique start of one.")
    ],
    raw: Annotated[bool, typer.Option("--raw", help="Print the file's Markdown as it is.")] = False,
) -> None:
    """Show one diary entry."""
    from peerjournal.ui.diary_render import entry_view

    context = AppContext.of(ctx)
    diary = diary_for(context)
    stored = diary.get(entry_id)
    if raw:
        typer.echo(diary.text_of(stored.entry), nl=False)
    else:
        context.out.print(entry_view(stored.entry, diary.catalog))


def tags(ctx: typer.Context) -> None:
    """Count how many entries carry each tag."""
    from peerjournal.ui.diary_render import tags_table

    context = AppContext.of(ctx)
    diary = query_for(context)
    counts = diary.tag_counts()
    if counts:
        context.write(tags_table(counts, context.terminal))
    else:
        context.say("No tags yet.")


def evidence(
    ctx: typer.Context,
    framework_id: Annotated[
        str | None,
        typer.Argument(metavar="[FRAMEWORK]", help="A framework id; default: every linked one."),
    ] = None,
) -> None:
    """Show, per framework item, how many entries are linked to it, and which have none."""
    from peerjournal.services.framework_outline import evidence as evidence_map
    from peerjournal.ui.diary_render import evidence_tables

    context = AppContext.of(ctx)
    services = context.services  # the frameworks' outline, cached: no YAML, no pydantic
    maps = evidence_map(services.outline, services.query.ref_counts(), framework_id)
    if not maps:
        context.say("No entries are linked to competencies yet (diary add --competency ...).")
        return
    context.write(evidence_tables(maps, context.terminal))


def lint(ctx: typer.Context) -> None:
    """Scan the whole diary for identifying details; exit 1 when anything is found."""
    context = AppContext.of(ctx)
    diary = diary_for(context)
    results = diary.lint(context.settings)
    for stored, findings in results:
        for found in findings:
            typer.echo(f"{stored.entry.id}: {found.describe()}")
    count = sum(len(findings) for _, findings in results)
    if count:
        context.err.print(
            f"{count} possible identifying detail(s) in {len(results)} entries; "
            "edit them with 'peerjournal diary edit ID', or add known false alarms to "
            "privacy.allow in settings.yaml."
        )
        raise typer.Exit(1)
    context.err.print("No identifying details found. (The check cannot catch everything.)")


def export(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Write JSON (the only format for now).")
    ] = True,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file (0600) instead of stdout."),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    tag: TagFilter = [],  # noqa: B006
    competency: CompetencyFilter = None,
    for_supervision: SupervisionFilter = False,
    planned: PlannedFilter = None,
    composite: CompositeFilter = None,
) -> None:
    """Export entries (all, or a filtered set) as one JSON document."""
    del as_json  # JSON is the only export format; the flag documents intent in scripts
    context = AppContext.of(ctx)
    diary = diary_for(context)
    filters = build_filters(
        context, since=since, until=until, tag=tag, competency=competency,
        for_supervision=for_supervision, planned=planned, composite=composite,
    )  # fmt: skip
    document = diary.export_json(filters)
    if out is None:
        typer.echo(document, nl=False)
    else:
        diary.write_export(out, document)
        context.err.print(f"Wrote {out}", markup=False)
