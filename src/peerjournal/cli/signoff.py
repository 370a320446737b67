"""`peerjournal supervision signoff` and `peerjournal signoffs list|verify|page`.

A supervisor signs off a worker's supervision in a period: the command shows exactly what will
be attested, asks, and writes ``signoff.json`` with its SSHSIG signature. The sign-off goes to
the worker in the next bundle; either home lists, checks and prints it.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.services.signoff import Proposal, Signoffs, StoredSignoff

app = typer.Typer(
    no_args_is_help=True,
    help="Sign-offs of supervision hours: list them, check their signatures, print them, "
    "copy them out.",
)

IdArg = Annotated[str, typer.Argument(metavar="ID", help="A sign-off id or a unique start of one.")]


def register(supervision_app: typer.Typer) -> None:
    """Add `signoff` to the supervision app."""
    supervision_app.command("signoff")(signoff)


def _service(context: AppContext) -> "Signoffs":
    return context.services.signoffs


def on_terminal() -> bool:
    """Whether someone is there to answer (tests replace this)."""
    return sys.stdin.isatty()


def signoff(
    ctx: typer.Context,
    worker: Annotated[str, typer.Option("--worker", "-w", help="The worker you supervised.")],
    since: Annotated[str, typer.Option("--since", help="The first day of the period.")],
    until: Annotated[str, typer.Option("--until", help="The last day of the period.")],
    credential: Annotated[
        str | None,
        typer.Option("--credential", help="Set the total against this credential's hours rule."),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Sign without asking (for scripts).")
    ] = False,
    page: Annotated[
        Path | None,
        typer.Option("--page", help="Also write a printable page (FILE.html) of the sign-off."),
    ] = None,
) -> None:
    """Sign off a worker's supervision in a period, with your key.

    Shows every session held in the period, the minutes per type and form and the total
    (against the worker's target, or a credential's hours rule), then asks. Cancelled and
    missed sessions are not attested. A signed period is never changed: signing an
    overlapping period again supersedes the earlier sign-off, which stays as it was.
    """
    from peerjournal.errors import InputError

    context = AppContext.of(ctx)
    service = _service(context)
    who = context.services.supervision.resolve_worker(worker, context.settings)
    proposal = service.propose(
        who, context.settings, since=context.day(since), until=context.day(until),
        credential=credential,
    )  # fmt: skip
    context.write(_preview(proposal))
    if not yes:
        if not on_terminal():
            raise InputError("nothing was signed: run in a terminal to be asked, or add --yes")
        if not context.prompter.confirm("Sign this with your key?"):
            context.say("Nothing was signed.")
            raise typer.Exit(1)
    stored = service.write(proposal)
    context.write(f"Signed sign-off {stored.id}: {stored.folder}\nSHA-256 {stored.digest}\n")
    if page is not None:
        service.write_page(stored, page)
        context.say(f"Wrote the printable page to {page}")
    context.say(f"It goes to {who} in your next bundle: peerjournal share --to '{who}' --out FILE")


def _preview(proposal: "Proposal") -> str:
    from peerjournal.units import count, duration

    doc = proposal.document
    totals = doc["totals"]
    lines = [
        f"Sign-off of {doc['worker']['name']}'s supervision, "
        f"{doc['period']['since']} to {doc['period']['until']}",
        "",
        doc["statement"],
        "",
        "Sessions held:",
    ]
    lines += [
        f"  {s['date']}  {s['id']}  {s['type']:<19} {s['form']:<13} {s['minutes']:>4} min"
        for s in doc["sessions"]
    ]
    lines += ["", "Minutes per type:"]
    lines += [f"  {kind:<19} {duration(m)}" for kind, m in totals["by_type"].items()]
    lines += ["Minutes per form:"]
    lines += [f"  {form:<19} {duration(m)}" for form, m in totals["by_form"].items()]
    total = f"Total: {duration(totals['minutes'])} in {count(totals['sessions'], 'session')}"
    target = doc["target"]
    if target is not None:
        total += f", against {target['hours']:g}h ({proposal.target_title})"
        if proposal.counted_minutes is not None:
            total += f"; {duration(proposal.counted_minutes)} of it counts toward that rule"
    lines += [total]
    if proposal.left_out:
        lines += [
            f"Left out: {count(proposal.left_out, 'session')} cancelled or missed (not attested)"
        ]
    if proposal.other_supervisor:
        lines += [
            f"Left out: {count(proposal.other_supervisor, 'session')} with another supervisor "
            "(theirs to sign off)"
        ]
    for old in proposal.supersedes:
        period = old.field("period") or {}
        lines += [
            f"Supersedes sign-off {old.id} ({period.get('since')} to {period.get('until')}): "
            "it stays as it was, but no longer stands"
        ]
    signer = doc["supervisor"]
    lines += [f"To be signed by {signer['name']} with key {signer['fingerprint']}"]
    if doc["worker"]["fingerprint"] is None:
        lines += [f"{doc['worker']['name']}'s key is not trusted here, so it is not named"]
    return "\n".join(lines) + "\n"


@app.command("list")
def list_signoffs(ctx: typer.Context) -> None:
    """The sign-offs you wrote, and those a supervisor sent you, oldest first."""
    context = AppContext.of(ctx)
    service = _service(context)
    found = service.all()
    if not found:
        context.say("No sign-offs yet.")
        return
    for item in found:
        context.write(_row(service, item) + "\n")


def _row(service: "Signoffs", item: "StoredSignoff") -> str:
    from peerjournal.units import duration

    if item.document is None:
        return f"{item.id}  (not a readable sign-off)"
    since, until = item.field("period", "since"), item.field("period", "until")
    minutes = item.field("totals", "minutes")
    if item.origin:
        whose = f"from {service.name_of(item.origin)}"
    else:
        whose = f"for {item.field('worker', 'name')}"
    row = f"{item.id}  {since} to {until}  {duration(minutes)}  {whose}"
    later = service.superseded_by(item)
    if later:
        row += f"  (superseded by {', '.join(later)})"
    return row


@app.command("verify")
def verify(ctx: typer.Context, signoff_id: IdArg) -> None:
    """Check a sign-off's signature against the supervisor's trusted key, and its contents."""
    context = AppContext.of(ctx)
    service = _service(context)
    item = service.find(signoff_id)
    checks = service.verify(item)
    marks = {"ok": "ok  ", "fail": "FAIL", "note": "note"}
    for check in checks:
        context.write(f"{marks[check.status]}  {check.text}\n")
    if any(check.status == "fail" for check in checks):
        context.say(f"sign-off {item.id} does not verify; do not rely on it")
        raise typer.Exit(2)
    context.say(f"sign-off {item.id}: every check holds")


@app.command("page")
def page(
    ctx: typer.Context,
    signoff_id: IdArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")],
) -> None:
    """Write a printable page of a sign-off (statement, totals, digest, both fingerprints)."""
    context = AppContext.of(ctx)
    service = _service(context)
    item = service.find(signoff_id)
    service.write_page(item, out)
    context.say(f"Wrote the printable page of sign-off {item.id} to {out}")


@app.command("export")
def export(
    ctx: typer.Context,
    signoff_id: IdArg,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The folder to write the two files into.")
    ],
) -> None:
    """Copy a sign-off's signoff.json and signoff.json.sig out, byte for byte, to hand on.

    In an encrypted home the stored files are sealed; these copies are what stock OpenSSH checks.
    """
    context = AppContext.of(ctx)
    service = _service(context)
    item = service.find(signoff_id)
    for path in service.export(item, out):
        context.say(f"Wrote {path}")
