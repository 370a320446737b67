"""Rich renderables for supervision: sessions, actions, agreements and hours."""

from collections.abc import Sequence
from datetime import date

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from peerjournal.models.agreement import Agreement
from peerjournal.services.supervision import ActionView, HoursReport, StoredSession
from peerjournal.units import duration, hours_of

BAR_WIDTH = 30


def sessions_table(sessions: Sequence[StoredSession]) -> Table:
    """One row per session, oldest first."""
    table = Table(box=None, header_style="bold underline")
    for column in ("id", "date", "worker", "type", "minutes", "open actions"):
        table.add_column(
            column,
            no_wrap=True,
            justify="right" if column in ("minutes", "open actions") else "left",
        )
    for stored in sessions:
        meta = stored.meta
        still_open = sum(1 for action in meta.actions if action.status == "open")
        table.add_row(
            meta.id,
            f"{meta.date:%Y-%m-%d %H:%M}",
            Text(meta.worker),
            meta.type,
            str(meta.minutes),
            str(still_open),
        )
    return table


def session_view(stored: StoredSession) -> RenderableType:
    """A session for reading: details, notes, actions."""
    meta = stored.meta
    header = Text.assemble(
        (f"Supervision with {meta.worker}", "bold"),
        f"  {meta.date:%A %d %B %Y, %H:%M}, {meta.minutes} minutes, {meta.type}",
        f"\nsupervisor: {meta.supervisor or '-'}   id: {meta.id}",
    )
    parts: list[RenderableType] = [header]
    if stored.notes:
        parts.append(Markdown(stored.notes))
    if meta.actions:
        parts.append(Text("Action items:", style="bold"))
        for action in meta.actions:
            due = f", due {action.due}" if action.due else ""
            parts.append(
                Text(f"  {action.id}  [{action.status}] {action.text} ({action.owner}{due})")
            )
    if meta.next_session:
        parts.append(Text(f"Next session: {meta.next_session}"))
    return Group(*parts)


def actions_table(views: Sequence[ActionView]) -> Table:
    """Action items with their worker, owner, due date and status."""
    table = Table(box=None, header_style="bold underline")
    for column in ("id", "worker", "action", "owner", "due", "status", "from session"):
        table.add_column(column, no_wrap=column in ("id", "due", "status"))
    for view in views:
        status = "OVERDUE" if view.overdue else view.action.status
        table.add_row(
            view.action.id, Text(view.worker), Text(view.action.text), Text(view.action.owner),
            str(view.action.due or "-"), status, view.session.meta.id,
            style="red" if view.overdue else "",
        )  # fmt: skip
    return table


def agreement_view(agreement: Agreement, today: date) -> RenderableType:
    """The agreement, field by field, with a warning when its review date has passed."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("worker", agreement.worker), ("supervisor", agreement.supervisor or "-"),
        ("type", agreement.type), ("frequency", agreement.frequency),
        ("length", f"{agreement.minutes} minutes"), ("goals", "; ".join(agreement.goals) or "-"),
        ("worker brings", agreement.worker_brings or "-"),
        ("confidentiality", agreement.confidentiality or "-"),
        ("limits", agreement.confidentiality_limits or "-"),
        ("notes kept", agreement.notes_kept or "-"), ("review date", str(agreement.review_date)),
    ]  # fmt: skip
    for label, value in rows:
        table.add_row(label, Text(value))
    parts: list[RenderableType] = [Text("Supervision agreement", style="bold"), table]
    if agreement.review_date < today:
        parts.append(
            Text("The review date has passed: time to review this agreement.", style="yellow")
        )
    return Group(*parts)


def hours_view(report: HoursReport, by: str) -> RenderableType:
    """Hours per group with bars, the total, and progress toward a target.

    Grouped by worker, the target is each worker's: every row says how far that worker is.
    """
    target = report.target_hours
    per_worker = bool(target) and report.per_worker
    table = Table(box=None, header_style="bold underline")
    table.add_column(by)
    table.add_column("sessions", justify="right")
    table.add_column("hours", justify="right")
    if per_worker:
        table.add_column(f"of {target:g} h", justify="right")
    table.add_column("", no_wrap=True)
    top = max((row.hours for row in report.rows), default=0) or 1
    for row in report.rows:
        filled = round(row.hours / top * BAR_WIDTH)
        cells = [row.key, str(row.sessions), duration(row.minutes)]
        if per_worker and target:
            cells.append(_progress(row.minutes, target))
        table.add_row(*cells, Text("█" * filled, style="cyan"))
    total: list[RenderableType] = [
        Text("total", style="bold"),
        str(report.sessions),
        duration(report.minutes),
    ]
    table.add_row(*total, *([""] if per_worker else []), "")
    parts: list[RenderableType] = [table]
    if per_worker and target and report.rows:
        reached = len(report.reached())
        parts.append(
            Text(
                f"Target {duration(round(target * 60))} per worker: "
                f"{reached} of {len(report.rows)} "
                f"{'worker' if len(report.rows) == 1 else 'workers'} reached it"
            )
        )
    elif target and not per_worker:
        remaining = max(0, round(target * 60) - report.minutes)
        parts.append(
            Text(
                f"{hours_of(report.minutes, target)} "
                f"({report.percent_of_target:.1f}%); {duration(remaining)} to go"
            )
        )
    return Group(*parts)


def _progress(minutes: int, target: float) -> str:
    """One worker against the target: '40.0%, 15h to go' or 'reached'."""
    goal = round(target * 60)
    if minutes >= goal:
        return "reached"
    return f"{100 * minutes / goal:.1f}%, {duration(goal - minutes)} to go"
