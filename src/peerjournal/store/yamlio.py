"""Safe YAML for files people edit by hand.

Plain ``yaml.safe_load`` is not enough: it expands alias bombs, keeps the last of two duplicate
keys without a word, and turns ``NO`` into False, ``1.10`` into 1.1 and ``2024-01-02`` into a
date. This loader is the safe loader (libyaml's when present) with those doors shut: typing
follows YAML 1.2's core schema, aliases and merge keys are refused, duplicate keys are errors
naming both lines, and size and depth are bounded before parsing.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from peerjournal.errors import RecordError

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader with YAML 1.2 core typing, no aliases, no merge keys, no duplicate keys."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:  # noqa: ANN401
        if node in self.constructed_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases (&, *) are not allowed", node.start_mark
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[tuple[str, str], yaml.Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be plain text", key_node.start_mark
                )
            if key_node.tag == "tag:yaml.org,2002:merge" or (
                not key_node.style and key_node.value == "<<"
            ):
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed", key_node.start_mark
                )
            # compare keys as written (no construction twice); true/True/TRUE are one key
            folded = (
                key_node.value.lower()
                if key_node.tag.endswith(("bool", "null"))
                else key_node.value
            )
            first = seen.get((key_node.tag, folded))
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{key_node.value}' (first on line {first.start_mark.line + 1})",
                    key_node.start_mark,
                )
            seen[(key_node.tag, folded)] = key_node
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


# YAML 1.2 core schema, kept a subset of what PyYAML's dumper quotes, so every string we write
# reads back as a string.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?)$"),
    list("-+0123456789."),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML plus what is needed to point an error at its line."""

    data: Any
    text: str
    path: Path | None
    first_line: int = 1  # the document's line 1 is this line of the file (front matter)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Follow a validation error's location through the node tree to a 1-based file line."""
        try:
            node: yaml.Node | None = yaml.compose(self.text, Loader=_Loader)
        except yaml.YAMLError:
            return None
        key_node: yaml.Node | None = None
        for key in loc:
            key_node = None
            if isinstance(node, yaml.MappingNode):
                match = [(k, value) for k, value in node.value if getattr(k, "value", None) == key]
                if not match:
                    break  # a missing field: the mapping that lacks it is the best place
                key_node, node = match[0]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if key >= len(node.value):
                    break
                node = node.value[key]
            else:
                break
        target = key_node or node  # a field's own line, where its key is written
        if target is None:
            return None
        return target.start_mark.line + self.first_line


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 file people may have edited, refusing huge files before reading them."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise RecordError(f"cannot read ({error.strerror})", path=path) from None
    if size > max_bytes:
        raise RecordError(
            f"file is {size / 1024 / 1024:.1f} MiB; the limit is {max_bytes / 1024 / 1024:g} MiB",
            path=path,
        )
    from peerjournal.store.vault import read_private

    try:
        raw = read_private(path)
    except OSError as error:
        raise RecordError(f"cannot read ({error.strerror})", path=path) from None
    return decode(raw, path)


def decode(raw: bytes, path: Path | None) -> str:
    """Decode UTF-8 strictly, naming the line and column of the first bad byte."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a BOM from a Windows editor is fine
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise RecordError(
            f"column {column}: not valid UTF-8 (byte 0x{raw[error.start]:02x}); "
            "save the file as UTF-8",
            path=path,
            line=line,
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise RecordError("contains a NUL byte; this is not a text file", path=path, line=line)
    return text


def load_file(path: Path, *, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Parse one YAML file safely."""
    return load_text(read_text(path, max_bytes=max_bytes), path=path)


def load_text(text: str, *, path: Path | None = None, first_line: int = 1) -> YamlDocument:
    """Parse YAML text safely; every failure is a RecordError with a line."""
    _check_depth(text, path, first_line)
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        # never str(error): it quotes the offending source lines, which may be private text
        problem = error.problem or error.context or "cannot parse"
        column = f"column {mark.column + 1}: " if mark else ""
        raise RecordError(f"{column}YAML error: {problem}", path=path, line=line) from None
    except yaml.YAMLError:
        raise RecordError("YAML error: cannot parse", path=path) from None
    except RecursionError:
        raise RecordError("YAML is nested too deeply", path=path) from None
    finally:
        loader.dispose()
    return YamlDocument(data=data, text=text, path=path, first_line=first_line)


def dump(data: Any) -> str:  # noqa: ANN401 - any YAML-serialisable value
    """Write YAML that people can read and edit, in the order the fields were given."""
    return yaml.dump(
        _storable(data),
        Dumper=_BaseDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(data: Any) -> Any:  # noqa: ANN401 - any YAML-serialisable value
    """Lone surrogates (undecodable input bytes) cannot be encoded: they become U+FFFD."""
    if isinstance(data, str):
        return _SURROGATE.sub("\ufffd", data)
    if isinstance(data, dict):
        return {_storable(key): _storable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_storable(value) for value in data]
    return data


def _check_depth(text: str, path: Path | None, first_line: int) -> None:
    """Refuse very deep nesting before the (recursive) composer can overflow the stack."""
    brackets = text.count("[") + text.count("{")
    deepest_indent = max(
        (len(line) - len(line.lstrip(" -")) for line in text.splitlines()), default=0
    )
    if brackets < MAX_DEPTH and deepest_indent < MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise RecordError(
                        f"YAML is nested more than {MAX_DEPTH} levels deep",
                        path=path,
                        line=event.start_mark.line + first_line if event.start_mark else None,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # a syntax error: the real parse reports it with its line
