"""Reading a folder of reports for an import or its preview: hash first, parse only what is
new, on both cores.

Every file is hashed (in pieces: a folder of hundreds is never held in memory); a file
whose content is stored already is never parsed; the new ones are parsed in two worker
processes when there are several (:data:`PARALLEL_FROM`), while the importer stores the
ones already read, in order.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, select

from store.database import Store
from store.errors import StoreError
from store.importers.report_read import REPORT_SUFFIXES, ParsedReport, read_report
from store.models import SourceRow

Progress = Callable[[int, int, str], None]

# Fewer new files than this are read in this process: starting workers costs more.
PARALLEL_FROM = 4


@dataclass(frozen=True)
class _Read:
    path: Path
    content_hash: str | None  # None: the file could not be read at all
    report: ParsedReport | None = None
    error: str = ""


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to import: each file as given, each folder's .pdf and .txt files sorted by name."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(
                sorted(
                    (p for p in path.iterdir() if p.suffix.lower() in REPORT_SUFFIXES),
                    key=lambda p: p.name.lower(),
                )
            )
        else:
            out.append(path)
    return out


def _hash(path: Path) -> tuple[str | None, str]:
    """The file's content hash, read in pieces (a folder of hundreds of reports is never
    held in memory at once), or why it cannot be read."""
    digest = hashlib.sha256()
    # A named pipe or a device (a FIFO named plan.csv, a link to /dev/zero) would be read
    # for ever: refused before it is opened.
    if path.exists() and not path.is_dir() and not path.is_file():
        return None, f"{path.name} is not a regular file (a pipe or a device), so not read."
    try:
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
    except IsADirectoryError:
        return None, f"{path.name} is a folder, not a report file."
    except FileNotFoundError:
        return None, f"{path} does not exist."
    except OSError as error:
        return None, f"{path.name} cannot be read ({error.strerror})."
    return digest.hexdigest(), ""


def _parse_one(path: Path) -> ParsedReport | str:
    """Read and parse one file (in a worker process): the report, or why it was refused."""
    try:
        return read_report(path)
    except StoreError as error:
        return error.message


def _pool() -> ProcessPoolExecutor:
    """Two worker processes. Forked from this process when it runs no other thread (the
    command line: quickest); otherwise (the app imports from a thread, and forking a process
    with threads running can leave a lock held in the child for ever) forked from a server
    process started clean, with the parser loaded once."""
    import multiprocessing
    import threading
    from multiprocessing.context import BaseContext

    methods = multiprocessing.get_all_start_methods()
    context: BaseContext
    if "fork" in methods and threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    elif "forkserver" in methods:
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(["store.importers.report_read"])
        context = server
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1), mp_context=context)


def _stored_hashes(store: Store, hashes: Iterable[str]) -> dict[str, int]:
    wanted = [h for h in hashes if h]
    found: dict[str, int] = {}
    with store.reading() as session:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = session.execute(
                select(col(SourceRow.content_hash), col(SourceRow.id)).where(
                    col(SourceRow.content_hash).in_(chunk)
                )
            )
            found.update({h: i for h, i in rows if h})
    return found


def read_all(
    store: Store, files: list[Path], progress: Progress | None, *, read_known: bool = False
) -> Iterator[tuple[_Read, int | None]]:
    """Each file read, in order, with the id of the source already stored from the very
    same content (if any). Known files are not parsed unless ``read_known``."""
    hashed: list[tuple[Path, str | None, str]] = [(p, *_hash(p)) for p in files]
    known = _stored_hashes(store, (h for _, h, _ in hashed if h))
    jobs = [path for path, digest, _ in hashed if digest and (read_known or digest not in known)]
    parsed: Iterator[ParsedReport | str]
    pool: ProcessPoolExecutor | None = None
    if len(jobs) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        pool = _pool()
        parsed = pool.map(_parse_one, jobs, chunksize=1)
    else:
        parsed = map(_parse_one, jobs)
    try:
        for number, (path, digest, error) in enumerate(hashed, 1):
            stored = known.get(digest) if digest else None
            if digest is None:
                read = _Read(path, None, error=error)
            elif read_known or stored is None:
                result = next(parsed)
                read = (
                    _Read(path, digest, report=result)
                    if isinstance(result, ParsedReport)
                    else _Read(path, digest, error=result)
                )
            else:
                read = _Read(path, digest)
            if progress is not None:
                council = read.report.local_authority if read.report is not None else ""
                progress(number, len(hashed), f"{path.name} · {council}" if council else path.name)
            yield read, stored
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
