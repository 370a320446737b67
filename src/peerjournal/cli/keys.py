"""`peerjournal keys ...`: your public key, and the keys of the people you share with.

There is no key server: two people compare fingerprints in person and each trusts the other's
key. The services do the work; these commands parse, ask and print.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext, confirm_or_stop

if TYPE_CHECKING:
    from peerjournal.services.keys import Keys

app = typer.Typer(
    help="Your key for signing and sealing what you share, and the keys of people you trust.",
)

SshKeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--ssh-key",
        help="Use this ed25519 SSH key (private key path; a protected one signs through "
        "ssh-agent) instead of the home's own key. Default: the keys.ssh_key setting.",
        show_default=False,
    ),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def _keys(context: AppContext, ssh_key: Path | None = None) -> "Keys":
    context.settings  # noqa: B018 - a home that is not set up says how to begin
    if ssh_key is None:
        return context.services.keys
    return context.services.keys_using(ssh_key)


@app.command("show")
def show(ctx: typer.Context, ssh_key: SshKeyOpt = None) -> None:
    """Print your public key (one OpenSSH line) and its fingerprint; the first run makes it.

    Give the line to the people you share with; read the fingerprint out to them in person.
    """
    context = AppContext.of(ctx)
    keys = _keys(context, ssh_key)
    line = keys.own_public()
    printed = keys.fingerprint()
    context.write(f"{line}\nfingerprint: {printed}\n")
    if keys.created:
        context.say(
            f"Created your key ({keys.key_file}); the private key never leaves this home: "
            "share only the line above."
        )
    elif keys.ssh_key is not None:
        context.say(f"Using the SSH key {keys.ssh_key}.")


@app.command("trust")
def trust(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their name; someone new is added to people.")],
    key: Annotated[
        str,
        typer.Argument(help="Their public key: an OpenSSH line (quoted) or a .pub file."),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Replace their current key without asking.")
    ] = False,
) -> None:
    """Trust a person's public key, after comparing its fingerprint with them in person.

    A new key for someone who has one (a lost laptop) asks first; the old key is kept, marked
    old, so what they signed before still checks.
    """
    from peerjournal.errors import InputError

    context = AppContext.of(ctx)
    keys = _keys(context)

    def confirm_new(question: str) -> bool:
        if yes:
            return True
        if not sys.stdin.isatty():
            raise InputError(
                f"{name} already has a trusted key; run in a terminal to be asked, or add --yes"
            )
        context.err.print(question, markup=False, highlight=False)
        return context.prompter.confirm("Trust the new key?")

    done = keys.trust(name, key, confirm_new=confirm_new)
    if done.status == "declined":
        context.say("Nothing was changed.")
        raise typer.Exit(1)
    context.write(f"{done.name}: {done.fingerprint}\nyou: {keys.fingerprint()}\n")
    context.say(
        f"Compare both fingerprints with {done.name} in person (or on a call where you can see "
        "or hear them) before you share anything."
    )
    if done.person_added:
        context.say(f"Added {done.name} to people ({done.person_id}).")
    if done.status == "same":
        context.say(f"{done.name}'s key was already trusted; nothing changed.")
    elif done.status == "replaced":
        context.say(
            f"Trusted {done.name}'s new key; the old one ({done.old_fingerprint}) is kept for "
            "checking what they signed before."
        )
    else:
        context.say(f"Trusted {done.name}'s key.")


@app.command("list")
def list_keys(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print a JSON list (name, person_id, fingerprint, key, since, current).",
        ),
    ] = False,
) -> None:
    """List trusted keys by person: fingerprint, the day it was trusted, current or old."""
    context = AppContext.of(ctx)
    rows = context.services.keys.trusted()
    if as_json:
        import json

        data = [
            {
                "name": r.name,
                "person_id": r.person_id,
                "fingerprint": r.fingerprint,
                "key": r.key,
                "since": r.since.isoformat(),
                "current": r.current,
            }
            for r in rows
        ]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not rows:
        context.say("No trusted keys yet; add one with: peerjournal keys trust NAME KEY")
        return
    width = max(len(r.name) for r in rows)
    for r in rows:
        state = "current" if r.current else "old"
        context.write(
            f"{r.name:<{width}}  {r.fingerprint}  {r.since.date().isoformat()}  {state}\n"
        )


@app.command("forget")
def forget(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their name (a unique prefix is enough).")],
    yes: YesOpt = False,
) -> None:
    """Stop trusting every key of a person; bundles from them are refused until trusted again."""
    context = AppContext.of(ctx)
    keys = context.services.keys
    person = context.services.people.find(name)
    count = sum(1 for r in keys.trusted() if r.person_id == person.id)
    if count:
        plural = "key" if count == 1 else f"{count} keys"
        confirm_or_stop(context, f"Forget {person.name}'s {plural}?", yes=yes)
    forgotten, gone = keys.forget(person.name)
    context.say(f"Forgot {gone} key{'s' if gone != 1 else ''} of {forgotten}.")
