"""After a command: the index's periodic full look, where it never delays the person waiting.

Folder stamps see new, deleted and renamed files at once; an edit made inside a file by another
program is seen by the full look, which stats every file. It runs when the last one is more
than a few minutes old, after the output is flushed: in a detached child on the real command
line (the prompt comes back at once), in this process when a test handed its context in.
"""

import contextlib
import os
import sys
from collections.abc import Callable

from peerjournal.cli._context import AppContext


def after_command(context: AppContext) -> None:
    """Run the full look if this command read the diary and one is due."""
    if "services" not in context.__dict__:
        return  # the command read nothing through the services
    services = context.services
    if not services.full_check_due():
        return
    if context.detach:
        detached(lambda: services.full_check(forked=True))
    else:
        services.full_check()


def detached(work: Callable[[], None]) -> None:
    """Do ``work`` in a child that outlives this process, with no terminal and no pipes.

    The child closes standard input, output and error, so a pipe reader (`| head`) or a
    test capturing output sees the end at once. Where ``fork`` does not exist, the work runs
    here.
    """
    fork = getattr(os, "fork", None)
    if fork is None:
        work()
        return
    try:
        pid = fork()
    except OSError:
        return  # no room for a child now: the next command tries again
    if pid:
        return
    try:  # the child
        os.setsid()
        with contextlib.suppress(OSError):
            os.nice(10)  # never in the way of the person's next command
        devnull = os.open(os.devnull, os.O_RDWR)
        for stream in (sys.stdin, sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, stream.fileno())
        work()
    finally:
        os._exit(0)
