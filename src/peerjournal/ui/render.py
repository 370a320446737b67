"""Rich renderables for frameworks and the data home."""

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from peerjournal.models.framework import Domain
from peerjournal.services.dashboard import Dashboard, WorkerGlance
from peerjournal.services.frameworks import FrameworkEntry
from peerjournal.services.home import HomeInfo
from peerjournal.units import count as counted
from peerjournal.units import hours_of


def frameworks_table(entries: Iterable[FrameworkEntry]) -> Table:
    """One row per framework: its id with the title below it, so the table fits 80 columns."""
    table = Table(title="Frameworks", title_justify="left", box=None, header_style="bold underline")
    table.add_column("framework", ratio=1, no_wrap=False, min_width=21)
    table.add_column("kind", no_wrap=True)
    table.add_column("domains", justify="right", no_wrap=True)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("source", max_width=14)
    table.add_column("from", no_wrap=True)
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


def first_run_view(home: str) -> Text:
    """How to begin, for a first run with no data home yet."""
    return Text.assemble(
        ("Welcome to peerjournal", "bold"),
        "\nA private journal for peer support work: a diary of significant interactions,\n"
        "self-assessments against the field's competencies, and supervision notes.\n\n",
        f"Your records will live in {home} (change it with --home or PEERJOURNAL_HOME).\n\n",
        ("Begin with:\n", "bold"),
        "  peerjournal init                  your name and role\n",
        "  peerjournal frameworks list       what you can rate yourself against\n",
        "  peerjournal diary add             write about a significant interaction\n",
        "  peerjournal --help                every command\n",
    )


def dashboard_view(board: Dashboard) -> RenderableType:
    """The home screen: recent activity, waiting work, a supervisor's caseload, the next step."""
    table = Table(
        title=f"peerjournal: {board.name} ({board.role})",
        title_justify="left",
        box=None,
        show_header=False,
    )
    table.add_column(style="bold")
    table.add_column()

    def since(days: int | None, due: bool, what: str) -> Text:
        text = "never" if days is None else f"{days} day{'s' if days != 1 else ''} ago"
        return Text(
            f"{text}{' - ' + what + ' is due' if due else ''}", style="yellow" if due else ""
        )

    table.add_row("entries this week", str(board.entries_this_week))
    table.add_row("entries this month", str(board.entries_this_month))
    table.add_row("waiting for supervision", str(board.waiting_for_supervision))
    overdue = Text(str(board.overdue_actions), style="red" if board.overdue_actions else "")
    table.add_row("open actions", f"{board.open_actions}")
    table.add_row("overdue actions", overdue)
    table.add_row(
        "last supervision", since(board.days_since_session, board.supervision_due, "supervision")
    )
    table.add_row(
        "last assessment", since(board.days_since_assessment, board.assessment_due, "an assessment")
    )
    if board.drafts:
        table.add_row("assessments in progress", str(board.drafts))
    for worker in board.reviews_passed:
        table.add_row(
            "agreement review", Text(f"the review date with {worker} has passed", style="yellow")
        )
    table.add_row("next step", Text(board.next_step(), style="green"))
    if not board.caseload:
        return table
    return Group(table, Text(""), caseload_table(board.caseload))


def caseload_table(caseload: Iterable[WorkerGlance]) -> Table:
    """One row per worker: when they were last seen, what is open, hours, the agreement review."""
    table = Table(title="Caseload", title_justify="left", box=None, header_style="bold underline")
    for name, justify in (
        ("worker", "left"), ("last session", "left"), ("open", "right"),
        ("overdue", "right"), ("hours", "right"), ("agreement review", "left"),
    ):  # fmt: skip
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for glance in caseload:
        days = glance.days_since_session
        seen = "never" if days is None else f"{counted(days, 'day')} ago"
        review = "none" if glance.review_date is None else glance.review_date.isoformat()
        table.add_row(
            glance.worker,
            Text(seen, style="yellow" if glance.supervision_due else ""),
            str(glance.open_actions),
            Text(str(glance.overdue_actions), style="red" if glance.overdue_actions else ""),
            hours_of(glance.minutes, glance.hours_target),
            Text(review + (" (passed)" if glance.review_passed else ""),
                 style="yellow" if glance.review_passed else ""),
        )  # fmt: skip
    return table
