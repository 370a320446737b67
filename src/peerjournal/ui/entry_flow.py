"""The interactive parts of writing an entry: the guided interview and the privacy review.

Written against the Prompter protocol, so tests drive them with scripted answers and a real
terminal drives them with rich prompts.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.console import Console

from peerjournal.errors import PeerJournalError
from peerjournal.models.entry import ROLES, SECTIONS, THEMES
from peerjournal.services.diary import WHO_FIELD, Draft
from peerjournal.services.drafts import Checkpoint
from peerjournal.services.frameworks import Catalog, item_matches
from peerjournal.services.privacy_review import Decision, FieldFinding
from peerjournal.ui.prompts import Prompter, lines_question

MAX_CHOICES = 9


def guided_draft(
    prompter: Prompter,
    console: Console,
    catalog: Catalog,
    *,
    when: datetime,
    known_tags: Sequence[str],
    checkpoint: Checkpoint,
    check_role: Callable[[str], str],
    given: Draft | None = None,
) -> Draft:
    """Ask for each part of the diary template in turn; an empty answer skips a part.

    Every answer goes into the ``checkpoint`` (a draft on disk) before the next question, and
    answers already there are not asked again, so a resumed draft carries on where it stopped.
    ``check_role`` checks each role where it is typed (the role rule and the privacy check).
    What the command line already said (``given``: --planned, --who, --composite) is not asked.
    """
    recall = checkpoint.recall
    console.print(
        "[bold]New diary entry[/] for "
        f"{when:%A %d %B, %H:%M}. Press Enter to skip any question. Use roles, not names."
    )
    if checkpoint.draft.answers:
        console.print("Carrying on from your draft: answered questions are not asked again.")
    draft = Draft(when=when)
    draft.title = recall("title", lambda: prompter.ask("Title", default=""))
    draft.setting = recall(
        "setting",
        lambda: prompter.ask("Setting (e.g. shared kitchen, phone, community outing)", default=""),
    )
    given = given or Draft(when=when)
    draft.planned = given.planned
    if draft.planned is None:
        answer = recall(
            "planned",
            lambda: prompter.choose(
                "Was it planned or unplanned? (most significant moments are unplanned)",
                list(PLANNED),
                default="skip",
            ).replace("skip", ""),  # a skip is kept as no answer, as Enter is elsewhere
        )
        draft.planned = PLANNED.get(answer)
    draft.who = ask_roles(prompter, console, checkpoint, check_role, given.who)
    for key, _, question in SECTIONS:
        draft.sections[key] = checkpoint.recall_lines(key, lines_question(prompter, question))
    offered = list(dict.fromkeys([*known_tags, *(theme for theme, _ in THEMES)]))
    if not checkpoint.has("tags"):
        console.print(
            "Tags you have used and the themes the diary study (Wyder et al., 2020) reported: "
            + ", ".join(offered),
            markup=False,
        )
    draft.tags = [
        tag
        for tag in recall(
            "tags", lambda: prompter.ask("Tags, separated by commas", default="")
        ).split(",")
        if tag.strip()
    ]
    draft.competencies = ask_competencies(prompter, console, catalog, checkpoint)
    draft.self_disclosure = recall(
        "self_disclosure",
        lambda: prompter.confirm("Did you share your own lived experience?", default=False),
    )
    draft.for_supervision = recall(
        "for_supervision",
        lambda: prompter.confirm("Bring this to supervision?", default=False),
    )
    draft.composite = given.composite or recall(
        "composite",
        lambda: prompter.confirm(
            "Is this a composite (people or events merged or altered to protect identity)?",
            default=False,
        ),
    )
    return draft


PLANNED: dict[str, bool | None] = {"planned": True, "unplanned": False, "skip": None}


def ask_roles(
    prompter: Prompter,
    console: Console,
    checkpoint: Checkpoint,
    check_role: Callable[[str], str],
    given: Sequence[str] = (),
) -> list[str]:
    """Who was involved, one role at a time; each is checked as it is typed, Enter finishes.

    A refused answer (a name, a detail) is not kept anywhere: the reason is shown, never the
    words, and the question is asked again.
    """
    chosen: list[str] = list(dict.fromkeys([*given, *checkpoint.get("who", [])]))
    if checkpoint.get("who_done"):
        return chosen
    console.print("Who was involved, by role only: " + ", ".join(ROLES), markup=False)
    while True:
        typed = prompter.ask("Who was involved? One role (Enter to finish)", default="")
        if not typed.strip():
            checkpoint.put("who_done", True)
            return chosen
        try:
            role = check_role(typed)
        except PeerJournalError as problem:
            console.print(f"{problem.message}; try again.", markup=False, highlight=False)
            continue
        if role not in chosen:
            chosen.append(role)
            checkpoint.put("who", chosen)


def ask_competencies(
    prompter: Prompter, console: Console, catalog: Catalog, checkpoint: Checkpoint
) -> list[str]:
    """Type a word, pick from the matching framework items; an empty answer finishes.

    A reference typed in full is checked here, so an unknown one is asked again instead of
    failing the whole entry at the end.
    """
    chosen: list[str] = list(checkpoint.get("competencies", []))
    if checkpoint.get("competencies_done"):
        return chosen
    while True:
        words = prompter.ask("Competency: a word to search for (Enter to finish)", default="")
        if not words.strip():
            checkpoint.put("competencies_done", True)
            return chosen
        picked_ref = _pick(prompter, console, catalog, words)
        if picked_ref is not None:
            chosen.append(picked_ref)
            checkpoint.put("competencies", chosen)


def _pick(prompter: Prompter, console: Console, catalog: Catalog, words: str) -> str | None:
    """One framework item from a word or a full reference; None when nothing was chosen."""
    if "/" in words:  # a full reference typed directly
        try:
            return str(catalog.resolve(words.strip()).ref)
        except PeerJournalError as problem:
            console.print(f"{problem}; try again.", markup=False, highlight=False)
            return None
    matches = item_matches(catalog, words, limit=MAX_CHOICES)
    if not matches:
        console.print("No framework item matches that; try another word.")
        return None
    for number, match in enumerate(matches, start=1):
        console.print(f"  {number}. {match.ref}  {match.item.text}", markup=False, highlight=False)
    choices = [str(n) for n in range(len(matches) + 1)]
    picked = prompter.choose("Number to link (0 for none)", choices, default="0")
    return None if picked == "0" else str(matches[int(picked) - 1].ref)


def review_findings(
    prompter: Prompter,
    console: Console,
    findings: Sequence[FieldFinding],
    *,
    can_edit: bool,
) -> Decision:
    """Show where identifying details were found (never the words) and ask what to do.

    There is no default: Enter alone asks again, so keeping a detail is always a typed choice.
    """
    console.print(
        f"[yellow]The privacy check found {len(findings)} possible identifying detail(s):[/]"
    )
    for found in findings:
        console.print(f"  - {found.describe()}", markup=False, highlight=False)
    console.print("Use roles or pseudonyms instead of names, numbers, addresses and dates.")
    options: list[Decision] = ["edit", "keep", "cancel"] if can_edit else ["keep", "cancel"]
    question = "Edit, keep as it is, or cancel?" if can_edit else "Keep as it is, or cancel?"
    answer = prompter.choose(question, options, default=None)
    return next(option for option in options if option == answer)


def retype_field(prompter: Prompter, field: str) -> str:
    """Ask for one flagged field again, for records (or terminals) without an editor."""
    label = field[:1].upper() + field[1:]
    return prompter.ask(f"{label}: type it again, without the flagged detail", default="")


def redo_fields(
    prompter: Prompter,
    draft: Draft,
    findings: Sequence[FieldFinding],
    heading_of: Callable[[str], str],
) -> Draft:
    """Ask again for each field that had a finding (guided mode without an editor)."""
    fields = {found.field for found in findings}
    if "title" in fields:
        draft.title = prompter.ask("Title (again)", default="")
    if "setting" in fields:
        draft.setting = prompter.ask("Setting (again)", default="")
    if WHO_FIELD in fields:
        again = prompter.ask("Who was involved, roles separated by commas (again)", default="")
        draft.who = [role for role in again.split(",") if role.strip()]
    if "text" in fields:
        draft.text = prompter.ask_lines("Text (again)")
    for key, _, question in SECTIONS:
        if heading_of(key) in fields:
            draft.sections[key] = prompter.ask_lines(f"{question} (again)")
    return draft
