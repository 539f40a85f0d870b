"""Writing files and folders so that a killed run never loses the previous output.

Every output goes to a temporary file or folder beside its target and takes the target's
place only once it is complete. What this module guarantees (stdlib only):

* **Nothing that is not ours is replaced.** An existing target is replaced only if it is
  an earlier output of the same kind (see :func:`replace_refusal`); otherwise
  :class:`~corridor.errors.OutputExistsError` is raised, unless ``force=True``.
* **No window.** A file replaces its target by one ``rename``. A folder swaps places with
  its target by one ``renameat2(RENAME_EXCHANGE)`` (Linux >= 3.15); elsewhere the old
  folder is renamed aside first and restored if the second rename fails or the process dies
  in between (the next write to the same place puts it back).
* **One writer at a time.** Writers to one target are serialised by ``fcntl.flock``
  (``msvcrt.locking`` on Windows) on a lock file ``.<name>.lock`` beside it, held from
  before the first byte to after the last rename. The kernel releases the lock when a
  writer dies, so whoever holds it knows that every temporary sibling (``.<name>.tmp-*``,
  SQLite journals included, and ``.<name>.old-*``) belongs to a dead run: it removes them,
  after restoring a parked previous output.

Rule for "an earlier output of the same kind"
---------------------------------------------
* A folder is ours if it holds the marker file ``.corridor-output`` (JSON naming the tool,
  its version, what was written and when; written last, so it also says the folder is
  complete), or the layout of an output written before markers existed (a ``meta.json``
  whose ``format`` starts with ``corridor-``, or the files the writer names in `layout`).
* A file is ours if it is a regular file of the same format as the new one, telling
  formats apart by content: GeoPackage/SQLite with a ``corridor_meta`` table, Parquet with
  a ``corridor`` key in its footer metadata and HDF5 (OMX) with a ``corridor`` attribute
  (both JSON starting ``{"tool": "corridor"``), PNG with ``Software: corridor``,
  HTML with ``<meta name="generator" content="corridor">``, JSON with the same top-level
  members (and ``type``), and other text (CSV, TNTP) with the same first (header) line,
  numbers aside.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corridor.errors import OutputExistsError

__all__ = [
    "MARKER",
    "STAMP",
    "atomic_dir",
    "atomic_file",
    "check_output",
    "exchange_paths",
    "is_output_dir",
    "recover_output",
    "replace_refusal",
    "write_text_atomic",
]

MARKER = ".corridor-output"
"""Name of the marker file inside every folder corridor writes."""

STAMP = "corridor"
"""The key or text that marks a file as written by corridor (Parquet/HDF5/PNG/HTML)."""

_HTML_STAMP = b'<meta name="generator" content="corridor">'
_STAMP_VALUE = b'{"tool": "corridor"'  # how the stamp's JSON value of Parquet and OMX files starts
_JOURNALS = ("-journal", "-wal", "-shm")
_TOKEN = "[0-9a-f]{12}"
_LEGACY_TOKEN = "[a-z0-9_]{8}"
_HEAD_BYTES = 65536

# ---------------------------------------------------------------- renameat2(RENAME_EXCHANGE)

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Any:
    """glibc's ``renameat2`` (>= 2.28), loaded on first use; None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2  # glibc >= 2.28
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def exchange_paths(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Swap two existing paths in one step; False if the system cannot.

    Parameters
    ----------
    a, b
        Two existing paths (files or folders) on the same file system.

    Returns
    -------
    bool
        True if swapped; False if ``renameat2(RENAME_EXCHANGE)`` is not available here
        (not Linux, old kernel or C library, or a file system without it).

    Raises
    ------
    OSError
        If the swap is possible in principle but fails (e.g. a path is missing).
    """
    fn = _renameat2()
    if fn is None:
        return False
    import ctypes

    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), os.fspath(a))


# ------------------------------------------------------------------------------ recognition


def is_output_dir(path: Path, layout: Sequence[str] = ()) -> bool:
    """Whether `path` is a folder written by corridor (see the module's rule).

    Parameters
    ----------
    path
        The folder.
    layout
        File names that, all present, identify an output written before markers existed.

    Returns
    -------
    bool
        True for a marked folder or one with the legacy layout.
    """
    if path.is_symlink() or not path.is_dir():
        return False
    for name, key, ok in ((MARKER, "tool", "corridor"), ("meta.json", "format", "corridor-")):
        try:
            data = json.loads((path / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and str(data.get(key, "")).startswith(ok):
            return True
    return bool(layout) and all((path / name).is_file() for name in layout)


def _parquet_stamped(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size < 12:
            return False
        fh.seek(size - 8)
        tail = fh.read(8)
        if tail[4:] != b"PAR1":
            return False
        n = int.from_bytes(tail[:4], "little")
        if n > size - 12:
            return False
        fh.seek(size - 8 - n)
        footer = fh.read(n)
    # thrift stores a key as its length (varint) and bytes: length 8 is 0x08
    return b"\x08" + STAMP.encode() in footer and _STAMP_VALUE in footer


def _tail(path: Path) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        fh.seek(max(fh.tell() - _HEAD_BYTES, 0))
        return fh.read()


def _sqlite_stamped(path: Path) -> bool:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            row = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='corridor_meta'"
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return row is not None


def _signature(path: Path) -> tuple[object, ...] | None:
    """What kind of file `path` is, as far as replacing it goes; None if unrecognised."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if head.startswith(b"SQLite format 3\x00"):
        return ("sqlite", _sqlite_stamped(path))
    if head.startswith(b"PAR1"):
        return ("parquet", _parquet_stamped(path))
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return ("hdf5", _STAMP_VALUE in head or _STAMP_VALUE in _tail(path))
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ("png", b"Software\x00" + STAMP.encode() in head)
    if b"\x00" in head:
        return None
    if head[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return ("html", _HTML_STAMP in head)
    if head.lstrip()[:1] == b"{":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        return ("json", tuple(sorted(data)), str(data.get("type", "")))
    if not head:
        return ("empty",)
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    return ("text", re.sub(rb"[-+]?[0-9][0-9.eE+-]*", b"#", first))  # the header, not its counts


def replace_refusal(
    target: Path, new: Path | None, *, folder: bool, layout: Sequence[str] = ()
) -> str | None:
    """Why the existing `target` may not be replaced by `new`, or None if it may.

    Parameters
    ----------
    target
        The existing path.
    new
        The complete new output (a file), or None to check only what can be checked
        before it is written.
    folder
        Whether the new output is a folder.
    layout
        Legacy layout of folder outputs (see :func:`is_output_dir`).

    Returns
    -------
    str or None
        A reason ("is a folder not written by corridor", ...) or None.
    """
    if not os.path.lexists(target):
        return None
    if target.is_symlink():
        return "is a symbolic link, not a file or folder corridor wrote"
    if folder:
        if target.is_dir():
            return None if is_output_dir(target, layout) else "is a folder not written by corridor"
        return "is a file, not a folder corridor wrote"
    if target.is_dir():
        return "is a folder, not a file corridor wrote"
    if not stat.S_ISREG(target.stat().st_mode):
        return "is not a regular file"
    old = _signature(target)
    if old is None:
        return "is a file corridor did not write (unknown format)"
    if new is not None and _signature(new) != old:
        return f"is a {old[0]} file that is not an earlier output of this kind"
    return None


def check_output(
    path: str | os.PathLike[str], *, folder: bool, force: bool = False, layout: Sequence[str] = ()
) -> Path:
    """Refuse early, before any work, an output path that would be refused at write time.

    The writers check again (under their lock, and a file against its finished content);
    this only spares a long computation whose result could not be written.

    Parameters
    ----------
    path
        The output path.
    folder
        Whether the output is a folder (a report, a GeoParquet network) or a file.
    force
        Accept anything at `path`.
    layout
        Legacy layout of folder outputs (see :func:`is_output_dir`).

    Returns
    -------
    Path
        `path`.

    Raises
    ------
    OutputExistsError
        If `path` holds something that is not an earlier corridor output of this kind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("mine")
    >>> check_output(folder / "notes.txt", folder=True)
    Traceback (most recent call last):
    ...
    corridor.errors.OutputExistsError: ...notes.txt: is a file, not a folder corridor wrote; ...
    """
    target = _target(path)
    _refuse(target, replace_refusal(target, None, folder=folder, layout=layout), force)
    return target


# ----------------------------------------------------------------------------- lock, clean-up


def _target(path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    if target.name in ("", ".", ".."):
        target = Path(os.path.abspath(target))
    if target.name == "":
        raise OutputExistsError(path, "is the root folder")
    return target


def _lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


def _lock_fd(fd: int) -> None:
    """Block until this process holds the exclusive lock on the open file `fd`."""
    if sys.platform == "win32":  # released by Windows too when the process dies
        import msvcrt
        import time

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                time.sleep(0.05)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold the exclusive lock on `target` (blocking); the lock file goes on release."""
    path = _lock_path(target)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock_fd(fd)
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:  # else the previous holder removed the file while we waited: retry
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # for people; the lock itself is the truth
        yield
    finally:
        try:
            os.unlink(path)  # before closing, so that no one locks a file that is gone
        except OSError:  # Windows cannot remove an open file; the next writer will
            pass
        finally:
            os.close(fd)


def _siblings(target: Path, kind: str) -> list[Path]:
    """Temporary (``tmp``) or parked (``old``) siblings of `target`, with SQLite journals.

    Also matches the names used before version 2 of this module (8 random characters;
    file temporaries without ``tmp-``), so their litter is cleaned up too.
    """
    name, suffix = re.escape(f".{target.name}."), re.escape(target.suffix)
    journal = "(?:" + "|".join(map(re.escape, _JOURNALS)) + ")?"
    forms = [
        f"{name}{kind}-{_TOKEN}(?:{suffix})?{journal}",  # this version
        f"{name}{kind}-{_LEGACY_TOKEN}{journal}",  # atomic_dir before v2
    ]
    if kind == "tmp" and target.suffix:
        forms.append(f"{name}{_LEGACY_TOKEN}{suffix}{journal}")  # atomic_file before v2
    pattern = re.compile("(?:" + "|".join(forms) + ")$")
    try:
        names = os.listdir(target.parent)
    except FileNotFoundError:
        return []
    return sorted(target.parent / n for n in names if pattern.match(n))


def _parked_output(p: Path) -> Path:
    """Where the previous output is inside a parked sibling (before v2: ``<old>/previous``)."""
    legacy = re.search(f"\\.old-{_LEGACY_TOKEN}$", p.name) is not None
    return p / "previous" if legacy and (p / "previous").exists() else p


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _recover(target: Path) -> None:
    """Under the lock: restore a parked previous output, then remove dead runs' litter."""
    parked = [_parked_output(p) for p in _siblings(target, "old")]
    parked = [p for p in parked if os.path.lexists(p) and not p.name.endswith(_JOURNALS)]
    if parked and not os.path.lexists(target):
        os.rename(max(parked, key=lambda p: p.lstat().st_mtime_ns), target)
    for p in _siblings(target, "old") + _siblings(target, "tmp"):
        _remove(p)


def recover_output(path: str | os.PathLike[str]) -> bool:
    """Put back an output that a writer killed mid-replacement left parked beside `path`.

    Only the two-rename fallback (systems without ``RENAME_EXCHANGE``) can leave `path`
    missing, for the instant between its renames; readers call this when `path` is missing.

    Parameters
    ----------
    path
        The output that was not found.

    Returns
    -------
    bool
        True if `path` exists afterwards.
    """
    target = _target(path)
    if os.path.lexists(target):
        return True
    if not _siblings(target, "old"):
        return False
    try:
        with _locked(target):  # waits for a live writer, which completes or restores
            _recover(target)
    except OSError:  # e.g. a read-only folder: leave it to the next writer
        return False
    return os.path.lexists(target)


def _temp_name(target: Path, kind: str, suffix: str = "") -> Path:
    return target.parent / f".{target.name}.{kind}-{secrets.token_hex(6)}{suffix}"


def _refuse(target: Path, reason: str | None, force: bool) -> None:
    if reason is not None and not force:
        raise OutputExistsError(target, reason)


# ------------------------------------------------------------------------------------ writers


@contextmanager
def atomic_file(
    path: str | os.PathLike[str], *, force: bool = False, mode: int = 0o644
) -> Iterator[Path]:
    """A temporary path beside `path` that takes its place if the block succeeds.

    Parameters
    ----------
    path
        The target file.
    force
        Replace whatever is at `path`, even if corridor did not write it.
    mode
        Permissions of the written file.

    Yields
    ------
    Path
        A fresh path (with the target's suffix) to write the output to.

    Raises
    ------
    OutputExistsError
        If `path` exists and is not an earlier output of the same kind (checked before the
        block and again against the finished file), unless `force`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_file(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    target = _target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        _recover(target)
        _refuse(target, replace_refusal(target, None, folder=False), force)
        tmp = _temp_name(target, "tmp", target.suffix)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            yield tmp
            _refuse(target, replace_refusal(target, tmp, folder=False), force)
            tmp.chmod(mode)
            _commit(tmp, target)
        finally:
            for p in (tmp, *(Path(f"{tmp}{j}") for j in _JOURNALS)):
                _remove(p)


def write_text_atomic(path: str | os.PathLike[str], text: str, *, force: bool = False) -> Path:
    """Write UTF-8 text to `path` atomically; returns the path.

    Raises
    ------
    OutputExistsError
        If `path` exists and is not an earlier output of this kind, unless `force`.
    """
    with atomic_file(path, force=force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


@contextmanager
def atomic_dir(
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    what: str = "output",
    marker: bool = True,
    layout: Sequence[str] = (),
    mode: int = 0o755,
) -> Iterator[Path]:
    """A temporary folder beside `path` that replaces it (as a whole) if the block succeeds.

    Parameters
    ----------
    path
        The target folder.
    force
        Replace whatever is at `path`, even if corridor did not write it.
    what
        What the folder holds, recorded in its marker.
    marker
        Write the marker file ``.corridor-output`` (writers whose folder must stay
        byte-for-byte reproducible turn it off and are recognised by their ``meta.json``).
    layout
        File names that identify an earlier output written before markers existed.
    mode
        Permissions of the folder.

    Yields
    ------
    Path
        An empty folder to write the output into.

    Raises
    ------
    OutputExistsError
        If `path` exists and is not a folder corridor wrote, unless `force`.

    Notes
    -----
    On failure the temporary folder is removed and `path` is left as it was. The old
    output is swapped out in one step where the system allows (see :func:`exchange_paths`).
    """
    target = _target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        _recover(target)
        _refuse(target, replace_refusal(target, None, folder=True, layout=layout), force)
        tmp = _temp_name(target, "tmp")
        tmp.mkdir(mode=0o700)
        try:
            yield tmp
            if marker:
                (tmp / MARKER).write_text(_marker_text(what), encoding="utf-8")
            tmp.chmod(mode)
            _commit(tmp, target)
        finally:
            _remove(tmp)


def _marker_text(what: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("corridor")
    except PackageNotFoundError:
        ver = "unknown"
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps({"tool": "corridor", "version": ver, "what": what, "written_utc": now})


def _commit(tmp: Path, target: Path) -> None:
    """Put the complete `tmp` at `target`; afterwards `tmp` holds the old output, if any."""
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return
    if tmp.is_file() and target.is_file() and not target.is_symlink():
        os.replace(tmp, target)  # one step for files
        return
    if exchange_paths(tmp, target):
        return
    old = _temp_name(target, "old")
    os.rename(target, old)  # a death from here to the next rename is undone by _recover
    try:
        os.rename(tmp, target)
    except BaseException:
        os.rename(old, target)
        raise
    os.rename(old, tmp)
