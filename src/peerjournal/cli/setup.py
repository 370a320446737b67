"""`peerjournal init` and `peerjournal info`: set up a data home and describe it."""

from typing import Annotated

import typer

from peerjournal.cli._context import AppContext

ROLE_HELP = "Your role: peer-worker or supervisor."


def register(app: typer.Typer) -> None:
    """Add the top-level setup commands to the root app."""
    app.command("init")(init)
    app.command("info")(info)
    app.command("reindex")(reindex)
    app.command("migrate")(migrate)


def init(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Option("--name", help="Your display name (a first name is enough).")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help=ROLE_HELP)] = None,
) -> None:
    """Set up your data home: asks for your name and role (or take --name and --role).

    Run it again to change them; other settings are kept.
    """
    from peerjournal.errors import InputError
    from peerjournal.models.settings import ROLES
    from peerjournal.services.home import initialise, maybe_settings

    app = AppContext.of(ctx)
    current = maybe_settings(app.home)
    if role is not None and role not in ROLES:
        raise InputError(f"--role must be one of: {', '.join(ROLES)}")
    # with an option given, keep what is already set instead of asking for it again
    keep_current = current is not None and (name is not None or role is not None)
    if name is None:
        name = current.name if keep_current and current else None
        name = name or app.prompter.ask("Your name", default=current.name if current else None)
    if not name.strip():
        raise InputError("the name must not be empty")
    if role is None:
        if keep_current and current:
            role = current.role
        else:
            default = current.role if current else "peer-worker"
            role = app.prompter.choose("Your role", ROLES, default=default)
    settings = initialise(app.home, name, role)  # type: ignore[arg-type]  # checked above
    app.out.print(
        f"Data home ready at {app.home.root} for {settings.name} ({settings.role}).", markup=False
    )
    app.out.print(
        "Next: 'peerjournal frameworks list' to see what you can assess yourself against."
    )


def info(ctx: typer.Context) -> None:
    """Show the data home, where it was chosen, the config file, framework folders and counts."""
    from peerjournal.config import config_file
    from peerjournal.services.frameworks import bundled_dir
    from peerjournal.services.home import describe
    from peerjournal.ui.render import home_info_table

    app = AppContext.of(ctx)
    details = describe(app.home)
    folders = [f"{bundled_dir()} (bundled)", f"{app.home.frameworks_dir} (yours)"]
    app.out.print(home_info_table(details, app.home_choice.source, str(config_file()), folders))
    if app.encryption.is_encrypted():
        state = app.encryption.key_file().state
        unfinished = "" if state == "encrypted" else f" ({state} was interrupted: run it again)"
        app.write(
            f"Encrypted: yes{unfinished}; `peerjournal lock` forgets the key, "
            "`peerjournal doctor` checks every sealed file.\n"
        )


def home_screen(context: AppContext) -> None:
    """What `peerjournal` with no command shows: a glance at the home, or how to begin."""
    from peerjournal.services.dashboard import dashboard
    from peerjournal.services.home_facts import home_facts
    from peerjournal.ui.home_render import dashboard_view, first_run_view

    # a home is set up when it has settings (load_settings' own test); they are read, with
    # pydantic and YAML, only when the cached facts are out of date
    if not context.home.settings_file.exists():
        context.write(first_run_view(str(context.home.root), context.terminal))
        return
    services = context.services
    facts = home_facts(services, lambda: context.settings)
    board = dashboard(facts, services.query, clock=context.clock)
    context.write(dashboard_view(board, context.terminal))


def reindex(ctx: typer.Context) -> None:
    """Rebuild the diary index from the files (it is a cache; the files are the truth)."""
    from peerjournal.cli.diary_read import diary_for

    context = AppContext.of(ctx)
    diary = diary_for(context)
    stats = diary.rebuild_index()
    context.out.print(
        f"Indexed {stats.read} diary entries into {diary.index.path}", markup=False, soft_wrap=True
    )


def migrate(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list the records that would change.")
    ] = False,
) -> None:
    """Bring records written in an older format up to this version's, after a snapshot.

    Every record about to change is copied to .snapshots/ first; each is checked to read back
    the same before it is written; after an interruption, run it again to finish.
    """
    from peerjournal.services.migrate import migrate as run_migrations

    context = AppContext.of(ctx)
    report = run_migrations(context.home, dry_run=dry_run, clock=context.clock)
    verb = "Would migrate" if dry_run else "Migrated"
    context.out.print(f"{verb} {len(report.migrated)} records.", markup=False)
    if report.people:
        names = ", ".join(report.people)
        context.out.print(f"Added {len(report.people)} people: {names}", markup=False)
    if report.snapshot is not None:
        context.out.print(f"The originals are in {report.snapshot}", markup=False, soft_wrap=True)
    for path in report.newer:
        context.err.print(
            f"Left alone (written by a newer peerjournal): {path}", markup=False, soft_wrap=True
        )
