"""Where each kind of record lives inside a data home: pure path arithmetic, no I/O."""

from pathlib import Path
from typing import NamedTuple


class DataHome(NamedTuple):
    """A data home folder and the fixed places inside it."""

    root: Path

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.yaml"

    @property
    def journal_dir(self) -> Path:
        return self.root / "journal"

    @property
    def assessments_dir(self) -> Path:
        return self.root / "assessments"

    @property
    def supervision_dir(self) -> Path:
        return self.root / "supervision"

    @property
    def sessions_dir(self) -> Path:
        return self.supervision_dir / "sessions"

    @property
    def agreements_dir(self) -> Path:
        return self.supervision_dir / "agreements"

    @property
    def frameworks_dir(self) -> Path:
        return self.root / "frameworks"

    @property
    def credentials_dir(self) -> Path:
        return self.root / "credentials"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def trash_dir(self) -> Path:
        return self.root / ".trash"

    @property
    def snapshots_dir(self) -> Path:
        """Copies of records taken before a migration rewrites them."""
        return self.root / ".snapshots"

    @property
    def recovery_dir(self) -> Path:
        """Text the user typed that could not be saved is kept here, never dropped."""
        return self.root / ".recovery"

    @property
    def drafts_dir(self) -> Path:
        """Guided flows keep their answers here as they go, so an interruption loses little."""
        return self.root / "drafts"

    @property
    def private_tmp_dir(self) -> Path:
        """Editor buffers live here, inside the 0700 home, not in a shared /tmp."""
        return self.root / ".tmp"

    @property
    def lock_file(self) -> Path:
        return self.root / ".lock"

    def record_dirs(self) -> dict[str, Path]:
        """The folders that hold records, by kind, in the order `info` lists them."""
        return {
            "diary entries": self.journal_dir,
            "assessments": self.assessments_dir,
            "supervision records": self.supervision_dir,
            "frameworks": self.frameworks_dir,
        }
