"""`peerjournal assess ...`: self-assessments and supervisor checklists against any framework."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peerjournal.cli import assess_edit
from peerjournal.cli._context import AppContext, confirm_or_stop
from peerjournal.cli._privacy import StrictOpt

if TYPE_CHECKING:
    from peerjournal.services.assessment_stats import Summary
    from peerjournal.services.assessments import Assessments, StoredAssessment
    from peerjournal.services.privacy_review import PrivacyReview

app = typer.Typer(
    no_args_is_help=True, help="Rate yourself, or a worker you supervise, against a framework."
)


def _service(context: AppContext) -> "Assessments":
    return context.services.assessments


@app.command("start")
def start(
    ctx: typer.Context,
    framework_id: Annotated[
        str, typer.Argument(metavar="FRAMEWORK", help="A framework id, e.g. samhsa-core.")
    ],
    role: Annotated[
        str | None,
        typer.Option(
            "--role", help="self (rate yourself; the default) or supervisor (rate a worker)."
        ),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option("--subject", help="Who is assessed (default: you; required for supervisor)."),
    ] = None,
    about: Annotated[
        str | None,
        typer.Option(
            "--about",
            help="A known person the assessment is about, rated by you. A peer worker rates "
            "their supervisor on a checklist such as supervision-evaluation or a framework for "
            "supervisors (recorded as rated by their supervisee, never as a self-rating); a "
            "supervisor rates a worker on a framework for peer workers.",
        ),
    ] = None,
    domain: Annotated[
        str | None, typer.Option("--domain", help="Only this domain of the framework.")
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Fill it from a YAML file of item id: rating, 'na', 'no-opportunity', 'skip' "
            "or {rating, note}.",
        ),
    ] = None,
    strict: StrictOpt = False,
) -> None:
    """Start an assessment; every answer is saved at once, so you can stop and resume.

    Answer each item with a scale value, n (not applicable), o (no opportunity yet: not
    scored, listed as a learning opportunity), s (skip), b (back), ? (help) or q (save and
    quit). Scripts and paper checklists use --answers FILE.yaml. Notes and goals pass the
    privacy check before they are saved.

    To rate your supervision: peerjournal assess start supervision-evaluation --about NAME.
    """
    from peerjournal.cli._privacy import privacy_review, stop_on_cancel
    from peerjournal.errors import InputError
    from peerjournal.models.assessment import ROLES

    context = AppContext.of(ctx)
    settings = context.settings
    review = privacy_review(context, strict=strict)
    service = _service(context)
    if about is not None:
        if subject is not None:
            raise InputError("use --about or --subject, not both")
        derived, subject = service.about(framework_id, about, settings)
        if role is not None and role != derived:
            raise InputError(f"with --about on {framework_id} the role is {derived}; drop --role")
        role = derived
    role = role or "self"
    if role not in ROLES or (role == "supervisee" and about is None):
        raise InputError(
            "--role must be self or supervisor (a supervisee's rating is started with --about)"
        )
    if role == "supervisor" and not subject:
        raise InputError("a supervisor assessment needs --subject NAME (the worker you rate)")
    subject = service.resolve_subject(subject, settings)
    if role == "self":
        service.check_self(framework_id, settings)
    earlier = service.drafts_like(framework_id, role=role, subject=subject)
    if earlier and _resume_instead(context, earlier[0], scripted=answers is not None):
        context.err.print(f"Resuming assessment {earlier[0].assessment.id}", markup=False)
        _run(context, service, earlier[0], review)
        return
    stored = service.start(
        framework_id,
        role=role,
        subject=subject,
        assessor=settings.name,
        domain=domain,
    )
    if answers is not None:
        try:
            with stop_on_cancel(context):
                stored = service.apply_answers(stored, answers, review=review)
        except BaseException:
            service.delete(stored)  # a failed script (or a cancel) leaves no half-filled draft
            raise
        _show_summary(context, service, stored)
        context.out.print(f"Saved assessment {stored.assessment.id}", markup=False)
        return
    context.err.print(f"Started assessment {stored.assessment.id}", markup=False)
    _run(context, service, stored, review)


def _resume_instead(context: AppContext, draft: "StoredAssessment", *, scripted: bool) -> bool:
    """Warn that a draft of the same framework exists; offer it unless a script is answering."""
    found = draft.assessment
    answered = len(found.responses)
    only = f", domain {found.domain_filter} only" if found.domain_filter else ""
    context.err.print(
        f"You already have a draft of {found.framework.id} (assessment {found.id}, started "
        f"{found.started:%Y-%m-%d %H:%M}, {answered} answered{only}).",
        markup=False,
    )
    if scripted:
        context.err.print("Starting another from the answers file.", markup=False)
        return False
    choice = context.prompter.choose(
        "Resume that draft, or start another?", ("resume", "new"), default="resume"
    )
    return choice == "resume"


@app.command("resume")
def resume(
    ctx: typer.Context,
    assessment_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="The draft to continue (default: the latest)."),
    ] = None,
    strict: StrictOpt = False,
) -> None:
    """Continue a draft assessment where it stopped (the latest draft by default)."""
    from peerjournal.cli._privacy import privacy_review
    from peerjournal.errors import InputError

    context = AppContext.of(ctx)
    service = _service(context)
    stored = service.get(assessment_id) if assessment_id else service.latest_draft()
    if stored.assessment.status != "draft":
        raise InputError(f"assessment {stored.assessment.id} is already complete")
    context.err.print(f"Resuming assessment {stored.assessment.id}", markup=False)
    _run(context, service, stored, privacy_review(context, strict=strict))


def _run(
    context: AppContext,
    service: "Assessments",
    stored: "StoredAssessment",
    review: "PrivacyReview",
) -> None:
    """The interview, then the goals; a privacy stop leaves a draft that resume continues."""
    from peerjournal.errors import PrivacyRefusedError, ReviewCancelledError
    from peerjournal.ui.interview import run_interview

    resume = f"peerjournal assess resume {stored.assessment.id}"
    try:
        result = run_interview(service, stored, context.prompter, context.err, review)
        if result is None:
            context.out.print(
                f"Saved draft {stored.assessment.id}; continue with: {resume}", markup=False
            )
            return
        _finish(context, service, result, review)
    except ReviewCancelledError:
        context.err.print(
            f"Cancelled; that answer was not saved. Your other answers are; continue with: "
            f"{resume}",
            markup=False,
        )
        raise typer.Exit(1) from None
    except PrivacyRefusedError:
        context.err.print(f"Your other answers are saved; continue with: {resume}", markup=False)
        raise


def _finish(
    context: AppContext,
    service: "Assessments",
    stored: "StoredAssessment",
    review: "PrivacyReview",
) -> None:
    from peerjournal.ui.interview import ask_goals

    summary = _show_summary(context, service, stored)
    suggested = [item.item for item in summary.growth_areas]
    goals = (
        ask_goals(service, stored, context.prompter, context.err, suggested, review)
        if stored.assessment.role != "supervisee"  # their development is not the rater's to set
        else []
    )
    stored = service.finish(stored, goals)
    context.out.print(f"Saved assessment {stored.assessment.id}", markup=False)


def _show_summary(
    context: AppContext, service: "Assessments", stored: "StoredAssessment"
) -> "Summary":
    from peerjournal.services.assessment_stats import summarise
    from peerjournal.ui.assess_render import summary_view

    entry = service.framework_of(stored.assessment)
    summary = summarise(
        stored.assessment,
        entry.framework,
        entry.scale,
        evidenced_items=set(service.evidence(stored.assessment)),
    )
    context.out.print(summary_view(summary, entry.scale))
    return summary


@app.command("list")
def list_assessments(
    ctx: typer.Context,
    framework: Annotated[
        str | None, typer.Option("--framework", help="Only this framework.")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", help="self, supervisor or supervisee (rated with --about)."),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option("--subject", "--about", help="Only assessments of (about) this person."),
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="draft or complete.")] = None,
) -> None:
    """List assessments, oldest first."""
    from peerjournal.errors import InputError
    from peerjournal.services.assessments import Listing
    from peerjournal.ui.assess_render import assessments_table

    if role not in (None, "self", "supervisor", "supervisee"):
        raise InputError("--role must be one of: self, supervisor, supervisee")
    if status not in (None, "draft", "complete"):
        raise InputError("--status must be one of: draft, complete")
    context = AppContext.of(ctx)
    service = _service(context)
    if subject:
        subject = service.resolve_subject(subject, context.settings)
    found = service.listing(Listing(framework=framework, role=role, subject=subject, status=status))  # type: ignore[arg-type]  # checked above
    if not found:
        context.err.print("No assessments match.")
        return
    context.out.print(assessments_table([s.assessment for s in found], context.out.width))


@app.command("show")
def show(
    ctx: typer.Context,
    assessment_id: Annotated[
        str, typer.Argument(metavar="ID", help="An assessment id or a unique start of one.")
    ],
    as_framework: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="FRAMEWORK",
            help="Read it as another framework instead, through the maps_to links of its "
            "items and domains: per domain of FRAMEWORK, the items that map there and their "
            "ratings (on this assessment's scale). Exit 2 if nothing maps to FRAMEWORK.",
        ),
    ] = None,
) -> None:
    """Show one assessment: its summary, every answer and its goals (or --as a crosswalk)."""
    from peerjournal.ui.assess_render import assessment_header, goals_view, responses_table

    context = AppContext.of(ctx)
    service = _service(context)
    stored = service.get(assessment_id)
    if as_framework is not None:
        from peerjournal.services.crosswalk import read_as
        from peerjournal.ui.assess_render import crosswalk_view

        target = service.catalog.get(as_framework).framework
        source = service.framework_of(stored.assessment)
        walk = read_as(stored.assessment, source.framework, source.scale, target)
        context.out.print(assessment_header(stored.assessment))
        context.out.print(crosswalk_view(walk))
        return
    context.out.print(assessment_header(stored.assessment))
    try:
        _show_summary(context, service, stored)
    except Exception:  # noqa: BLE001 - the framework may be gone; the answers still show
        context.err.print("(the framework is not loaded; showing the stored answers only)")
    context.out.print(responses_table(stored.assessment))
    context.out.print(goals_view(stored.assessment))


@app.command("compare")
def compare(
    ctx: typer.Context,
    before_id: Annotated[
        str, typer.Argument(metavar="A", help="One assessment (the earlier, usually).")
    ],
    after_id: Annotated[str, typer.Argument(metavar="B", help="The other assessment.")],
) -> None:
    """Compare two assessments on the same framework: domain and item changes.

    The earlier of the two is always "before", whichever order they are named in.
    """
    from peerjournal.errors import PeerJournalError
    from peerjournal.services.assessment_stats import compare as run_compare
    from peerjournal.services.assessment_stats import in_order
    from peerjournal.ui.assess_render import comparison_view

    context = AppContext.of(ctx)
    service = _service(context)
    named = service.get(before_id).assessment, service.get(after_id).assessment
    before, after = in_order(*named)
    if before is not named[0]:
        context.err.print(
            f"{before.id} is the earlier assessment, so it is shown as before", markup=False
        )
    context.err.print(f"Before: {before.id}; after: {after.id}", markup=False)
    try:
        framework = service.framework_of(after).framework
    except PeerJournalError:
        framework = None
    context.out.print(comparison_view(run_compare(before, after, framework)))


@app.command("progress")
def progress(
    ctx: typer.Context,
    framework_id: Annotated[str, typer.Argument(metavar="FRAMEWORK", help="A framework id.")],
    subject: Annotated[
        str | None, typer.Option("--subject", help="Whose progress (default: you).")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Only self, supervisor or supervisee (--about) ratings."),
    ] = None,
) -> None:
    """Show every completed assessment of a person on a framework over time, per domain."""
    from peerjournal.errors import InputError
    from peerjournal.services.assessment_stats import progress as run_progress
    from peerjournal.services.assessments import Listing
    from peerjournal.ui.assess_render import progress_view

    context = AppContext.of(ctx)
    service = _service(context)
    entry = service.catalog.get(framework_id)
    who = service.resolve_subject(subject, context.settings)
    if role not in (None, "self", "supervisor", "supervisee"):
        raise InputError("--role must be one of: self, supervisor, supervisee")
    wanted = Listing(framework=entry.framework.id, subject=who, status="complete", role=role)  # type: ignore[arg-type]  # checked above
    found = service.listing(wanted)
    if not found:
        context.err.print(f"No completed assessments of {who} on {entry.framework.id} yet.")
        return
    result = run_progress([s.assessment for s in found], entry.framework)
    context.out.print(progress_view(result, entry.scale))


@app.command("gaps")
def gaps(
    ctx: typer.Context,
    subject: Annotated[
        str | None, typer.Option("--subject", help="Whose assessments (default: you).")
    ] = None,
    framework: Annotated[
        str | None, typer.Option("--framework", help="Only this framework.")
    ] = None,
) -> None:
    """Compare the latest self and supervisor assessments of one person: items 2+ points apart."""
    from peerjournal.errors import PeerJournalError
    from peerjournal.services.assessment_stats import gaps as run_gaps
    from peerjournal.services.assessment_stats import latest_pair
    from peerjournal.ui.assess_render import gaps_view

    context = AppContext.of(ctx)
    service = _service(context)
    who = service.resolve_subject(subject, context.settings)
    pair = latest_pair([s.assessment for s in service.listing()], who, framework)
    try:
        loaded = service.framework_of(pair[0]).framework
    except PeerJournalError:
        loaded = None
    found = run_gaps(pair[0], pair[1], framework=loaded)
    context.out.print(gaps_view(found, pair[0].id, pair[1].id))


@app.command("delete")
def delete(
    ctx: typer.Context,
    assessment_id: Annotated[
        str, typer.Argument(metavar="ID", help="An assessment id or a unique start of one.")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Move an assessment to the trash."""
    context = AppContext.of(ctx)
    service = _service(context)
    stored = service.get(assessment_id)
    confirm_or_stop(context, f"Move assessment {stored.assessment.id} to the trash?", yes=yes)
    path = service.delete(stored)
    context.out.print(
        f"Moved assessment {stored.assessment.id} to the trash ({path})", markup=False
    )


assess_edit.register(app)
