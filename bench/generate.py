"""Make a benchmark data home of N diary entries, and the same entries as a jrnl journal.

    python bench/generate.py 10000 bench/out/10000

Entries are realistic in size and shape (template sections, tags, competency links, dates
spread over years), all fictional. Files are written directly, without fsync, because this is
a fixture for timing, not a place for real notes.

The rest of the home is made through the real commands, so its formats cannot drift from the
code: `peerjournal init` writes settings.yaml, `supervision agreement` the agreement,
`supervision new --from` 30 sessions two weeks apart (with action items: those of the newest
four stay open, two of them already past due), `supervision done` closes the rest, and `assess
start --answers` writes four completed self-assessments. The home screen then has real work to
do. A marker file tells bench/run.py that a folder has all of this (older generated folders
lack it and are remade).
"""

import os
import random
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import yaml

from peerjournal.models.entry import SECTIONS, DiaryEntry, EntryMeta, Section
from peerjournal.services.frameworks import load_catalog
from peerjournal.store.entries import render

MARKER = ".generated-v2"  # bump when a generated home gains new parts
NAME, SUPERVISOR = "Sam Rivers", "Alex Moana"  # fictional
ZONE = timezone(timedelta(hours=13))
TAGS = ["group", "kitchen", "outing", "phone", "boundaries", "self-disclosure", "persistence",
        "everyday-activities", "family", "housing", "crisis", "team"]  # fmt: skip
REFS = ["samhsa-core/I.1", "samhsa-core/I.2", "samhsa-core/II.1", "samhsa-core/III.3",
        "samhsa-core/VIII.2", "samhsa-core/XII.2", "inaps-guidelines/hopeful"]  # fmt: skip
WORDS = [
    "resident", "walked", "talked", "kitchen", "garden", "bus", "letter", "forms", "rota",
    "group", "morning", "plan", "week", "tired", "hopeful", "listened", "shared", "story",
    "breakfast", "shopping", "appointment", "worried", "laughed", "practised", "boundaries",
    "support", "team", "visit", "phone", "call", "music", "library",
]  # fmt: skip
SETTINGS = ["shared kitchen", "community garden", "phone", "group room", "bus stop", "office"]
TOPICS = ["Group work", "Boundaries", "Self-disclosure", "Workload", "Training", "Team meeting"]
ACTIONS = ["Draft a new kitchen rota", "Read the team's boundaries guide",
           "Book the first-aid course", "Ask the team about a walking group",
           "Write up the garden outing", "Plan a shorter Monday group"]  # fmt: skip
LAST_SESSION = datetime(2026, 11, 24, 10, 0, tzinfo=ZONE)  # written as wall time
SESSIONS = 30
OPEN_SESSIONS = 4  # the actions of the newest sessions stay open


def environment(folder: Path) -> dict[str, str]:
    """The bench's environment: HOME, XDG folders and the data home all inside ``folder``."""
    drop = ("PEERJOURNAL", "VISUAL", "EDITOR", "PYTHONDONTWRITEBYTECODE")
    env = {key: value for key, value in os.environ.items() if not key.startswith(drop)}
    env.update(
        HOME=str(folder / "user"), XDG_CONFIG_HOME=str(folder / "xdg_config"),
        XDG_CACHE_HOME=str(folder / "xdg_cache"), XDG_DATA_HOME=str(folder / "xdg_data"),
        PEERJOURNAL_HOME=str(folder / "home"), COLUMNS="100", NO_COLOR="1",
    )  # fmt: skip
    return env


def ready(folder: Path) -> bool:
    """Whether ``folder`` holds a home made by this version of the generator."""
    return (folder / MARKER).exists() and (folder / "journal.txt").exists()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make(n: int, folder: Path, seed: int = 20261125) -> None:
    rng = random.Random(seed)
    (folder / "user").mkdir(parents=True, exist_ok=True)
    records(folder, rng)
    diary(n, folder, rng)
    (folder / MARKER).write_text(f"{n} entries\n")


def records(folder: Path, rng: random.Random) -> None:
    """Settings, a supervision agreement, sessions and assessments, through the real CLI."""
    env = environment(folder)
    scripts = folder / "scripts"
    scripts.mkdir(exist_ok=True)

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "peerjournal", *args], env=env, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise SystemExit(f"peerjournal {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    cli("init", "--name", NAME, "--role", "peer-worker")
    cli("supervision", "agreement", "--supervisor", SUPERVISOR, "--type", "professional",
        "--frequency", "every two weeks", "--minutes", "60",
        "--goal", "Reflect on boundaries in group work", "--goal", "Plan my training",
        "--brings", "Diary entries marked for supervision",
        "--confidentiality", "What we talk about stays between us",
        "--limits", "A risk of serious harm to anyone",
        "--notes-kept", "In my own data home; shared as reports when I choose",
        "--review", "2027-06-30")  # fmt: skip
    to_close = []
    for number in range(SESSIONS):
        when = LAST_SESSION - timedelta(days=14 * (SESSIONS - 1 - number))
        topics = rng.sample(TOPICS, 2)
        session = {
            "date": f"{when:%Y-%m-%d %H:%M}", "supervisor": SUPERVISOR, "type": "professional",
            "minutes": rng.choice([45, 60, 60, 90]),
            "topics": {topic: sentence(rng, rng.randrange(8, 16)) for topic in topics},
            "wellbeing": sentence(rng, 6), "decisions": sentence(rng, 8),
            "notes": " ".join(sentence(rng, rng.randrange(8, 14)) for _ in range(3)),
            "next_session": f"{when + timedelta(days=14):%Y-%m-%d}",
        }  # fmt: skip
        if number % 2 == 0 or number >= SESSIONS - OPEN_SESSIONS:
            due = when + timedelta(days=7 if number == SESSIONS - OPEN_SESSIONS else 21)
            session["actions"] = [
                {"text": rng.choice(ACTIONS), "owner": NAME, "due": f"{due:%Y-%m-%d}"}
            ]
        path = scripts / f"session-{number:02}.yaml"
        path.write_text(yaml.safe_dump(session, sort_keys=False), encoding="utf-8")
        said = cli("supervision", "new", "--from", str(path))
        if number < SESSIONS - OPEN_SESSIONS:
            to_close += [line.split()[1].rstrip(":") for line in said.splitlines()
                         if line.strip().startswith("action ")]  # fmt: skip
    for action in to_close:
        cli("supervision", "done", action)
    items = {
        framework: [item.id for _, item in load_catalog(None).get(framework).framework.items()]
        for framework in ("samhsa-core", "inaps-guidelines")
    }
    for number, framework in enumerate(["samhsa-core", "samhsa-core", "inaps-guidelines",
                                        "samhsa-core"]):  # fmt: skip
        scale = load_catalog(None).get(framework).scale
        low, high = scale.levels[0].value, scale.levels[-1].value
        answers = {
            "answers": {item: rng.randint(max(low, high - 3), high) for item in items[framework]},
            "goals": [{"item": items[framework][number], "text": sentence(rng, 8)}],
        }
        path = scripts / f"assessment-{number}.yaml"
        path.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
        cli("assess", "start", framework, "--answers", str(path))


def diary(n: int, folder: Path, rng: random.Random) -> None:
    """N diary entries written directly as files, and the same entries as a jrnl journal."""
    home = folder / "home"
    start = datetime(2022, 1, 3, 8, 0, tzinfo=ZONE)
    span = (datetime(2026, 11, 20, tzinfo=ZONE) - start).total_seconds()
    step = span / n
    (home / "journal").mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)
    jrnl_lines = []
    for number in range(n):
        when = start + timedelta(seconds=int(number * step + rng.random() * step * 0.5))
        when = when.replace(second=0)
        tags = rng.sample(TAGS, rng.randrange(0, 3))
        if rng.random() < 0.01:
            tags.append("lighthouse")  # a rare tag and word for search benchmarks
        title = sentence(rng, rng.randrange(3, 7)).rstrip(".")
        sections = tuple(
            Section(
                heading=heading,
                text=" ".join(sentence(rng, rng.randrange(6, 16)) for _ in range(2)),
            )
            for _, heading, _ in rng.sample(SECTIONS, rng.randrange(2, 5))
        )
        if "lighthouse" in tags:
            sections += (Section(heading="What happened", text="We walked to the lighthouse."),)
        entry_id = f"{when:%Y%m%d-%H%M}-{number:04x}"[:20]
        meta = EntryMeta(
            id=entry_id, date=when, title=title, setting=rng.choice(SETTINGS), tags=tags,
            competencies=rng.sample(REFS, rng.randrange(0, 3)), for_supervision=rng.random() < 0.05,
        )  # fmt: skip
        entry = DiaryEntry(meta=meta, sections=sections)
        path = home / "journal" / f"{when:%Y}" / f"{when:%m}" / f"{entry_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(entry), encoding="utf-8")
        body = "\n".join(section.text for section in sections)
        jrnl_tags = " ".join(f"@{tag}" for tag in tags)
        jrnl_lines.append(f"[{when:%Y-%m-%d %H:%M}] {title}\n{body} {jrnl_tags}\n")
    (folder / "journal.txt").write_text("\n".join(jrnl_lines) + "\n", encoding="utf-8")
    config = folder / "xdg_config" / "jrnl"
    config.mkdir(parents=True, exist_ok=True)
    (config / "jrnl.yaml").write_text(JRNL_CONFIG.format(journal=folder / "journal.txt"))


def a_day(folder: Path) -> date:
    """The day of the journal's middle entry: a day both tools have entries on."""
    days = [line[1:11] for line in (folder / "journal.txt").read_text().splitlines()
            if line.startswith("[")]  # fmt: skip
    return date.fromisoformat(days[len(days) // 2])


JRNL_CONFIG = """\
colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
"""


if __name__ == "__main__":
    make(int(sys.argv[1]), Path(sys.argv[2]))
