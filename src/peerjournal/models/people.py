"""People: records with a stable id, so a display name is a label that can change."""

from pydantic import BaseModel, ConfigDict, Field

PERSON_SCHEMA = 1


class Person(BaseModel):
    """One person of a home: its owner, a worker of a caseload, a supervisor."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    schema_: int = Field(default=PERSON_SCHEMA, alias="schema")
    id: str = Field(pattern=r"^p-[0-9a-f]{6,}$")
    name: str = Field(min_length=1)
    earlier_names: list[str] = Field(default_factory=list)
    role: str = ""
    archived: bool = False
