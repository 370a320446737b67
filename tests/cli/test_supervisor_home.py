"""A supervisor's home screen: each worker of the caseload, and a next step that names one."""

from datetime import timedelta

import pytest

from helpers import NOW

LATER = NOW + timedelta(days=11)


def ok(run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def session(run, tmp_path, worker: str, when: str, minutes: int, actions: str = "") -> None:
    path = tmp_path / f"{worker.split()[0]}-{when[:10]}.yaml"
    path.write_text(
        f"date: {when}\nminutes: {minutes}\ntype: professional\nworker: {worker}\n"
        f"notes: We talked the fortnight through.\n{actions}"
    )
    ok(run, "supervision", "new", "--from", str(path))


@pytest.fixture
def caseload(run, isolated, tmp_path, clock):
    """Rowan Vale supervises three workers; Ari has an overdue action, Jo a passed review."""
    ok(run, "init", "--name", "Rowan Vale", "--role", "supervisor")
    for name in ("Sam Rivers", "Ari Moana", "Jo Tane"):
        ok(run, "people", "add", name)
    settings = isolated / "settings.yaml"
    text = settings.read_text()
    assert "  hours_target: null\n" in text  # written by init, for people to find and set
    settings.write_text(text.replace("  hours_target: null\n", "  hours_target: 25\n"))
    session(run, tmp_path, "Sam Rivers", "2026-11-20 10:00", 90)
    session(run, tmp_path, "Sam Rivers", "2026-11-06 10:00", 60)
    session(
        run, tmp_path, "Ari Moana", "2026-10-01 10:00", 45,
        "actions:\n  - {text: Send the roster, owner: Ari, due: 2026-10-15}\n",
    )  # fmt: skip
    for worker, review in (("Jo Tane", "2026-12-01"), ("Ari Moana", "2099-03-01")):
        ok(
            run, "supervision", "agreement", "--worker", worker, "--supervisor", "Rowan Vale",
            "--frequency", "every two weeks", "--review", review,
        )  # fmt: skip
    clock.now = LATER  # Jo's review date has passed by now
    return isolated


def rows(stdout: str) -> dict[str, list[str]]:
    lines = stdout.split("Caseload", 1)[1].splitlines()[2:]
    return {" ".join(line.split()[:2]): line.split()[2:] for line in lines if line.strip()}


def test_each_worker_is_listed_with_what_waits_for_them(run, caseload):
    board = ok(run)
    table = rows(board)
    days_since_sam = (LATER.date() - NOW.date().replace(day=20)).days
    assert table["Sam Rivers"] == [str(days_since_sam), "days", "ago", "0", "0", "2h", "30m",
                                   "of", "25h", "none"]  # fmt: skip
    assert table["Ari Moana"][3:5] == ["1", "1"]  # one open action, and it is overdue
    assert table["Ari Moana"][5:8] == ["45m", "of", "25h"]
    assert table["Jo Tane"][:1] == ["never"]
    assert table["Jo Tane"][-2:] == ["2026-12-01", "(passed)"]
    assert "2.50" not in board  # hours read as people say them


def test_the_next_step_names_the_worker_it_is_about(run, caseload):
    board = ok(run)
    assert (
        "follow up Ari Moana's overdue actions: "
        "peerjournal supervision actions --overdue --worker 'Ari Moana'"
    ) in board
    [action] = [line.split()[0] for line in ok(run, "supervision", "actions").splitlines()
                if line.strip().startswith("A")]  # fmt: skip
    ok(run, "supervision", "done", action)
    board = ok(run)
    assert "review the agreement with Jo Tane: " in board
    assert "peerjournal supervision agreement --worker 'Jo Tane'\n" in board
    assert "say which worker" not in board


def test_a_peer_workers_home_screen_has_no_caseload(run, home):
    assert "Caseload" not in ok(run)
