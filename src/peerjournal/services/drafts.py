"""Drafts of the long guided flows (diary add, supervision new), saved after every answer.

A guided flow asks through a ``Checkpoint``: an answer already in the draft is taken from it,
a new one is written to disk before the next question. So a resumed flow continues at the first
question not yet answered, and an interruption loses at most the answer being typed.
"""

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from peerjournal.clock import Clock
from peerjournal.errors import InputError, NotFoundError, RecordError
from peerjournal.models.entry import HEADINGS
from peerjournal.store.drafts import DraftStore, StoredDraft
from peerjournal.store.ids import ambiguous
from peerjournal.store.layout import DataHome

DraftKind = Literal["diary", "session"]
T = TypeVar("T")
# a several-line question: given the text typed before a stop and a way to keep the text so
# far, it returns the whole answer
AskLines = Callable[[str, Callable[[str], None]], str]
__all__ = ["RESUME_COMMANDS", "Checkpoint", "DraftKind", "Drafts", "StoredDraft"]

RESUME_COMMANDS: dict[str, str] = {
    "diary": "peerjournal diary add --resume",
    "session": "peerjournal supervision new --resume",
}
KIND_NAMES: dict[str, str] = {"diary": "diary entry", "session": "supervision session"}


class Checkpoint:
    """One draft in progress: answers are read back from it, or asked and saved at once."""

    def __init__(self, store: DraftStore, draft: StoredDraft) -> None:
        self._store = store
        self.draft = draft

    @property
    def id(self) -> str:
        return self.draft.id

    def has(self, key: str) -> bool:
        return key in self.draft.answers

    def get(self, key: str, default: Any = None) -> Any:  # noqa: ANN401 - JSON values
        return self.draft.answers.get(key, default)

    def put(self, key: str, value: Any) -> None:  # noqa: ANN401 - JSON values
        """Keep one answer; written to disk before the next question is asked."""
        self.draft.answers[key] = value
        self.draft.last = key
        self._store.save(self.draft)

    def recall_lines(self, key: str, ask: AskLines) -> str:
        """A several-line answer, kept after every line typed (see ``StoredDraft.begun``).

        ``ask`` gets the lines typed before a stop, to carry on from, and a function that keeps
        the text so far; Ctrl-C or a closed terminal then loses at most the unfinished line.
        """
        if key in self.draft.answers:
            return str(self.draft.answers[key])

        def keep(text: str) -> None:
            self.draft.begun[key] = text
            self._store.save(self.draft)

        value = ask(self.draft.begun.get(key, ""), keep)
        self.draft.begun.pop(key, None)
        self.put(key, value)
        return value

    def recall(self, key: str, ask: Callable[[], T]) -> T:
        """The saved answer to ``key``, or a new one asked now and saved."""
        if key in self.draft.answers:
            return self.draft.answers[key]  # type: ignore[no-any-return]
        value = ask()
        self.put(key, value)
        return value


class Drafts:
    """The drafts of one data home."""

    def __init__(self, home: DataHome, *, clock: Clock) -> None:
        self.home = home
        self.clock = clock
        self.store = DraftStore(home)

    @property
    def broken(self) -> list[RecordError]:
        return self.store.broken

    def start(self, kind: DraftKind, setup: dict[str, Any]) -> Checkpoint:
        """A new draft holding what the flow was started with (date, worker, options)."""
        return Checkpoint(self.store, self.store.create(kind, self.clock(), setup))

    def all(self) -> list[StoredDraft]:
        """Every draft, oldest first."""
        return self.store.iter()

    def latest(
        self, kind: DraftKind, where: Callable[[StoredDraft], bool] | None = None
    ) -> StoredDraft | None:
        """The newest draft of one kind (that ``where`` accepts), if any."""
        drafts = [d for d in self.all() if d.kind == kind and (where is None or where(d))]
        return drafts[-1] if drafts else None

    def resume(
        self, kind: DraftKind, where: Callable[[StoredDraft], bool] | None = None
    ) -> Checkpoint:
        """The newest draft of ``kind`` to carry on with; says so when there is none."""
        draft = self.latest(kind, where)
        if draft is None:
            raise NotFoundError(f"no {KIND_NAMES[kind]} draft to resume; see 'peerjournal drafts'")
        return Checkpoint(self.store, draft)

    def checkpoint(self, draft: StoredDraft) -> Checkpoint:
        return Checkpoint(self.store, draft)

    def find(self, prefix: str) -> StoredDraft:
        """A draft by its id or a unique start of it."""
        wanted = prefix.strip()
        if not wanted:
            raise InputError("say which draft (an id from 'peerjournal drafts list')")
        drafts = self.all()
        exact = [draft for draft in drafts if draft.id == wanted]
        matches = exact or [draft for draft in drafts if draft.id.startswith(wanted)]
        if not matches:
            raise NotFoundError(f"no draft with id {wanted!r}; see 'peerjournal drafts list'")
        if len(matches) > 1:
            raise ambiguous(wanted, [draft.id for draft in matches], "drafts")
        return matches[0]

    def discard(self, draft: StoredDraft) -> None:
        """Delete a draft for good (drafts are not records: they have no trash)."""
        self.store.remove(draft)

    def done(self, checkpoint: Checkpoint) -> None:
        """The record is saved: its draft is no longer needed."""
        self.store.remove(checkpoint.draft)


def _count(draft: StoredDraft) -> int:
    answered = sum(1 for value in draft.answers.values() if value not in ("", None, [], False))
    return answered + sum(1 for text in draft.begun.values() if text)


def is_blank(draft: StoredDraft) -> bool:
    """True when nothing was typed yet: such a draft is not worth keeping."""
    return _count(draft) == 0


def for_worker(worker: str | None) -> Callable[[StoredDraft], bool] | None:
    """Only a session draft with this worker (any, when no worker was named)."""
    if worker is None or not worker.strip():
        return None
    wanted = worker.strip().casefold()
    return lambda draft: str(draft.setup.get("worker") or "").casefold() == wanted


def progress(draft: StoredDraft) -> str:
    """How far a draft got, in words, without any of the typed text."""
    count = _count(draft)
    answered = f"{count} answer{'s' if count != 1 else ''}"
    if not draft.last:
        return answered
    last = HEADINGS.get(draft.last, draft.last.replace("_", " "))
    return f"{answered}, the last one: {last!r}"
