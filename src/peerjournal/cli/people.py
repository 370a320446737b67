"""`peerjournal people ...`: the people of this home, each a record with a stable id."""

from typing import Annotated

import typer

from peerjournal.cli._context import AppContext

app = typer.Typer(
    invoke_without_command=True,
    help="The people of this home (you, your workers, your supervisor). Records hold a "
    "person's id, so renaming someone keeps their history.",
)


@app.callback()
def people(ctx: typer.Context) -> None:
    """List people when no command is given."""
    if ctx.invoked_subcommand is None:
        list_people(ctx, show_all=False, as_json=False)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their display name.")],
    role: Annotated[
        str, typer.Option("--role", help="worker, supervisor, peer-worker or other.")
    ] = "worker",
) -> None:
    """Add a person, so sessions, agreements and assessments can name them."""
    from peerjournal.errors import InputError
    from peerjournal.services.people import ROLES

    if role not in ROLES:
        raise InputError(f"--role must be one of: {', '.join(ROLES)}")
    context = AppContext.of(ctx)
    context.settings  # noqa: B018 - a home that is not set up says how to begin
    person = context.services.people.add(name, role)
    context.out.print(f"Added {person.name} ({person.role}) as {person.id}", markup=False)


@app.command("list")
def list_people(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Include archived people.")] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print a JSON list (id, name, earlier names, role, archived), for scripts.",
        ),
    ] = False,
) -> None:
    """List people by name: id, role, earlier names; archived ones only with --all."""
    context = AppContext.of(ctx)
    found = context.services.people.everyone(archived=show_all)
    if as_json:
        import json

        from peerjournal.services.people import person_json

        rows = [person_json(person) for person in found]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        context.err.print("No people yet; add one with: peerjournal people add NAME")
        return
    for person in found:
        parts = [person.id, person.name, person.role or "-"]
        if person.earlier_names:
            parts.append("was " + ", ".join(person.earlier_names))
        if person.archived:
            parts.append("(archived)")
        context.out.print("  ".join(parts), markup=False, highlight=False, soft_wrap=True)


@app.command("rename")
def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Their name now (a unique prefix is enough).")],
    new: Annotated[str, typer.Argument(help="Their new display name.")],
) -> None:
    """Give someone a new display name; every record follows, since records hold the id."""
    from peerjournal.services.home import follow_owner

    context = AppContext.of(ctx)
    service = context.services.people
    person = service.find(old)
    renamed = service.rename(person, new)
    follow_owner(context.home, renamed)
    context.out.print(f"Renamed {person.name} to {renamed.name} ({renamed.id})", markup=False)


@app.command("archive")
def archive(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their name (a unique prefix is enough).")],
) -> None:
    """Leave someone out of 'people list'; their records stay and keep showing their name."""
    context = AppContext.of(ctx)
    service = context.services.people
    person = service.archive(service.find(name, archived=False))
    context.out.print(f"Archived {person.name} ({person.id})", markup=False)
