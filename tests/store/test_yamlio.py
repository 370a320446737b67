"""Hostile and tricky YAML: every case is a clean RecordError with a line, or a safe value."""

import pytest

from peerjournal.errors import RecordError
from peerjournal.store import yamlio


def load(text):
    return yamlio.load_text(text, path="f.yaml").data


def error_of(text):
    with pytest.raises(RecordError) as caught:
        yamlio.load_text(text, path="f.yaml")
    return str(caught.value)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("NO", "NO"),
        ("yes", "yes"),
        ("on", "on"),
        ("2024-01-02", "2024-01-02"),
        ("0755", "0755"),
        ("1:20", "1:20"),
        ("12", 12),
        ("true", True),
        ("~", None),
        ("'1.10'", "1.10"),
    ],
)
def test_implicit_typing_traps_stay_text(written, value):
    assert load(f"id: {written}\n") == {"id": value}


def test_duplicate_keys_name_both_lines():
    assert error_of("id: a\ntitle: x\nid: b\n") == (
        "f.yaml:3: column 1: YAML error: duplicate key 'id' (first on line 1)"
    )


def test_merge_keys_are_refused():
    assert "merge keys" in error_of("base: {a: 1}\nother:\n  <<: {a: 1}\n")


def test_code_execution_tags_run_nothing():
    message = error_of("id: !!python/object/apply:os.system ['touch /tmp/pj-pwned']\n")
    assert message.startswith("f.yaml:1:")
    assert "constructor" in message


def test_an_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    message = error_of(bomb)  # refused at the first alias, before any expansion
    assert "anchors and aliases" in message


@pytest.mark.parametrize(
    "text", ["[" * 100_000, "a:\n" + "".join(" " * i + "- \n" for i in range(200))]
)
def test_deep_nesting_is_refused_without_recursion_error(text):
    assert "nest" in error_of(text) or "YAML error" in error_of(text)


def test_syntax_error_gives_line_and_column_but_not_the_text():
    message = error_of("title: fine\nsecret story: [unclosed\nnext: x\n")
    assert message.startswith("f.yaml:")
    assert "secret story" not in message


def test_bom_is_accepted_nul_and_latin1_are_not(tmp_path):
    good = tmp_path / "bom.yaml"
    good.write_bytes(b"\xef\xbb\xbfid: x\n")
    assert yamlio.load_file(good).data == {"id": "x"}
    nul = tmp_path / "nul.yaml"
    nul.write_bytes(b"id: x\n\x00\n")
    with pytest.raises(RecordError, match=r"nul.yaml:2: contains a NUL byte"):
        yamlio.load_file(nul)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"id: x\ntitle: caf\xe9\n")
    with pytest.raises(RecordError, match=r"latin.yaml:2: column 11: not valid UTF-8"):
        yamlio.load_file(latin)


def test_oversized_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (yamlio.MAX_BYTES + 1))
    with pytest.raises(RecordError, match="the limit is 1 MiB"):
        yamlio.load_file(big)


def test_line_of_follows_a_location_into_the_file():
    doc = yamlio.load_text(
        "id: x\ndomains:\n  - id: a\n    items:\n      - id: one\n      - text: t\n"
    )
    assert doc.line_of(("domains", 0, "items", 1, "id")) == 6
    assert doc.line_of(("domains", 0, "id")) == 3


@pytest.mark.parametrize(
    "value", ["NO", "1.10", "2024-01-02", "0755", "1e3", "", "~", "a\u0085b", "x: y", "- z"]
)
def test_what_we_write_reads_back_the_same(value):
    assert load(yamlio.dump({"k": value})) == {"k": value}
