"""Run the real ``visitprep`` console script in a process of its own, without paying for its
imports each time.

Each CLI run used to start a fresh interpreter, which spends ~0.8 CPU s importing
SQLAlchemy, SQLModel, pydantic, rich and the table models before the command does
anything: about 40% of the whole suite's CPU. :func:`run` instead asks a parent process
(one per test process, started on first use) that has imported only those to fork. The
child then is what the console script is: a process of its own with the test's arguments,
environment, working folder, stdin, stdout and stderr; it runs ``tui.cli.main`` and exits
as the script does (``sys.exit(main())``, atexit handlers and all), so exit codes,
tracebacks and what it writes are the same. Only the imports are shared, and only of
modules that read neither the environment nor the working folder when imported (not
``store.creating``, which reads ``VISITPREP_CRASH_AT``; not Textual, which the CLI never
loads: tests/test_boundaries.py checks that in a fresh interpreter).

A run whose interpreter would start differently (another ``PYTHON*`` or locale variable,
arguments that are not the console script's) falls back to :func:`subprocess.run`, as
does every run if the parent cannot be started.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import locale
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent / "visitprep"

# Variables that decide how an interpreter starts (its streams, paths, hashing): a run
# whose values differ from the parent's cannot be one of its children.
_STARTUP = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP")

_PARENT_CODE = r"""
import json, os, socket, sys
sys.path[0] = sys.argv[2]  # as for the console script: its own folder, never the cwd
import tui.cli
import rich.console, rich.table, sqlalchemy, sqlalchemy.orm, sqlalchemy.dialects.sqlite
import sqlmodel, store.models
control = socket.socket(fileno=int(sys.argv[1]))
while True:
    try:
        message, fds, _, _ = socket.recv_fds(control, 1 << 20, 3)
    except OSError:
        break
    if not message:
        break
    request = json.loads(message)
    pid = os.fork()
    if pid == 0:
        control.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = request["argv"]
        sys.exit(tui.cli.main())
    for fd in fds:
        os.close(fd)
    control.sendall(json.dumps({"pid": pid}).encode())
    _, status, usage = os.wait4(pid, 0)
    code, cpu = os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime
    control.sendall(json.dumps({"code": code, "cpu": cpu}).encode())
"""


class _Parent:
    """The warmed-up parent process and the socket it takes requests on."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.env = dict(os.environ)
        self.process = subprocess.Popen(
            [sys.executable, "-c", _PARENT_CODE, str(theirs.fileno()), str(BIN.parent)],
            pass_fds=(theirs.fileno(),),
            # Pipes, as a captured run's are: Python's std streams remember at start-up
            # whether they can seek, and a child keeps its parent's stream objects.
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env,
            cwd=BIN.parent,
        )
        theirs.close()
        self.socket = ours
        self.lock = threading.Lock()

    def serves(self, env: Mapping[str, str]) -> bool:
        if self.process.poll() is not None:
            return False
        names = {n for n in (*self.env, *env) if n.startswith("PYTHON") or n in _STARTUP}
        return all(self.env.get(n) == env.get(n) for n in names)

    def close(self) -> None:
        self.socket.close()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


_PARENT: list[_Parent | None] = []
# CPU seconds the children took (they are the parent's children, not this process's).
CPU = [0.0]


def _parent() -> _Parent | None:
    if not _PARENT:
        try:
            parent: _Parent | None = _Parent()
        except OSError:
            parent = None
        else:
            atexit.register(parent.close)
        _PARENT.append(parent)
    return _PARENT[0]


def _read(fd: int, into: list[bytes]) -> None:
    with open(fd, "rb", closefd=True) as stream:
        into.append(stream.read())


def _text(data: list[bytes], encoding: str) -> str:
    """What ``text=True`` makes of a stream: decoded, universal newlines."""
    return b"".join(data).decode(encoding).replace("\r\n", "\n").replace("\r", "\n")


def run(
    args: Sequence[str | os.PathLike[str]],
    *,
    capture_output: bool = True,
    text: bool = True,
    encoding: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    input: str | None = None,
    timeout: float | None = None,
    check: bool = False,
    **options: Any,
) -> subprocess.CompletedProcess[str]:
    """``subprocess.run(args, capture_output=True, text=True, ...)``, for the console script
    by a child of the warmed-up parent; anything else by :func:`subprocess.run` itself."""
    argv = [os.fspath(a) for a in args]
    options = {name: value for name, value in options.items() if value is not None}
    full_env = dict(os.environ if env is None else env)
    parent = _parent() if argv and argv[0] == str(BIN) else None
    if parent is None or not parent.serves(full_env) or options or not (capture_output and text):
        return subprocess.run(  # type: ignore[call-overload, no-any-return]
            argv, capture_output=capture_output, text=text, encoding=encoding, env=env,
            cwd=cwd, input=input, timeout=timeout, check=check, **options,
        )  # fmt: skip
    encoding = encoding or locale.getpreferredencoding(False)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    if input is None:  # the test's own stdin, as subprocess.run gives
        try:
            in_r, in_w = os.dup(0), None
        except OSError:
            in_r, in_w = os.open(os.devnull, os.O_RDONLY), None
    else:
        in_r, in_w = os.pipe()
    request = {"argv": argv, "env": full_env, "cwd": os.fspath(cwd or os.getcwd())}
    out: list[bytes] = []
    err: list[bytes] = []
    with parent.lock:
        try:
            socket.send_fds(parent.socket, [json.dumps(request).encode()], [in_r, out_w, err_w])
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
        readers = [
            threading.Thread(target=_read, args=(out_r, out), daemon=True),
            threading.Thread(target=_read, args=(err_r, err), daemon=True),
        ]
        for reader in readers:
            reader.start()
        if in_w is not None:
            with contextlib.suppress(BrokenPipeError):
                rest = memoryview((input or "").encode(encoding))
                while rest:
                    rest = rest[os.write(in_w, rest) :]
            os.close(in_w)
        pid = json.loads(parent.socket.recv(4096))["pid"]
        timed_out = False
        for reader in readers:
            reader.join(timeout)
            if reader.is_alive():
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                reader.join()
        done = json.loads(parent.socket.recv(4096))
        code = done["code"]
        CPU[0] += done["cpu"]
    stdout, stderr = _text(out, encoding), _text(err, encoding)
    if timed_out:
        raise subprocess.TimeoutExpired(argv, timeout or 0, output=stdout, stderr=stderr)
    done = subprocess.CompletedProcess(argv, code, stdout, stderr)
    if check:
        done.check_returncode()
    return done
