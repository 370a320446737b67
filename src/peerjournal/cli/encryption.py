"""`encrypt`, `decrypt`, `unlock`, `lock`, `rekey`, `passphrase change` and `recovery new`.

The rules live in ``services.encryption``; this module asks, shows and says. A recovery key is
printed on standard output (so a script can keep it) and shown once.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext
from peerjournal.cli._secret_options import PageOpt, PassphraseFileOpt
from peerjournal.errors import InputError

if TYPE_CHECKING:
    from peerjournal.services.encryption import Encryption

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
MinutesOpt = Annotated[
    float,
    typer.Option("--minutes", help="Forget the key after this many idle minutes."),
]

passphrase_app = typer.Typer(
    no_args_is_help=True, help="The passphrase of an encrypted home: change it."
)

WARNING = (
    "Encrypting seals every record, draft, leftover and cache of this home with a key that "
    "only your passphrase or the recovery key opens.\n"
    "Without both of them your notes are gone for good: nobody, peerjournal included, can "
    "open them.\n"
    "Copies made before (backups, synced folders, old blocks on an SSD) are not wiped: "
    "full-disk encryption stays the baseline."
)


def register(app: typer.Typer) -> None:
    """Add the root's encryption commands."""
    for name, command in (
        ("encrypt", encrypt),
        ("decrypt", decrypt),
        ("unlock", unlock),
        ("lock", lock),
        ("rekey", rekey),
    ):
        app.command(name)(command)


def _context(ctx: typer.Context, passphrase_file: Path | None) -> AppContext:
    context = AppContext.of(ctx)
    if passphrase_file is not None:
        context.passphrase_file = passphrase_file
    return context


def _encrypted(context: AppContext) -> "Encryption":
    """The home's encryption, refusing a home that is not encrypted."""
    encryption = context.encryption
    if not encryption.is_encrypted():
        raise InputError(f"the data home {encryption.home.root} is not encrypted")
    return encryption


def encrypt(
    ctx: typer.Context,
    passphrase_file: PassphraseFileOpt = None,
    page: PageOpt = None,
    yes: YesOpt = False,
) -> None:
    """Encrypt this home: every record, draft, leftover and cache, sealed with your passphrase.

    Shows a recovery key once. Resumable: if it is stopped, run it again to finish; every
    record stays readable meanwhile. Run again on an encrypted home, it seals any file found
    stored in the clear.
    """
    from peerjournal.services.encryption import EXTRA_MISSING, EXTRA_TO_ENCRYPT, require_extra

    context = _context(ctx, passphrase_file)
    encryption = context.encryption
    require_extra(EXTRA_MISSING if encryption.is_encrypted() else EXTRA_TO_ENCRYPT)
    if not encryption.home.root.is_dir():
        raise InputError(f"there is no data home at {encryption.home.root}; run: peerjournal init")
    if encryption.is_encrypted():
        _resume_encrypt(context, encryption, page)
        return
    context.say(WARNING)
    if not yes and not context.prompter.confirm("Encrypt this home now?"):
        context.say("Nothing was changed.")
        raise typer.Exit(1)
    from peerjournal.cli._unlock import passphrase_file as given

    passphrase = _new_passphrase(
        context, "Choose a passphrase", given(context), "--passphrase-file"
    )
    vault, recovery = encryption.begin(passphrase)
    _show_recovery(context, encryption, recovery, page, yes=yes)
    encryption.recovery_seen()
    finished = encryption.seal_all(vault)
    context.say(
        f"Encrypted {finished.converted} files. Run `peerjournal unlock` to work without "
        "typing the passphrase for every command."
    )


def _resume_encrypt(context: AppContext, encryption: "Encryption", page: Path | None) -> None:
    from peerjournal.cli._unlock import with_passphrase

    key_file = encryption.key_file()
    if key_file.state == "rekeying":
        raise InputError("a rekey of this home was interrupted; run `peerjournal rekey` to finish")
    master = with_passphrase(context, encryption, lambda typed: encryption.master(passphrase=typed))
    vault = encryption.vault_from_master(master)
    recovery = encryption.resume_recovery(master)
    if recovery is not None:
        context.say("The recovery key from before was never confirmed, so here is a new one.")
        _show_recovery(context, encryption, recovery, page, yes=True)
        encryption.recovery_seen()
    finished = encryption.seal_all(vault)
    if key_file.state == "encrypted":
        context.say(
            f"This home is encrypted; {finished.converted} files stored in the clear were sealed."
        )
    else:
        context.say(f"Finished encrypting: {finished.converted} more files sealed.")


def decrypt(
    ctx: typer.Context,
    passphrase_file: PassphraseFileOpt = None,
    yes: YesOpt = False,
) -> None:
    """Decrypt this home back to plain files (resumable, like encrypt)."""
    from peerjournal.cli._unlock import vault_by_passphrase

    context = _context(ctx, passphrase_file)
    encryption = _encrypted(context)
    context.say(
        "Decrypting writes every record back in the clear: anyone with this disk can read "
        "them afterwards."
    )
    if not yes and not context.prompter.confirm("Decrypt this home now?"):
        context.say("Nothing was changed.")
        raise typer.Exit(1)
    vault = vault_by_passphrase(context, encryption)
    encryption.release()
    finished = encryption.decrypt(vault)
    context.say(f"Decrypted {finished.converted} files; this home is no longer encrypted.")


def unlock(
    ctx: typer.Context,
    minutes: MinutesOpt = 15.0,
    remember: Annotated[
        bool,
        typer.Option(
            "--remember",
            help="Also keep the key in the OS keyring, so this home opens WITHOUT ASKING "
            "whenever you are logged in (needs the keyring extra). `lock` takes it out.",
        ),
    ] = False,
    passphrase_file: PassphraseFileOpt = None,
) -> None:
    """Ask for the passphrase once and keep the key in a small agent until idle for a while."""
    from peerjournal.cli._unlock import vault_by_passphrase
    from peerjournal.services.encryption import check_minutes

    check_minutes(minutes)
    context = _context(ctx, passphrase_file)
    encryption = _encrypted(context)
    vault = vault_by_passphrase(context, encryption)
    encryption.hold(vault, minutes, remember=remember)
    if remember:
        context.say(
            "The OS keyring now opens this home without asking while you are logged in; "
            "`peerjournal lock` takes the key out again."
        )
    context.say(
        f"Unlocked; the key is forgotten after {minutes:g} idle minutes or at `peerjournal lock`."
    )


def lock(ctx: typer.Context) -> None:
    """Forget the key now (the agent, and the OS keyring if `unlock --remember` put it there)."""
    context = AppContext.of(ctx)
    stopped, forgotten = _encrypted(context).release()
    if stopped or forgotten:
        context.say("Locked: the key is forgotten; the next command asks for the passphrase.")
    else:
        context.say("This home was not unlocked; it stays locked.")


def rekey(
    ctx: typer.Context,
    passphrase_file: PassphraseFileOpt = None,
    page: PageOpt = None,
    yes: YesOpt = False,
) -> None:
    """Seal every record with new keys (resumable); the passphrase stays, the recovery key is new.

    Use it when a key may have been seen by someone else: a copy of the old key file with the
    old passphrase or recovery key opens nothing sealed after the rekey.
    """
    from peerjournal.cli._unlock import with_passphrase

    context = _context(ctx, passphrase_file)
    encryption = _encrypted(context)
    master, recovery = with_passphrase(context, encryption, encryption.begin_rekey)
    if recovery is not None:
        context.say("A rekey also makes a new recovery key; the old one stops working.")
        _show_recovery(context, encryption, recovery, page, yes=yes)
        encryption.recovery_seen()
    finished = encryption.rekey(master)
    vault = encryption.vault_from_master(master)
    encryption.refresh_kept(vault)
    context.say(f"Rekeyed: {finished.converted} files sealed with the new key {vault.current}.")


@passphrase_app.command("change")
def passphrase_change(
    ctx: typer.Context,
    recovery: Annotated[
        bool,
        typer.Option(
            "--recovery",
            help="Prove it is you with the recovery key instead (a forgotten passphrase).",
        ),
    ] = False,
    recovery_key_file: Annotated[
        Path | None,
        typer.Option(
            "--recovery-key-file",
            help="Read the recovery key from this file (implies --recovery).",
            show_default=False,
        ),
    ] = None,
    new_passphrase_file: Annotated[
        Path | None,
        typer.Option(
            "--new-passphrase-file",
            help="Read the new passphrase from this file (for scripts).",
            show_default=False,
        ),
    ] = None,
    passphrase_file: PassphraseFileOpt = None,
) -> None:
    """Change the passphrase (instant: only its key slot is rewritten, no record changes)."""
    from peerjournal.cli._unlock import with_passphrase

    context = _context(ctx, passphrase_file)
    encryption = _encrypted(context)
    if recovery or recovery_key_file is not None:
        master = encryption.master(recovery=_recovery_key(context, recovery_key_file))
    else:
        master = with_passphrase(
            context, encryption, lambda typed: encryption.master(passphrase=typed)
        )
    new = _new_passphrase(context, "New passphrase", new_passphrase_file, "--new-passphrase-file")
    encryption.change_passphrase(master, new)
    context.say("The passphrase is changed; the recovery key still works.")


def new_recovery_key(ctx: typer.Context, page: Path | None, passphrase_file: Path | None) -> None:
    """`recovery new`: a new recovery key; the old one stops working at once."""
    from peerjournal.cli._unlock import with_passphrase

    context = _context(ctx, passphrase_file)
    encryption = _encrypted(context)
    master = with_passphrase(context, encryption, lambda typed: encryption.master(passphrase=typed))
    recovery = encryption.new_recovery(master)
    _show_recovery(context, encryption, recovery, page, yes=True)
    context.say("The old recovery key no longer opens this home.")


# --- asking and showing -------------------------------------------------------------------


def _new_passphrase(context: AppContext, question: str, from_file: Path | None, option: str) -> str:
    """A new passphrase: from a file for scripts (``option``), else typed twice on the terminal."""
    import sys

    from peerjournal.services.encryption import check_passphrase

    if from_file is not None:
        chosen = context.encryption.read_passphrase_file(from_file)
        check_passphrase(chosen)
        return chosen
    if not sys.stdin.isatty():
        raise InputError(f"no terminal to ask for the new passphrase; give {option} FILE")
    from peerjournal.ui.prompts import ask_secret

    for _ in range(3):
        first = ask_secret(f"{question}: ")
        try:
            check_passphrase(first)
        except InputError as problem:
            context.say(problem.message)
            continue
        if ask_secret("The same again: ") == first:
            return first
        context.say("The two did not match; try again.")
    raise InputError("no passphrase was chosen; nothing was changed")


def _recovery_key(context: AppContext, from_file: Path | None) -> str:
    import sys

    if from_file is not None:
        return context.encryption.read_passphrase_file(from_file)
    if not sys.stdin.isatty():
        raise InputError("no terminal to ask for the recovery key; give --recovery-key-file FILE")
    from peerjournal.ui.prompts import ask_secret

    return ask_secret("Recovery key (PJRK-...): ")


def _show_recovery(
    context: AppContext, encryption: "Encryption", recovery: str, page: Path | None, *, yes: bool
) -> None:
    """Show the recovery key once, offer the printable page, and ask that it was kept."""
    context.say(
        "Your recovery key opens this home if you forget the passphrase. Write it down or print "
        "it, and keep it apart from this computer. It is shown only now:"
    )
    context.write(f"{recovery}\n")
    import sys

    yes = yes or not sys.stdin.isatty()  # a script keeps the key from standard output
    if page is None and not yes:
        answer = context.prompter.ask(
            "Write a printable page with the recovery key? File name (Enter to skip)", default=""
        )
        page = Path(answer).expanduser() if answer.strip() else None
    if page is not None:
        encryption.write_recovery_page(page, recovery)
        context.say(f"Wrote {page}: print it, then delete the file.")
    if not yes:
        while not context.prompter.confirm("Have you written down or printed the recovery key?"):
            context.write(f"{recovery}\n")
