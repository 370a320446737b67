"""Field types shared by every record: ids and competency references."""

import re
from typing import Annotated, NamedTuple

from pydantic import StringConstraints

from peerjournal.errors import InputError

FRAMEWORK_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

# strict: a YAML number such as 1.10 must not silently become the id "1.1"
FrameworkId = Annotated[str, StringConstraints(strict=True, pattern=FRAMEWORK_ID_PATTERN)]
Code = Annotated[str, StringConstraints(strict=True, pattern=CODE_PATTERN)]
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]

_FRAMEWORK_ID = re.compile(FRAMEWORK_ID_PATTERN)
_CODE = re.compile(CODE_PATTERN)


class ItemRef(NamedTuple):
    """A competency reference written 'framework-id/item-id'."""

    framework: str
    item: str

    @classmethod
    def parse(cls, text: str) -> "ItemRef":
        """Split and check a reference typed by a person or read from a record."""
        framework, sep, item = text.strip().partition("/")
        if not (sep and _FRAMEWORK_ID.match(framework) and _CODE.match(item)):
            raise InputError(f"{text!r} is not a reference like 'framework-id/item-id'")
        return cls(framework, item)

    def __str__(self) -> str:
        return f"{self.framework}/{self.item}"
