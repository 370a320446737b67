"""The composition root: everything a command needs, built once per invocation."""

import os
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import typer

from peerjournal.clock import Clock, local_now

if TYPE_CHECKING:
    from rich.console import Console

    from peerjournal.config import HomeChoice
    from peerjournal.errors import PeerJournalError
    from peerjournal.store.layout import DataHome
    from peerjournal.ui.prompts import Prompter


class AppContext:
    """Home, consoles, prompter and clock; built lazily so --help pays for none of them."""

    def __init__(self, home_option: Path | None, *, debug: bool, clock: Clock = local_now) -> None:
        self.home_option = home_option
        self.debug = debug
        self.clock = clock

    @staticmethod
    def of(ctx: typer.Context) -> "AppContext":
        obj = ctx.find_root().obj
        if not isinstance(obj, AppContext):  # a command run without the root callback
            obj = AppContext(None, debug=False)
            ctx.find_root().obj = obj
        return obj

    @cached_property
    def home_choice(self) -> "HomeChoice":
        from peerjournal.config import config_file, resolve_home

        return resolve_home(self.home_option, os.environ, config_file())

    @cached_property
    def home(self) -> "DataHome":
        from peerjournal.store.atomic import is_loose
        from peerjournal.store.layout import DataHome

        home = DataHome(self.home_choice.path)
        if is_loose(home.root):
            from peerjournal.ui.console import warn

            warn(self.err, f"{home.root} can be read by other users; run: chmod 700 '{home.root}'")
        return home

    @cached_property
    def _consoles(self) -> "tuple[Console, Console]":
        from peerjournal.ui.console import make_consoles

        return make_consoles()

    @property
    def out(self) -> "Console":
        return self._consoles[0]

    @property
    def err(self) -> "Console":
        return self._consoles[1]

    @cached_property
    def prompter(self) -> "Prompter":
        from peerjournal.ui.prompts import RichPrompter

        return RichPrompter(self.err)


def confirm_or_stop(context: AppContext, question: str, *, yes: bool) -> None:
    """Ask before something that changes records, unless --yes said so; 'no' ends the command."""
    if yes or context.prompter.confirm(question):
        return
    context.err.print("Nothing was deleted.")
    raise typer.Exit(1)


class HasBroken(Protocol):
    """A service that skipped unreadable files and kept their problems."""

    @property
    def broken(self) -> "Sequence[PeerJournalError]": ...


def warn_broken(context: AppContext, service: HasBroken) -> None:
    """One warning per file a command skipped; the others were still read."""
    from peerjournal.ui.console import warn

    for problem in service.broken:
        warn(context.err, f"{problem} (skipped)")
