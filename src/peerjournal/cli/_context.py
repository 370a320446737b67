"""The composition root: everything a command needs, built once per invocation."""

import os
import re
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from peerjournal.clock import Clock, Zone, clock_in

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date, datetime

    from rich.console import Console

    from peerjournal.config import HomeChoice
    from peerjournal.models.settings import DateOrder, Settings
    from peerjournal.services.container import DataHome, Services
    from peerjournal.services.dates import Direction
    from peerjournal.services.encryption import Encryption, KdfParams
    from peerjournal.ui.plain import Terminal
    from peerjournal.ui.prompts import Prompter


class AppContext:
    """Home, consoles, prompter, clock, zone and cache; built lazily so --help pays for none.

    Tests hand one in (``CliRunner().invoke(app, args, obj=AppContext(clock=..., zone=...,
    cache_root=...))``); the root callback keeps its seams and adds the command-line options.
    """

    def __init__(
        self,
        home_option: Path | None = None,
        *,
        debug: bool = False,
        clock: Clock | None = None,
        zone: Zone = None,
        cache_root: Path | None = None,
        fresh: bool = False,
        detach: bool = False,
        runtime_root: Path | None = None,
        kdf: "KdfParams | None" = None,
        passphrase_file: Path | None = None,
    ) -> None:
        self.home_option = home_option
        self._runtime_root = runtime_root  # the agent's folder; tests hand one in
        self.kdf = kdf  # Argon2id's cost for new passphrases; tests hand in a cheap one
        self.passphrase_file = passphrase_file  # --passphrase-file
        self.debug = debug
        self.zone = zone
        self.clock = clock or clock_in(zone)
        self._cache_root = cache_root
        self.fresh = fresh  # --fresh: reads compare every file with the index first
        # after the command, run the index's periodic full look in a detached child (the real
        # command line) rather than in this process (tests, which hand their context in)
        self.detach = detach
        self.derived: AppContext | None = None  # the context the root callback made of this one

    def with_options(
        self,
        home_option: Path | None,
        *,
        debug: bool,
        fresh: bool = False,
        passphrase_file: Path | None = None,
    ) -> "AppContext":
        """A fresh context with this one's clock, zone and cache, and the given options."""
        self.derived = AppContext(
            home_option or self.home_option,
            debug=debug or self.debug,
            clock=self.clock,
            zone=self.zone,
            cache_root=self._cache_root,
            fresh=fresh or self.fresh,
            detach=self.detach,
            runtime_root=self._runtime_root,
            kdf=self.kdf,
            passphrase_file=passphrase_file or self.passphrase_file,
        )
        return self.derived

    @staticmethod
    def forget_keys() -> None:
        """Drop any key an earlier command of this process opened (tests run many)."""
        import sys as _sys

        vault = _sys.modules.get("peerjournal.store.vault")
        if vault is not None:
            vault.forget_all()

    @staticmethod
    def of(ctx: typer.Context) -> "AppContext":
        obj = ctx.find_root().obj
        if not isinstance(obj, AppContext):  # a command run without the root callback
            obj = AppContext()
            ctx.find_root().obj = obj
        return obj

    def moment(self, text: str, *, future: bool = False) -> "datetime":
        """A point in time as a person typed it, read in this invocation's zone.

        ``future`` for fields that look ahead, so a bare 'friday' is the next one, not the last.
        """
        from peerjournal.services.dates import parse_moment

        direction: Direction = "future" if future else "past"
        order = self._order_for(text)
        return parse_moment(text, self.clock(), self.zone, direction=direction, order=order)

    def day(self, text: str, *, future: bool = False) -> "date":
        """A calendar day as a person typed it ('last friday', '2026-11-01', 'next friday')."""
        from peerjournal.services.dates import parse_day

        direction: Direction = "future" if future else "past"
        order = self._order_for(text)
        return parse_day(text, self.clock(), self.zone, direction=direction, order=order)

    def _order_for(self, text: str) -> "DateOrder":
        """The home's date order, read only when the text could depend on it.

        An ISO date reads the same in every order, and reading settings.yaml costs pydantic
        (about 80 ms), so `diary list --on 2026-11-01` never pays for it.
        """
        if _ISO_DAY.match(text.strip()):
            return "mdy"
        return self.date_order

    @cached_property
    def date_order(self) -> "DateOrder":
        """How 12/01/2026 is read: the home's ``dates.order``, else the locale's habit."""
        from peerjournal.errors import PeerJournalError

        try:
            chosen = self.settings.dates.order
        except PeerJournalError:  # no home yet: the locale still knows
            chosen = None
        return chosen or locale_date_order(os.environ)

    @cached_property
    def cache_root(self) -> Path:
        """Where rebuildable caches live: the user cache folder unless one was handed in."""
        if self._cache_root is not None:
            return self._cache_root
        from peerjournal.config import default_cache_root

        return default_cache_root()

    @cached_property
    def settings(self) -> "Settings":
        """The home's settings; a home that is not set up says how to begin."""
        from peerjournal.services.home import load_settings

        return load_settings(self.home)

    @cached_property
    def services(self) -> "Services":
        """Every service of this home, sharing one index and one catalog."""
        from peerjournal.services.container import Services
        from peerjournal.ui.console import IndexProgress

        return Services(
            self.home,
            clock=self.clock,
            zone=self.zone,
            cache_root=self.cache_root,
            progress=IndexProgress(lambda: self.err),
            fresh=self.fresh,
            memory_folder=lambda: self.memory_folder,
        )

    @cached_property
    def home_choice(self) -> "HomeChoice":
        from peerjournal.config import config_file, resolve_home

        return resolve_home(self.home_option, os.environ, config_file())

    @cached_property
    def home(self) -> "DataHome":
        """The data home, unlocked first when it is encrypted (before any work is asked for)."""
        home = self.bare_home
        if self.encryption.is_encrypted():
            from peerjournal.cli._unlock import open_home

            open_home(self, self.encryption)
        return home

    @cached_property
    def bare_home(self) -> "DataHome":
        """The data home as it is, locked or not: for the commands that manage encryption."""
        from peerjournal.services.container import DataHome, home_is_loose

        home = DataHome(self.home_choice.path)
        if home_is_loose(home):
            from peerjournal.ui.console import warn

            warn(f"{home.root} can be read by other users; run: chmod 700 '{home.root}'")
        return home

    @cached_property
    def encryption(self) -> "Encryption":
        """The home's encryption: its key file, unlocking, converting (cryptography lazily)."""
        from peerjournal.services.encryption import Encryption

        return Encryption(
            self.bare_home,
            clock=self.clock,
            cache_root=self.cache_root,
            runtime_root=lambda: self.runtime_root,
            kdf=self.kdf,
        )

    @cached_property
    def runtime_root(self) -> Path:
        """The agent's folder: under $XDG_RUNTIME_DIR, else the cache folder's run/."""
        if self._runtime_root is not None:
            return self._runtime_root
        from peerjournal.services.encryption import agent_folder

        return agent_folder(os.environ, self.cache_root)

    @cached_property
    def memory_folder(self) -> Path | None:
        """A private folder on a memory file system for an encrypted home's editor buffers.

        $XDG_RUNTIME_DIR (a tmpfs on systemd machines), else /dev/shm; None where neither is.
        """
        if self._runtime_root is not None:
            return self._runtime_root / "buffers"
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")
        if runtime and Path(runtime).is_dir():
            return Path(runtime) / "peerjournal" / "buffers"
        shm = Path("/dev/shm")  # noqa: S108 - a private 0700 folder is made inside
        if shm.is_dir() and hasattr(os, "getuid"):
            return shm / f"peerjournal-{os.getuid()}" / "buffers"
        return None

    @cached_property
    def _consoles(self) -> "tuple[Console, Console]":
        from peerjournal.ui.console import make_consoles

        return make_consoles()

    @cached_property
    def terminal(self) -> "Terminal":
        """Standard output's width and whether it takes colour, for the plain-text tables."""
        from peerjournal.ui.plain import Terminal

        return Terminal.of(sys.stdout)

    def write(self, text: str) -> None:
        """Print plain text on standard output, as it is (no markup, no rich)."""
        sys.stdout.write(text)

    def say(self, message: str, style: str = "") -> None:
        """One line for the person on standard error, as it is (no markup, no rich).

        ``style`` is an SGR code (``ui.plain``), used on a colour terminal only.
        """
        from peerjournal.ui.console import say

        say(message, style)

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


_ISO_DAY = re.compile(r"\d{4}-\d{2}(-\d{2})?([T ][0-9:.+-]*Z?)?$")

# Territories whose custom is month/day/year; everywhere else writes day/month/year.
_MDY_TERRITORIES = frozenset({"US", "PH", "FM", "MH", "PW", "GU", "PR", "AS", "VI", "UM"})


def locale_date_order(environ: "Mapping[str, str]") -> "DateOrder":
    """The numeric date order of the locale (LC_ALL, LC_TIME, LANG), as POSIX resolves it.

    The C and POSIX locales, and none at all, write month/day/year (their ``%x``).
    """
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        value = environ.get(name, "")
        if value:
            territory = value.split(".")[0].split("@")[0].partition("_")[2].upper()
            if not territory or value.split(".")[0] in ("C", "POSIX"):
                return "mdy"
            return "mdy" if territory in _MDY_TERRITORIES else "dmy"
    return "mdy"


def confirm_or_stop(context: AppContext, question: str, *, yes: bool) -> None:
    """Ask before something that changes records, unless --yes said so; 'no' ends the command."""
    if yes or context.prompter.confirm(question):
        return
    context.err.print("Nothing was deleted.")
    raise typer.Exit(1)
