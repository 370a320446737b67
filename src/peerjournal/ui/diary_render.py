"""The diary on screen: tables as plain text, and one entry for reading, which rich renders.

Entry lists, tag counts and the evidence map are the everyday commands, so they print through
``ui.plain`` and never import rich.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from peerjournal.errors import PeerJournalError
from peerjournal.ui.plain import CYAN, DIM, Column, Terminal, table

if TYPE_CHECKING:
    from rich.console import RenderableType

    from peerjournal.models.entry import DiaryEntry
    from peerjournal.services.frameworks import Catalog
    from peerjournal.services.query import IndexedEntry

ENTRY_COLUMNS = (
    Column("id", wrap=False, style=CYAN),
    Column("date", wrap=False),
    Column("title"),
    Column("tags"),
    Column("sup", justify="center", wrap=False),
)


def entries_table(entries: "Sequence[IndexedEntry]", terminal: Terminal) -> str:
    """One row per entry, oldest first, newest at the bottom next to the prompt."""
    rows = [
        (
            entry.id,
            f"{entry.date:%Y-%m-%d %H:%M}",
            entry.title,
            ", ".join(entry.tags),
            "*" if entry.for_supervision else "",
        )
        for entry in entries
    ]
    return table(ENTRY_COLUMNS, rows, terminal)


def entry_view(entry: "DiaryEntry", catalog: "Catalog") -> "RenderableType":
    """An entry for reading: its details, then the body as Markdown."""
    from rich.console import Group, RenderableType
    from rich.markdown import Markdown  # only `show` pays for the Markdown renderer
    from rich.table import Table
    from rich.text import Text

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
    if meta.planned is not None:
        details.add_row("planned", "planned" if meta.planned else "unplanned")
    if meta.who:
        details.add_row("who", Text(", ".join(meta.who)))
    if meta.composite:
        details.add_row("composite", "yes: cases merged or altered to protect identity")
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


def tags_table(counts: Sequence[tuple[str, int]], terminal: Terminal) -> str:
    """Tags with their entry counts, most used first."""
    columns = (Column("tag"), Column("entries", justify="right", wrap=False))
    return table(columns, [(tag, str(count)) for tag, count in counts], terminal)


def evidence_tables(
    maps: Sequence[tuple[str, Sequence[tuple[str, str, int]]]], terminal: Terminal
) -> str:
    """Per framework, each item with its linked-entry count; items without evidence stand out."""
    columns = (
        Column("item", wrap=False),
        Column("entries", justify="right", wrap=False),
        Column("text"),
    )
    parts: list[str] = []
    for framework_id, rows in maps:
        covered = sum(1 for _, _, count in rows if count)
        parts.append(
            table(
                columns,
                [(ref, str(count) if count else "-", text) for ref, text, count in rows],
                terminal,
                row_styles=["" if count else DIM for _, _, count in rows],
                title=f"{framework_id}: {covered} of {len(rows)} items have diary evidence",
            )
        )
    return "\n".join(parts)
