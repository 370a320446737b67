"""Supervision as it is practised: type apart from form, group sessions, attendance, sessions
tagged with framework domains, and progress toward a credential's rules with a projected date.

The clock is the suite's fixed NOW (2026-11-24 in Auckland); every date here is relative to it.
"""

import json
from datetime import timedelta

import pytest

from helpers import NOW


def ok(run, *args):
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result


def saved_id(result) -> str:
    return result.stdout.split()[3]


def day(days_ago: int) -> str:
    return f"{(NOW - timedelta(days=days_ago)):%Y-%m-%d} 10:00"


@pytest.fixture
def caseload(run, isolated):
    """A supervisor with two workers; Ari and Sam met in a group as well as alone."""
    ok(run, "init", "--name", "Rowan Vale", "--role", "supervisor")
    for name in ("Sam Rivers", "Ari Tane"):
        ok(run, "people", "add", name, "--role", "worker")
    return isolated


def session(run, *args):
    return saved_id(ok(run, "supervision", "new", "--notes", "Talked it through.", *args))


def test_a_group_session_counts_once_for_each_worker_and_once_in_the_total(run, caseload):
    session(
        run, "--worker", "Sam Rivers", "--worker", "Ari Tane", "--form", "group",
        "--type", "cultural", "--minutes", "90", "--date", day(10),
    )  # fmt: skip
    session(run, "--worker", "Sam Rivers", "--minutes", "60", "--date", day(5))
    by_worker = json.loads(ok(run, "supervision", "hours", "--by", "worker", "--json").stdout)
    rows = {row["key"]: row["minutes"] for row in by_worker["rows"]}
    assert rows == {"Ari Tane": 90, "Sam Rivers": 150}
    assert by_worker["minutes"] == 150  # the supervisor's own time: the group once
    sam = json.loads(ok(run, "supervision", "hours", "--worker", "Sam", "--json").stdout)
    assert sam["minutes"] == 150
    forms = json.loads(ok(run, "supervision", "hours", "--by", "form", "--json").stdout)
    assert {row["key"]: row["minutes"] for row in forms["rows"]} == {
        "group": 90,
        "individual": 60,
    }
    listed = json.loads(ok(run, "supervision", "list", "--json").stdout)
    [group] = [s for s in listed if s["form"] == "group"]
    assert (group["type"], sorted(group["workers"])) == ("cultural", ["Ari Tane", "Sam Rivers"])


def test_each_worker_of_a_group_sees_only_what_concerns_them(run, caseload, tmp_path):
    script = tmp_path / "group.yaml"
    script.write_text(
        f"date: {day(3)}\nworkers: [Sam Rivers, Ari Tane]\nform: group\nminutes: 60\n"
        "notes: Shared reflections on the week.\n"
        "actions:\n  - {text: Book the boundaries workshop, owner: Sam Rivers}\n"
        "  - {text: Bring the roster question back, owner: Ari Tane}\n"
        "  - {text: Find a cultural supervisor, owner: Rowan Vale}\n"
    )
    ok(run, "supervision", "new", "--from", str(script))
    ari = json.loads(ok(run, "supervision", "list", "--worker", "Ari", "--json").stdout)
    [seen] = ari
    assert seen["workers"] == ["Ari Tane"]
    assert seen["group_size"] == 2
    assert sorted(a["owner"] for a in seen["actions"]) == ["Ari Tane", "Rowan Vale"]
    table = ok(run, "supervision", "list", "--worker", "Ari").stdout
    assert "Sam Rivers" not in table
    assert "+1 in the group" in table
    prep = ok(run, "supervision", "prep", "--worker", "Ari").stdout
    assert "roster question" in prep
    assert "boundaries workshop" not in prep
    whole = json.loads(ok(run, "supervision", "list", "--json").stdout)
    assert len(whole[0]["actions"]) == 3  # the supervisor's own list keeps every action


def test_several_workers_are_never_an_individual_session(run, caseload):
    result = run(
        "supervision", "new", "--worker", "Sam", "--worker", "Ari", "--form", "individual",
        "--minutes", "30", "--notes", "x",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "not individual" in result.stderr
    twice = run("supervision", "new", "--worker", "Sam", "--worker", "sam rivers", "--notes", "x")
    assert twice.exit_code == 2
    assert "named twice" in twice.stderr
    bad = run("supervision", "new", "--worker", "Sam", "--form", "circle", "--notes", "x")
    assert bad.exit_code == 2
    assert "--form must be one of" in bad.stderr
    old = run("supervision", "new", "--worker", "Sam", "--type", "group", "--notes", "x")
    assert old.exit_code == 2
    assert "reflective-practice" in old.stderr
    assert json.loads(ok(run, "supervision", "list", "--json").stdout) == []


def test_a_cancelled_session_is_kept_with_its_reason_and_counts_no_hours(run, caseload):
    saved = ok(
        run, "supervision", "new", "--worker", "Sam", "--cancelled", "--why",
        "Supervisor off sick", "--date", day(2),
    )  # fmt: skip
    assert "cancelled: no hours" in saved.stdout
    session(run, "--worker", "Sam", "--minutes", "45", "--date", day(1))
    hours = json.loads(ok(run, "supervision", "hours", "--worker", "Sam", "--json").stdout)
    assert (hours["minutes"], hours["sessions"], hours["not_held"]) == (45, 1, 1)
    assert (
        "1 cancelled or missed session in the period: no hours"
        in ok(run, "supervision", "hours", "--worker", "Sam").stdout
    )
    listed = json.loads(ok(run, "supervision", "list", "--json").stdout)
    cancelled = next(s for s in listed if s["attendance"] == "cancelled")
    assert (cancelled["why"], cancelled["minutes"]) == ("Supervisor off sick", 0)
    assert "cancelled" in ok(run, "supervision", "list").stdout
    shown = ok(run, "supervision", "show", cancelled["id"]).stdout
    assert "CANCELLED" in shown
    assert "Why: Supervisor off sick" in shown


def test_a_missed_session_needs_a_reason_given_before_anything_is_asked(run, caseload):
    missing = run("supervision", "new", "--worker", "Sam", "--missed")
    assert (missing.exit_code, missing.stderr) == (
        2,
        "peerjournal: say why the session was missed with --why\n",
    )
    stray = run("supervision", "new", "--worker", "Sam", "--why", "x", "--minutes", "5")
    assert stray.exit_code == 2
    assert "--why goes with --cancelled or --missed" in stray.stderr
    both = run("supervision", "new", "--worker", "Sam", "--missed", "--cancelled", "--why", "x")
    assert both.exit_code == 2


def test_the_reason_for_a_missed_session_passes_the_privacy_check(run, caseload):
    result = run(
        "supervision", "new", "--worker", "Sam", "--missed", "--strict",
        "--why", "Called away, ring 021 555 0199",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "021 555 0199" not in result.stderr
    assert json.loads(ok(run, "supervision", "list", "--json").stdout) == []


def test_a_critical_incident_debrief_is_recorded_as_such(run, caseload):
    sid = session(run, "--worker", "Ari", "--debrief", "--minutes", "30", "--type", "professional")
    [record] = json.loads(ok(run, "supervision", "list", "--json").stdout)
    assert (record["id"], record["occasion"]) == (sid, "critical-incident")
    assert "critical-incident debrief" in ok(run, "supervision", "show", sid).stdout


def test_domains_are_checked_and_stored_in_the_frameworks_own_case(run, caseload):
    session(
        run, "--worker", "Sam", "--minutes", "60",
        "--domain", "ICRC-peer-recovery/ADVOCACY", "--domain", "icrc-peer-recovery/ethics",
    )  # fmt: skip
    [record] = json.loads(ok(run, "supervision", "list", "--json").stdout)
    assert record["domains"] == ["icrc-peer-recovery/advocacy", "icrc-peer-recovery/ethics"]
    for spec, words in (
        ("icrc-peer-recovery/advocasy", "has no domain or item 'advocasy'"),
        ("icrc-peer-recovry/advocacy", "no framework with id 'icrc-peer-recovry'"),
        ("advocacy", "give FRAMEWORK/DOMAIN"),
    ):
        result = run("supervision", "new", "--worker", "Sam", "--domain", spec, "--notes", "x")
        assert result.exit_code == 2, spec
        assert words in result.stderr
        assert len(result.stderr.splitlines()) == 1


def credential(run, *args):
    return json.loads(
        ok(run, "supervision", "hours", "--credential", "icrc-pr", "--json", *args).stdout
    )


def test_icrc_progress_counts_only_domain_sessions_and_projects_a_date(run, caseload):
    # 10 hours in the domains over the last 90 days: 1 hour a week or so
    for number in range(10):
        session(
            run, "--worker", "Sam", "--minutes", "60", "--date", day(5 + 8 * number),
            "--domain", "icrc-peer-recovery/advocacy",
        )  # fmt: skip
    session(run, "--worker", "Sam", "--minutes", "120", "--date", day(4))  # no domain: no count
    session(run, "--worker", "Ari", "--minutes", "300", "--domain", "icrc-peer-recovery/ethics")
    progress = credential(run, "--worker", "Sam")
    [rule] = progress["rules"]
    assert (rule["minutes"], rule["needed_minutes"], rule["met"]) == (600, 1500, False)
    # 600 minutes in 90 days is 6.67 a day: 900 to go takes 135 days
    expected = (NOW.date() + timedelta(days=135)).isoformat()
    assert progress["projected"] == expected
    assert progress["minutes_by_domain"]["advocacy"] == 600
    assert "Pass the IC&RC Peer Recovery examination" in progress["not_tracked"]
    shown = ok(run, "supervision", "hours", "--credential", "icrc-pr", "--worker", "Sam").stdout
    assert "15h to go" in shown
    assert expected in shown
    assert "Also required (not tracked here)" in shown


def test_no_recent_pace_means_no_projected_date(run, caseload):
    session(
        run, "--worker", "Sam", "--minutes", "60", "--date", day(200),
        "--domain", "icrc-peer-recovery/wellness",
    )  # fmt: skip
    progress = credential(run, "--worker", "Sam")
    assert progress["projected"] is None
    assert (
        "no date to project"
        in ok(run, "supervision", "hours", "--credential", "icrc-pr", "--worker", "Sam").stdout
    )


def test_a_home_credential_file_can_cap_group_hours_and_require_each_domain(run, caseload):
    folder = caseload / "credentials"
    folder.mkdir()
    (folder / "harbour-peer.yaml").write_text(
        "schema: 1\nid: harbour-peer\ntitle: Harbour Peer Credential (fictional)\n"
        "framework: icrc-peer-recovery\n"
        "source: {publisher: Harbour Board, title: Rules, year: 2026, url: https://example.org}\n"
        "supervisor: A credentialed peer supervisor\n"
        "rules:\n"
        "  - {id: total, title: Supervision hours, hours: 4}\n"
        "  - {id: group-cap, title: Group hours count up to half, kind: cap, share: 0.5,"
        " of: total, forms: [group]}\n"
        "  - {id: each, title: Each domain, kind: cover, hours: 1, domains: [advocacy, ethics]}\n"
    )
    session(
        run, "--worker", "Sam", "--worker", "Ari", "--minutes", "240", "--date", day(20),
        "--domain", "icrc-peer-recovery/advocacy",
    )  # fmt: skip
    session(run, "--worker", "Sam", "--minutes", "60", "--date", day(10))
    progress = json.loads(
        ok(run, "supervision", "hours", "--credential", "harbour-peer", "--worker", "Sam",
           "--json").stdout
    )  # fmt: skip
    total, advocacy, ethics = progress["rules"]
    assert (total["minutes"], total["capped_minutes"], total["met"]) == (180, 120, False)
    assert (advocacy["domain"], advocacy["met"]) == ("advocacy", True)
    assert (ethics["domain"], ethics["minutes"], ethics["projected"]) == ("ethics", 0, None)
    assert progress["projected"] is None  # ethics has had no hours: nothing to project


def test_a_broken_or_unknown_credential_is_one_line_and_exit_2(run, caseload):
    folder = caseload / "credentials"
    folder.mkdir()
    (folder / "typo.yaml").write_text(
        "schema: 1\nid: typo\ntitle: T\nsource: {publisher: P, title: T, url: u}\n"
        "supervisor: S\nrules:\n  - {id: r, title: R, hourz: 3}\n"
    )
    broken = run("supervision", "hours", "--credential", "typo", "--worker", "Sam")
    assert broken.exit_code == 2
    assert "typo.yaml:7: rules.0.hourz: unknown field" in broken.stderr
    unknown = run("supervision", "hours", "--credential", "icrc-p", "--worker", "Sam")
    assert unknown.exit_code == 2
    assert "did you mean" in unknown.stderr
    assert "icrc-pr" in unknown.stderr
    both = run("supervision", "hours", "--credential", "icrc-pr", "--target", "3", "-w", "Sam")
    assert both.exit_code == 2


def test_old_session_files_read_and_migrate_to_workers_type_and_form(run, caseload):
    sam = json.loads(ok(run, "people", "list", "--json").stdout)
    sam_id = next(p["id"] for p in sam if p["name"] == "Sam Rivers")
    folder = caseload / "supervision" / "sessions" / "2026"
    folder.mkdir(parents=True)
    old = folder / "20261001-0900-beef.md"
    old.write_text(
        f"---\nschema: 2\nid: 20261001-0900-beef\ndate: '2026-10-01T09:00:00+13:00'\n"
        f"supervisor: ''\nworker: {sam_id}\ntype: group\nminutes: 50\n---\n\nNotes.\n"
    )
    [read] = json.loads(ok(run, "supervision", "list", "--json").stdout)
    assert (read["workers"], read["type"], read["form"]) == (
        ["Sam Rivers"],
        "professional",
        "group",
    )
    ok(run, "migrate")
    text = old.read_text()
    assert text.startswith("---\nschema: 3\n")
    assert f"workers:\n- {sam_id}\n" in text
    assert "form: group" in text
    assert "worker:" not in text
    [again] = json.loads(ok(run, "supervision", "list", "--json").stdout)
    assert again == read


def test_every_bundled_credential_loads_and_cites_its_source(services):
    credentials = services.credentials
    loaded = credentials.all()
    assert credentials.problems == []
    assert {"icrc-pr", "de-cprs", "ar-prps"} <= set(loaded)
    for credential in loaded.values():
        assert credential.source.url.startswith("https://")
        assert credential.supervisor
        assert credential.rules
    assert loaded["icrc-pr"].rules[0].hours == 25


def test_the_home_screen_counts_days_from_the_last_session_that_took_place(run, caseload):
    session(run, "--worker", "Sam", "--minutes", "45", "--date", day(10))
    ok(run, "supervision", "new", "--worker", "Sam", "--missed", "--why", "Clash", "--date", day(2))
    board = ok(run).stdout
    [row] = [line for line in board.splitlines() if line.strip().startswith("Sam Rivers")]
    assert "10 days ago" in row
    assert "45m" in row  # the missed session adds no hours


def test_a_session_follows_the_agreement_of_its_type(run, caseload):
    review = f"{(NOW + timedelta(days=120)):%Y-%m-%d}"
    for kind, supervisor, form in (
        ("professional", "Rowan Vale", "individual"),
        ("cultural", "Rowan Vale", "peer"),
    ):
        ok(
            run, "supervision", "agreement", "--worker", "Sam", "--type", kind,
            "--supervisor", supervisor, "--form", form, "--review", review, "--minutes", "60",
        )  # fmt: skip
    session(run, "--worker", "Sam", "--type", "cultural", "--minutes", "30")
    session(run, "--worker", "Sam", "--minutes", "30")
    cultural, professional = json.loads(ok(run, "supervision", "list", "--json").stdout)
    assert (cultural["supervisor"], cultural["form"]) == ("Rowan Vale", "peer")
    assert (professional["type"], professional["form"]) == ("professional", "individual")


def test_a_guided_group_session_survives_ctrl_c_and_resumes_with_its_workers(run, caseload):
    import pexpect

    from helpers import spawn

    child = spawn(
        "supervision", "new", "--worker", "Sam Rivers", "--worker", "Ari Tane", "--form",
        "group", "--type", "cultural", "--minutes", "60",
        "--domain", "icrc-peer-recovery/ethics",
    )  # fmt: skip
    child.expect("Supervision with Sam Rivers, Ari Tane")
    child.expect("Another topic")
    child.sendline("Boundaries on the ward")
    child.expect("Notes")
    child.sendline("We shared what works.")
    child.sendline("")
    child.expect("Another topic")
    child.sendline("")
    child.expect("Wellbeing")
    child.sendintr()
    child.expect("carry on with: peerjournal supervision new --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    resumed = spawn("supervision", "new", "--resume")
    resumed.expect("Carrying on from your draft")
    for prompt, answer in (
        ("Wellbeing", ""), ("Decisions", ""), ("action item", ""), ("Next", ""),
    ):  # fmt: skip
        resumed.expect(prompt)
        resumed.sendline(answer)
    resumed.expect("Saved supervision session")
    resumed.expect(pexpect.EOF)
    resumed.close()
    assert resumed.exitstatus == 0
    [saved] = json.loads(ok(run, "supervision", "list", "--json").stdout)
    assert sorted(saved["workers"]) == ["Ari Tane", "Sam Rivers"]
    assert (saved["form"], saved["type"]) == ("group", "cultural")
    assert saved["domains"] == ["icrc-peer-recovery/ethics"]
    shown = ok(run, "supervision", "show", saved["id"]).stdout
    assert "We shared what works." in shown


def test_a_rule_broken_in_a_session_file_names_the_file(run, caseload, tmp_path):
    script = tmp_path / "group.yaml"
    script.write_text(
        "workers: [Sam Rivers, Ari Tane]\nform: individual\nminutes: 30\nnotes: x\n"
        "domains: [icrc-peer-recovery/advocacy]\n"
    )
    result = run("supervision", "new", "--from", str(script))
    assert result.exit_code == 2
    assert (
        result.stderr == f"peerjournal: {script}: a session with several workers is not "
        "individual; say --form group (or peer)\n"
    )


def test_a_workers_report_shows_their_part_of_a_group_and_why_a_session_did_not_happen(
    run, caseload
):
    session(
        run, "--worker", "Sam Rivers", "--worker", "Ari Tane", "--minutes", "60",
        "--date", day(6),
    )  # fmt: skip
    ok(run, "supervision", "new", "--worker", "Ari", "--cancelled", "--why", "Ari unwell",
       "--date", day(3))  # fmt: skip
    report = ok(run, "report", "supervision", "--worker", "Ari").stdout
    assert "| group (2 workers) | 60 |" in report
    assert "Sam Rivers" not in report
    assert "cancelled: Ari unwell" in report
    assert "1 session, 1h of supervision; 1 cancelled or missed" in report
