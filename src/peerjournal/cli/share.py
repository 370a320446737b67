"""`peerjournal share`, `verify`, `receive` and `team`: bundles handed from one home to another.

No server: a bundle is a file, signed with your key and sealed to the recipient's, that you hand
over any way you like (a USB stick, a shared folder, an email attachment).
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.services.receiving import Checked, Receiving
    from peerjournal.services.sharing import Selection


def register(app: typer.Typer) -> None:
    """Add the sharing commands to the root app."""
    app.command("share")(share)
    app.command("verify")(verify)
    app.command("receive")(receive)
    app.command("team")(team)


def share(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="The person the bundle is for.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="The bundle file to write.")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Records from this day.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Records up to and including this day.")
    ] = None,
    only: Annotated[
        list[str],
        typer.Option(
            "--only",
            help="Only these kinds: entries, assessments, sessions, signoffs (repeatable).",
        ),
    ] = [],  # noqa: B006
    again: Annotated[
        bool, typer.Option("--again", help="Include records already shared (a lost bundle).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would go; write nothing.")
    ] = False,
    pseudonymise: Annotated[
        bool,
        typer.Option("--pseudonymise", help="Replace names on your watch list with pseudonyms."),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse if the privacy check finds anything.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Write even if the privacy check finds something.")
    ] = False,
) -> None:
    """Write a signed bundle for one person, sealed so only their key opens it.

    A worker shares the diary entries marked for supervision and completed self-assessments
    with their goals; a supervisor shares the worker's sessions (as they concern that worker)
    with their actions, and completed ratings of the worker. Each record goes once, and again
    when it changed. The privacy check runs over every text first. The person's key must be
    trusted first: peerjournal keys trust NAME KEY.
    """
    from peerjournal.errors import InputError
    from peerjournal.services.privacy import scan
    from peerjournal.ui.console import warn

    context = AppContext.of(ctx)
    settings = context.settings
    sharing = context.services.sharing
    recipient = context.services.people.find(to).name
    selection = sharing.select(
        recipient, settings,
        since=context.day(since) if since else None,
        until=context.day(until) if until else None,
        kinds=[kind for value in only for kind in value.split(",") if kind] or None,
        again=again,
    )  # fmt: skip
    if dry_run:
        _list(context, selection)
        return
    if out is None:
        raise InputError("say where to write the bundle with --out FILE")
    watch, allow = settings.privacy.watch_names, settings.privacy.allow
    findings = [
        (where, finding)
        for where, text in selection.texts()
        for finding in scan(text, watch_names=watch, allow=allow)
        if not (pseudonymise and finding.kind == "name")
    ]
    if findings:
        places = "; ".join(f"{where}: {finding.label}" for where, finding in findings[:8])
        more = f" and {len(findings) - 8} more" if len(findings) > 8 else ""
        message = f"the bundle includes possible identifying details: {places}{more}"
        if strict:
            raise InputError(f"{message}; nothing was written (--strict)")
        warn(f"{message}; consider --pseudonymise, or edit those records first")
        if not yes and not context.prompter.confirm("Write the bundle anyway?"):
            context.err.print("Nothing was written.")
            raise typer.Exit(1)
    transform = None
    if pseudonymise:
        from peerjournal.services.report_render import pseudonymise_names

        def transform(text: str) -> str:
            return pseudonymise_names(text, watch)

    bundle_id, path = sharing.write(selection, out, transform=transform)
    counts = _counted(selection.counts())
    typer.echo(f"Wrote bundle {bundle_id} for {recipient} ({counts}) to {path}")
    context.err.print(
        f"Only {recipient}'s key opens it; hand it over any way you like.", markup=False
    )


def _list(context: AppContext, selection: "Selection") -> None:
    if not selection.records:
        context.err.print(f"Nothing new to share with {selection.recipient}.", markup=False)
        return
    for record in selection.records:
        typer.echo(record.label)
    counts = _counted(selection.counts())
    context.err.print(f"Would share with {selection.recipient}: {counts}.", markup=False)


def _checked(context: AppContext, path: Path) -> "tuple[Receiving, Checked]":
    receiving = context.services.receiving
    return receiving, receiving.check(path, ask_passphrase=_ask_passphrase)


def _ask_passphrase() -> str:
    """Asked only when your SSH key is protected (opening a bundle needs the key itself)."""
    import getpass  # read from the terminal, never echoed

    return getpass.getpass("Passphrase of your SSH key: ")


def verify(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="The bundle file.", show_default=False)],
) -> None:
    """Check a bundle without importing it: who sent it, to whom, what it holds, every check.

    It must open with your key, be signed by the sender's trusted key, be addressed to you,
    and every file must match the signed manifest. Any failure is one line and exit 2.
    """
    context = AppContext.of(ctx)
    _, checked = _checked(context, bundle)
    manifest = checked.manifest
    sender = manifest["sender"]
    old = "" if checked.key_current else " (a key they have since replaced)"
    lines = [
        f"bundle    {checked.bundle_id}, written {manifest.get('created', '-')}",
        f"from      {checked.sender_name}, {sender['fingerprint']}, trusted{old}",
        f"to        you, {manifest['recipient']['fingerprint']}",
        f"follows   {manifest.get('previous') or 'none (the first to you)'}",
        "holds     " + _holds(manifest),
        "checks    signature, addressee, file names, sizes and SHA-256 of every file: all hold",
    ]
    for line in lines:
        typer.echo(line)


def _holds(manifest: dict[str, object]) -> str:
    summary = manifest.get("summary")
    if not isinstance(summary, dict):
        return "-"
    return _counted({str(k): n for k, n in summary.items() if isinstance(n, int)})


_ONE = {
    "entries": "entry",
    "assessments": "assessment",
    "sessions": "session",
    "signoffs": "sign-off",
}


def _counted(counts: "dict[str, int]") -> str:
    """'1 entry, 2 assessments': what a bundle holds, in words."""
    words = [f"{n} {_ONE.get(kind, kind) if n == 1 else kind}" for kind, n in counts.items() if n]
    return ", ".join(words) or "nothing"


def receive(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="The bundle file.", show_default=False)],
) -> None:
    """Verify a bundle against the sender's trusted key and keep what it holds.

    Every check of 'verify' runs first; if any fails nothing is imported. What is received is
    kept read-only under team/<person-id>/, apart from your own records. A bundle received
    twice adds nothing; a missing or out-of-order bundle in the chain is reported.
    """
    from peerjournal.ui.console import warn

    context = AppContext.of(ctx)
    receiving, checked = _checked(context, bundle)
    received = receiving.receive(checked)
    if received.already:
        typer.echo(
            f"Bundle {checked.bundle_id} from {checked.sender_name} was received before; "
            "nothing added."
        )
        return
    if received.chain_note:
        warn(received.chain_note)
    typer.echo(
        f"Received bundle {checked.bundle_id} from {checked.sender_name}: "
        f"{_holds(checked.manifest)}; {len(received.added)} new or changed, kept in "
        f"team/{checked.sender_id}/"
    )


def team(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Everyone you have received bundles from: the last bundle, its date and what came.

    In a supervisor's home each worker's row adds the last session, open and overdue actions
    and hours, from your own records.
    """
    context = AppContext.of(ctx)
    rows = context.services.team_view(context.settings)
    if as_json:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        context.err.print("Nothing received yet: 'peerjournal receive FILE' keeps a bundle.")
        return
    from rich.table import Table

    grid = Table(box=None, header_style="bold underline")
    numbers = ("open", "overdue", "gaps")
    for column in ("person", "last bundle", "came", "last session", *numbers, "hours"):
        grid.add_column(column, justify="right" if column in numbers else "left")
    for row in rows:
        came = {kind: int(str(row[kind])) for kind in ("entries", "assessments", "sessions")}
        grid.add_row(
            str(row["person"]), str(row["received"] or "-"), _counted(came),
            str(row["last_session"] or "-"), str(row["open_actions"]),
            str(row["overdue_actions"]), str(row["gaps"]), str(row["hours"]),
        )  # fmt: skip
    context.out.print(grid)
