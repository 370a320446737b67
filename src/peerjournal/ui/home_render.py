"""The home screen as plain text: the glance everyone sees first, with no rich to import."""

from collections.abc import Iterable

from peerjournal.services.dashboard import Dashboard, Resurfaced, WorkerGlance
from peerjournal.ui.plain import BOLD, CYAN, YELLOW, Cell, Column, Terminal, table
from peerjournal.units import count as counted
from peerjournal.units import hours_of

RED = "31"
GREEN = "32"


def first_run_view(home: str, terminal: Terminal) -> str:
    """How to begin, for a first run with no data home yet."""
    return (
        f"{terminal.style('Welcome to peerjournal', BOLD)}\n"
        "A private journal for peer support work: a diary of significant interactions,\n"
        "self-assessments against the field's competencies, and supervision notes.\n\n"
        f"Your records will live in {home} (change it with --home or PEERJOURNAL_HOME).\n\n"
        f"{terminal.style('Begin with:', BOLD)}\n"
        "  peerjournal init                  your name and role\n"
        "  peerjournal frameworks list       what you can rate yourself against\n"
        "  peerjournal diary add             write about a significant interaction\n"
        "  peerjournal --help                every command\n"
    )


def dashboard_view(board: Dashboard, terminal: Terminal) -> str:
    """Recent activity, waiting work, a supervisor's caseload, and the next step."""

    def since(days: int | None, due: bool, what: str) -> tuple[str, str]:
        text = "never" if days is None else f"{days} day{'s' if days != 1 else ''} ago"
        return f"{text}{' - ' + what + ' is due' if due else ''}", YELLOW if due else ""

    rows: list[tuple[str, tuple[str, str]]] = [
        ("entries this week", (str(board.entries_this_week), "")),
        ("entries this month", (str(board.entries_this_month), "")),
        ("waiting for supervision", (str(board.waiting_for_supervision), "")),
        ("open actions", (str(board.open_actions), "")),
        ("overdue actions", (str(board.overdue_actions), RED if board.overdue_actions else "")),
        ("last supervision", since(board.days_since_session, board.supervision_due, "supervision")),
        (
            "last assessment",
            since(board.days_since_assessment, board.assessment_due, "an assessment"),
        ),
    ]
    if board.drafts:
        rows.append(("assessments in progress", (str(board.drafts), "")))
    rows += _resurfaced(board.on_this_day)
    for worker in board.reviews_passed:
        rows.append(("agreement review", (f"the review date with {worker} has passed", YELLOW)))
    rows.append(("next step", (board.next_step(), GREEN)))
    width = max(len(label) for label, _ in rows)
    lines = [f"peerjournal: {board.name} ({board.role})"]
    for label, (value, style) in rows:
        gap = " " * (width - len(label))
        lines.append(f" {terminal.style(label, BOLD)}{gap}  {terminal.style(value, style)}")
    text = "".join(f"{line}\n" for line in lines)
    if board.caseload:
        text += "\n" + caseload_table(board.caseload, terminal)
    return text


def _resurfaced(found: Resurfaced | None) -> list[tuple[str, tuple[str, str]]]:
    """The entry of this day a year or a month ago: its title and id only, never its text."""
    if found is None:
        return []
    more = f" and {counted(found.others, 'other')}" if found.others else ""
    rows = [
        (
            "on this day",
            (f"{found.ago}: {found.title or '(untitled)'} ({found.entry_id}){more}", CYAN),
        )
    ]
    rating = found.rating
    if rating is not None:
        change = "the same now" if rating.now == rating.then else f"{rating.now} now"
        rows.append(("rated then", (f"{rating.ref}: {rating.then} then, {change}", "")))
    return rows


def caseload_table(caseload: Iterable[WorkerGlance], terminal: Terminal) -> str:
    """One row per worker: when they were last seen, what is open, hours, the agreement review."""
    columns = [
        Column("worker"),
        Column("last session"),
        Column("open", justify="right", wrap=False),
        Column("overdue", justify="right", wrap=False),
        Column("hours", justify="right", wrap=False),
        Column("agreement review"),
    ]
    glances = list(caseload)
    shared = any(glance.days_since_shared is not None for glance in glances)
    if shared:  # only once a worker has shared anything: most homes never do
        columns.append(Column("last shared"))
    rows: list[list[Cell]] = []
    for glance in glances:
        days = glance.days_since_session
        seen = "never" if days is None else f"{counted(days, 'day')} ago"
        review = "none" if glance.review_date is None else glance.review_date.isoformat()
        rows.append(
            [
                glance.worker,
                (seen, YELLOW if glance.supervision_due else ""),
                str(glance.open_actions),
                (str(glance.overdue_actions), RED if glance.overdue_actions else ""),
                hours_of(glance.minutes, glance.hours_target),
                (
                    review + (" (passed)" if glance.review_passed else ""),
                    YELLOW if glance.review_passed else "",
                ),
            ]
        )
        if shared:
            since = glance.days_since_shared
            rows[-1].append("-" if since is None else f"{counted(since, 'day')} ago")
    return table(columns, rows, terminal, title="Caseload")
