"""Assessments on disk: one JSON file each under ``assessments/YYYY/``, drafts included.

A draft is rewritten after every answer, atomically, so a crash or Ctrl-C loses at most the
answer being typed. A rewrite checks that nobody else changed the file since it was read.
"""

import hashlib
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from peerjournal.errors import InputError, NotFoundError, RecordError, StorageError
from peerjournal.models.assessment import ASSESSMENT_SCHEMA, Assessment
from peerjournal.store import yamlio
from peerjournal.store.atomic import create_exclusive, is_temp_file, move_private, write_atomic
from peerjournal.store.layout import DataHome
from peerjournal.store.validate import describe

SUFFIX = ".json"
MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment, its file, and a fingerprint of the bytes it was read from."""

    assessment: Assessment
    path: Path
    fingerprint: str


@dataclass
class AssessmentStore:
    """Read, write and trash assessments; unreadable files are collected, not raised."""

    home: DataHome
    broken: list[RecordError] = field(default_factory=list)

    def files(self) -> list[Path]:
        root = self.home.assessments_dir
        if not root.is_dir():
            return []
        return sorted(
            (
                p
                for p in root.glob(f"*/*{SUFFIX}")
                if not p.name.startswith(".") and not is_temp_file(p)
            ),
            key=lambda p: p.name,
        )

    def iter(self) -> Iterator[StoredAssessment]:
        self.broken.clear()
        for path in self.files():
            try:
                yield self.read(path)
            except RecordError as problem:
                self.broken.append(problem)

    def read(self, path: Path) -> StoredAssessment:
        raw = _read_bytes(path)
        text = yamlio.decode(raw, path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise RecordError(
                f"column {error.colno}: not valid JSON ({error.msg})", path=path, line=error.lineno
            ) from None
        if not isinstance(data, dict):
            raise RecordError("must be a JSON object", path=path, line=1)
        try:
            assessment = Assessment.model_validate(data)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"])
            raise RecordError(describe(first), path=path, field=where or None) from None
        if assessment.schema_ > ASSESSMENT_SCHEMA:
            raise RecordError(
                f"written by a newer peerjournal (schema {assessment.schema_}); "
                "upgrade to change it",
                path=path,
            )
        return StoredAssessment(assessment, path, _fingerprint(raw))

    def find(self, prefix: str) -> StoredAssessment:
        """The assessment whose id starts with ``prefix``."""
        wanted = prefix.strip()
        if not wanted or "/" in wanted or "\\" in wanted or "\x00" in wanted:
            raise InputError(f"{prefix!r} is not an assessment id")
        matches = [p for p in self.files() if p.stem.startswith(wanted)]
        exact = [p for p in matches if p.stem == wanted]
        matches = exact or matches
        if not matches:
            raise NotFoundError(f"no assessment with id {wanted!r}")
        if len(matches) > 1:
            shown = ", ".join(p.stem for p in matches[:5])
            raise InputError(f"{wanted!r} matches {len(matches)} assessments: {shown}")
        return self.read(matches[0])

    def new_id(self, when: datetime, framework_id: str, role: str) -> str:
        return f"{when:%Y%m%d-%H%M}-{framework_id}-{role}-{secrets.token_hex(2)}"

    def create(self, assessment: Assessment) -> StoredAssessment:
        """Write a new assessment file; never overwrites another."""
        for _ in range(20):
            path = (
                self.home.assessments_dir / f"{assessment.started:%Y}" / f"{assessment.id}{SUFFIX}"
            )
            text = render(assessment)
            if create_exclusive(path, text):
                return StoredAssessment(assessment, path, _fingerprint(text.encode()))
            assessment.id = self.new_id(
                assessment.started, assessment.framework.id, assessment.role
            )
        raise StorageError("could not find a free file name for the assessment", path=path)

    def save(self, stored: StoredAssessment, assessment: Assessment) -> StoredAssessment:
        """Rewrite an assessment; if another command changed it meanwhile, keep both versions."""
        current = _fingerprint(_read_bytes(stored.path))
        text = render(assessment)
        if current != stored.fingerprint:
            copy = (
                self.home.recovery_dir
                / f"{stored.path.stem}.conflict-{secrets.token_hex(3)}{SUFFIX}"
            )
            write_atomic(copy, text)
            raise StorageError(
                "was changed by another command meanwhile (is it open in another window?); "
                f"your answers are kept in {copy}",
                path=stored.path,
            )
        write_atomic(stored.path, text)
        return StoredAssessment(assessment, stored.path, _fingerprint(text.encode()))

    def trash(self, stored: StoredAssessment) -> Path:
        target = self.home.trash_dir / stored.path.relative_to(self.home.root)
        move_private(stored.path, target)
        return target


def render(assessment: Assessment) -> str:
    """The JSON text of an assessment: stable key order, readable, one trailing newline."""
    data = assessment.model_dump(by_alias=True, mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RecordError(
                f"file is {size // 1024} KiB; assessments are limited to 4 MiB", path=path
            )
        return path.read_bytes()
    except OSError as error:
        raise RecordError(f"cannot read ({error.strerror})", path=path) from None


def _fingerprint(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()
