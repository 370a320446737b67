"""Make a benchmark data home of N diary entries, and the same entries as a jrnl journal.

    python bench/generate.py 10000 bench/out/10000

Entries are realistic in size and shape (template sections, tags, competency links, dates
spread over years), all fictional. Files are written directly, without fsync, because this is
a fixture for timing, not a place for real notes.
"""

import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from peerjournal.models.entry import SECTIONS, DiaryEntry, EntryMeta, Section
from peerjournal.store.entries import render

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


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make(n: int, folder: Path, seed: int = 20261125) -> None:
    rng = random.Random(seed)
    home = folder / "home"
    start = datetime(2022, 1, 3, 8, 0, tzinfo=ZONE)
    span = (datetime(2026, 11, 20, tzinfo=ZONE) - start).total_seconds()
    step = span / n
    (home / "journal").mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)
    (home / "settings.yaml").write_text("name: Sam Rivers\nrole: peer-worker\n")
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
