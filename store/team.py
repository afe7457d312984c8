"""A store shared by a team: who is writing, the entries store functions add themselves,
and whether a SQLite store sits where a team should not share it.

See :mod:`store.history` for how every write is recorded, :mod:`store.history_queries`
for reading it back, and :mod:`store.identity` for how the name is found.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from store.database import Store
from store.dialect import network_filesystem
from store.history import note
from store.identity import set_configured_name


def set_user_name(name: str) -> str:
    """Keep this person's name for every store they open (``visitprep config --name``);
    returns it as kept. ``VISITPREP_USER`` and ``open_store(user=...)`` still win."""
    return set_configured_name(name)


def note_history(
    store: Store,
    op: str,
    kind: str,
    record_id: int | None = None,
    *,
    label: str = "",
    detail: str = "",
    changes: Mapping[str, tuple[Any, Any]] | None = None,
) -> None:
    """Add one entry of the caller's own to the history, in the current transaction (or a
    transaction of its own): e.g. the one entry per import naming the file,
    ``note_history(store, "import", "source", 7, detail="haringey.pdf")``. Inside
    ``with store.batch():`` it lands with the rest of the batch, or not at all."""
    with store.transaction() as tx:
        note(tx.session, op, kind, record_id, label=label, detail=detail, changes=changes)


def network_filesystem_of(store: Store) -> str | None:
    """The network filesystem (``nfs``, ``cifs``, ``smb3``...) a SQLite store's file sits
    on, else ``None`` (a local file, or a PostgreSQL store). Two people opening a SQLite
    file on a shared drive is how it gets corrupted: the app and the command line warn
    once and say to move it to PostgreSQL with ``visitprep copy --to postgresql://...``."""
    return network_filesystem(store.path) if store.path is not None else None
