"""Time an unlocked encrypted home against a plain copy of it, as whole processes.

    python bench/encrypted.py                        # N = 10,000, 7 pairs per command
    python bench/encrypted.py --size 1000 --runs 3   # a quick look
    python bench/encrypted.py --check                # exit 1 if a ratio is above 1.3
    python bench/encrypted.py --alternatives         # also time two index designs in-process

The target: at 10,000 entries, list, search and quick add on an unlocked encrypted home take at
most 1.3 times as long as on a plain one. The home of bench/generate.py (made in bench/out/N
if missing, as bench/run.py does) is copied twice into a private folder under /tmp: one copy
stays plain, the other is sealed by `peerjournal encrypt` itself and then `unlock`ed, so its
commands get the key from the agent. Each side has its own HOME, XDG cache and (short, for
the agent's socket) XDG_RUNTIME_DIR. Both indexes are warmed with one `diary list`; then each
command runs one warm-up per side and --runs pairs A B A B (plain, then encrypted), wall time
of the whole process; the table gives both medians, their ratio and PASS/FAIL against 1.3.
The quick adds run last, since they add entries (one a run, to both homes alike).

--alternatives times, in this process and on a copy of the plain home's real index, the two
designs for an encrypted index: (a) a SQLCipher file opened with a raw key, and (b) a plain
SQLite database kept as one AES-GCM sealed blob (decrypt, deserialize into memory), beside the
plain file for reference; each one's open with a 50-row query and with the tag filter's query,
and the cost of writing one change (for (b) serialize, seal, atomic rewrite of the whole blob,
without fsync, as the index runs with synchronous = OFF). The `peerjournal lock` (and a check
that the agent is gone) and removal of the folder run on every way out, Ctrl-C and SIGTERM
included. Nothing here runs in the test suite: timings are read by people, not asserted
(except with --check).
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import generate  # bench/generate.py, beside this file

from peerjournal.store.index_scan import RACY_NS

HERE = Path(__file__).parent
ROOT = HERE.parent
OUT = HERE / "out"
BOUND = 1.3
WORD = "lighthouse"  # in about 1% of generated entries (see generate.py)
TAG = "group"
NOTE = "Walked to the community garden with the group and planned the kitchen rota."
COMMANDS = [
    ("diary list", ["diary", "list"]),
    (f"diary list --text {WORD}", ["diary", "list", "--text", WORD]),
    (f"diary list --tag {TAG}", ["diary", "list", "--tag", TAG]),
    ("quick add", ["diary", "add", NOTE, "--title", "Bench note", "--tag", "bench"]),
]  # quick add last: it changes both homes
QUERY = "SELECT id, ts, title, tags FROM entries ORDER BY ts DESC, id DESC LIMIT 50"
# the query `diary list --tag group` runs (store/index.py): every matching row, newest first
TAG_QUERY = (
    "SELECT * FROM entries e WHERE EXISTS (SELECT 1 FROM entry_tags t WHERE t.id = e.id "
    "AND t.tag = ?) ORDER BY ts DESC, id DESC"
)
REPEATS = 20


def default_executable() -> Path:
    beside = Path(sys.executable).parent / "peerjournal"
    return beside if beside.exists() else ROOT / ".venv" / "bin" / "peerjournal"


def source_home(size: int) -> Path:
    """The generated home of ``size`` entries, made once in bench/out as bench/run.py does."""
    folder = OUT / str(size)
    if not generate.ready(folder):
        print(f"  generating {size:,} entries in {folder}", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(folder)],
                       check=True)  # fmt: skip
    home = folder / "home"
    if (home / "encryption.json").exists():
        raise SystemExit(f"{home} is encrypted; delete {folder} so it is generated again")
    return home


def side(root: Path, name: str, home: Path) -> dict[str, str]:
    """A folder ``root/name`` with a copy of ``home`` and its own HOME, XDG folders and runtime."""
    folder = root / name
    folder.mkdir(mode=0o700)
    shutil.copytree(home, folder / "home", symlinks=True)
    (folder / "user").mkdir()
    runtime = root / f"r{name[0]}"  # short: the agent's socket path must stay under ~100 bytes
    runtime.mkdir(mode=0o700)
    env = generate.environment(folder)
    env.update(XDG_RUNTIME_DIR=str(runtime))
    return env


def run(executable: Path, args: list[str], env: dict[str, str]) -> float:
    """Wall time (s) of one whole process; any non-zero exit stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run([str(executable), *args], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode:
        said = done.stderr.decode(errors="replace")
        raise SystemExit(f"peerjournal {' '.join(args)} exited {done.returncode} "
                         f"(home {env['PEERJOURNAL_HOME']}):\n{said}")  # fmt: skip
    return seconds


def agent_pid(env: dict[str, str]) -> int | None:
    """The pid of the agent answering in ``env``'s runtime folder, from its ping reply."""
    for path in Path(env["XDG_RUNTIME_DIR"], "peerjournal").glob("agent-*.sock"):
        with contextlib.suppress(OSError, ValueError), socket.socket(socket.AF_UNIX) as client:
            client.settimeout(1.0)
            client.connect(str(path))
            client.sendall(b"ping\n")
            client.shutdown(socket.SHUT_WR)  # the agent reads a request until end of file
            reply = json.loads(client.makefile("rb").readline())
            return int(reply["pid"])
    return None


def stop_agent(executable: Path, env: dict[str, str], pid: int | None) -> None:
    """`peerjournal lock`; then make sure the agent we started is gone (SIGTERM if not)."""
    subprocess.run([str(executable), "lock"], env=env, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
                   check=False)  # fmt: skip
    if pid is None:
        return
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    print(f"  the agent {pid} outlived `lock`: sending SIGTERM", file=sys.stderr)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)


def paired(executable: Path, args: list[str], plain: dict[str, str], sealed: dict[str, str],
           runs: int) -> tuple[list[float], list[float]]:  # fmt: skip
    """One warm-up of each side, then ``runs`` pairs: plain, then encrypted."""
    run(executable, args, plain)
    run(executable, args, sealed)
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(run(executable, args, plain))
        b.append(run(executable, args, sealed))
    return a, b


def commands(executable: Path, plain: dict[str, str], sealed: dict[str, str],
             runs: int) -> list[tuple[str, float, float, float]]:  # fmt: skip
    """Each command's label, medians in ms (plain, encrypted) and median of per-pair ratios."""
    rows = []
    for label, args in COMMANDS:
        a, b = paired(executable, args, plain, sealed, runs)
        pairs = statistics.median(y / x for x, y in zip(a, b, strict=True))
        rows.append((label, statistics.median(a) * 1000, statistics.median(b) * 1000, pairs))
        print(f"  {label:<28} {rows[-1][1]:7.1f} ms  {rows[-1][2]:7.1f} ms", file=sys.stderr)
    return rows


# --- the two index designs, in this process -----------------------------------------------


def median_ms(work: Callable[[int], object], repeats: int = REPEATS) -> float:
    work(-1)  # one untimed run: imports, the file in the page cache
    times = []
    for number in range(repeats):
        started = time.perf_counter()
        work(number)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def one_change(db: sqlite3.Connection, number: int) -> None:
    """What adding one entry writes into the index: its row, text, file row and tag count."""
    rowid = 10_000_000 + number + 1  # -1 (the untimed run) gets a row of its own too
    db.execute("BEGIN")
    db.execute(
        "INSERT INTO entries (rowid, id, path, ts, date, day, title, tags, competencies, "
        "for_supervision, discussed, planned, composite) SELECT ?, ?, path || '.bench', ts, "
        "date, day, title, tags, competencies, for_supervision, discussed, planned, composite "
        "FROM entries ORDER BY ts DESC LIMIT 1",
        (rowid, f"bench-{rowid}"),
    )
    db.execute("INSERT INTO entry_text (rowid, title, body) VALUES (?, 'Bench note', ?)",
               (rowid, NOTE))  # fmt: skip
    db.execute("INSERT INTO entry_tags VALUES (?, 'bench')", (f"bench-{rowid}",))
    db.execute("INSERT INTO tag_totals VALUES ('bench', 1) "
               "ON CONFLICT (tag) DO UPDATE SET n = n + 1")  # fmt: skip
    db.execute("INSERT INTO files VALUES (?, 1000, 0, 0, 0, NULL, NULL)", (f"bench/{rowid}.md",))
    db.execute("COMMIT")


def alternatives(plain_cache: Path, folder: Path) -> list[tuple[str, str, float]]:
    """(design, work, median ms) for a plain file, SQLCipher and an AES-GCM sealed blob."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from sqlcipher3 import dbapi2 as cipher  # type: ignore[import-untyped]

    found = sorted(plain_cache.glob("peerjournal/homes/*/index.sqlite"))
    if len(found) != 1:
        raise SystemExit(f"expected one plain index under {plain_cache}, found {len(found)}")
    folder.mkdir(mode=0o700)
    plain = folder / "index.sqlite"
    shutil.copyfile(found[0], plain)
    key = secrets.token_bytes(32)
    pragma = f"PRAGMA key = \"x'{key.hex()}'\""

    ciphered = folder / "index.sqlcipher"  # the same database, exported under the raw key
    db = cipher.connect(str(plain), isolation_level=None)
    db.execute(f"ATTACH DATABASE '{ciphered}' AS sealed KEY \"x'{key.hex()}'\"")
    db.execute("SELECT sqlcipher_export('sealed')")
    version = db.execute("PRAGMA main.user_version").fetchone()[0]
    db.execute(f"PRAGMA sealed.user_version = {int(version)}")
    db.execute("DETACH DATABASE sealed")
    db.close()

    aead = AESGCM(key)
    blob = folder / "index.sealed"
    header = b"PJINDEX1"

    def seal(data: bytes, path: Path) -> None:
        nonce = os.urandom(12)
        temporary = path.with_name(f".{path.name}.tmp")
        with temporary.open("wb") as file:
            file.write(header + nonce + aead.encrypt(nonce, data, header))
        temporary.replace(path)  # no fsync: a cache, as the index's synchronous = OFF

    source = sqlite3.connect(plain)
    seal(source.serialize(), blob)
    source.close()

    def open_plain() -> sqlite3.Connection:
        db = sqlite3.connect(plain, isolation_level=None)
        db.execute("PRAGMA synchronous = OFF")
        return db

    def open_cipher() -> sqlite3.Connection:
        db = cipher.connect(str(ciphered), isolation_level=None)
        db.execute("PRAGMA cipher_log_level = NONE")
        db.execute(pragma)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # as the index does
        db.execute("PRAGMA synchronous = OFF")
        return db

    def open_blob() -> sqlite3.Connection:
        data = blob.read_bytes()
        nonce, body = data[8:20], data[20:]
        db = sqlite3.connect(":memory:", isolation_level=None)
        db.deserialize(aead.decrypt(nonce, body, header))
        return db

    def read(opener: Callable[[], sqlite3.Connection], *query: object) -> Callable[[int], object]:
        def work(_number: int) -> None:
            db = opener()
            rows = db.execute(*query).fetchall()  # type: ignore[arg-type]
            db.close()
            if not rows:
                raise SystemExit(f"{query[0]} found nothing")

        return work

    with contextlib.closing(sqlite3.connect(plain)) as db:
        tagged = len(db.execute(TAG_QUERY, (TAG,)).fetchall())
    rows: list[tuple[str, str, float]] = []
    for design, opener in [("plain SQLite file (reference)", open_plain),
                           ("(a) SQLCipher, raw key", open_cipher),
                           ("(b) sealed blob, deserialized", open_blob)]:  # fmt: skip
        rows.append((design, "open + 50-row query", median_ms(read(opener, QUERY))))
        rows.append((design, f"open + tag query ({tagged:,} rows)",
                     median_ms(read(opener, TAG_QUERY, (TAG,)))))  # fmt: skip
    for design, opener in [("plain SQLite file (reference)", open_plain),
                           ("(a) SQLCipher, raw key", open_cipher)]:  # fmt: skip
        db = opener()
        rows.append((design, "write one change", median_ms(lambda n, db=db: one_change(db, n))))
        db.close()
    db = open_blob()

    def write_blob(number: int) -> None:
        one_change(db, number)
        seal(db.serialize(), blob)

    rows.append(("(b) sealed blob, deserialized", "write one change + reseal blob",
                 median_ms(write_blob)))  # fmt: skip
    db.close()
    sizes = {
        "plain": plain.stat().st_size,
        "sqlcipher": ciphered.stat().st_size,
        "sealed blob": blob.stat().st_size,
    }
    rows.append(("file sizes", ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in sizes.items()),
                 float("nan")))  # fmt: skip
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="entries (default 10,000)")
    parser.add_argument("--runs", type=int, default=7, help="pairs per command (default 7)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a ratio is > {BOUND}")
    parser.add_argument("--alternatives", action="store_true",
                        help="also time SQLCipher against a sealed blob, in-process")  # fmt: skip
    parser.add_argument("--peerjournal", type=Path, default=default_executable(),
                        help="the executable to time (default: this venv's)")  # fmt: skip
    options = parser.parse_args()
    executable = options.peerjournal.absolute()
    began = time.perf_counter()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally below too

    home = source_home(options.size)
    root = Path(tempfile.mkdtemp(prefix="pjb", dir="/tmp"))  # mode 0700
    sealed: dict[str, str] | None = None
    pid = None
    try:
        print(f"  copying the home into {root}", file=sys.stderr)
        plain = side(root, "plain", home)
        passphrase = root / "passphrase"
        passphrase.write_text(secrets.token_urlsafe(18) + "\n")
        passphrase.chmod(0o600)
        candidate = side(root, "encrypted", home)
        started = time.perf_counter()
        run(executable, ["encrypt", "--passphrase-file", str(passphrase), "--yes"], candidate)
        encrypt_s = time.perf_counter() - started
        sealed = candidate  # from here on, `lock` runs on the way out
        run(executable, ["unlock", "--passphrase-file", str(passphrase), "--minutes", "60"],
            sealed)  # fmt: skip
        # `encrypt` rewrote every file, so every month folder's mtime is new. A folder changed
        # less than RACY_NS before the index was written is not trusted and is listed again by
        # every command until the index is next written (index_scan's racy rule), while the
        # plain copy's folders are old: wait it out, so both indexes are built in the same state
        time.sleep(RACY_NS / 1e9 + 0.2)
        pid = agent_pid(sealed)
        if pid is None:
            raise SystemExit("unlock exited 0 but no agent answers")
        started = time.perf_counter()
        run(executable, ["diary", "list"], plain)
        build_a = time.perf_counter() - started
        started = time.perf_counter()
        run(executable, ["diary", "list"], sealed)
        build_b = time.perf_counter() - started
        print(f"  encrypt {encrypt_s:.1f} s; first list (index build) plain {build_a:.1f} s, "
              f"encrypted {build_b:.1f} s", file=sys.stderr)  # fmt: skip

        rows = commands(executable, plain, sealed, options.runs)
        failed = [label for label, a, b, _ in rows if b / a > BOUND]
        print(f"\nN = {options.size:,} entries; plain home A against an unlocked encrypted "
              f"copy B; {options.runs} pairs A B A B after one warm-up each; medians of "
              f"whole-process wall time; bound B/A <= {BOUND}\n")  # fmt: skip
        print("| command | plain ms | encrypted ms | ratio | median pair ratio | result |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for label, a, b, pairs in rows:
            result = "PASS" if b / a <= BOUND else "**FAIL**"
            print(f"| `{label}` | {a:.0f} | {b:.0f} | {b / a:.2f} | {pairs:.2f} | {result} |")

        if options.alternatives:
            print(f"\nIndex designs, in-process on a copy of the plain index; medians of "
                  f"{REPEATS} runs after one untimed\n")  # fmt: skip
            print("| design | work | ms |\n| --- | --- | ---: |")
            for design, work, ms in alternatives(Path(plain["XDG_CACHE_HOME"]), root / "alt"):
                print(f"| {design} | {work} | {'' if ms != ms else f'{ms:.2f}'} |")
    finally:
        if sealed is not None:
            stop_agent(executable, sealed, pid if pid is not None else agent_pid(sealed))
        shutil.rmtree(root, ignore_errors=True)
    print(f"\nwhole run {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return 1 if options.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
