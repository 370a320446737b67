"""`peerjournal doctor`: everything other commands skip with a warning, listed in one place."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from rich.console import Console

    from peerjournal.services.container import DataHome
    from peerjournal.services.doctor import Finding

HEADINGS = {
    "home": "Data home",
    "record": "Unreadable or invalid files",
    "index": "Index",
    "temp-file": "Temp files left by interrupted writes",
    "editor-buffer": "Editor buffers left in .tmp/",
    "permissions": "Open to other users (expected: folders 0700, files 0600)",
    "symlink": "Links that lead out of the data home",
    "encryption": "Encryption (files in the clear, unknown keys, unfinished conversions)",
}


def register(app: typer.Typer) -> None:
    """Add the doctor command to the root app."""
    app.command("doctor")(doctor)


def doctor(
    ctx: typer.Context,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="Make files 0600 and folders 0700, remove old temp files and empty editor "
            "buffers. Never changes or deletes a record.",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the findings as a JSON list, for scripts.")
    ] = False,
) -> None:
    """Check the data home: broken records, temp files, loose permissions, leftovers.

    Exits 1 if it finds a problem, 0 when all is well (text waiting in .recovery/ is listed as
    information). Record problems are listed with file and
    line, never with the text. --fix mends only what is safe, says what it changed, and checks
    again.
    """
    from peerjournal.services.doctor import examine, mend

    app = AppContext.of(ctx)
    sealed = app.encryption if app.encryption.is_encrypted() else None
    if sealed is not None:
        _key_file_or_stop(app)
    findings = examine(app.home, app.services.index, clock=app.clock, sealed=sealed)
    changes = mend(app.home, app.services.index, findings, clock=app.clock) if fix else []
    if fix:
        findings = examine(app.home, app.services.index, clock=app.clock, sealed=sealed)
    if as_json:
        _print_json(app, changes, findings)
    else:
        _print_report(app, changes, findings)
    if any(finding.kind != "recovery" for finding in findings):
        raise typer.Exit(1)  # recovery files are information: the person decides what to keep


def _key_file_or_stop(app: AppContext) -> None:
    """A damaged key file is doctor's finding (exit 1), named before any unlocking is tried."""
    from peerjournal.errors import RecordError

    try:
        app.encryption.key_file()
    except RecordError as problem:
        app.say(f"Key file of the encrypted home\n  {problem}")
        app.say("Nothing else can be checked until the key file is restored from a backup.")
        raise typer.Exit(1) from None


def _print_json(app: AppContext, changes: Sequence[str], findings: "Sequence[Finding]") -> None:
    """Findings on stdout as JSON; what --fix changed goes to stderr, so stdout stays parseable."""
    import json

    for change in changes:
        app.err.print(change, markup=False)
    rows = [
        {
            "kind": finding.kind,
            "path": str(finding.path),
            "line": finding.line,
            "message": finding.message,
            "fixable": finding.fixable,
        }
        for finding in findings
    ]
    typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))


def _print_report(app: AppContext, changes: Sequence[str], findings: "Sequence[Finding]") -> None:
    out = app.out
    out.print(
        f"data home: {app.home.root} (from {app.home_choice.source})", markup=False, soft_wrap=True
    )
    for change in changes:
        out.print(change, markup=False, soft_wrap=True)
    if not findings:
        out.print("All is well: nothing to report.")
        return
    for kind, group in _grouped(findings):
        out.print()
        _print_group(out, app.home, kind, group)
    out.print()
    fixable = sum(finding.fixable for finding in findings)
    summary = f"{_count(len(findings), 'finding')}."
    if fixable:
        summary += f" {fixable} can be mended with 'peerjournal doctor --fix'."
    out.print(summary, markup=False, soft_wrap=True)


def _print_group(
    out: "Console", home: "DataHome", kind: str, findings: "Sequence[Finding]"
) -> None:
    from rich.text import Text

    from peerjournal.services.doctor import display_path

    if kind == "recovery":
        verb = "waits" if len(findings) == 1 else "wait"
        heading = (
            f"{_count(len(findings), 'file')} in .recovery/ {verb} for you: "
            "see each with `peerjournal recovery show ID`, keep what you need, then delete it "
            "with `peerjournal recovery empty ID`"
        )
    else:
        heading = f"{HEADINGS.get(kind, kind)} ({len(findings)})"
    out.print(Text(heading, style="bold"), soft_wrap=True)
    for finding in findings:
        where = display_path(home, finding.path)
        if finding.line is not None:
            where += f":{finding.line}"
        mark = "  (fixable)" if finding.fixable else ""
        out.print(f"  {where}: {finding.message}{mark}", markup=False, soft_wrap=True)


def _grouped(findings: "Sequence[Finding]") -> "list[tuple[str, list[Finding]]]":
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.kind, []).append(finding)
    return list(groups.items())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
