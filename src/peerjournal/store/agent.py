"""The key agent: an unlocked home's data keys, held by a small process for a few idle minutes.

Asking for a passphrase on every command would make people choose weak ones, and writing the
keys to disk would undo the encryption, so ``unlock`` hands them to a background process that
answers on a Unix socket in a 0700 folder and forgets them after ``minutes`` without a request.
Every command asks it, so the client side is a few syscalls on the raw ``socket`` module (no
multiprocessing, nothing heavy to import), and the protocol is one line of text and one line of
JSON: never pickle, which would let whoever reaches the socket run code in the agent.

Both ends check, through ``SO_PEERCRED`` on Linux, that the other end runs as the same user: the
agent refuses other users, and a client refuses an agent it did not start, which could otherwise
hand it keys of its choosing to encrypt new entries with.
"""

import _socket  # the client asks through the C module: `socket` costs ~1.3 ms more to import
import base64
import binascii
import contextlib
import errno
import json
import os
import signal
import stat
import struct
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

from peerjournal.errors import InputError, StorageError
from peerjournal.store.atomic import PRIVATE_DIR, PRIVATE_FILE, ensure_private_dir

DEFAULT_MINUTES = 15.0
MAX_MINUTES = 24 * 60
KEY_BYTES = 32
# sun_path is 108 bytes on Linux and 104 on macOS, both counting the final NUL.
MAX_SOCKET_PATH = 103
MAX_REQUEST = 64 * 1024  # a put of a few dozen keys is under 4 KiB; more is not ours
ASK_TIMEOUT = 1.0  # seconds a command waits for the agent before treating it as not running
START_TIMEOUT = 3.0
WAKE_SECONDS = 1.0  # how often the agent checks its socket file is still there

EXIT_SERVING = 0  # the daemon is listening (exit status of the process start_agent spawned)
EXIT_ALREADY_RUNNING = 3  # another agent answers on the socket: give it the keys instead
_PEERCRED = struct.Struct("3i")  # struct ucred: pid, uid, gid


def runtime_root(environ: Mapping[str, str], cache_root: Path) -> Path:
    """Where agents' sockets go: the login's private runtime folder, else the cache's ``run``.

    ``$XDG_RUNTIME_DIR`` is emptied at logout and lives in memory, the best place for a socket,
    but only if it really is ours and closed to everyone else (0700, as the spec requires).
    """
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_absolute():
        try:
            info = Path(runtime).stat()
        except OSError:
            info = None
        if (
            info is not None
            and stat.S_ISDIR(info.st_mode)
            and info.st_uid == os.getuid()
            and not info.st_mode & 0o077
        ):
            return Path(runtime) / "peerjournal"
    return cache_root / "run"


def socket_path(root: Path, home_id: str) -> Path:
    """The socket of one home's agent; a path too long for AF_UNIX is refused, not truncated."""
    if len(home_id) != 16 or not _is_hex(home_id):
        raise InputError("the home id must be 16 hexadecimal characters")
    path = root.absolute() / f"agent-{home_id}.sock"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise StorageError(
            f"the key agent's socket path is longer than the {MAX_SOCKET_PATH} bytes a Unix "
            "socket allows; set XDG_RUNTIME_DIR or use a cache folder with a shorter path",
            path=path,
        )
    return path


def check_minutes(minutes: float) -> float:
    """The idle timeout, if it is in range: more than none, at most a day."""
    if not 0 < minutes <= MAX_MINUTES:  # also refuses NaN
        raise InputError(f"--minutes must be between 0 and {MAX_MINUTES} (a day), and not 0")
    return float(minutes)


def start_agent(
    root: Path, home_id: str, keys: dict[str, bytes], current: str, minutes: float
) -> None:
    """Keep ``keys`` in an agent for ``minutes`` idle minutes, starting one if none answers.

    The keys reach the new process only through its stdin pipe: argv and the environment are
    readable by the user's other processes in ``/proc``.
    """
    path = socket_path(root, home_id)
    payload = _put_payload(keys, current, check_minutes(minutes))
    _prepare_root(path.parent)
    if _put(path, payload):
        return
    import subprocess  # here: only unlock spawns, and every other command just asks

    nonce = os.urandom(8).hex()  # tells our agent from one another unlock started
    started = json.dumps({**payload, "nonce": nonce}).encode()
    try:
        # our own interpreter and module, no shell; the keys go through stdin below
        child = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "peerjournal.store.agent_main", str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
            cwd="/",
        )
    except OSError as error:
        raise StorageError("could not start the key agent", path=path) from error
    try:
        child.communicate(started, timeout=START_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        raise StorageError("the key agent did not start in time", path=path) from None
    if child.returncode == EXIT_ALREADY_RUNNING and _put(path, payload):
        return  # another unlock started one first
    if child.returncode != EXIT_SERVING or not _answers(path, nonce):
        raise StorageError("the key agent did not start", path=path)


def ask_agent(root: Path, home_id: str) -> tuple[dict[str, bytes], str] | None:
    """The unlocked keys and the current key's id, or None when no agent answers.

    A socket file nobody listens on (the agent was killed) is removed on the way.
    """
    reply = _request(socket_path(root, home_id), b"get\n")
    if not isinstance(reply, dict):
        return None
    try:
        return _parse_keys(reply.get("keys")), _parse_current(reply)
    except ValueError:
        return None


def stop_agent(root: Path, home_id: str) -> bool:
    """Make the agent forget the keys and exit; True if one was running."""
    path = socket_path(root, home_id)
    reply = _request(path, b"lock\n")
    with contextlib.suppress(OSError):
        if stat.S_ISSOCK(path.lstat().st_mode):
            path.unlink()
    return isinstance(reply, dict) and reply.get("ok") is True


def _is_hex(text: str) -> bool:
    return bool(text) and all(char in "0123456789abcdef" for char in text)


def _put_payload(keys: dict[str, bytes], current: str, minutes: float) -> dict[str, object]:
    if not keys or current not in keys:
        raise ValueError("the current key must be one of the keys")
    for key_id, key in keys.items():
        if not _is_hex(key_id) or len(key_id) > 64 or len(key) != KEY_BYTES:
            raise ValueError("key ids are lowercase hex, keys 32 bytes")
    encoded = {key_id: base64.b64encode(key).decode() for key_id, key in keys.items()}
    return {"keys": encoded, "current": current, "minutes": minutes}


def _parse_keys(value: object) -> dict[str, bytes]:
    if not isinstance(value, dict) or not value:
        raise ValueError("no keys")
    keys: dict[str, bytes] = {}
    for key_id, text in value.items():
        if not isinstance(key_id, str) or not _is_hex(key_id) or not isinstance(text, str):
            raise ValueError("bad key")
        try:
            key = base64.b64decode(text, validate=True)
        except binascii.Error:
            raise ValueError("bad key") from None
        if len(key) != KEY_BYTES:
            raise ValueError("bad key")
        keys[key_id] = key
    return keys


def _parse_current(message: dict[str, object]) -> str:
    current = message.get("current")
    keys = message.get("keys")
    if not isinstance(current, str) or not isinstance(keys, dict) or current not in keys:
        raise ValueError("bad current key")
    return current


def _prepare_root(root: Path) -> None:
    """Create the sockets' folder 0700, and refuse one that is a link or someone else's."""
    if root.is_symlink():
        raise StorageError(
            "is a symbolic link; the key agent's folder must be a real folder", path=root
        )
    ensure_private_dir(root)
    info = root.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise StorageError("is not a folder of yours; the key agent will not use it", path=root)
    if stat.S_IMODE(info.st_mode) != PRIVATE_DIR:
        try:
            root.chmod(PRIVATE_DIR)
        except OSError as error:
            raise StorageError("could not make the folder private", path=root) from error


def _put(path: Path, payload: dict[str, object]) -> bool:
    """Hand a running agent new keys and timeout; False when none answers."""
    reply = _request(path, b"put\n" + json.dumps(payload).encode() + b"\n")
    return isinstance(reply, dict) and reply.get("ok") is True


def _answers(path: Path, nonce: str) -> bool:
    """True if the agent we just started (not another one) answers on ``path``."""
    reply = _request(path, b"ping\n")
    return isinstance(reply, dict) and reply.get("nonce") == nonce


def _request(path: Path, message: bytes) -> object:
    """Send one request and return the decoded JSON reply, or None when nobody answers well."""
    client = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        client.settimeout(ASK_TIMEOUT)
        try:
            client.connect(str(path))
        except ConnectionRefusedError:
            _remove_stale(path)
            return None
        except OSError:  # no socket file, no folder, not a socket, timeout
            return None
        try:
            if not _same_user(client):
                return None
            client.sendall(message)
            client.shutdown(_socket.SHUT_WR)
            data = _receive(client)
        except OSError:
            return None
    finally:
        client.close()
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def _remove_stale(path: Path) -> None:
    """Remove a socket file that refuses connections: its agent died without cleaning up."""
    with contextlib.suppress(OSError):
        if stat.S_ISSOCK(path.lstat().st_mode):
            path.unlink()


def _receive(connection: "socket.socket | _socket.socket") -> bytes | None:
    """Everything the other end sends until it closes, or None past MAX_REQUEST bytes."""
    chunks: list[bytes] = []
    size = 0
    while chunk := connection.recv(65536):
        size += len(chunk)
        if size > MAX_REQUEST:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _same_user(connection: "socket.socket | _socket.socket") -> bool:
    """Whether the process at the other end runs as us (always True where we cannot tell)."""
    if sys.platform != "linux":
        return True
    credentials = connection.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, _PEERCRED.size)
    _pid, uid, _gid = _PEERCRED.unpack(credentials)
    return bool(uid == os.getuid())


# The agent's side: run in its own process by peerjournal.store.agent_main.


class _Stop(BaseException):
    """Raised by a signal handler to end the serving loop from wherever it is waiting."""


class _Keys:
    """The keys as bytearrays, so that they can be overwritten when the agent exits."""

    def __init__(self) -> None:
        self.keys: dict[str, bytearray] = {}
        self.current = ""
        self.minutes = DEFAULT_MINUTES

    def replace(self, message: object) -> None:
        """Take keys, current id and minutes from a put message; ValueError if malformed."""
        if not isinstance(message, dict):
            raise ValueError("not an object")
        keys = _parse_keys(message.get("keys"))
        current = _parse_current(message)
        minutes = message.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int | float):
            raise ValueError("bad minutes")
        if not 0 < minutes <= MAX_MINUTES:
            raise ValueError("bad minutes")
        self.wipe()
        self.keys = {key_id: bytearray(key) for key_id, key in keys.items()}
        self.current = current
        self.minutes = float(minutes)

    def reply(self) -> bytes:
        encoded = {key_id: base64.b64encode(key).decode() for key_id, key in self.keys.items()}
        return json.dumps({"current": self.current, "keys": encoded}).encode() + b"\n"

    def wipe(self) -> None:
        for key in self.keys.values():
            key[:] = bytes(len(key))
        self.keys = {}


def agent_main(argv: list[str]) -> int:
    """Entry of the spawned process: read keys from stdin, bind the socket, fork the daemon.

    The exit status tells start_agent what happened (EXIT_SERVING, EXIT_ALREADY_RUNNING, 1);
    the daemon is a grandchild, so the caller reaps its child at once and leaves no zombie.
    """
    if len(argv) != 1:
        return 1
    path = Path(argv[0])
    state = _Keys()
    try:
        data = sys.stdin.buffer.read(MAX_REQUEST + 1)
        if len(data) > MAX_REQUEST:
            return 1
        message = json.loads(data)
        state.replace(message)
        nonce = str(message.get("nonce", ""))
    except (ValueError, OSError):
        state.wipe()
        return 1
    finally:
        _stdin_from_devnull()
    with contextlib.suppress(ValueError, OSError):
        import resource  # Unix only, and needed only here

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core dump with keys in it
    os.chdir("/")
    try:
        listener = _bind(path)
    except FileExistsError:
        state.wipe()
        return EXIT_ALREADY_RUNNING
    except OSError:
        state.wipe()
        return 1
    if os.fork():
        os._exit(EXIT_SERVING)  # the parent of the daemon; skip cleanup the daemon still needs
    try:
        _serve(listener, path, state, nonce)
    finally:
        state.wipe()
    return 0


def _stdin_from_devnull() -> None:
    """Let go of the pipe the keys came through (closing sys.stdin leaves descriptor 0 open)."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)


def _bind(path: Path) -> "socket.socket":
    """A listening socket at ``path`` (0600); FileExistsError if a live agent holds it."""
    import socket  # the agent's own process: the full module, for accept()

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o077)  # no moment when the socket file is open to others
    try:
        try:
            listener.bind(str(path))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            if _request(path, b"ping\n") is not None:
                raise FileExistsError(str(path)) from error
            listener.bind(str(path))  # the ping found nobody listening and removed the file
        path.chmod(PRIVATE_FILE)
        listener.listen(16)
    except BaseException:
        listener.close()
        raise
    finally:
        os.umask(old)
    return listener


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise _Stop


def _serve(listener: "socket.socket", path: Path, state: _Keys, nonce: str) -> None:
    """Answer requests until idle for ``state.minutes``, told to lock, signalled or unlinked."""
    identity = _identity(path)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, _stop)
    deadline = time.monotonic() + state.minutes * 60
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or _identity(path) != identity:
                break
            listener.settimeout(min(WAKE_SECONDS, remaining))
            try:
                connection, _address = listener.accept()
            except TimeoutError:
                continue
            with connection:
                outcome = _answer(connection, state, nonce)
            if outcome == "stop":
                break
            if outcome == "used":
                deadline = time.monotonic() + state.minutes * 60
    except _Stop:
        pass
    finally:
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)
        listener.close()
        if identity is not None and _identity(path) == identity:
            with contextlib.suppress(OSError):
                path.unlink()


def _identity(path: Path) -> tuple[int, int] | None:
    """Device and inode of the socket file: another file at the path is not ours to remove."""
    try:
        info = path.lstat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _answer(connection: "socket.socket", state: _Keys, nonce: str) -> str:
    """Serve one connection; "used" resets the idle timer, "stop" ends the agent."""
    try:
        connection.settimeout(ASK_TIMEOUT)
        if not _same_user(connection):
            return "refused"
        request = _receive(connection)
        if request is None:
            return "refused"
        command, _newline, body = request.partition(b"\n")
        if command == b"get":
            connection.sendall(state.reply())
            return "used"
        if command == b"put":
            try:
                state.replace(json.loads(body))
            except ValueError:
                connection.sendall(b'{"error": "bad put"}\n')
                return "refused"
            connection.sendall(b'{"ok": true}\n')
            return "used"
        if command == b"lock":
            state.wipe()
            connection.sendall(b'{"ok": true}\n')
            return "stop"
        if command == b"ping":
            reply = {"ok": True, "nonce": nonce, "pid": os.getpid()}  # SO_PEERCRED would
            connection.sendall(json.dumps(reply).encode() + b"\n")  # name the forked parent
            return "pinged"
        connection.sendall(b'{"error": "unknown command"}\n')
    except OSError:
        pass
    return "refused"
