"""`peerjournal report KIND`: Markdown or self-contained HTML reports, printed or written."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.models.settings import Settings
    from peerjournal.services.reports import ReportData, Reports


def register(app: typer.Typer) -> None:
    """Add the report command to the root app."""
    app.command("report")(report)


def report(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            help="assessment, diary, supervision, prep or portfolio.", show_default=False
        ),
    ],
    which: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="For 'assessment': an id, or 'latest' (default)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md (Markdown) or html.")] = "md",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write here (charts go beside a Markdown file)."),
    ] = None,
    compare: Annotated[
        str | None,
        typer.Option("--compare", help="assessment: show changes since this assessment."),
    ] = None,
    as_framework: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="FRAMEWORK",
            help="assessment: add a section reading it as FRAMEWORK through maps_to links "
            "(exit 2 if nothing maps there).",
        ),
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this day.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Up to and including this day.")
    ] = None,
    tags: Annotated[
        list[str], typer.Option("--tag", help="diary: only entries with this tag.")
    ] = [],  # noqa: B006
    competency: Annotated[
        str | None,
        typer.Option(
            "--competency", help="diary: only entries linked to this item, domain or framework."
        ),
    ] = None,
    worker: Annotated[
        str | None, typer.Option("--worker", "-w", help="supervision, prep, portfolio: the worker.")
    ] = None,
    target: Annotated[
        float | None, typer.Option("--target", help="supervision: hours required, e.g. 25.")
    ] = None,
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise", help="Replace names on your watch list with stable pseudonyms."
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Write even if the privacy check finds something.")
    ] = False,
) -> None:
    """Make a report: assessment, diary digest, supervision, prep packet or a whole portfolio.

    Without --out it prints (formatted on a terminal, raw Markdown when piped). With --out a
    Markdown report gets its charts as SVG files beside it; --format html writes one
    self-contained file. The privacy check runs over what the report includes first.
    """
    from peerjournal.errors import InputError
    from peerjournal.services.report_render import render, write
    from peerjournal.services.reports import KINDS
    from peerjournal.ui.console import warn

    if kind not in KINDS:
        raise InputError(f"unknown report {kind!r}; choose one of: {', '.join(KINDS)}")
    if fmt not in ("md", "html"):
        raise InputError("--format must be md or html")
    if which is not None and kind != "assessment":
        raise InputError(f"the {kind} report takes no id")
    context = AppContext.of(ctx)
    reports, settings = _reports(context)
    data = _build(
        context,
        reports,
        kind,
        which,
        compare,
        since,
        until,
        tuple(tags),
        competency,
        worker,
        target,
        as_framework,
    )
    stem = out.stem if out is not None else f"{kind}-report"
    rendered = render(
        data, context.home, fmt=fmt, stem=stem, watch_names=settings.privacy.watch_names,
        allow=settings.privacy.allow, pseudonymise=pseudonymise, chart_files=out is not None,
    )  # fmt: skip
    if rendered.findings:
        places = "; ".join(f"{where}: {finding.label}" for where, finding in rendered.findings)
        warn(
            f"the report includes {len(rendered.findings)} possible identifying detail(s): "
            f"{places}; consider --pseudonymise, or edit those records first",
        )
    if out is None:
        _print(context, rendered.text, fmt)
        return
    if rendered.findings and not yes and not context.prompter.confirm(f"Write {out} anyway?"):
        context.err.print("Nothing was written.")
        raise typer.Exit(1)
    for path in write(rendered, out):
        context.out.print(f"Wrote {path}", markup=False)


def _reports(context: AppContext) -> "tuple[Reports, Settings]":
    settings = context.settings
    return context.services.reports(settings), settings


def _build(
    context: AppContext,
    reports: "Reports",
    kind: str,
    which: str | None,
    compare: str | None,
    since: str | None,
    until: str | None,
    tags: tuple[str, ...],
    competency: str | None,
    worker: str | None,
    target: float | None,
    as_framework: str | None = None,
) -> "ReportData":
    from peerjournal.services.reports import Period

    period = Period(context.day(since) if since else None, context.day(until) if until else None)
    return reports.build(
        kind, which=which, compare_with=compare, period=period, tags=tags,
        competency=competency, worker=worker, target=target, as_framework=as_framework,
    )  # fmt: skip


def _print(context: AppContext, text: str, fmt: str) -> None:
    if fmt == "md" and context.out.is_terminal:
        from rich.markdown import Markdown

        context.out.print(Markdown(text))
    else:
        typer.echo(text, nl=False)
