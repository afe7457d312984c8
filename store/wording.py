"""How counts and days read in a sentence, the same on every screen, command and document;
and messages that point to a choice each front end names in its own words (:class:`Phrase`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 action``, ``3 actions``; ``words`` for a plural that is not ``word`` + s."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def countdown(days: int, *, since: str = "", today: str = "today") -> str:
    """Days to a visit in words: ``today``, ``in 1 day``, ``in 12 days``, ``3 days ago``.

    ``since`` goes before a past count (``since="started "``: ``started 3 days ago``), and
    ``today`` is said for none (``today="starts today"``)."""
    if days == 0:
        return today
    if days > 0:
        return f"in {plural(days, 'day')}"
    return f"{since}{plural(-days, 'day')} ago"


# A focus theme of a visit with no finding in its pack: said under the theme's name, in the
# app's pack screen and in every exported format, rather than leaving the theme out.
EMPTY_THEME = "No findings in this theme yet"


# ------------------------------------------------------------------ choices a message names


class Option(StrEnum):
    """A choice a store message points the user to. The store says what happened; how the
    choice is made is each front end's to say (the command line names its flags, the app
    its boxes and keys), so a message holds the choice itself: see :class:`Phrase`."""

    COLUMNS = "columns"  # which header each of a plan's fields is read from
    COLUMN_PAIR = "column pair"  # one of them, as it is written
    DRY_RUN = "dry run"  # a look at what an import would do, changing nothing
    OURS = "ours"  # a report is this council's own
    OTHER = "other"  # a report is another council's, for search and learning
    UPDATE = "update"  # replace a report stored from another file of the same inspection
    NAME = "name"  # the name a person's changes are recorded under
    REPLACE = "replace"  # write over a file that is there already (a backup)
    PLAN_WINS = "plan wins"  # a plan re-import writes over fields edited by hand since
    SCORECARD_WINS = "scorecard wins"  # a scorecard re-import writes over them, likewise
    AS_PLAN = "as plan"  # a spreadsheet is read as an improvement plan
    AS_SCORECARD = "as scorecard"  # a spreadsheet is read as a performance scorecard


# The store's own words, for a reader that names no choices of its own (``str()``, a log).
STORE_WORDS: Mapping[Option, str] = {
    Option.COLUMNS: "the column mapping",
    Option.COLUMN_PAIR: "a column mapping (FIELD=HEADER)",
    Option.DRY_RUN: "a dry run",
    Option.OURS: "the choice 'our council's own'",
    Option.OTHER: "the choice 'another council's'",
    Option.UPDATE: "the choice to update it",
    Option.NAME: "your name",
    Option.REPLACE: "the choice to replace it",
    Option.PLAN_WINS: "the choice to let the plan win",
    Option.SCORECARD_WINS: "the choice to let the scorecard win",
    Option.AS_PLAN: "the choice to read it as a plan",
    Option.AS_SCORECARD: "the choice to read it as a scorecard",
}


@dataclass(frozen=True, slots=True)
class Phrase:
    """A message from the store whose parts may be choices (:class:`Option`) for a front end
    to name: ``phrase.say(words)`` joins it with each choice in ``words``' words.

    Made with :func:`phrase`, or by adding text to one (``phrase(...) + "."``); ``str()``
    says it in the store's own words (:data:`STORE_WORDS`)."""

    parts: tuple[str | Option, ...] = ()

    def say(self, words: Mapping[Option, str]) -> str:
        return "".join(words[p] if isinstance(p, Option) else p for p in self.parts)

    @property
    def options(self) -> frozenset[Option]:
        """The choices it names (a front end may offer them next to the message)."""
        return frozenset(p for p in self.parts if isinstance(p, Option))

    def __str__(self) -> str:
        return self.say(STORE_WORDS)

    def __bool__(self) -> bool:
        return any(self.parts)

    def __add__(self, other: str | Option | Phrase) -> Phrase:
        return phrase(self, other)

    def __radd__(self, other: str | Option | Phrase) -> Phrase:
        return phrase(other, self)


def phrase(*parts: str | Option | Phrase) -> Phrase:
    """A :class:`Phrase` of text, choices and other phrases, in order."""
    flat: list[str | Option] = []
    for part in parts:
        if isinstance(part, Phrase):
            flat.extend(part.parts)
        elif part:
            flat.append(part)
    return Phrase(tuple(flat))


def say(message: str | Phrase, words: Mapping[Option, str]) -> str:
    """A message as a front end says it: a phrase with its choices in ``words``' words."""
    return message.say(words) if isinstance(message, Phrase) else message
