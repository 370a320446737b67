"""G41: the parsers people's files and text go through either return or raise PeerJournalError.

Never a bare exception (a traceback in the user's face, or the "unexpected error" line), for
any input: the front-matter splitter and the section splitter, the framework loader on YAML
text that is random, hostile or a mutated real framework, the id checker and the privacy scan.
The default run tries ~100 inputs each; `pytest -m slow` tries 5,000 each.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerjournal.errors import PeerJournalError

FRAMEWORK = (Path(__file__).parents[1] / "data" / "frameworks" / "harbour-values.yaml").read_text()
YAML_BITS = [
    "---", "...", "- ", ": ", "? ", "&a ", "*a", "!!python/object:os.system", "!!binary", "<<: ",
    "[", "]", "{", "}", ",", "'", '"', "#", "|", ">", "\n", "\r\n", "\r", "\t", "  ", "\x00",
    "\ufeff", "\x85", "\u2028", "NO", "1.10", "0755", "~", "null", "2024-01-02", "1:20", "id",
    "title", "domains", "items", "scale", "schema", "%YAML 1.1", "%TAG ! tag:x,2000:", "é", "\\",
]  # fmt: skip

yaml_like = st.lists(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=8)), max_size=40).map(
    "".join
)
any_text = st.one_of(st.text(), yaml_like)


@st.composite
def mutated_framework(draw) -> str:
    """The test framework with a few random cuts, insertions and line swaps."""
    lines = FRAMEWORK.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["cut", "insert", "dup", "indent", "replace"]))
        if action == "cut":
            del lines[index]
        elif action == "insert":
            lines.insert(index, draw(yaml_like))
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = "  " + lines[index]
        else:
            column = draw(st.integers(0, max(0, len(lines[index]))))
            lines[index] = lines[index][:column] + draw(yaml_like) + lines[index][column + 2 :]
        if not lines:
            lines = [""]
    return "\n".join(lines)


framework_text = st.one_of(any_text, mutated_framework())
framework_bytes = st.one_of(
    framework_text.map(lambda text: text.encode("utf-8", "surrogatepass")), st.binary()
)


def front_matter_text() -> st.SearchStrategy[str]:
    return st.one_of(
        any_text,
        st.tuples(yaml_like, any_text).map(lambda pair: f"---\n{pair[0]}\n---\n{pair[1]}"),
    )


def returns_or_refuses(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except PeerJournalError:
        return None


# --- the checks, shared by the quick and the slow variants ------------------------------------


def check_split(text: str) -> None:
    from peerjournal.store import frontmatter

    result = returns_or_refuses(frontmatter.split, text, Path("fuzz.md"))
    if result is not None:
        doc, body = result
        assert isinstance(doc.data, dict)
        assert isinstance(body, str)
    preamble, sections = frontmatter.split_sections(text)
    assert isinstance(preamble, str)
    assert all(isinstance(heading, str) and isinstance(body, str) for heading, body in sections)


def check_framework(folder: Path, raw: bytes) -> None:
    from peerjournal.services.frameworks import load_catalog, read_framework

    path = folder / "fuzz.yaml"
    path.write_bytes(raw)
    scales = check_framework.scales = getattr(check_framework, "scales", None) or (
        load_catalog(None).scales
    )
    returns_or_refuses(read_framework, path, scales)


def check_id(text: str) -> None:
    from peerjournal.store.records import check_id as checked

    accepted = returns_or_refuses(checked, text, "diary entry")
    if accepted is not None:
        assert not any(bad in accepted for bad in ("/", "\\", "\x00"))
        assert accepted not in ("", ".", "..")


def check_scan(text: str, watch: list[str], allow: list[str]) -> None:
    from peerjournal.services import privacy

    found = returns_or_refuses(privacy.scan, text, watch_names=watch, allow=allow)
    for finding in found or []:
        assert finding.line >= 1
        assert finding.column >= 1


QUICK = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SLOW = settings(
    max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
names = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["Jo", "Ana Lima", "O'Neil"])))


@QUICK
@given(text=front_matter_text())
def test_front_matter_split(text):
    check_split(text)


@QUICK
@given(raw=framework_bytes)
def test_framework_loader(tmp_path, raw):
    check_framework(tmp_path, raw)


@QUICK
@given(text=st.text())
def test_id_checker(text):
    check_id(text)


@QUICK
@given(text=any_text, watch=names, allow=names)
def test_privacy_scan(text, watch, allow):
    check_scan(text, watch, allow)


@pytest.mark.slow
@SLOW
@given(text=front_matter_text())
def test_front_matter_split_many(text):
    check_split(text)


@pytest.mark.slow
@SLOW
@given(raw=framework_bytes)
def test_framework_loader_many(tmp_path, raw):
    check_framework(tmp_path, raw)


@pytest.mark.slow
@SLOW
@given(text=st.text())
def test_id_checker_many(text):
    check_id(text)


@pytest.mark.slow
@SLOW
@given(text=any_text, watch=names, allow=names)
def test_privacy_scan_many(text, watch, allow):
    check_scan(text, watch, allow)
