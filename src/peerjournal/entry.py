"""The console script: answers ``--version`` before anything heavy is imported."""

import sys


def main() -> None:
    """Run peerjournal; ``peerjournal --version`` alone never loads the command line."""
    if sys.argv[1:] == ["--version"]:
        from peerjournal import __version__

        sys.stdout.write(f"peerjournal {__version__}\n")
        return
    from peerjournal.cli import main as run

    run()
