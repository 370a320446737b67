"""The key agent's process: ``python -m peerjournal.store.agent_main SOCKET``, keys on stdin.

A module of its own so that the spawned interpreter imports only the agent, not the CLI.
"""

import sys

from peerjournal.store.agent import agent_main

if __name__ == "__main__":
    sys.exit(agent_main(sys.argv[1:]))
