"""Run ``python -m peerjournal`` exactly like the ``peerjournal`` command."""

from peerjournal.cli import main

if __name__ == "__main__":
    main()
