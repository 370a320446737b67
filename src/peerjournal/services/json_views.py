"""Supervision records as JSON for scripts: stable keys, ISO dates, no typed notes.

One shape per record kind, used by every ``--json`` of the supervision commands, so a script
reading ``supervision list`` and one reading ``supervision hours`` agree on what a session is.
"""

from typing import Any

from peerjournal.services.credentials import CredentialProgress
from peerjournal.services.supervision import StoredSession
from peerjournal.services.supervision_hours import HoursReport


def session_json(stored: StoredSession) -> dict[str, Any]:
    """A session's facts: who, when, what kind, how long, what it covered, its actions."""
    meta = stored.meta
    return {
        "id": meta.id,
        "date": meta.date.isoformat(),
        "workers": list(meta.workers),
        "group_size": stored.group_size if stored.seen_by else len(meta.workers),
        "supervisor": meta.supervisor,
        "type": meta.type,
        "form": meta.form,
        "occasion": meta.occasion,
        "attendance": meta.attendance,
        "why": meta.why,
        "minutes": meta.minutes,
        "domains": list(meta.domains),
        "entries": list(meta.entries),
        "actions": [
            {
                "id": action.id,
                "text": action.text,
                "owner": action.owner,
                "due": action.due.isoformat() if action.due else None,
                "status": action.status,
            }
            for action in meta.actions
        ],
        "next_session": meta.next_session.isoformat() if meta.next_session else None,
    }


def hours_json(report: HoursReport) -> dict[str, Any]:
    """Hours per group and in total, with the target when one was given."""
    return {
        "by": report.by,
        "rows": [
            {"key": row.key, "sessions": row.sessions, "minutes": row.minutes, "hours": row.hours}
            for row in report.rows
        ],
        "sessions": report.sessions,
        "minutes": report.minutes,
        "hours": report.hours,
        "not_held": report.not_held,
        "target_hours": report.target_hours,
        "percent_of_target": report.percent_of_target,
    }


def progress_json(progress: CredentialProgress) -> dict[str, Any]:
    """A worker's standing against a credential, rule by rule, with the projected date."""
    credential = progress.credential
    projected = progress.projected
    return {
        "credential": credential.id,
        "title": credential.title,
        "worker": progress.worker,
        "as_of": progress.today.isoformat(),
        "met": progress.met,
        "projected": projected.isoformat() if projected else None,
        "rules": [
            {
                "id": rule.rule.id,
                "title": rule.rule.title,
                "kind": rule.rule.kind,
                "domain": rule.domain or None,
                "minutes": rule.minutes,
                "needed_minutes": rule.needed_minutes,
                "capped_minutes": rule.capped_minutes,
                "recent_minutes": rule.recent_minutes,
                "met": rule.met,
                "projected": (day.isoformat() if (day := rule.projected(progress.today)) else None),
            }
            for rule in progress.rules
        ],
        "minutes_by_domain": dict(progress.by_domain),
        "sessions": progress.sessions,
        "supervisor_required": credential.supervisor,
        "supervisors": list(progress.supervisors),
        "not_tracked": [r.title for r in credential.requirements],
        "source": credential.source.url,
    }
