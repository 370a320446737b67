"""Rich renderables for frameworks and the data home."""

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from peerjournal.models.framework import Domain
from peerjournal.services.frameworks import FrameworkEntry
from peerjournal.services.home import HomeInfo


def frameworks_table(entries: Iterable[FrameworkEntry]) -> Table:
    """One row per framework: its id with the title below it, so the table fits 80 columns."""
    entries = list(entries)
    table = Table(title="Frameworks", title_justify="left", box=None, header_style="bold underline")
    longest = max((len(entry.framework.id) for entry in entries), default=21)
    table.add_column("framework", ratio=1, no_wrap=False, min_width=max(21, longest))  # ids whole
    table.add_column("kind", no_wrap=True)
    table.add_column("domains", justify="right", no_wrap=True)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("source", max_width=12)
    table.add_column("from", no_wrap=True, min_width=7)
    for entry in sorted(entries, key=lambda e: (e.origin, e.framework.id)):
        fw = entry.framework
        year = f" {fw.source.year}" if fw.source.year else ""
        name = Text.assemble((fw.id, "bold"), "\n", (fw.title, "dim"))
        source = (fw.source.short or fw.source.publisher) + year
        table.add_row(
            name, fw.kind, str(len(fw.domains)), str(fw.item_count()), source, entry.origin
        )
    return table


def framework_tree(entry: FrameworkEntry, domains: Iterable[Domain]) -> Tree:
    """A framework as a readable tree: header, scale, domains and their items."""
    fw = entry.framework
    header = Text.assemble((fw.title, "bold"), f"  ({fw.id}, version {fw.version}, {fw.kind})")
    tree = Tree(header)
    source = fw.source
    cite = ", ".join(
        part for part in (source.publisher, source.title, str(source.year or "")) if part
    )
    tree.add(Text(f"Source: {cite} ({source.wording}). {source.note}".strip(), style="dim"))
    levels = ", ".join(f"{level.value} {level.label}" for level in entry.scale.levels)
    tree.add(
        Text(f"Scale {entry.scale.id}: {levels}; n = {entry.scale.not_applicable}", style="dim")
    )
    for domain in domains:
        branch = tree.add(Text.assemble((domain.title, "bold cyan"), f"  [{domain.id}]"))
        for item in domain.items:
            label = Text.assemble((f"{fw.id}/{item.id}", "green"), "  ", item.text)
            node = branch.add(label)
            for indicator in item.indicators:
                node.add(Text(f"sign: {indicator}", style="dim"))
            for prompt in item.prompts:
                node.add(Text(f"reflect: {prompt}", style="italic dim"))
    return tree


def home_info_table(
    info: HomeInfo, home_source: str, config_file: str, folders: list[str]
) -> Table:
    """What `peerjournal info` shows, as a two-column table."""
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("data home", f"{info.home.root}  (from {home_source})")
    state = "set up" if info.initialised else "not set up yet: run 'peerjournal init'"
    table.add_row("status", state)
    if info.settings is not None:
        table.add_row("user", f"{info.settings.name} ({info.settings.role})")
    table.add_row("config file", config_file)
    for index, folder in enumerate(folders):
        table.add_row("framework folders" if index == 0 else "", folder)
    for kind, count in info.counts.items():
        table.add_row(kind, str(count))
    return table
