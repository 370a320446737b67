"""The watch list finds a listed person however they are written, and not everyday words.

The two corpora in tests/data/privacy/ measure it: ordinary sentences full of words that are
also names (the false-alarm rate), and sentences naming listed people (what is found, and the
misses the rule accepts). Each test pins the exact sentences, so a change either way shows.
"""

from pathlib import Path

import pytest

from peerjournal.services.privacy import scan

DATA = Path(__file__).parents[1] / "data" / "privacy"
WATCH = (
    "Maria Gonzalez", "Will Hope", "Grace Bell", "Rose Mark", "Bill Young", "Joy Field",
    "June Park", "Faith Green", "Frank Dawn", "Ray Lane", "Art Hall", "Sam Rivers", "May Tane",
)  # fmt: skip
# capitalised in mid-sentence, so they look like names; the allow list is the way out
KNOWN_FALSE_ALARMS = {
    "The Young Adults group meets on Wednesdays.",
    "We met at the Green Room cafe for the one-to-one.",
    "The walk ended at Hope Street.",
    "The class read The Will to Change together.",
    "She got a certificate from the June Park Trust.",
}


def sentences(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def names_found(text: str, watch=WATCH) -> list[str]:
    return [text[f.start : f.end] for f in scan(text, watch_names=watch) if f.kind == "name"]


def test_false_alarms_on_everyday_sentences_are_few_and_known():
    everyday = sentences("everyday_sentences.txt")
    flagged = {sentence for sentence in everyday if names_found(sentence)}
    assert len(everyday) >= 90
    assert flagged == KNOWN_FALSE_ALARMS
    assert len(flagged) / len(everyday) < 0.06  # 5 of 98 sentences today, all proper nouns


def test_the_allow_list_clears_the_known_false_alarms():
    allow = ["Young Adults", "Green Room", "Hope Street", "The Will to Change", "June Park Trust"]
    for sentence in KNOWN_FALSE_ALARMS:
        assert scan(sentence, watch_names=WATCH, allow=allow) == []


def test_watched_people_are_found_in_the_forms_people_write_them():
    watched = sentences("watched_sentences.txt")
    misses = [line.removeprefix("miss: ") for line in watched if line.startswith("miss: ")]
    meant = [line for line in watched if not line.startswith("miss: ")]
    assert [sentence for sentence in meant if not names_found(sentence)] == []
    assert [sentence for sentence in misses if names_found(sentence)] == []
    assert len(meant) / len(watched) >= 0.85  # 30 of 34 today; the misses are documented


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maria came in", ["Maria"]),
        ("Ms Gonzalez rang", ["Ms Gonzalez"]),
        ("Mrs. Gonzalez rang", ["Mrs. Gonzalez"]),
        ("Mx gonzalez rang", ["Mx gonzalez"]),
        ("Dr Maria Gonzalez rang", ["Dr Maria Gonzalez"]),
        ("Maria's sister", ["Maria"]),
        ("Gonzalez\u2019 car", ["Gonzalez"]),
        ("MARIA came", ["MARIA"]),
        ("Mariana came", []),
        ("Gonzalezes", []),
    ],
)
def test_each_part_of_a_name_with_titles_and_possessives(text, expected):
    assert names_found(text, ["Maria Gonzalez"]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I will hope for the best", []),
        ("Will you come? Hope so.", []),
        ("I told Will about it", ["Will"]),
        ("We asked Mr Hope", ["Mr Hope"]),
        ("met mr will today", ["mr will"]),
        ("will hope came", []),  # the whole name, but as everyday words
        ("Will Hope came", ["Will Hope"]),
        ("WILL HOPE SAID", []),  # shouting, not naming
    ],
)
def test_a_part_that_is_an_everyday_word_must_look_like_a_name(text, expected):
    assert names_found(text, ["Will Hope"]) == expected


def test_a_month_in_a_name_is_found_alone_only_after_a_title():
    assert names_found("We start again in June.", ["June Park"]) == []
    assert names_found("Saw Ms June today.", ["June Park"]) == ["Ms June"]
    assert names_found("Saw June Park today.", ["June Park"]) == ["June Park"]


def test_a_name_listed_alone_is_found_as_listed():
    assert names_found("Hope came by.", ["Hope"]) == ["Hope"]
    assert names_found("I hope so.", ["Hope"]) == []


def test_initials_and_titles_in_the_list_are_not_parts_on_their_own():
    assert names_found("J went to the shop", ["J. Tane"]) == []
    assert names_found("Dr came by", ["Dr Ana Lima"]) == []
    assert names_found("Lima came by", ["Dr Ana Lima"]) == ["Lima"]
