"""Rich renderables for supervision: sessions, actions, agreements and hours."""

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from peerjournal.services.credentials import CredentialProgress
from peerjournal.services.supervision import ActionView, StoredSession
from peerjournal.services.supervision_hours import HoursReport
from peerjournal.units import duration, hours_of

BAR_WIDTH = 30


def sessions_table(sessions: Sequence[StoredSession]) -> Table:
    """One row per session, oldest first; a cancelled or missed one says so instead of minutes.

    Ids and dates are never cut (people copy ids); the workers' names wrap instead.
    """
    table = Table(box=None, header_style="bold underline")
    table.add_column("id", no_wrap=True, min_width=18)
    table.add_column("date", no_wrap=True, min_width=16)
    table.add_column("workers", min_width=10, ratio=1)
    table.add_column("type / form", min_width=12, ratio=1, overflow="fold")
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("open", justify="right", no_wrap=True)
    for stored in sessions:
        meta = stored.meta
        still_open = sum(1 for action in meta.actions if action.status == "open")
        table.add_row(
            meta.id,
            f"{meta.date:%Y-%m-%d %H:%M}",
            Text(workers_label(stored)),
            f"{meta.type} / {meta.form}",
            str(meta.minutes) if meta.held else meta.attendance,
            str(still_open),
        )
    return table


def workers_label(stored: StoredSession) -> str:
    """Who took part, as this reader may know it: others in a group are only counted."""
    names = ", ".join(stored.meta.workers)
    hidden = stored.group_size - len(stored.meta.workers)
    return f"{names} (+{hidden} in the group)" if hidden > 0 else names


def session_view(stored: StoredSession) -> RenderableType:
    """A session for reading: details, notes, actions."""
    meta = stored.meta
    kind = f"{meta.type}, {meta.form}"
    if meta.occasion != "scheduled":
        kind += ", " + (
            "critical-incident debrief" if meta.occasion == "critical-incident" else "unscheduled"
        )
    length = f"{meta.minutes} minutes" if meta.held else meta.attendance.upper()
    header = Text.assemble(
        (f"Supervision with {workers_label(stored)}", "bold"),
        f"  {meta.date:%A %d %B %Y, %H:%M}, {length}, {kind}",
        f"\nsupervisor: {meta.supervisor or '-'}   id: {meta.id}",
    )
    parts: list[RenderableType] = [header]
    if not meta.held:
        parts.append(Text(f"Why: {meta.why}"))
    if meta.domains:
        parts.append(Text("Covered: " + ", ".join(meta.domains)))
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
    if report.not_held:
        parts.append(
            Text(
                f"{report.not_held} cancelled or missed "
                f"{'session' if report.not_held == 1 else 'sessions'} in the period: no hours"
            )
        )
    if target and not per_worker:
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


def credential_view(progress: CredentialProgress) -> RenderableType:
    """Each rule with hours counted and needed, the projected date, and what to check by hand."""
    credential = progress.credential
    table = Table(box=None, header_style="bold underline")
    for column in ("rule", "counted", "needed", "progress"):
        table.add_column(column, justify="right" if column in ("counted", "needed") else "left")
    for rule in progress.rules:
        title = f"{rule.rule.title}: {rule.domain}" if rule.domain else rule.rule.title
        state = "met" if rule.met else f"{duration(rule.remaining_minutes)} to go"
        if rule.capped_minutes:
            state += f" ({duration(rule.capped_minutes)} over the cap not counted)"
        table.add_row(
            Text(title),
            duration(rule.minutes),
            duration(rule.needed_minutes),
            Text(state, style="green" if rule.met else ""),
        )
    parts: list[RenderableType] = [
        Text(f"{credential.title}: {progress.worker}", style="bold"),
        table,
    ]
    if progress.met:
        parts.append(Text("Every supervision rule is met.", style="green"))
    elif progress.projected is not None:
        parts.append(
            Text(f"At the pace of the last 90 days every rule is met by {progress.projected}.")
        )
    else:
        stalled = ", ".join(r.domain or r.rule.id for r in progress.stalled)
        parts.append(Text(f"No hours in the last 90 days toward {stalled}: no date to project."))
    if progress.by_domain:
        spread = ", ".join(f"{code} {duration(minutes)}" for code, minutes in progress.by_domain)
        parts.append(Text(f"Hours by domain: {spread}"))
    supervisors = ", ".join(progress.supervisors) or "-"
    parts.append(Text(f"Supervisor must be: {credential.supervisor}", style="dim"))
    parts.append(Text(f"Supervised by: {supervisors} (check this yourself)", style="dim"))
    if credential.requirements:
        parts.append(Text("Also required (not tracked here):", style="bold"))
        parts += [
            Text(f"  - {r.title}" + (f": {r.detail}" if r.detail else ""))
            for r in credential.requirements
        ]
    source = credential.source
    year = f", {source.year}" if source.year else ""
    parts.append(
        Text(f"Source: {source.publisher}, {source.title}{year}, {source.url}", style="dim")
    )
    return Group(*parts)
