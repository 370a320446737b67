"""The options every command that may need an encrypted home's secrets shares."""

from pathlib import Path
from typing import Annotated

import typer

PassphraseFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="Read the passphrase from the first line of this file (for scripts), instead "
        "of asking. Also: $PEERJOURNAL_PASSPHRASE_FILE.",
        show_default=False,
    ),
]
PageOpt = Annotated[
    Path | None,
    typer.Option(
        "--page",
        help="Also write a printable HTML page with the recovery key to this file (print it, "
        "keep it somewhere safe, then delete the file).",
        show_default=False,
    ),
]
