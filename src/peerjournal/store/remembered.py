"""Opt-in only: an encrypted home's keys in the OS keyring, so it opens without asking.

jrnl's users were surprised by journals that opened without a password because a keyring kept
it (#574, #1643, #1979), so nothing is put there unless `unlock --remember` asks, a marker in
the cache folder records that it did (so a home never pays the keyring's ~185 ms a call
unless chosen), and `lock` takes both away.
"""

import base64
import contextlib
import json
from pathlib import Path
from typing import Any

from peerjournal.errors import InputError
from peerjournal.store.atomic import write_atomic

SERVICE = "peerjournal"
KEYRING_MISSING = (
    "remembering the passphrase needs the keyring extra: pip install 'peerjournal[keyring]'"
)


def marker(cache_root: Path, home_id: str) -> Path:
    """The per-machine note that this home chose the keyring (the keyring itself is slow)."""
    return cache_root / "remembered" / home_id


def remember(cache_root: Path, home_id: str, keys: dict[str, bytes], current: str) -> None:
    """Put the keys in the OS keyring; a machine without one is one clear line."""
    keyring = _keyring()
    payload = {
        "current": current,
        "keys": {k: base64.b64encode(v).decode() for k, v in keys.items()},
    }
    try:
        keyring.set_password(SERVICE, home_id, json.dumps(payload))
    except keyring.errors.KeyringError as error:
        raise InputError(
            f"the OS keyring refused ({type(error).__name__}); nothing was kept"
        ) from None
    write_atomic(marker(cache_root, home_id), "remembered in the OS keyring\n")


def recall(cache_root: Path, home_id: str) -> tuple[dict[str, bytes], str] | None:
    """The keys the keyring keeps for this home, or None (not chosen, missing or refused)."""
    if not marker(cache_root, home_id).exists():
        return None
    try:
        keyring = _keyring()
        text = keyring.get_password(SERVICE, home_id)
        data: Any = json.loads(text) if text else None
        keys = {str(k): base64.b64decode(v) for k, v in data["keys"].items()}
        return keys, str(data["current"])
    except Exception:  # noqa: BLE001 - any keyring failure means: ask for the passphrase
        return None


def forget(cache_root: Path, home_id: str) -> bool:
    """Take the keys out of the keyring; True when they had been remembered here."""
    was = marker(cache_root, home_id)
    if not was.exists():
        return False
    with contextlib.suppress(Exception):
        keyring = _keyring()
        keyring.delete_password(SERVICE, home_id)
    was.unlink(missing_ok=True)
    return True


def _keyring() -> Any:  # noqa: ANN401 - an optional module, imported only when chosen
    try:
        import keyring
        import keyring.errors
    except ImportError:
        raise InputError(KEYRING_MISSING) from None
    return keyring
