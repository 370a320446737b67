"""Turn parsed YAML into a validated model, with every problem pointing at its file line.

Messages are built from the error type and location only. pydantic's own text and its
``input`` value are never shown: in a diary record the input could be a person's story.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from peerjournal.errors import RecordError, RecordProblemsError
from peerjournal.store.yamlio import YamlDocument

ModelT = TypeVar("ModelT", bound=BaseModel)

_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check the spelling)",
    "string_pattern_mismatch": "use letters, digits, '.', '_' or '-'; start with a letter or digit",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping of fields",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
    "literal_error": "must be one of: {expected}",
}


def parse_model(doc: YamlDocument, model: type[ModelT], *, what: str = "file") -> ModelT:
    """Validate ``doc.data`` as ``model``, or raise every problem at once, each with its line."""
    if doc.data is None:
        raise RecordError(f"the {what} is empty", path=doc.path)
    if not isinstance(doc.data, dict):
        raise RecordError(
            f"the {what} must be a mapping of fields at the top", path=doc.path, line=doc.first_line
        )
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        raise RecordProblemsError(problems_from(error, doc)) from None


def problems_from(error: ValidationError, doc: YamlDocument) -> list[RecordError]:
    """One RecordError per validation error, in file order."""
    problems = [
        problem(doc, tuple(item["loc"]), describe(item))
        for item in error.errors(include_url=False, include_input=True)
    ]
    return sorted(problems, key=lambda p: p.line or 0)


def problem(doc: YamlDocument, loc: Sequence[str | int], message: str) -> RecordError:
    """A RecordError at the line ``loc`` points to."""
    return RecordError(
        message,
        path=doc.path,
        line=doc.line_of(loc),
        field=".".join(str(part) for part in loc) or None,
    )


def describe(item: Any) -> str:  # noqa: ANN401 - pydantic's ErrorDetails TypedDict
    """A short message for one pydantic error, without echoing the value."""
    kind = item["type"]
    if kind == "string_type":
        value = item.get("input")
        if isinstance(value, bool | int | float) or value is None:
            return (
                "must be text; put the value in quotes "
                "(YAML read it as a number, a boolean or empty)"
            )
        return "must be text"
    if kind == "literal_error":
        return _MESSAGES[kind].format(expected=item.get("ctx", {}).get("expected", "?"))
    if kind == "value_error":
        return str(item.get("ctx", {}).get("error", item["msg"]))
    return str(_MESSAGES.get(kind, item["msg"]))
