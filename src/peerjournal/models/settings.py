"""The user's own settings, stored in ``<home>/settings.yaml`` so they travel with the home."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["peer-worker", "supervisor"]
ROLES: tuple[Role, ...] = ("peer-worker", "supervisor")
SETTINGS_SCHEMA = 1


class PrivacySettings(BaseModel):
    """Names to watch for, phrases never to flag, and whether a finding refuses every save.

    ``strict`` is new; a settings file written before it reads as not strict.
    """

    model_config = ConfigDict(extra="allow")

    watch_names: list[str] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=list)
    strict: bool = False


class ReminderSettings(BaseModel):
    """How often the home screen nudges toward supervision and a new assessment."""

    model_config = ConfigDict(extra="allow")

    supervision_days: int = Field(default=14, ge=1)
    assessment_days: int = Field(default=90, ge=1)
    # the supervision hours each worker of a supervisor's caseload works toward (None: no target)
    hours_target: float | None = Field(default=None, gt=0)


DateOrder = Literal["mdy", "dmy"]


class DateSettings(BaseModel):
    """How numeric dates are read; None (the default) follows the machine's locale.

    New; a settings file written before it reads as following the locale.
    """

    model_config = ConfigDict(extra="allow")

    order: DateOrder | None = None


class KeysSettings(BaseModel):
    """An existing ed25519 SSH key to sign and open bundles with, instead of the home's own.

    New; a settings file written before it reads as using the home's own key.
    """

    model_config = ConfigDict(extra="allow")

    ssh_key: str = ""


class Settings(BaseModel):
    """Who uses this home, and their preferences; unknown keys survive a rewrite."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    schema_: int = Field(default=SETTINGS_SCHEMA, alias="schema")
    name: str = Field(min_length=1)
    role: Role
    # the owner's person id; settings written before people existed have none (found by name)
    person: str | None = None
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    reminders: ReminderSettings = Field(default_factory=ReminderSettings)
    dates: DateSettings = Field(default_factory=DateSettings)
    keys: KeysSettings = Field(default_factory=KeysSettings)
