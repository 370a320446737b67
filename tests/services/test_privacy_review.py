"""The privacy rule as a service: one loop for every write, driven through a reviewer."""

from collections.abc import Sequence

import pytest

from peerjournal.errors import PrivacyRefusedError, ReviewCancelledError
from peerjournal.models.settings import Settings
from peerjournal.services.privacy_review import FieldFinding, PrivacyCheck, PrivacyReview

PHONE = "555-201-3344"
EMAIL = "jo.tane@example.org"


class Reviewer:
    """Answers with the given decisions in turn and remembers what it was shown."""

    def __init__(self, *decisions: str) -> None:
        self.decisions = list(decisions)
        self.shown: list[tuple[list[str], bool]] = []

    def __call__(self, findings: Sequence[FieldFinding], *, can_edit: bool):
        self.shown.append(([found.describe() for found in findings], can_edit))
        assert self.decisions, "asked once too often"
        return self.decisions.pop(0)


def fields(text: str) -> list[tuple[str, str]]:
    return [("notes", text)]


def settings(**privacy) -> Settings:
    return Settings.model_validate(
        {"name": "Sam Rivers", "role": "peer-worker", "privacy": privacy}
    )


def test_a_clean_record_passes_without_a_question():
    reviewer = Reviewer()
    review = PrivacyReview(PrivacyCheck(), reviewer)
    assert review.review("We planted seedlings.", fields) == "We planted seedlings."
    assert reviewer.shown == []


def test_findings_are_shown_by_place_and_kind_and_may_be_kept():
    reviewer = Reviewer("keep")
    text = f"Call {PHONE}."
    assert PrivacyReview(PrivacyCheck(), reviewer).review(text, fields) == text
    [(described, can_edit)] = reviewer.shown
    assert described == ["notes, line 1, column 6: a phone or fax number"]
    assert can_edit is False  # no way to change the record was given


def test_edit_changes_the_record_until_it_is_clean():
    reviewer = Reviewer("edit", "edit")
    versions = iter([f"Write to {EMAIL}.", "Write to the resident."])
    review = PrivacyReview(PrivacyCheck(), reviewer)
    result = review.review(f"Call {PHONE}.", fields, redo=lambda _, __: next(versions))
    assert result == "Write to the resident."
    assert [shown[0][0] for shown in reviewer.shown] == [
        "notes, line 1, column 6: a phone or fax number",
        "notes, line 1, column 10: an email address",
    ]
    assert all(can_edit for _, can_edit in reviewer.shown)


def test_cancel_raises_so_nothing_is_saved():
    with pytest.raises(ReviewCancelledError):
        PrivacyReview(PrivacyCheck(), Reviewer("cancel")).review(f"Call {PHONE}.", fields)


def test_strict_refuses_without_asking_and_never_repeats_the_words():
    reviewer = Reviewer()
    check = PrivacyCheck.of(settings(), strict=True)
    with pytest.raises(PrivacyRefusedError) as refused:
        PrivacyReview(check, reviewer).review(f"Call {PHONE} or {EMAIL}.", fields)
    message = str(refused.value)
    assert message.startswith("the privacy check found 2 possible identifying detail(s): ")
    assert message.endswith("nothing was saved (--strict)")
    assert PHONE not in message
    assert EMAIL not in message
    assert refused.value.exit_code == 2
    assert reviewer.shown == []


def test_with_nobody_to_ask_a_finding_refuses_too():
    review = PrivacyReview(PrivacyCheck(), Reviewer()).unattended()
    with pytest.raises(PrivacyRefusedError, match="review it on a terminal"):
        review.review(f"Call {PHONE}.", fields)


def test_the_settings_make_strict_the_default_and_say_so():
    check = PrivacyCheck.of(settings(strict=True))
    assert check.strict
    with pytest.raises(PrivacyRefusedError, match=r"\(privacy.strict in settings.yaml\)$"):
        PrivacyReview(check, Reviewer()).review(f"Call {PHONE}.", fields)


def test_old_settings_without_strict_read_as_not_strict():
    check = PrivacyCheck.of(settings(watch_names=["Tamsin"], allow=["12 Hope Street"]))
    assert not check.strict
    assert [f.finding.kind for f in check.findings(fields("Tamsin came by."))] == ["name"]
    assert check.findings(fields("Met at 12 Hope Street.")) == []


def test_only_what_a_change_adds_is_found():
    check = PrivacyCheck()
    before = [("text", f"Call {PHONE} tomorrow.")]
    moved = [("text", "Tomorrow."), ("Reflection", f"Call {PHONE}.")]
    assert check.findings(moved, before=before) == []
    added = [("text", f"Call {PHONE} or {PHONE} tomorrow.")]
    [second] = check.findings(added, before=before)
    assert second.finding.column == 22  # the second copy is new; the first was there before


def test_without_a_redo_the_flagged_fields_are_typed_again_and_checked_again():
    asked: list[str] = []
    answers = [f"Ring {PHONE}", "Ring the office"]

    def retype(field: str) -> str:
        asked.append(field)
        return answers.pop(0)

    reviewer = Reviewer("edit", "edit")
    review = PrivacyReview(PrivacyCheck(), reviewer, retype)
    record = {"notes": f"Call {PHONE}", "title": "Fine"}
    result = review.review(
        record, lambda r: list(r.items()), put=lambda r, changes: {**r, **changes}
    )
    assert result == {"notes": "Ring the office", "title": "Fine"}
    assert asked == ["notes", "notes"]  # only the flagged field, once per round
    assert [can_edit for _, can_edit in reviewer.shown] == [True, True]


def test_with_neither_redo_nor_put_editing_is_not_offered():
    reviewer = Reviewer("cancel")
    review = PrivacyReview(PrivacyCheck(), reviewer, lambda field: "unused")
    with pytest.raises(ReviewCancelledError):
        review.review(f"Call {PHONE}", fields)
    assert reviewer.shown[0][1] is False
