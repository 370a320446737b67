"""Assessments on disk: one JSON file each under ``assessments/YYYY/``, drafts included.

A draft is rewritten after every answer, atomically, so a crash or Ctrl-C loses at most the
answer being typed. A rewrite checks that nobody else changed the file since it was read.
"""

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from peerjournal.errors import RecordError, StorageError
from peerjournal.models.assessment import ASSESSMENT_SCHEMA, Assessment
from peerjournal.store import yamlio
from peerjournal.store.frontmatter import refuse_newer
from peerjournal.store.jsonio import json_object
from peerjournal.store.people import NamesPeople, PeopleStore, is_person_id
from peerjournal.store.records import RecordFolder, RecordStore, fingerprint
from peerjournal.store.validate import describe

SUFFIX = ".json"
MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment, its file, and a fingerprint of the bytes it was read from."""

    assessment: Assessment
    path: Path
    fingerprint: str
    received_from: str | None = None  # shared by this person: theirs, never rewritten here


@dataclass
class AssessmentStore(NamesPeople, RecordStore[StoredAssessment]):
    """Read, write and trash assessments; unreadable files are collected, not raised.

    On disk subject and assessor are person ids; in memory their current display names.
    """

    people: PeopleStore | None = None

    @property
    def folder(self) -> RecordFolder:
        return RecordFolder(
            self.home,
            self.home.assessments_dir,
            f"*/*{SUFFIX}",
            "assessment",
            "assessments",
            MAX_BYTES,
        )

    def read(self, path: Path) -> StoredAssessment:
        raw = self.folder.read_bytes(path)
        text = yamlio.decode(raw, path)
        data = json_object(text, path)
        try:
            assessment = Assessment.model_validate(data)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"])
            raise RecordError(describe(first), path=path, field=where or None) from None
        people = self.people_store()
        named = assessment.model_copy(
            update={
                "subject": people.name_of(assessment.subject),
                "assessor": people.name_of(assessment.assessor),
            }
        )
        return StoredAssessment(named, path, fingerprint(raw))

    def find(self, prefix: str) -> StoredAssessment:
        """The assessment whose id starts with ``prefix``."""
        return self.read(self.folder.find(prefix))

    def new_id(self, when: datetime, framework_id: str, role: str) -> str:
        return f"{when:%Y%m%d-%H%M}-{framework_id}-{role}-{secrets.token_hex(2)}"

    def create(self, assessment: Assessment) -> StoredAssessment:
        """Write a new assessment file; never overwrites another."""
        for _ in range(20):
            year = f"{assessment.started:%Y}"
            path = self.home.assessments_dir / year / f"{assessment.id}{SUFFIX}"
            text = render(self._with_ids(assessment))
            if self.folder.create(path, text):
                return StoredAssessment(assessment, path, fingerprint(text.encode()))
            assessment.id = self.new_id(
                assessment.started, assessment.framework.id, assessment.role
            )
        raise StorageError("could not find a free file name for the assessment", path=path)

    def save(self, stored: StoredAssessment, assessment: Assessment) -> StoredAssessment:
        """Rewrite an assessment; if another command changed it meanwhile, keep both versions."""
        refuse_received(stored)
        refuse_newer(stored.assessment.schema_, ASSESSMENT_SCHEMA, stored.path)
        text = render(self._with_ids(assessment))
        new = self.folder.rewrite(stored.path, stored.fingerprint, text)
        return StoredAssessment(assessment, stored.path, new)

    def _with_ids(self, assessment: Assessment) -> Assessment:
        people = self.people_store()
        subject, assessor = people.id_of(assessment.subject), people.id_of(assessment.assessor)
        update: dict[str, object] = {"subject": subject, "assessor": assessor}
        if all(is_person_id(value) for value in (subject, assessor) if value):
            update["schema_"] = max(assessment.schema_, ASSESSMENT_SCHEMA)  # it holds ids now
        return assessment.model_copy(update=update)

    def trash(self, stored: StoredAssessment) -> Path:
        refuse_received(stored)
        return self.folder.trash(stored.path)


def refuse_received(stored: StoredAssessment) -> None:
    """A shared record belongs to the person who shared it: it is never changed here."""
    if stored.received_from is not None:
        raise RecordError(
            f"assessment {stored.assessment.id} was shared by {stored.received_from}; it is "
            "theirs and read-only here",
            path=stored.path,
        )


def render(assessment: Assessment) -> str:
    """The JSON text of an assessment: stable key order, readable, one trailing newline."""
    data = assessment.model_dump(by_alias=True, mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
