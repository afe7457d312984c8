"""Typed errors raised by the store, each with a message a council officer understands."""

from __future__ import annotations

from collections.abc import Mapping

from store.wording import Option, Phrase, phrase


class StoreError(Exception):
    """Base class for every error the store raises on purpose.

    ``phrase`` is what happened; a choice it points to (name the plan's columns, mark a
    report as ours) is left for each front end to name: :meth:`say` with its words.
    ``message`` says it in the store's own words."""

    def __init__(self, message: str | Phrase) -> None:
        self.phrase = phrase(message)
        self.message = str(self.phrase)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def say(self, words: Mapping[Option, str]) -> str:
        """The message with the choices it points to named in ``words``' words."""
        return self.phrase.say(words)


class ValidationError(StoreError):
    """A value given for a record is not acceptable; ``field`` names the field."""

    def __init__(self, field: str, message: str | Phrase) -> None:
        super().__init__(message)
        self.field = field


class NotFound(StoreError):
    """A record asked for (or linked to) does not exist."""

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"There is no {kind} {ident!s}.")
        self.kind = kind
        self.ident = ident


class HasLinks(StoreError):
    """A delete would orphan linked records; repeat it with ``cascade=True``."""


class Conflict(StoreError):
    """A record with the same unique key (ref, name, file) already exists."""


class NotAStore(StoreError):
    """The database is not a visitprep store (or not a database at all)."""


class NewerStore(StoreError):
    """The store was written by a newer visitprep; this version will not touch it."""


class StoreUnavailable(StoreError):
    """The database cannot be opened or written (missing folder, read-only, locked)."""


class ImportFailed(StoreError):
    """A file could not be imported; nothing from it was stored."""


class StaleRecord(StoreError):
    """A save started from an older version of the record than the one stored now: someone
    else changed it since the form was opened, and the save was refused (nothing written).

    ``who`` and ``at`` (UTC) say whose change it was, when the history knows; ``version``
    is the record's version now. Read it again to show the other version, or save again
    with ``expected_version=version`` to keep yours over it.
    """

    def __init__(
        self, message: str, *, kind: str, ident: int, who: str = "", at: object = None,
        version: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__(message)
        self.kind = kind
        self.ident = ident
        self.who = who
        self.at = at
        self.version = version


class ReadOnlyStore(StoreUnavailable):
    """The store may be read here but not written: a read-only file, or a database role
    that may only read. Every read works; every write raises this, changing nothing."""
