"""The assessment interview: one item at a time, saved after every answer.

Answers: a scale value, n (not applicable), o (no opportunity yet), s (skip), b (back),
? (help), q (save and quit). Each is checked as it is typed and saved at once.
Written against the Prompter protocol so tests can type the answers.
"""

from rich.console import Console
from rich.text import Text

from peerjournal.errors import PeerJournalError, PrivacyRefusedError, ReviewCancelledError
from peerjournal.models.assessment import Goal, Response
from peerjournal.models.framework import Scale
from peerjournal.services.assessments import (
    MAX_GOALS,
    Assessments,
    StoredAssessment,
    parse_rating,
)
from peerjournal.services.privacy_review import FieldFinding, PrivacyReview
from peerjournal.ui.prompts import Prompter

MAX_OFFERED = 9


def explain_scale(console: Console, scale: Scale) -> None:
    """Show the scale once, before the first item."""
    console.print(Text(f"Scale: {scale.title}", style="bold"))
    if scale.description:
        console.print(Text(scale.description))
    for level in scale.levels:
        detail = f" - {level.description}" if level.description else ""
        console.print(Text(f"  {level.value}  {level.label}{detail}"))
    console.print(Text(f"  n  {scale.not_applicable} (not scored)"))
    console.print(Text("  o  No opportunity yet (not scored; listed as a learning opportunity)"))
    console.print(Text("  s skip   b back   ? help   q save and quit"))


def run_interview(
    service: Assessments,
    stored: StoredAssessment,
    prompter: Prompter,
    console: Console,
    review: PrivacyReview | None = None,
) -> StoredAssessment | None:
    """Ask every item from the saved position; None when the person chose to quit.

    Each note passes the privacy ``review`` before its answer is saved. When the review stops
    the interview (strict mode, or a cancel), the position is saved at this item, so a resume
    asks it again, and a refused note is kept in a recovery file.
    """
    assessment = stored.assessment
    items = service.items(assessment)
    scale = service.framework_of(assessment).scale
    domains = list(dict.fromkeys(domain.id for domain, _ in items))
    explain_scale(console, scale)
    position = min(assessment.position, len(items))
    question = f"Your answer ({scale.values[0]}-{scale.values[-1]}, n, o, s, b, ?, q)"
    while position < len(items):
        domain, item = items[position]
        console.print()
        console.print(
            Text(
                f"Item {position + 1} of {len(items)} · domain {domains.index(domain.id) + 1} "
                f"of {len(domains)}: {domain.title}",
                style="dim",
            )
        )
        console.print(Text(f"{item.id}  {item.text}", style="bold"))
        for indicator in item.indicators:
            console.print(Text(f"  sign: {indicator}"))
        for reflection in item.prompts:
            console.print(Text(f"  reflect: {reflection}", style="italic"))
        earlier = stored.assessment.responses.get(item.id)
        if earlier is not None:
            console.print(Text(f"  earlier answer: {_describe(earlier)}", style="dim"))
        answer = prompter.ask(question).strip().lower()
        if answer == "q":
            service.move(stored, position)
            return None
        if answer == "b":
            if position == 0:
                console.print("This is the first item.")
            else:
                position -= 1
            continue
        if answer in ("?", "h", "help"):
            explain_scale(console, scale)
            continue
        response = Response(skipped=True) if answer == "s" else parse_rating(answer, scale)
        if response is None:
            console.print(
                Text(f"Please answer {scale.values[0]} to {scale.values[-1]}, or n, o, s, b, ?, q.")
            )
            continue
        if response.rating is not None or response.no_opportunity:
            asked = (
                "Note: an example from practice (Enter to skip)"
                if response.rating is not None
                else "Note: what would give this a chance to come up (Enter to skip)"
            )
            note = prompter.ask(asked, default="").strip()
            if review is not None:
                try:
                    where = f"note on {item.id}"
                    note = _reviewed(review, service, console, prompter, note, where, asked)
                except (PrivacyRefusedError, ReviewCancelledError):
                    service.move(stored, position)  # a resume asks this item again
                    raise
            response.note = note
            if response.rating is not None:
                response.evidence = _ask_evidence(service, stored, item.id, prompter, console)
        position += 1
        stored = service.answer(stored, (domain, item), response, position)
    return stored


def ask_goals(
    service: Assessments,
    stored: StoredAssessment,
    prompter: Prompter,
    console: Console,
    suggested: list[str],
    review: PrivacyReview | None = None,
) -> list[Goal]:
    """Up to three development goals, each linked to an item of the framework.

    Each goal's text passes the privacy ``review`` first; a refused one is kept in a recovery
    file and the assessment stays a draft, so a resume asks for the goals again.
    """
    goals: list[Goal] = []
    if suggested:
        console.print(Text("Growth areas you might choose: " + ", ".join(suggested)))
    while len(goals) < MAX_GOALS:
        item = prompter.ask(
            f"Development goal {len(goals) + 1}: item id (Enter to finish)", default=""
        )
        if not item.strip():
            break
        try:
            item = service.goal_item(stored.assessment, item)
        except PeerJournalError as problem:  # ask for the item again, before any text is typed
            console.print(Text(f"{problem}; try again."))
            continue
        question = "What will you work on?"
        text = prompter.ask(question, default="")
        if review is not None:
            where = f"goal on {item.strip()}"
            text = _reviewed(review, service, console, prompter, text, where, question)
        try:
            goals.append(service.goal(stored.assessment, item, text))
        except PeerJournalError as problem:  # re-ask: a bad answer never ends the run
            console.print(Text(f"{problem}; try again."))
    return goals


def _reviewed(
    review: PrivacyReview,
    service: Assessments,
    console: Console,
    prompter: Prompter,
    text: str,
    where: str,
    question: str,
) -> str:
    """The text after the privacy review; "edit" asks the question again."""

    def again(_: str, findings: list[FieldFinding]) -> str:
        del findings  # listed just before; the whole answer is asked again
        return prompter.ask(f"{question} (again)", default="").strip()

    try:
        return review.review(text, lambda t: [(where, t)], redo=again)
    except PrivacyRefusedError:
        kept = service.keep_unsaved(text)
        console.print(Text(f"Your text is kept in {kept}"))
        raise


def _ask_evidence(
    service: Assessments,
    stored: StoredAssessment,
    item_id: str,
    prompter: Prompter,
    console: Console,
) -> list[str]:
    offered = service.linked_entries(stored.assessment.framework.id, item_id)[:MAX_OFFERED]
    if not offered:
        return []
    console.print("Diary entries already linked to this item:")
    for number, (entry_id, title) in enumerate(offered, start=1):
        console.print(Text(f"  {number}. {entry_id}  {title}"))
    while True:
        answer = prompter.ask(
            "Link entries as evidence: numbers, comma-separated (Enter for none)", default=""
        )
        picks = [part.strip() for part in answer.split(",") if part.strip()]
        if all(p.isdigit() and 1 <= int(p) <= len(offered) for p in picks):
            return list(dict.fromkeys(offered[int(p) - 1][0] for p in picks))
        console.print(f"Please give numbers from 1 to {len(offered)}.")


def _describe(response: Response) -> str:
    if response.not_applicable:
        return "not applicable"
    if response.no_opportunity:
        return "no opportunity yet"
    if response.skipped or response.rating is None:
        return "skipped"
    return str(response.rating)
