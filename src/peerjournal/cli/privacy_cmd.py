"""`peerjournal privacy watch|allow add|list|remove`: the privacy word lists without YAML.

A watched name is a real person, so only `list` prints the lists; every other message says how
many, never which. A name left off the command line is asked for, which keeps it out of the
shell's history.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext

if TYPE_CHECKING:
    from peerjournal.services.privacy_lists import ListName, PrivacyLists

app = typer.Typer(
    no_args_is_help=True, help="The privacy check's watch list (names) and allow list (phrases)."
)
watch_app = typer.Typer(
    no_args_is_help=True, help="Names the privacy check looks for, in full or in part."
)
allow_app = typer.Typer(
    no_args_is_help=True, help="Phrases the privacy check never flags (a clinic's street, say)."
)
app.add_typer(watch_app, name="watch")
app.add_typer(allow_app, name="allow")

NameArg = Annotated[
    str | None,
    typer.Argument(
        metavar="NAME", help="Leave it out to be asked (it then stays out of your shell history).",
        show_default=False,
    ),
]  # fmt: skip
PhraseArg = Annotated[
    str | None,
    typer.Argument(metavar="PHRASE", help="Leave it out to be asked.", show_default=False),
]
NOUNS = {"watch": ("name", "names"), "allow": ("phrase", "phrases")}


def _lists(context: AppContext) -> "PrivacyLists":
    from peerjournal.services.privacy_lists import PrivacyLists

    return PrivacyLists(context.home)


def _value(context: AppContext, which: "ListName", given: str | None) -> str:
    """The name or phrase: as given, or asked for; a given name goes into shell history."""
    noun = NOUNS[which][0]
    if given is not None:
        if which == "watch":
            _warn_shell_history(context)
        return given
    return context.prompter.ask(f"The {noun}")


def _count(which: "ListName", count: int) -> str:
    singular, plural = NOUNS[which]
    return f"{count} {singular if count == 1 else plural}"


def _add(ctx: typer.Context, which: "ListName", given: str | None) -> None:
    context = AppContext.of(ctx)
    lists = _lists(context)
    change = lists.add(which, _value(context, which, given))
    noun = NOUNS[which][0]
    if change.changed:
        context.out.print(
            f"Added a {noun} to the {which} list ({_count(which, change.count)}).", markup=False
        )
    else:
        context.out.print(
            f"That {noun} is already on the {which} list; nothing changed "
            f"({_count(which, change.count)}).",
            markup=False,
        )


def _remove(ctx: typer.Context, which: "ListName", given: str | None) -> None:
    context = AppContext.of(ctx)
    change = _lists(context).remove(which, _value(context, which, given))
    context.out.print(
        f"Removed a {NOUNS[which][0]} from the {which} list ({_count(which, change.count)} left).",
        markup=False,
    )


def _list(ctx: typer.Context, which: "ListName") -> None:
    context = AppContext.of(ctx)
    entries = _lists(context).entries(which)
    if not entries:
        context.err.print(
            f"The {which} list is empty; add to it with: peerjournal privacy {which} add",
            markup=False,
        )
        return
    for entry in entries:
        context.out.print(entry, markup=False, highlight=False, soft_wrap=True)


@watch_app.command("add")
def watch_add(ctx: typer.Context, name: NameArg = None) -> None:
    """Watch for a name: each part is found, with Mr, Mrs, Ms, Mx or Dr, in any case."""
    _add(ctx, "watch", name)


@watch_app.command("remove")
def watch_remove(ctx: typer.Context, name: NameArg = None) -> None:
    """Stop watching for a name (any case)."""
    _remove(ctx, "watch", name)


@watch_app.command("list")
def watch_list(ctx: typer.Context) -> None:
    """Print the watched names, one a line (the only command that shows them)."""
    _list(ctx, "watch")


@allow_app.command("add")
def allow_add(ctx: typer.Context, phrase: PhraseArg = None) -> None:
    """Never flag a phrase, such as the name of the street your service is on."""
    _add(ctx, "allow", phrase)


@allow_app.command("remove")
def allow_remove(ctx: typer.Context, phrase: PhraseArg = None) -> None:
    """Flag a phrase again (any case)."""
    _remove(ctx, "allow", phrase)


@allow_app.command("list")
def allow_list(ctx: typer.Context) -> None:
    """Print the allowed phrases, one a line."""
    _list(ctx, "allow")


def _warn_shell_history(context: AppContext) -> None:
    """Once per home: a name typed on the command line is kept in the shell's history."""
    from peerjournal.services.home import first_notice
    from peerjournal.ui.console import warn

    if first_notice(context.home, "watch-name-history"):
        warn(
            "a name typed on the command line stays in your shell history; "
            "'peerjournal privacy watch add' with no name asks for it instead",
        )
