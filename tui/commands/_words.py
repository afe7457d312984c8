"""The command line's names for the choices a store message points to: its flags.

The store says what happened and leaves the choice unnamed (:class:`store.wording.Phrase`);
``in_cli_words(...)`` names each one as ``visitprep`` spells it, so a message reads "... named by
--map ('Lead officer') ...". The app names the same choices by its boxes and keys
(tui.presenters.import_common.SCREEN_WORDS).
"""

from __future__ import annotations

from collections.abc import Mapping

from store.errors import StoreError
from store.wording import Option, Phrase, say

FLAGS: Mapping[Option, str] = {
    Option.COLUMNS: "--map",
    Option.COLUMN_PAIR: "--map FIELD=HEADER",
    Option.DRY_RUN: "--dry-run",
    Option.OURS: "--ours",
    Option.OTHER: "--other",
    Option.UPDATE: "--update",
    Option.NAME: "--name",
    Option.REPLACE: "--replace",
    Option.PLAN_WINS: "--plan-wins",
    Option.SCORECARD_WINS: "--scorecard-wins",
    Option.AS_PLAN: "--plan",
    Option.AS_SCORECARD: "--measures",
}


def in_cli_words(message: StoreError | Phrase | str) -> str:
    """A store error or message as the command line says it (its choices named by flag)."""
    if isinstance(message, StoreError):
        return message.say(FLAGS)
    return say(message, FLAGS)
