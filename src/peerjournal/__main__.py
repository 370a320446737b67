"""Run ``python -m peerjournal`` exactly like the ``peerjournal`` command."""

from peerjournal.entry import main

if __name__ == "__main__":
    main()
