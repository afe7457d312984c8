"""The one place visitprep writes a file the user named: a checklist in any format, a plan
template, the pack as JSON.

Every such write goes through :func:`write_output`, so the rules hold by construction for
the command line and the app alike:

- the file appears whole or not at all (a temporary file beside it, flushed to disk, then
  renamed over the name);
- the store itself and its ``-wal``/``-shm``/``-journal`` files are never written over;
- anything at the path that is not a regular file (a device such as ``/dev/null``, a FIFO,
  a folder, a socket) is refused and left exactly as it was;
- a symbolic link is followed: the file it points to is replaced (atomically) and the link
  stays a link, as a shell's ``>`` would do. The checks above apply to the link's target,
  so a link to the store, or to a device, is refused too.

Refusals are :class:`store.errors.ValidationError` with one sentence a person can act on.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from store.errors import ValidationError

__all__ = ["output_path", "protected_files", "write_output"]

_STORE_SIDE_FILES = ("-wal", "-shm", "-journal")


def protected_files(store_path: Path | None) -> tuple[Path, ...]:
    """The store file and the files SQLite keeps beside it, none of which may be written."""
    if store_path is None:
        return ()
    base = Path(os.path.abspath(store_path))
    return (base, *(base.with_name(base.name + side) for side in _STORE_SIDE_FILES))


def output_path(
    path_text: str | os.PathLike[str],
    *,
    store_path: Path | None = None,
    base: Path | None = None,
) -> Path:
    """The file a typed path names, checked: the path that will really be written.

    ``~`` is expanded and a relative path is taken from ``base`` (default: the current
    folder). A symbolic link gives its target. Raises :class:`ValidationError` for an empty
    path, a missing folder, the store (or one of its side files), or anything at the path
    that is not a regular file; nothing is touched either way.
    """
    raw = os.fspath(path_text)
    if not str(raw).strip():
        raise ValidationError("output", "Give a file name to write to.")
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    path = Path(os.path.abspath(path))
    target = _follow(path)
    _refuse_store(path, target, store_path)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise ValidationError("output", f"Cannot write {path}: {os_reason(error)}.") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise ValidationError("output", f"{path} {_not_a_file(info.st_mode)}")
    if not target.parent.is_dir():
        raise ValidationError(
            "output", f"Cannot write {path}: the folder {target.parent} does not exist."
        )
    return target


def write_output(
    path_text: str | os.PathLike[str],
    data: str | bytes,
    *,
    store_path: Path | None = None,
    base: Path | None = None,
    overwrite: bool = True,
) -> Path:
    """Write ``data`` (text as UTF-8) to the file ``path_text`` names; the path written.

    Checked by :func:`output_path` first. Written whole or not at all; an existing file
    keeps its permissions, a new one gets the usual ones. With ``overwrite=False`` an
    existing file is refused (and kept), even one that appears while this writes.
    Raises :class:`ValidationError` with one sentence when it cannot be written.
    """
    target = output_path(path_text, store_path=store_path, base=base)
    if not overwrite and os.path.lexists(target):
        raise ValidationError("output", _exists(target))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = target.stat().st_mode & 0o777 if target.exists() else _default_mode()
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise ValidationError("output", f"Cannot write {target}: {os_reason(error)}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if overwrite:
            # Checked again at the last moment: something put there meanwhile (a FIFO, a
            # folder) is not replaced.
            output_path(target, store_path=store_path)
            os.replace(temp, target)
        else:
            _create(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise ValidationError("output", f"Cannot write {target}: {os_reason(error)}.") from None
        raise
    _sync_folder(target.parent)
    return target


def _create(temp: str, target: Path) -> None:
    """Give ``temp`` the name ``target`` only if nothing has that name (a hard link does it
    atomically); where links are not supported, check and rename."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise ValidationError("output", _exists(target)) from None
    except OSError:
        if os.path.lexists(target):
            raise ValidationError("output", _exists(target)) from None
        os.replace(temp, target)
        return
    os.unlink(temp)


def _follow(path: Path) -> Path:
    """A symbolic link's final target (the path itself otherwise)."""
    if not path.is_symlink():
        return path
    try:
        return Path(os.path.realpath(path, strict=False))
    except OSError as error:
        raise ValidationError("output", f"Cannot write {path}: {os_reason(error)}.") from None


def _refuse_store(path: Path, target: Path, store_path: Path | None) -> None:
    protected = protected_files(store_path)
    if not protected:
        return
    real = {Path(os.path.realpath(p)) for p in protected}
    same = Path(os.path.realpath(target)) in real or any(_same_file(target, p) for p in protected)
    if same:
        raise ValidationError(
            "output", f"{path} is the store's own file: choose another name (nothing written)."
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder: give a file name inside it (nothing written)."
    if stat.S_ISFIFO(mode):
        what = "a pipe (FIFO)"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "not a regular file"
    return f"is {what}, not a file: choose a file name (it was left as it was)."


def _exists(path: Path) -> str:
    return f"{path} already exists; choose another name (it was not overwritten)."


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows (not on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _default_mode() -> int:
    """What a plain new file gets here (0o666 less the umask), not mkstemp's owner-only."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def os_reason(error: BaseException) -> str:
    """Why a file could not be read or written, in the system's own words ("Permission
    denied"), without a closing full stop (the sentence it goes in has its own)."""
    return (getattr(error, "strerror", None) or str(error)).rstrip(".")
