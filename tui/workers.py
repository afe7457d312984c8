"""Workers that answer with typed messages (as Harlequin's ``DatabaseConnected``).

A screen's slow work (reading the store, searching, saving) runs in a thread worker made
with :func:`worker`. The work returns a message, a class of the screen's own with typed
fields (``PackScreen.Loaded(pack)``), and the worker posts it to the screen, which handles
it like any other message (``@on(Loaded)``). Nothing matches worker names as strings, and
nothing reads ``Worker.result`` (typed ``Any``).

If the work raises, the worker posts ``failed(error)`` to its screen when it was given a
``failed`` message class; otherwise it posts :class:`WorkFailed` to the app, which shows
the error: a failure nobody handles is never silent. A worker that was cancelled (an
exclusive one started again, its screen closed) posts nothing, as Textual's own
``Worker.StateChanged`` says nothing of it then.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from textual import work  # noqa: TID251  (the one place that makes workers)
from textual.message import Message
from textual.worker import Worker, get_current_worker

if TYPE_CHECKING:
    from textual.dom import DOMNode

P = ParamSpec("P")
N = TypeVar("N")  # a DOMNode, or a mixin of one (the pack's offer)


class Failed(Message):
    """The base of a screen's own "this work failed" messages: the error the work raised."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class Unsaid(Failed):
    """The failure of work that was only a nicety (a hint, a guess, a second look): it is
    posted, and no screen says anything about it."""


class WorkFailed(Message):
    """Posted to the app by a worker that failed with no ``failed`` message of its own."""

    def __init__(self, node: DOMNode, name: str, error: Exception) -> None:
        super().__init__()
        self.node = node
        self.name = name
        self.error = error


def worker(
    *,
    group: str = "default",
    name: str = "",
    exclusive: bool = True,
    failed: Callable[[Exception], Message] | None = None,
) -> Callable[
    [Callable[Concatenate[N, P], Message | None]], Callable[Concatenate[N, P], Worker[None]]
]:
    """A worker whose work runs in a thread (as Textual's ``@work(thread=True)``) and
    returns the message to post to its node (``None``: nothing to say).

    The message is posted from the UI thread once the thread is done, as the worker ends:
    where Textual's ``Worker.StateChanged`` used to come, so a screen sees results in the
    same order as before (a result never overtakes the store's own change notices).
    ``get_current_worker()`` works in the thread (its context is copied), for work that
    looks at ``is_cancelled``.

    ``failed``: the message class posted to the node with the error; without it the app
    is told (:class:`WorkFailed`) and shows it. Either way the worker then ends in
    Textual's ``ERROR`` state, as before.
    """

    def decorate(
        method: Callable[Concatenate[N, P], Message | None],
    ) -> Callable[Concatenate[N, P], Worker[None]]:
        @functools.wraps(method)
        async def run(self: N, /, *args: P.args, **kwargs: P.kwargs) -> None:
            node = cast("DOMNode", self)
            try:
                message = await asyncio.to_thread(method, self, *args, **kwargs)
            except Exception as error:
                if not get_current_worker().is_cancelled:
                    if failed is not None:
                        node.post_message(failed(error))
                    else:
                        node.app.post_message(WorkFailed(node, name or method.__name__, error))
                raise
            if message is not None and not get_current_worker().is_cancelled:
                node.post_message(message)

        made: Any = work(run, exclusive=exclusive, exit_on_error=False, group=group, name=name)
        return cast("Callable[Concatenate[N, P], Worker[None]]", made)

    return decorate
