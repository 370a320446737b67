"""C15: commands that only read change no byte and no mtime of anything in the data home.

The diary index lives in the user's cache folder, outside the home; files under a cache folder
inside the home would be allowed too, as rebuildable, but none appears today.
"""

import pytest

from helpers import populate, read_only_commands, snapshot


@pytest.fixture
def world(run, home, tmp_path):
    return populate(run, home, tmp_path)


def without_cache(files: dict) -> dict:
    return {name: value for name, value in files.items() if "cache" not in name.split("/")[0]}


def test_read_only_commands_change_nothing(run, home, world):
    before = without_cache(snapshot(home))
    offenders = []
    failed = []
    for command in read_only_commands(world):
        result = run(*command)
        allowed = (0, 1) if command == ("diary", "lint") else (0,)  # lint: 1 = found something
        if result.exit_code not in allowed or "Traceback" in result.stderr:
            failed.append((command, result.exit_code, result.stderr[-300:]))
        after = without_cache(snapshot(home))
        if after != before:
            changed = sorted(
                name for name in set(before) | set(after) if before.get(name) != after.get(name)
            )
            offenders.append((" ".join(command) or "(home screen)", changed))
            before = after
    assert failed == []
    assert offenders == []
