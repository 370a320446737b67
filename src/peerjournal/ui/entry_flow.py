"""The interactive parts of writing an entry: the guided interview and the privacy review.

Written against the Prompter protocol, so tests drive them with scripted answers and a real
terminal drives them with rich prompts.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.console import Console

from peerjournal.models.entry import SECTIONS, THEMES
from peerjournal.services.diary import Draft
from peerjournal.services.frameworks import Catalog, item_matches
from peerjournal.services.privacy_review import Decision, FieldFinding
from peerjournal.ui.prompts import Prompter

MAX_CHOICES = 9


def guided_draft(
    prompter: Prompter,
    console: Console,
    catalog: Catalog,
    *,
    when: datetime,
    known_tags: Sequence[str],
) -> Draft:
    """Ask for each part of the diary template in turn; an empty answer skips a part."""
    console.print(
        "[bold]New diary entry[/] for "
        f"{when:%A %d %B, %H:%M}. Press Enter to skip any question. Use roles, not names."
    )
    draft = Draft(when=when)
    draft.title = prompter.ask("Title", default="")
    draft.setting = prompter.ask(
        "Setting (e.g. shared kitchen, phone, community outing)", default=""
    )
    for key, _, question in SECTIONS:
        draft.sections[key] = prompter.ask(question, default="")
    offered = list(dict.fromkeys([*known_tags, *(theme for theme, _ in THEMES)]))
    console.print(
        "Tags you have used and the diary study's themes: " + ", ".join(offered), markup=False
    )
    draft.tags = [
        tag
        for tag in prompter.ask("Tags, separated by commas", default="").split(",")
        if tag.strip()
    ]
    draft.competencies = ask_competencies(prompter, console, catalog)
    draft.self_disclosure = prompter.confirm(
        "Did you share your own lived experience?", default=False
    )
    draft.for_supervision = prompter.confirm("Bring this to supervision?", default=False)
    return draft


def ask_competencies(prompter: Prompter, console: Console, catalog: Catalog) -> list[str]:
    """Type a word, pick from the matching framework items; an empty answer finishes."""
    chosen: list[str] = []
    while True:
        words = prompter.ask("Competency: a word to search for (Enter to finish)", default="")
        if not words.strip():
            return chosen
        if "/" in words:  # a full reference typed directly
            chosen.append(words.strip())
            continue
        matches = item_matches(catalog, words, limit=MAX_CHOICES)
        if not matches:
            console.print("No framework item matches that; try another word.")
            continue
        for number, match in enumerate(matches, start=1):
            console.print(
                f"  {number}. {match.ref}  {match.item.text}", markup=False, highlight=False
            )
        choices = [str(n) for n in range(len(matches) + 1)]
        picked = prompter.choose("Number to link (0 for none)", choices, default="0")
        if picked != "0":
            chosen.append(str(matches[int(picked) - 1].ref))


def review_findings(
    prompter: Prompter,
    console: Console,
    findings: Sequence[FieldFinding],
    *,
    can_edit: bool,
) -> Decision:
    """Show where identifying details were found (never the words) and ask what to do."""
    console.print(
        f"[yellow]The privacy check found {len(findings)} possible identifying detail(s):[/]"
    )
    for found in findings:
        console.print(f"  - {found.describe()}", markup=False, highlight=False)
    console.print("Use roles or pseudonyms instead of names, numbers, addresses and dates.")
    options: list[Decision] = ["edit", "keep", "cancel"] if can_edit else ["keep", "cancel"]
    question = "Edit, keep as it is, or cancel?" if can_edit else "Keep as it is, or cancel?"
    answer = prompter.choose(question, options, default=options[0])
    return next(option for option in options if option == answer)


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
    if "text" in fields:
        draft.text = prompter.ask("Text (again)", default="")
    for key, _, question in SECTIONS:
        if heading_of(key) in fields:
            draft.sections[key] = prompter.ask(f"{question} (again)", default="")
    return draft
