"""Time peerjournal against jrnl 4.6 on the same generated journal, as whole processes.

    python bench/run.py                          # N = 1,000, 10,000 and 50,000, 7 pairs each
    python bench/run.py --sizes 1000 --runs 3    # a quick look
    python bench/run.py --peerjournal PATH       # time a given executable instead of a build

peerjournal is the working tree as it is now (tracked and new files), copied into
bench/out/build-pj and installed NOT editable into bench/.venv-pj, rebuilt on every run: an
editable install adds an import finder that costs ~9 ms a command. jrnl 4.6 is installed into
bench/.venv-jrnl. For each piece of work the two commands run paired, A B A B: one warm-up of
each, then --runs pairs, one run of peerjournal then one of jrnl, so load on the machine falls
on both alike. The table gives each side's median wall time, the median of the per-pair ratios
jrnl/peerjournal, and the highest peak memory (ru_maxrss from wait4, taken by a small
launcher process: see LAUNCHER) of each. Rows without a jrnl command time peerjournal alone
the same way; the cold index build runs once.

The quick adds run last and change the journals; the added files are removed and jrnl's
journal is put back afterwards. Targets are checked at the largest size run (50,000 by default)
and everything goes to stdout and bench/out/results.md. Nothing here runs in the test suite:
timings are read by people, not asserted.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import generate  # bench/generate.py, beside this file

HERE = Path(__file__).parent
ROOT = HERE.parent
OUT = HERE / "out"
JRNL_VENV = HERE / ".venv-jrnl"
PJ_VENV = HERE / ".venv-pj"
PJ_TREE = OUT / "build-pj"  # under bench/out: ignored by git and ruff
JRNL_VERSION = "4.6"
DEFAULT_SIZES = [1000, 10000, 50000]


@dataclass
class Row:
    """One piece of work at one size: peerjournal's runs and, when paired, jrnl's."""

    n: int
    work: str
    pj: list[float] = field(default_factory=list)  # seconds
    jrnl: list[float] = field(default_factory=list)
    pj_peak: float = 0.0  # MiB
    jrnl_peak: float = 0.0
    failures: set[str] = field(default_factory=set)  # which side exited non-zero

    @property
    def pj_ms(self) -> float:
        return statistics.median(self.pj) * 1000

    @property
    def jrnl_ms(self) -> float | None:
        return statistics.median(self.jrnl) * 1000 if self.jrnl else None

    @property
    def ratio(self) -> float | None:
        """The median of the per-pair ratios jrnl/peerjournal."""
        if not self.jrnl:
            return None
        return statistics.median(b / a for a, b in zip(self.pj, self.jrnl, strict=True))


def ensure_jrnl() -> Path:
    jrnl = JRNL_VENV / "bin" / "jrnl"
    if not jrnl.exists() or f"v{JRNL_VERSION}" not in version_of(jrnl):
        if not (JRNL_VENV / "bin" / "pip").exists():
            subprocess.run([sys.executable, "-m", "venv", str(JRNL_VENV)], check=True)
        subprocess.run([str(JRNL_VENV / "bin" / "pip"), "install", "-q",
                        f"jrnl=={JRNL_VERSION}"], check=True)  # fmt: skip
    return jrnl


def build_working_tree() -> Path:
    """The working tree as it is now, installed not editable (as bench/anchor.py does).

    A copy, not the tree itself, so the build leaves no build/ or egg-info in it; `git
    ls-files` picks tracked and new files and skips ignored ones (caches, venvs).
    """
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True, capture_output=True, text=True,
    ).stdout.split("\0")  # fmt: skip
    shutil.rmtree(PJ_TREE, ignore_errors=True)
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a deleted file is still listed until it is committed
            (PJ_TREE / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, PJ_TREE / name)
    if not (PJ_VENV / "bin" / "pip").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PJ_VENV)], check=True)
    pip = str(PJ_VENV / "bin" / "pip")
    wheels = PJ_TREE / "dist"
    subprocess.run([pip, "wheel", "-q", "--no-deps", "-w", str(wheels), str(PJ_TREE)], check=True)
    wheel = str(next(wheels.glob("peerjournal-*.whl")))
    subprocess.run([pip, "install", "-q", "--force-reinstall", "--no-deps", wheel], check=True)
    subprocess.run([pip, "install", "-q", wheel], check=True)  # dependencies, when new
    return PJ_VENV / "bin" / "peerjournal"


def version_of(executable: Path) -> str:
    done = subprocess.run([str(executable), "--version"], capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else ""


# Spawns each timed command and reports its wall time, peak RSS (KiB) and exit code. It runs
# in a small process of its own because Linux carries the parent's RSS at exec into the child's
# ru_maxrss: spawned from this script, which holds the journals' file lists, every command would
# report at least this script's size (101 MiB at 50,000). Started with -I -S, the launcher is
# smaller than any Python command it times, so its floor never shows.
LAUNCHER = """
import os, sys, time
actions = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
for line in sys.stdin:
    argv = line.rstrip("\\n").split("\\0")
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    print(seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status), flush=True)
"""


class Launcher:
    """A small process that runs commands one at a time in ``env`` (stdio on /dev/null)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", LAUNCHER], env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip

    def once(self, command: list[str]) -> tuple[float, float, int]:
        """Wall time (s), peak RSS (MiB) and exit code of one whole process."""
        to, back = self.process.stdin, self.process.stdout
        if to is None or back is None:
            raise RuntimeError("the launcher has no pipes")
        to.write("\0".join(command) + "\n")
        to.flush()
        seconds, kib, code = back.readline().split()
        return float(seconds), int(kib) / 1024, int(code)  # ru_maxrss is in KiB on Linux

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def paired(row: Row, pj: list[str], jrnl: list[str] | None, launch: Launcher, runs: int,
           warm: bool = True) -> Row:  # fmt: skip
    """One warm-up of each side, then ``runs`` pairs: peerjournal, then jrnl.

    A jrnl run of more than a second (``--tags`` at 50,000 takes ~28 s) leaves the processor's
    caches full of jrnl, and the next short command pays ~10-20 ms to refill them; so after
    such a run peerjournal runs once untimed before its timed run, as it would in use.
    """
    sides: list[tuple[str, list[str], list[float]]] = [("peerjournal", pj, row.pj)]
    if jrnl is not None:
        sides.append(("jrnl", jrnl, row.jrnl))
    last = 0.0
    for run in range(runs + warm):
        for name, command, times in sides:
            if name == "peerjournal" and last > 1.0:
                launch.once(command)  # settle after a long jrnl run (see above)
            seconds, peak, code = launch.once(command)
            last = seconds
            if code:
                row.failures.add(f"{name} exit {code}")
            if warm and run == 0:
                continue
            times.append(seconds)
            if name == "peerjournal":
                row.pj_peak = max(row.pj_peak, peak)
            else:
                row.jrnl_peak = max(row.jrnl_peak, peak)
    return row


def bench_size(n: int, pj_exe: Path, jrnl_exe: Path, runs: int) -> list[Row]:
    folder = OUT / str(n)
    if not generate.ready(folder):
        print(f"  generating {n:,} entries in {folder}", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(folder)],
                       check=True)  # fmt: skip
    launch = Launcher(generate.environment(folder))  # ends when this script does, at the latest
    day = generate.a_day(folder).isoformat()
    pj, jr = [str(pj_exe)], [str(jrnl_exe)]
    rows: list[Row] = []

    def time_it(work: str, a: list[str], b: list[str] | None = None) -> None:
        rows.append(paired(Row(n, work), [*pj, *a], None if b is None else [*jr, *b], launch,
                           runs))  # fmt: skip
        row = rows[-1]
        against = f"  jrnl {row.jrnl_ms:8.1f} ms" if row.jrnl_ms is not None else ""
        print(f"  {n:>6}  {work:<44} {row.pj_ms:8.1f} ms{against}", file=sys.stderr)

    # the cold build first, while no index exists yet
    shutil.rmtree(folder / "xdg_cache", ignore_errors=True)
    rows.append(paired(Row(n, "reindex (cold build)"), [*pj, "reindex"], None, launch, 1,
                       False))  # fmt: skip
    time_it("--version", ["--version"], ["--version"])
    time_it("--help", ["--help"])
    time_it("last 20 entries (jrnl -n 20)", ["diary", "list", "-n", "20"], ["-n", "20"])
    time_it("tag filter (jrnl @group -n 20)", ["diary", "list", "--tag", "group", "-n", "20"],
            ["@group", "-n", "20"])  # fmt: skip
    time_it(f"one day, {day} (jrnl -on)", ["diary", "list", "--on", day], ["-on", day])
    time_it("text search (jrnl -contains lighthouse)", ["diary", "list", "--text", "lighthouse"],
            ["-contains", "lighthouse"])  # fmt: skip
    time_it("tag counts (jrnl --tags)", ["diary", "tags"], ["--tags"])
    time_it("evidence map (samhsa-core)", ["diary", "evidence", "samhsa-core"])
    time_it("home screen (no arguments)", [])
    # last, since they change both journals: put them back afterwards
    journal = folder / "home" / "journal"
    before = set(journal.rglob("*.md"))
    kept = (folder / "journal.txt").read_bytes()
    try:
        time_it("quick add (jrnl \"...\")", ["diary", "add", "A bench note.", "--title", "Bench"],
                ["A bench note."])  # fmt: skip
    finally:
        for added in set(journal.rglob("*.md")) - before:
            added.unlink()
        (folder / "journal.txt").write_bytes(kept)
        launch.close()
    return rows


def targets(rows: list[Row]) -> list[tuple[str, str, bool | None]]:
    """Each target with the figure it was checked against, at the largest size run."""
    top = max(row.n for row in rows)
    at = {row.work.split(" (")[0].split(",")[0]: row for row in rows if row.n == top}
    checks: list[tuple[str, str, bool | None]] = []

    def check(target: str, work: str, figure: Callable[[Row], tuple[str, bool]]) -> None:
        row = at.get(work)
        if row is None or row.failures:
            checks.append((target, "not measured" if row is None else "failed", None))
        else:
            checks.append((target, *figure(row)))

    def fast(limit: float, ratio: float | None = None) -> Callable[[Row], tuple[str, bool]]:
        def figure(row: Row) -> tuple[str, bool]:
            text, met = f"{row.pj_ms:.0f} ms", row.pj_ms < limit
            if ratio is not None:
                text += f", {row.ratio:.1f}x"
                met = met and row.ratio is not None and row.ratio >= ratio
            return text, met

        return figure

    def faster(ratio: float) -> Callable[[Row], tuple[str, bool]]:
        return lambda row: (f"{row.ratio:.1f}x", row.ratio is not None and row.ratio >= ratio)

    big = f" at {top:,}"
    check(f"list -n 20 ≥20x jrnl and < 60 ms{big}", "last 20 entries", fast(60, 20))
    check(f"tag filter ≥20x jrnl and < 60 ms{big}", "tag filter", fast(60, 20))
    check(f"date filter ≥20x jrnl and < 60 ms{big}", "one day", fast(60, 20))
    check(f"text search ≥20x jrnl -contains{big}", "text search", faster(20))
    check(f"tag counts < 60 ms{big}", "tag counts", fast(60))
    check(f"evidence map < 60 ms{big}", "evidence map", fast(60))
    check(f"home screen < 80 ms{big}", "home screen", fast(80))
    check(f"quick add < 80 ms{big}", "quick add", fast(80))
    small = [row for row in rows if row.n == 1000 and row.work.startswith("quick add")]
    if top == 1000 or not small or small[0].failures:
        checks.append(("quick add no slower than at 1,000", "not measured", None))
    else:
        check(
            f"quick add{big} no slower than at 1,000 (10% for noise)", "quick add",
            lambda row: (f"{row.pj_ms:.0f} vs {small[0].pj_ms:.0f} ms",
                         row.pj_ms <= small[0].pj_ms * 1.10),
        )  # fmt: skip
    check(f"--help < 60 ms{big}", "--help", fast(60))
    worst = max(rows, key=lambda row: row.pj_peak)
    checks.append(
        (
            "peak memory < 60 MiB on every peerjournal command, every size",
            f"{worst.pj_peak:.1f} MiB at most ({worst.work}, {worst.n:,})",
            worst.pj_peak < 60,
        )
    )
    return checks


def report(rows: list[Row], header: list[str]) -> str:
    lines = [*header, ""]
    lines += ["| N | work | peerjournal ms | jrnl ms | jrnl/peerjournal | peak MiB pj | "
              "peak MiB jrnl |", "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for row in rows:
        jrnl = f"{row.jrnl_ms:.0f}" if row.jrnl_ms is not None else "-"
        ratio = f"{row.ratio:.1f}x" if row.ratio is not None else "-"
        peak = f"{row.jrnl_peak:.0f}" if row.jrnl else "-"
        failed = f" **({', '.join(sorted(row.failures))})**" if row.failures else ""
        lines.append(f"| {row.n:,} | {row.work}{failed} | {row.pj_ms:.0f} | {jrnl} | {ratio} | "
                     f"{row.pj_peak:.0f} | {peak} |")  # fmt: skip
    lines += ["", "| target | figure | result |", "| --- | --- | --- |"]
    for target, figure, met in targets(rows):
        result = "not checked" if met is None else "met" if met else "**missed**"
        lines.append(f"| {target} | {figure} | {result} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES)
    parser.add_argument("--runs", type=int, default=7, help="pairs per command (default 7)")
    parser.add_argument("--peerjournal", type=Path, help="time this executable; default: build")
    args = parser.parse_args()
    jrnl = ensure_jrnl()
    if args.peerjournal is not None:
        pj, built = args.peerjournal.resolve(), f"given executable {args.peerjournal}"
    else:
        print("building the working tree into bench/.venv-pj", file=sys.stderr)
        pj, built = build_working_tree(), "working tree, installed not editable"
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    rows = [row for n in sorted(args.sizes) for row in bench_size(n, pj, jrnl, args.runs)]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    header = [
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine}",
        f"{version_of(pj)} ({built}, HEAD {commit}) against {version_of(jrnl)}",
        f"{args.runs} pairs A B A B after one warm-up each (the cold build: one run); "
        "medians of whole-process wall time; ratio = median of per-pair jrnl/peerjournal",
    ]
    text = report(rows, header)
    print(text)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
