"""Rich renderables for supervision agreements: one agreement, and a worker's several."""

import shlex
from collections.abc import Sequence
from datetime import date

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from peerjournal.models.agreement import Agreement
from peerjournal.services.agreements import StoredAgreement, awaiting, notices


def _lived(answer: str) -> str:
    return {"yes": "has", "no": "has no"}.get(answer, "not known whether they have")


def agreement_view(agreement: Agreement, today: date) -> RenderableType:
    """The agreement, field by field: who has acknowledged it, and any notes (review, Te Pou)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    supervisor = agreement.supervisor or "-"
    if agreement.supervisor:
        supervisor += (
            f" ({_lived(agreement.supervisor_lived_experience)} lived experience of peer work)"
        )
    manager = agreement.line_manager or "-"
    if agreement.line_manager:
        manager += (
            f" ({_lived(agreement.line_manager_lived_experience)} lived experience of peer work)"
        )
    rows = [
        ("worker", agreement.worker), ("supervisor", supervisor), ("line manager", manager),
        ("type", agreement.type), ("form", agreement.form), ("mode", agreement.mode or "-"),
        ("place", agreement.place or "-"), ("purpose", agreement.purpose or "-"),
        ("goals", "; ".join(agreement.goals) or "-"), ("roles", agreement.roles or "-"),
        ("frequency", agreement.frequency), ("length", f"{agreement.minutes} minutes"),
        ("worker brings", agreement.worker_brings or "-"),
        ("confidentiality", agreement.confidentiality or "-"),
        ("limits", agreement.confidentiality_limits or "-"),
        ("notes kept", agreement.notes_kept or "-"),
        ("between sessions", agreement.between_sessions or "-"),
        ("cancellations", agreement.cancellations or "-"),
        ("cover", agreement.cover or "-"), ("disagreements", agreement.disagreements or "-"),
        ("start date", str(agreement.start_date or "-")),
        ("review date", str(agreement.review_date)),
    ]  # fmt: skip
    for label, value in rows:
        table.add_row(label, Text(value))
    done = [f"{ack.by} on {ack.at:%Y-%m-%d}" for ack in agreement.acknowledged]
    table.add_row("acknowledged by", Text("; ".join(done) or "nobody yet"))
    waiting = [f"{name} ({role})" for role, name in awaiting(agreement)]
    table.add_row("yet to acknowledge", Text("; ".join(waiting) or "-"))
    title = f"Supervision agreement ({agreement.type}) with {agreement.worker}"
    parts: list[RenderableType] = [Text(title, style="bold"), table]
    parts.extend(Text(note, style="yellow") for note in notices(agreement, today))
    return Group(*parts)


def agreements_table(found: Sequence[StoredAgreement], today: date) -> RenderableType:
    """A worker's agreements, one row each: type, form, supervisor, review date, acknowledged."""
    table = Table(box=None, header_style="bold underline")
    for column in ("type", "form", "supervisor", "review date", "not yet acknowledged by"):
        table.add_column(column, no_wrap=column in ("type", "form", "review date"))
    for stored in found:
        agreement = stored.agreement
        review = str(agreement.review_date)
        waiting = ", ".join(name for _, name in awaiting(agreement)) or "-"
        table.add_row(
            agreement.type,
            agreement.form,
            Text(agreement.supervisor or "-"),
            Text(review + (" (passed)" if agreement.review_date < today else "")),
            Text(waiting),
        )
    worker = shlex.quote(found[0].agreement.worker) if found else "NAME"
    hint = (
        f"Show or change one with: peerjournal supervision agreement --worker {worker} --type TYPE"
    )
    return Group(table, Text(hint, style="dim"))
