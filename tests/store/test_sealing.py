"""The one seam every write and read of a home goes through: sealed when encrypted, never plain."""

from datetime import timedelta
from pathlib import Path, PurePosixPath

import pytest

from helpers import NOW, entry_path
from peerjournal.errors import RecordError, StorageError
from peerjournal.store.atomic import create_exclusive, write_atomic
from peerjournal.store.sealed import MAGIC, binding
from peerjournal.store.vault import (
    KEY_FILE,
    Vault,
    forget_all,
    read_private,
    register,
    stays_plain,
)

KEY_ID = "0123456789abcdef"
ENTRY_ID = f"{NOW:%Y%m%d-%H%M}-a1b2"


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / KEY_FILE).write_text("{}")  # the flag is the file itself
    return home


@pytest.fixture
def vault(encrypted: Path):
    opened = Vault("feedfacecafebeef", {KEY_ID: bytes(range(32))}, KEY_ID)
    register(opened, encrypted)
    yield opened
    forget_all()


def test_a_locked_encrypted_home_refuses_every_write(encrypted):
    target = entry_path(encrypted, ENTRY_ID, NOW)
    with pytest.raises(StorageError, match=r"encrypted and locked; .*nothing was written"):
        write_atomic(target, "Bus stop chat.\n", within=encrypted)
    with pytest.raises(StorageError, match="encrypted and locked"):
        create_exclusive(target, "Bus stop chat.\n", within=encrypted)
    with pytest.raises(StorageError, match="encrypted and locked"):
        write_atomic(encrypted / "shared" / "p-1.json", "{}")  # a writer that named no home
    assert not target.exists()
    assert not (encrypted / "shared" / "p-1.json").exists()


def test_published_texts_and_the_key_file_stay_plain(encrypted):
    write_atomic(encrypted / "frameworks" / "org.yaml", "id: org\n", within=encrypted)
    assert (encrypted / "frameworks" / "org.yaml").read_text() == "id: org\n"
    for relative in ("encryption.json", ".lock", "frameworks/a.yaml", "credentials/c.yaml",
                     "templates/t.md.j2", "keys/id_ed25519.pub"):  # fmt: skip
        assert stays_plain(PurePosixPath(relative)), relative
    for relative in ("settings.yaml", "keys/id_ed25519", "keys/trusted.json", ".trash/x.md",
                     "drafts/d.json", ".recovery/r.md", "team/p/received.json"):  # fmt: skip
        assert not stays_plain(PurePosixPath(relative)), relative


def test_an_unlocked_home_seals_and_reads_back(encrypted, vault):
    target = entry_path(encrypted, ENTRY_ID, NOW)
    write_atomic(target, "Bus stop chat.\n", within=encrypted)
    raw = target.read_bytes()
    assert raw.startswith(MAGIC)
    assert b"Bus stop" not in raw
    assert read_private(target) == b"Bus stop chat.\n"
    forget_all()
    with pytest.raises(RecordError, match="encrypted and locked"):
        read_private(target)


def test_trash_keeps_the_binding_and_another_folder_does_not():
    name = PurePosixPath(entry_path(Path("home"), ENTRY_ID, NOW).relative_to("home").as_posix())
    a_month_on = entry_path(Path("home"), ENTRY_ID, NOW + timedelta(days=31))
    assert binding(".trash" / name) == binding(name)
    assert binding(PurePosixPath(a_month_on.relative_to("home").as_posix())) != binding(name)
    assert binding(PurePosixPath("assessments", *name.parts[1:])) != binding(name)
