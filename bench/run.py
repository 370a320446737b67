"""Time peerjournal and jrnl side by side on the same work, as whole processes.

    python bench/run.py                 # N = 1,000, 10,000 and 50,000
    python bench/run.py --sizes 1000    # a quick look

Each command runs several times (after one warm-up run) as a whole process; the table gives
the median, the spread (min-max) and the highest peak memory (ru_maxrss from wait4). jrnl is
installed into bench/.venv-jrnl. Nothing here runs in the test suite: timings are read by
people, not asserted.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "out"
JRNL_VENV = HERE / ".venv-jrnl"
PEERJOURNAL = Path(sys.executable).with_name("peerjournal")


@dataclass
class Timing:
    median: float
    low: float
    high: float
    peak_mib: float


def ensure_jrnl() -> Path:
    jrnl = JRNL_VENV / "bin" / "jrnl"
    if not jrnl.exists():
        subprocess.run([sys.executable, "-m", "venv", str(JRNL_VENV)], check=True)
        subprocess.run([str(JRNL_VENV / "bin" / "pip"), "install", "-q", "jrnl"], check=True)
    return jrnl


def measure(command: list[str], env: dict[str, str], runs: int) -> Timing:
    """Median wall time and peak RSS of a whole process, over several runs (after a warm-up)."""
    seconds, peaks = [], []
    subprocess.run(command, env=env, capture_output=True, check=False)  # warm-up
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, _, usage = os.wait4(child.pid, 0)
        seconds.append(time.perf_counter() - started)
        child.returncode = 0  # reaped by wait4 above
        peaks.append(usage.ru_maxrss / 1024)
    return Timing(statistics.median(seconds), min(seconds), max(seconds), max(peaks))


def environment(folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PEERJOURNAL")}
    env.update(
        HOME=str(folder / "user"), XDG_CONFIG_HOME=str(folder / "xdg_config"),
        XDG_CACHE_HOME=str(folder / "xdg_cache"), XDG_DATA_HOME=str(folder / "xdg_data"),
        PEERJOURNAL_HOME=str(folder / "home"), COLUMNS="100", NO_COLOR="1",
    )  # fmt: skip
    return env


def bench_size(n: int, jrnl: Path, runs: int, slow_jrnl: bool) -> list[tuple[str, str, Timing]]:
    folder = OUT / str(n)
    if not (folder / "journal.txt").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(folder)], check=True)
    env = environment(folder)
    pj, jr = [str(PEERJOURNAL)], [str(jrnl)]
    rows: list[tuple[str, str, Timing]] = []

    def time(label: str, tool: str, command: list[str], count: int = runs) -> None:
        rows.append((label, tool, measure(command, env, count)))
        print(f"  {n:>6}  {tool:<11} {label:<34} {rows[-1][2].median:7.3f} s", file=sys.stderr)

    # the cold build first, while no index exists yet
    shutil.rmtree(folder / "xdg_cache", ignore_errors=True)
    rows.append(("cold index build", "peerjournal", measure([*pj, "reindex"], env, 1)))
    time("--version", "peerjournal", [*pj, "--version"])
    time("--version", "jrnl", [*jr, "--version"])
    time("--help", "peerjournal", [*pj, "--help"])
    time("last 20 entries", "peerjournal", [*pj, "diary", "list", "-n", "20"])
    time("last 10 entries (-n 10)", "jrnl", [*jr, "-n", "10"])
    time(
        "tag filter (newest 20)",
        "peerjournal",
        [*pj, "diary", "list", "--tag", "group", "-n", "20"],
    )
    time("tag filter (@group -n 10)", "jrnl", [*jr, "@group", "-n", "10"])
    time("date range (one day)", "peerjournal", [*pj, "diary", "list", "--on", "2024-06-12"])
    time("date range (-on)", "jrnl", [*jr, "-on", "2024-06-12"])
    time("full-text search", "peerjournal", [*pj, "diary", "list", "--text", "lighthouse"])
    time(
        "full-text search (-contains)",
        "jrnl",
        [*jr, "-contains", "lighthouse"],
        1 if slow_jrnl else runs,
    )
    time("tag counts", "peerjournal", [*pj, "diary", "tags"])
    time("tag counts (--tags)", "jrnl", [*jr, "--tags"], 1 if slow_jrnl else runs)
    time("evidence map", "peerjournal", [*pj, "diary", "evidence", "samhsa-core"])
    time("home screen", "peerjournal", pj)
    time(
        "add an entry (quick)",
        "peerjournal",
        [*pj, "diary", "add", "A bench note.", "--title", "Bench"],
    )
    time("add an entry", "jrnl", [*jr, "A bench note."], 1 if slow_jrnl else runs)
    # after one new file behind the index's back: the next command refreshes just that file
    extra = folder / "home" / "journal" / "2026" / "11" / "20261121-0900-beef.md"
    sample = next((folder / "home" / "journal" / "2024").rglob("*.md"))
    text = sample.read_text().replace(f"id: {sample.stem}", "id: 20261121-0900-beef")
    extra.write_text(text)
    rows.append(
        ("after one new file", "peerjournal", measure([*pj, "diary", "list", "-n", "1"], env, 1))
    )
    extra.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    jrnl = ensure_jrnl()
    jrnl_version = subprocess.run([str(jrnl), "--version"], capture_output=True, text=True).stdout
    pj_version = subprocess.run(
        [str(PEERJOURNAL), "--version"], capture_output=True, text=True
    ).stdout
    table = []
    for n in args.sizes:
        for label, tool, timing in bench_size(n, jrnl, args.runs, slow_jrnl=n >= 50000):
            table.append((n, tool, label, timing))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"machine: {machine}, {pj_version.strip()}, {jrnl_version.splitlines()[0].strip()}")
    print(
        f"runs: {args.runs} after a warm-up (1 for slow jrnl commands at 50,000 and one-off builds)"
    )
    print()
    print("| N | tool | work | median s | spread s | peak MiB |")
    print("| ---: | --- | --- | ---: | ---: | ---: |")
    for n, tool, label, t in table:
        print(
            f"| {n:,} | {tool} | {label} | {t.median:.3f} | "
            f"{t.low:.3f}-{t.high:.3f} | {t.peak_mib:.0f} |"
        )


if __name__ == "__main__":
    main()
