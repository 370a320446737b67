"""Rich renderables for assessments: summaries with bar charts, listings, comparisons, gaps."""

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from peerjournal.models.assessment import Assessment
from peerjournal.models.framework import Scale
from peerjournal.services.assessment_stats import Comparison, Gap, Progress, Summary
from peerjournal.services.crosswalk import CrossRow, Crosswalk

BAR_WIDTH = 30


def bar(value: float | None, scale: Scale, width: int = BAR_WIDTH) -> Text:
    """A horizontal bar for a mean on the scale, drawn with block characters."""
    if value is None:
        return Text("no ratings", style="dim")
    low, high = scale.values[0], scale.values[-1]
    filled = round((value - low) / (high - low) * width) if high > low else width
    return Text("█" * filled + "░" * (width - filled), style="cyan")


def summary_view(summary: Summary, scale: Scale) -> RenderableType:
    """Mean per domain with a bar, then strengths, growth areas and unevidenced highs."""
    table = Table(
        title="Mean per domain", title_justify="left", box=None, header_style="bold underline"
    )
    table.add_column("domain", ratio=1)
    table.add_column("mean", justify="right", no_wrap=True)
    table.add_column("chart", no_wrap=True)
    table.add_column("rated", justify="right")
    table.add_column("skipped", justify="right")
    table.add_column("n/a", justify="right")
    table.add_column("not yet", justify="right")  # no opportunity yet
    for score in summary.domains:
        mean = f"{score.mean:.2f}" if score.mean is not None else "-"
        table.add_row(
            Text(score.title), mean, bar(score.mean, scale), str(score.rated),
            str(score.skipped), str(score.not_applicable), str(score.no_opportunity),
        )  # fmt: skip
    parts: list[RenderableType] = [table]
    overall = f"{summary.overall_mean:.2f}" if summary.overall_mean is not None else "-"
    parts.append(Text(f"Overall mean: {overall} on a {scale.values[0]}-{scale.values[-1]} scale"))
    if summary.strongest:
        parts.append(Text("Strongest: " + ", ".join(d.title for d in summary.strongest)))
    if summary.weakest:
        parts.append(Text("Weakest: " + ", ".join(d.title for d in summary.weakest)))
    if summary.growth_areas:
        parts.append(Text("Growth areas (lowest rated):", style="bold"))
        parts.extend(Text(f"  {g.item}  {g.rating}  {g.text}") for g in summary.growth_areas)
    if summary.high_without_evidence:
        parts.append(Text("Rated high with no diary evidence yet:", style="bold"))
        parts.extend(
            Text(f"  {h.item}  {h.rating}  {h.text}") for h in summary.high_without_evidence
        )
    if summary.learning_opportunities:
        parts.append(Text("Learning opportunities (no opportunity yet, not scored):", style="bold"))
        parts.extend(Text(f"  {o.item}  {o.text}") for o in summary.learning_opportunities)
    return Group(*parts)


def assessments_table(assessments: Sequence[Assessment], width: int = 120) -> Table:
    """One row per assessment, oldest first; on a narrow terminal the status is never dropped.

    The id already names the date, the framework and the rater, so those columns go first when
    ``width`` is short; the id and the status always stay.
    """
    columns = ["id", "framework", "role", "subject", "status", "started", "answered"]
    longest = max((len(a.id) for a in assessments), default=20)
    for room, fewer in ((62, ["id", "subject", "status", "answered"]),
                        (32, ["id", "status", "answered"]), (22, ["id", "status"])):  # fmt: skip
        if width < longest + room:
            columns = fewer
    table = Table(box=None, header_style="bold underline")
    for column in columns:
        table.add_column(
            column, no_wrap=column != "subject", justify="right" if column == "answered" else "left"
        )
    for a in assessments:
        cells: dict[str, str | Text] = {
            "id": a.id, "framework": a.framework.id, "role": a.role, "subject": Text(a.subject),
            "status": a.status, "started": f"{a.started:%Y-%m-%d %H:%M}",
            "answered": str(sum(1 for r in a.responses.values() if not r.skipped)),
        }  # fmt: skip
        table.add_row(*(cells[column] for column in columns))
    return table


def assessment_header(assessment: Assessment) -> Text:
    """Who rated whom, on what, when."""
    state = "complete" if assessment.status == "complete" else "draft (resume with assess resume)"
    who = f"{assessment.role} assessment of {assessment.subject} by {assessment.assessor}"
    if assessment.role == "supervisee":
        who = (
            f"about {assessment.subject}: rated by {assessment.assessor}, "
            "someone they supervise (not a self-assessment)"
        )
    return Text.assemble(
        (f"{assessment.framework.title or assessment.framework.id}", "bold"),
        f"  version {assessment.framework.version}\n",
        f"{who}, started {assessment.started:%Y-%m-%d %H:%M}; {state}",
    )


def responses_table(assessment: Assessment) -> Table:
    """Every answer with the item text stored when it was given."""
    table = Table(box=None, header_style="bold underline")
    table.add_column("item", no_wrap=True)
    table.add_column("answer", justify="right")
    table.add_column("text", ratio=1)
    table.add_column("note")
    for item_id, response in assessment.responses.items():
        if response.not_applicable:
            answer = "n/a"
        elif response.no_opportunity:
            answer = "not yet"
        elif response.rating is None:
            answer = "skip"
        else:
            answer = str(response.rating)
        table.add_row(item_id, answer, Text(response.text), Text(response.note))
    return table


def goals_view(assessment: Assessment) -> RenderableType:
    """The development goals set at the end."""
    if not assessment.goals:
        return Text("No development goals set.", style="dim")
    return Group(
        Text("Development goals:", style="bold"),
        *(Text(f"  {goal.item}: {goal.text}") for goal in assessment.goals),
    )


def comparison_view(comparison: Comparison) -> RenderableType:
    """Domain and item changes between two assessments."""
    table = _titled_table("Change per domain", ("domain", "before", "after", "change"), numeric=3)
    for change in comparison.domains:
        table.add_row(
            Text(change.title), _num(change.before), _num(change.after), _signed(change.change)
        )
    parts: list[RenderableType] = [table]
    if comparison.framework_changed:
        parts.append(Text("The framework changed between the two assessments.", style="yellow"))
    if comparison.changed:
        items = _titled_table(
            "Items that changed", ("item", "before", "after", "change", "text"), numeric=3
        )
        for item in comparison.changed:
            items.add_row(
                item.item,
                _num(item.before),
                _num(item.after),
                _signed(item.change),
                Text(item.text),
            )
        parts.append(items)
    else:
        parts.append(Text("No item ratings changed."))
    if comparison.new_items:
        parts.append(Text("New items: " + ", ".join(comparison.new_items)))
    if comparison.removed_items:
        parts.append(Text("Removed items: " + ", ".join(comparison.removed_items)))
    return Group(*parts)


def progress_view(progress: Progress, scale: Scale) -> RenderableType:
    """Means per domain over time, and the overall mean as bars."""
    table = Table(
        title="Mean per domain over time",
        title_justify="left",
        box=None,
        header_style="bold underline",
    )
    table.add_column("domain", ratio=1)
    for row in progress.rows:
        table.add_column(f"{row.when:%Y-%m-%d}\n{row.role}", justify="right", no_wrap=True)
    for domain_id, title in progress.domains:
        table.add_row(Text(title), *(_num(row.means.get(domain_id)) for row in progress.rows))
    table.add_row(Text("overall", style="bold"), *(_num(row.overall) for row in progress.rows))
    chart = Table(title="Overall, oldest first", title_justify="left", box=None, show_header=False)
    chart.add_column(no_wrap=True)
    chart.add_column(no_wrap=True)
    chart.add_column(justify="right")
    for row in progress.rows:
        chart.add_row(f"{row.when:%Y-%m-%d}", bar(row.overall, scale), _num(row.overall))
    return Group(table, chart)


def gaps_view(gaps: Sequence[Gap], self_id: str, supervisor_id: str) -> RenderableType:
    """Items where self and supervisor ratings differ, as talking points."""
    header = Text(f"Self assessment {self_id} and supervisor assessment {supervisor_id}")
    if not gaps:
        return Group(header, Text("No items differ by two points or more."))
    table = _titled_table(
        "Talking points for supervision",
        ("item", "self", "supervisor", "difference", "text"),
        numeric=3,
    )
    for gap in gaps:
        table.add_row(
            gap.item,
            str(gap.self_rating),
            str(gap.supervisor_rating),
            _signed(gap.difference),
            Text(gap.text),
        )
    return Group(header, table)


def crosswalk_view(walk: Crosswalk) -> RenderableType:
    """An assessment read as another framework: per target domain, what maps there, rated how."""
    header = Text(
        f"Assessment {walk.assessment} read as {walk.target_title} ({walk.target}): the "
        f"{walk.source} items that map to each domain; means on {walk.source}'s "
        f"{walk.scale_low}-{walk.scale_high} scale."
    )
    table = Table(box=None, header_style="bold underline")
    table.add_column(walk.target, no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("mean", justify="right", no_wrap=True)
    table.add_column(f"from {walk.source}", ratio=2)
    for row in walk.rows:
        code = row.code if row.kind == "domain" else f"  {row.code}"
        mean = _num(row.mean) if row.mapped else "-"
        table.add_row(code, Text(row.title), mean, _mapped_cell(row))
    parts: list[RenderableType] = [header, table]
    if walk.unresolved:
        parts.append(
            Text(
                f"Links to codes {walk.target} does not have (see 'peerjournal frameworks "
                f"validate'): {', '.join(walk.unresolved)}",
                style="yellow",
            )
        )
    return Group(*parts)


def _mapped_cell(row: CrossRow) -> Text:
    if not row.mapped:
        return Text("nothing maps here", style="dim")
    lines = []
    if row.rated:
        lines.append("rated: " + ", ".join(f"{m.item} {m.rating}" for m in row.rated))
    for label, found in (
        ("not applicable", row.not_applicable),
        ("no opportunity yet", row.no_opportunity),
        ("not answered", row.not_answered),
    ):
        if found:
            lines.append(f"{label}: " + ", ".join(m.item for m in found))
    return Text("\n".join(lines))


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _signed(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:+.2f}" if isinstance(value, float) else f"{value:+d}"


def _titled_table(title: str, columns: Sequence[str], *, numeric: int) -> Table:
    """A plain table whose columns after the first hold ``numeric`` right-aligned numbers."""
    table = Table(title=title, title_justify="left", box=None, header_style="bold underline")
    for index, column in enumerate(columns):
        table.add_column(column, justify="right" if 0 < index <= numeric else "left")
    return table
