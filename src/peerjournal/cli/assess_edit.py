"""`peerjournal assess edit ID`: change a finished assessment's goals and notes later.

Ratings stay as they were rated on the day; goals and notes are what a person revisits after a
supervision session, so they can change, and the record keeps what they were before.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli._context import AppContext
from peerjournal.cli._privacy import StrictOpt

if TYPE_CHECKING:
    from peerjournal.models.assessment import Goal
    from peerjournal.services.assessments import Assessments, StoredAssessment


def register(app: typer.Typer) -> None:
    """Add `edit` to the assess app."""
    app.command("edit")(edit)


def edit(
    ctx: typer.Context,
    assessment_id: Annotated[
        str, typer.Argument(metavar="ID", help="A finished assessment's id or a unique start.")
    ],
    goals: Annotated[
        list[str],
        typer.Option(
            "--goal", help="'ITEM: what you will work on' (repeatable; replaces every goal)."
        ),
    ] = [],  # noqa: B006 - typer reads the default; it is never changed
    clear_goals: Annotated[
        bool, typer.Option("--clear-goals", help="Remove every development goal.")
    ] = False,
    notes: Annotated[
        str | None, typer.Option("--notes", help="The assessment's notes (replaces them).")
    ] = None,
    strict: StrictOpt = False,
) -> None:
    """Change the development goals and notes of a finished assessment; ratings stay as rated.

    With no options it asks for each goal (keep, change or remove), new goals, and the notes.
    The earlier goals and notes are kept in the record's history, and what you type passes
    the privacy check before it is saved.
    """
    from peerjournal.cli._privacy import keep_or_hand_back, privacy_review, stop_on_cancel
    from peerjournal.errors import InputError, PrivacyRefusedError
    from peerjournal.services.assessments import edited_fields, with_edited

    context = AppContext.of(ctx)
    service = context.services.assessments
    stored = service.get(assessment_id)
    current = stored.assessment
    if current.status != "complete":
        raise InputError(
            f"assessment {current.id} is a draft; finish it with "
            f"'peerjournal assess resume {current.id}'"
        )
    if goals and clear_goals:
        raise InputError("use --goal or --clear-goals, not both")
    if goals or clear_goals or notes is not None:
        new_goals = [_goal_option(service, stored, text) for text in goals]
        if not goals and not clear_goals:
            new_goals = list(current.goals)
        new_notes = current.notes if notes is None else notes
    else:
        new_goals, new_notes = _ask(context, service, stored)
    if new_goals == list(current.goals) and new_notes.strip() == current.notes:
        context.err.print("Nothing changed; the assessment is as it was.", markup=False)
        return
    before = edited_fields(current.goals, current.notes)  # already seen and kept once
    try:
        with stop_on_cancel(context):
            new_goals, new_notes = privacy_review(context, strict=strict).review(
                (new_goals, new_notes),
                lambda pair: edited_fields(*pair),
                put=with_edited,
                before=before,
            )
    except PrivacyRefusedError:
        typed = "".join(f"{where}: {text}\n" for where, text in edited_fields(new_goals, new_notes))
        keep_or_hand_back(context, service.keep_unsaved, typed)
        raise
    saved = service.edit(stored, new_goals, new_notes)
    context.out.print(
        f"Updated assessment {saved.assessment.id} "
        f"({len(saved.assessment.goals)} goals; earlier goals and notes kept in its history)",
        markup=False,
    )


def _goal_option(service: "Assessments", stored: "StoredAssessment", text: str) -> "Goal":
    """A goal given as 'ITEM: text' on the command line."""
    from peerjournal.errors import InputError

    item, sep, words = text.partition(":")
    if not sep or not item.strip() or not words.strip():
        raise InputError(f"--goal needs 'ITEM: what you will work on', e.g. 'w.2: {_EXAMPLE}'")
    return service.goal(stored.assessment, item, words)


def _ask(
    context: AppContext, service: "Assessments", stored: "StoredAssessment"
) -> "tuple[list[Goal], str]":
    """Each goal kept, changed or removed, then new ones, then the notes."""
    from peerjournal.errors import PeerJournalError
    from peerjournal.services.assessments import MAX_GOALS

    prompter, say = context.prompter, context.err.print
    current = stored.assessment
    goals: list[Goal] = []
    for number, goal in enumerate(current.goals, start=1):
        say(f"Goal {number} on {goal.item}: {goal.text}", markup=False)
        choice = prompter.choose("Keep, change or remove it?", ("keep", "change", "remove"))
        if choice == "keep":
            goals.append(goal)
        elif choice == "change":
            text = prompter.ask("What will you work on?", default=goal.text)
            goals.append(service.goal(current, goal.item, text.strip() or goal.text))
    while len(goals) < MAX_GOALS:
        item = prompter.ask(f"New goal {len(goals) + 1}: item id (Enter to finish)", default="")
        if not item.strip():
            break
        try:
            item = service.goal_item(current, item)
            goals.append(service.goal(current, item, prompter.ask("What will you work on?")))
        except PeerJournalError as problem:  # ask again: a typo never ends the edit
            say(f"{problem}; try again.", markup=False)
    notes = prompter.ask("Notes (Enter keeps them as they are)", default=current.notes)
    return goals, notes


_EXAMPLE = "explain the service's limits at first contact"
