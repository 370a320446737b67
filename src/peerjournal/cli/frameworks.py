"""`peerjournal frameworks ...`: list, show, validate and start frameworks."""

from pathlib import Path
from typing import Annotated

import typer

from peerjournal.cli._context import AppContext

app = typer.Typer(
    no_args_is_help=True,
    help="Competency frameworks, practice guidelines and supervision checklists.",
)


@app.command("list")
def list_frameworks(ctx: typer.Context) -> None:
    """List every framework: the bundled ones and those in your home's frameworks folder."""
    from peerjournal.ui.render import frameworks_table

    context = AppContext.of(ctx)
    catalog = context.services.catalog
    context.out.print(frameworks_table(catalog.frameworks.values()))


@app.command("show")
def show(
    ctx: typer.Context,
    framework_id: Annotated[
        str, typer.Argument(metavar="ID", help="Framework id, e.g. samhsa-core.")
    ],
    domain: Annotated[
        str | None, typer.Option("--domain", "-d", help="Show only this domain (its id).")
    ] = None,
) -> None:
    """Show a framework as a tree of domains and items, with their ids for linking."""
    from peerjournal.errors import NotFoundError
    from peerjournal.ui.render import framework_tree

    context = AppContext.of(ctx)
    entry = context.services.catalog.get(framework_id)
    domains = entry.framework.domains
    if domain is not None:
        found = entry.framework.find_domain(domain)
        if found is None:
            known = ", ".join(d.id for d in domains)
            raise NotFoundError(
                f"framework {entry.framework.id!r} has no domain {domain!r}; domains: {known}"
            )
        domains = (found,)
    context.out.print(framework_tree(entry, domains))


@app.command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Framework YAML files to check.")],
) -> None:
    """Check framework files; exit 0 when all are valid, 2 otherwise, listing every problem.

    Each maps_to target ('framework-id/CODE') is checked against the installed frameworks and
    the files checked together: a CODE that framework does not have is an error. A target in
    a framework that is neither installed nor checked here cannot be checked, so it is only a
    warning (the exit code stays 0); check both files together to have it checked.
    """
    from peerjournal.cli._errors import report
    from peerjournal.errors import RecordError
    from peerjournal.services.frameworks import validate_paths
    from peerjournal.ui.console import warn

    context = AppContext.of(ctx)
    failed = False
    unchecked: list[RecordError] = []
    for path, framework, problems in validate_paths(paths, context.home, unchecked):
        if problems:
            failed = True
            for problem in problems:
                report(str(problem))
        elif framework is not None:
            count = framework.item_count()
            context.out.print(
                f"ok  {path}  ({len(framework.domains)} domains, {count} items)", markup=False
            )
        else:
            context.out.print(f"ok  {path}  (scales)", markup=False)
    for warning in unchecked:
        warn(str(warning))
    if failed:
        raise typer.Exit(2)


@app.command("new")
def new(
    ctx: typer.Context,
    framework_id: Annotated[str, typer.Argument(metavar="ID", help="Id for the new framework.")],
    title: Annotated[str, typer.Option("--title", help="Its title.")] = "My framework",
) -> None:
    """Write a commented starter framework into your home's frameworks folder."""
    from peerjournal.services.frameworks import new_framework

    context = AppContext.of(ctx)
    path = new_framework(context.home, framework_id, title, context.services.catalog)
    context.out.print(f"Wrote {path}", markup=False)
    context.out.print(
        "Edit it, then check it with: peerjournal frameworks validate " + str(path), markup=False
    )
