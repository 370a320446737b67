"""Record ids as typed: the checks every lookup shares, in a module light enough for any path.

Kept apart from ``records`` (which imports hashing, globbing and the atomic writers) so the
diary's query layer can check an id without loading any of that.
"""

from collections.abc import Sequence

from peerjournal.errors import InputError

__all__ = ["ambiguous", "check_id"]


def ambiguous(wanted: str, ids: Sequence[str], plural: str) -> InputError:
    """The one message for an id prefix that fits several records: how many, and which."""
    shown = ", ".join(ids[:5])
    more = f" and {len(ids) - 5} more" if len(ids) > 5 else ""
    return InputError(f"{wanted!r} matches {len(ids)} {plural}: {shown}{more}; give more of the id")


def check_id(text: str, kind: str) -> str:
    """An id as typed, refusing anything that could be read as a path."""
    wanted = text.strip()
    if not wanted or any(bad in wanted for bad in ("/", "\\", "\x00")) or wanted in (".", ".."):
        raise InputError(f"{text!r} is not a {kind} id")
    return wanted
