"""Rich renderables for the diary: entry tables, one entry, tag counts and the evidence map."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from peerjournal.errors import PeerJournalError
from peerjournal.services.query import IndexedEntry

if TYPE_CHECKING:
    from peerjournal.models.entry import DiaryEntry
    from peerjournal.services.frameworks import Catalog


def entries_table(entries: Sequence[IndexedEntry]) -> Table:
    """One row per entry, oldest first, newest at the bottom next to the prompt."""
    table = Table(box=None, header_style="bold underline")
    table.add_column("id", no_wrap=True, style="cyan")
    table.add_column("date", no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("tags")
    table.add_column("sup", justify="center", no_wrap=True)
    for entry in entries:
        table.add_row(
            entry.id,
            f"{entry.date:%Y-%m-%d %H:%M}",
            Text(entry.title),
            Text(", ".join(entry.tags)),
            "*" if entry.for_supervision else "",
        )
    return table


def entry_view(entry: "DiaryEntry", catalog: "Catalog") -> RenderableType:
    """An entry for reading: its details, then the body as Markdown."""
    from rich.markdown import Markdown  # only `show` pays for the Markdown renderer

    meta = entry.meta
    details = Table.grid(padding=(0, 2))
    details.add_column(style="bold")
    details.add_column()
    details.add_row("id", meta.id)
    details.add_row("date", f"{meta.date:%A %d %B %Y, %H:%M %z}")
    if meta.setting:
        details.add_row("setting", Text(meta.setting))
    if meta.tags:
        details.add_row("tags", Text(", ".join(meta.tags)))
    for index, ref in enumerate(meta.competencies):
        try:
            item = catalog.resolve(ref).item.text
        except PeerJournalError:  # a framework removed since: still show the reference
            item = "(not in any loaded framework)"
        details.add_row("competencies" if index == 0 else "", Text(f"{ref}  {item}"))
    if meta.self_disclosure is not None:
        details.add_row("lived experience", "shared" if meta.self_disclosure else "not shared")
    details.add_row("supervision", "bring to supervision" if meta.for_supervision else "no")
    parts: list[RenderableType] = [Text(meta.title or "(untitled)", style="bold"), details]
    if entry.preamble:
        parts.append(Markdown(entry.preamble))
    for section in entry.sections:
        parts.append(Text(section.heading, style="bold cyan"))
        parts.append(Markdown(section.text or "_(empty)_"))
    return Group(*parts)


def tags_table(counts: Sequence[tuple[str, int]]) -> Table:
    """Tags with their entry counts, most used first."""
    table = Table(box=None, header_style="bold underline")
    table.add_column("tag")
    table.add_column("entries", justify="right")
    for tag, count in counts:
        table.add_row(Text(tag), str(count))
    return table


def evidence_tables(maps: Sequence[tuple[str, Sequence[tuple[str, str, int]]]]) -> RenderableType:
    """Per framework, each item with its linked-entry count; items without evidence stand out."""
    parts: list[RenderableType] = []
    for framework_id, rows in maps:
        covered = sum(1 for _, _, count in rows if count)
        table = Table(
            title=f"{framework_id}: {covered} of {len(rows)} items have diary evidence",
            title_justify="left",
            box=None,
            header_style="bold underline",
        )
        table.add_column("item", no_wrap=True)
        table.add_column("entries", justify="right")
        table.add_column("text", ratio=1)
        for ref, text, count in rows:
            style = "" if count else "dim"
            table.add_row(ref, str(count) if count else "-", text, style=style)
        parts.append(table)
    return Group(*parts)
