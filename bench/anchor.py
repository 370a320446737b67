"""Time this peerjournal against an anchor build (an earlier commit) on the same data home.

    python bench/anchor.py --anchor REV --size 10000          # build the anchor, then time
    python bench/anchor.py --anchor a3199a0 --size 10000 --runs 15

The anchor is checked out with `git worktree` into bench/.anchor-REV and installed into its own
venv; the working tree is installed the same way (not editable, so imports cost the same) into
bench/.venv-current. Both run each command as a whole process, alternating A B A B (so load on
the machine falls on both alike), after one warm-up each; the table gives both medians and the
ratio B/A. Both read the same generated home, each with its own index folder, warmed first.
Nothing here runs in the test suite: timings are read by people, not asserted.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
OUT = HERE / "out"

COMMANDS = [
    ("--version", ["--version"]),
    ("home screen", []),
    ("diary list -n 20", ["diary", "list", "-n", "20"]),
    ("diary list --tag group -n 20", ["diary", "list", "--tag", "group", "-n", "20"]),
    ("diary list --since/--until", ["diary", "list", "--since", "2025-01-01",
                                    "--until", "2025-01-31"]),
    ("diary list --text garden -n 20", ["diary", "list", "--text", "garden", "-n", "20"]),
    ("diary tags", ["diary", "tags"]),
    ("diary list --json -n 20", ["diary", "list", "--json", "-n", "20"]),
]  # fmt: skip


def anchor_build(rev: str) -> Path:
    """The anchor's peerjournal executable, built once per revision (HEAD means today's HEAD)."""
    rev = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", rev],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    folder = HERE / f".anchor-{rev}"
    venv = HERE / f".venv-anchor-{rev}"
    if not folder.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev],
                       check=True)  # fmt: skip
    if not (venv / "bin" / "peerjournal").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(folder)], check=True)
    return venv / "bin" / "peerjournal"


def current_build() -> Path:
    """This working tree, installed the same way as the anchor (not editable: fair imports)."""
    venv = HERE / ".venv-current"
    if not (venv / "bin" / "peerjournal").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--force-reinstall", "--no-deps",
                    str(ROOT)], check=True)  # fmt: skip
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True)
    return venv / "bin" / "peerjournal"


def home_of(size: int) -> Path:
    folder = OUT / str(size)
    if not (folder / "home").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(folder)],
                       check=True)  # fmt: skip
    return folder / "home"


def environment(home: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ, PEERJOURNAL_HOME=str(home), XDG_CACHE_HOME=str(cache))
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    return env


def once(executable: Path, args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(executable), *args], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchor", required=True, help="the git revision to compare against")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()

    anchor = anchor_build(options.anchor)
    home = home_of(options.size)
    builds = {
        "A": (anchor, environment(home, OUT / f"cache-anchor-{options.anchor}")),
        "B": (current_build(), environment(home, OUT / "cache-current")),
    }
    for executable, env in builds.values():  # warm each build's own index
        once(executable, ["diary", "list", "-n", "1"], env)
    print(f"N = {options.size:,} entries; A = {options.anchor}, B = working tree; "
          f"{options.runs} paired runs, medians in ms")  # fmt: skip
    print("| command | A | B | B/A |\n| --- | ---: | ---: | ---: |")
    for label, args in COMMANDS:
        times: dict[str, list[float]] = {"A": [], "B": []}
        for executable, env in builds.values():
            once(executable, args, env)  # warm-up
        for _ in range(options.runs):
            for name, (executable, env) in builds.items():
                times[name].append(once(executable, args, env))
        a, b = (statistics.median(times[key]) * 1000 for key in ("A", "B"))
        print(f"| `{label}` | {a:.0f} | {b:.0f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
