"""Opening an encrypted home before any work: the agent, a passphrase file, the keyring, a prompt.

Called by the composition root as soon as a command asks for the home, so the passphrase is
asked before an editor opens or a guided flow starts and a mistyped one never costs typed text
(jrnl #284, #799). Without a terminal and with nothing given, the command fails in one line
saying how to unlock.
"""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from peerjournal.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable

    from peerjournal.services.encryption import Encryption, Vault


class Asking(Protocol):
    """What unlocking needs of the composition root (``AppContext`` is one)."""

    passphrase_file: Path | None

    def say(self, message: str, style: str = "") -> None: ...


ENV_PASSPHRASE_FILE = "PEERJOURNAL_PASSPHRASE_FILE"  # noqa: S105 - a variable name
TRIES = 3
T = TypeVar("T")


def passphrase_file(context: "Asking") -> Path | None:
    """The passphrase file of --passphrase-file, else of PEERJOURNAL_PASSPHRASE_FILE."""
    if context.passphrase_file is not None:
        return context.passphrase_file
    named = os.environ.get(ENV_PASSPHRASE_FILE, "")
    return Path(named) if named else None


def open_home(context: "Asking", encryption: "Encryption") -> None:
    """Unlock an encrypted home for this command, or stop with one line saying how."""
    vault = encryption.kept_vault()  # a damaged key file is one line, before anything else
    if vault is None:
        vault = vault_by_passphrase(context, encryption)
    encryption.open(vault)


def vault_by_passphrase(context: "Asking", encryption: "Encryption") -> "Vault":
    """The vault from the passphrase file, or from the passphrase asked on the terminal."""
    return with_passphrase(context, encryption, encryption.vault_from_passphrase)


def with_passphrase(context: "Asking", encryption: "Encryption", use: "Callable[[str], T]") -> T:
    """``use`` of the passphrase from the file given, or typed (a wrong one asked again twice).

    Argon2id runs once per try: ``use`` is what unwraps the slot.
    """
    from peerjournal.services.encryption import LOCKED

    given = passphrase_file(context)
    if given is not None:
        return use(encryption.read_passphrase_file(given))
    if not sys.stdin.isatty():
        raise InputError(LOCKED)
    from peerjournal.ui.prompts import ask_secret

    for attempt in range(TRIES):
        typed = ask_secret(f"Passphrase for {encryption.home.root}: ")
        try:
            return use(typed)
        except InputError:
            if attempt == TRIES - 1:
                raise
            context.say("Wrong passphrase; try again.")
    raise InputError(LOCKED)  # pragma: no cover - the loop returns or raises
