"""Deleting a measure, from its page (``d``, ``delete``) or the Measures list (``delete``):
first a question saying what goes with it (its values, its links) and what stays (the
findings and actions), as for every other record; "No" has the focus.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message

from tui.screens.confirm import DeletePlan
from tui.text import safe
from tui.typed_app import app_of
from tui.workers import Failed, worker


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def plan_measure_delete(store: Any, measure_id: int) -> DeletePlan:
    """The question asked before a measure is deleted (runs in a worker: it reads it)."""
    import store as api
    from store._common import plural

    measure = api.get_measure(store, measure_id)
    message = Text()
    message.append(safe(f"{measure.ref} {measure.name}"), style="bold")
    message.append("\n\n")
    links = [
        plural(n, word)
        for n, word in ((measure.action_count, "action"), (measure.finding_count, "finding"))
        if n
    ]
    gone = [f"its {plural(measure.value_count, 'value')}"] if measure.value_count else []
    if links:
        gone.append(f"its links to {_listed(links)}")
    if gone:
        message.append(f"{_listed(gone)} go with it".capitalize())
        message.append("; the findings and actions themselves stay. " if links else ". ")
    message.append("This cannot be undone.")
    return DeletePlan("measure", measure_id, Text("Delete this measure?"), message, "Delete")


class MeasureDeleting:
    """For a screen that deletes measures: ``_plan_delete(measure_id)``; the screen hands
    :class:`DeletePlanned` to ``_ask_delete``, and handles :class:`Deleted` (say it, leave
    or reload) and :class:`DeleteFailed` (show it)."""

    app: Any

    class DeletePlanned(Message):
        """What deleting the measure would take with it, to ask about."""

        def __init__(self, plan: DeletePlan) -> None:
            super().__init__()
            self.plan = plan

    class Deleted(Message):
        """The measure is deleted."""

    class DeleteFailed(Failed):
        """Planning or deleting failed (the measure was deleted elsewhere, read-only...)."""

    @worker(name="measure-plan-delete", failed=DeleteFailed)
    def _plan_delete(self, measure_id: int) -> DeletePlanned:
        return self.DeletePlanned(plan_measure_delete(app_of(self).store, measure_id))

    def _ask_delete(self, plan: DeletePlan) -> None:
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(plan.record_id)

        self.app.push_screen(ConfirmScreen(plan.title, plan.message, yes=plan.yes), answered)

    @worker(name="measure-delete", failed=DeleteFailed)
    def _delete(self, measure_id: int) -> Deleted:
        import store as api

        api.delete_measure(app_of(self).store, measure_id)
        return self.Deleted()
