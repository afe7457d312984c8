"""A PostgreSQL server for the tests that run on both backends.

Point the tests at a server with ``VISITPREP_TEST_POSTGRES`` (a URL whose user may
create databases; default ``postgresql://postgres@127.0.0.1:5432/test``). Each test gets
a database of its own, made from a template that is migrated once per run (``CREATE
DATABASE ... TEMPLATE ...`` copies it in a fraction of a second), and dropped after.
Without a server the PostgreSQL half is skipped with one line saying how to enable it;
under ``CI=true`` that is a failure instead.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL, make_url

ENV = "VISITPREP_TEST_POSTGRES"
DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
HOW = (
    f"no PostgreSQL server at {{url}} ({{why}}); set {ENV}=postgresql://USER@HOST:PORT/DB "
    "(a user who may create databases) to run the PostgreSQL half"
)


class Server:
    """The server and this run's templates: "empty" (a new store) and "demo"."""

    def __init__(self, url: URL) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        self.url = url.set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.prefix = f"vp_test_{os.getpid()}"
        self._numbers = itertools.count(1)
        self._templates: dict[str, str] = {}

    def check(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text("SELECT 1"))

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text(sql))

    def template(self, kind: str, fill: Callable[[str], None]) -> str:
        """The template database ``kind``, made (and filled by ``fill(url)``) once a run."""
        name = self._templates.get(kind)
        if name is None:
            name = f"{self.prefix}_{kind}"
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._execute(f'CREATE DATABASE "{name}"')
            fill(self.url_of(name))
            self._templates[kind] = name
        return name

    @contextmanager
    def database(self, template: str | None = None) -> Iterator[str]:
        """A new database (a copy of ``template``), dropped when the test is done."""
        name = f"{self.prefix}_{next(self._numbers)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        self._execute(f'CREATE DATABASE "{name}"{copy}')
        try:
            yield self.url_of(name)
        finally:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in self._templates.values():
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


def connect() -> tuple[Server | None, str]:
    """The server, or ``None`` and the one line saying why there is none."""
    raw = os.environ.get(ENV) or DEFAULT
    try:
        url = make_url(raw)
    except Exception:
        return None, f"{ENV} is not a database URL"
    shown = url.render_as_string(hide_password=True)
    try:
        server = Server(url)
        server.check()
    except ImportError:
        return None, HOW.format(
            url=shown, why="psycopg is not installed: pip install -e '.[postgres]'"
        )
    except Exception as error:
        why = " ".join(str(getattr(error, "orig", error)).split())[:160]
        return None, HOW.format(url=shown, why=why)
    return server, ""
