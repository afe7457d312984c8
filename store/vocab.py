"""The fixed vocabularies of the domain, in the council's own words."""

from __future__ import annotations

from enum import StrEnum

SOURCE_KINDS = (
    "inspection",
    "focused visit",
    "monitoring visit",
    "JTAI",
    "internal audit",
    "other",
)
FRAMEWORKS = ("ILACS", "ILACS 2026", "SIF", "other")
# "adequate" is the scale Ofsted used until 2013; real older reports still carry it.
GRADES = ("outstanding", "good", "adequate", "requires improvement", "inadequate")

FINDING_KINDS = (
    "priority action",
    "improvement area",
    "recommendation",
    "weakness",
    "strength",
    "progress",
)
FINDING_STATUSES = ("open", "improving", "met")
# Roles of a finding (the ``finding.role`` column): what the report made of it.
ASKED = ""  # a thing the report asks the council to do
DETAIL = "detail"  # a marked body paragraph: the detail behind a recommendation
BOARD = "board"  # the safeguarding board's recommendation (counts once adopted)
FINDING_ROLES = (ASKED, DETAIL, BOARD)


class Brag(StrEnum):
    """A BRAG rating, in the order a lead reads a tracker: done, on track, at risk, off track.

    Each member is its lower-case word (``Brag.BLUE == "blue"``), as the store keeps it."""

    BLUE = "blue"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


BRAG: tuple[str, ...] = tuple(Brag)  # typed as plain words: the store's rows hold str
# Blue is complete: never overdue, never due soon, and a Blue update closes the action.
COMPLETE = Brag.BLUE
# The words councils' trackers and plans use for each rating, lower case, read wherever a
# BRAG is typed or imported (store.validation.brag, the plan's BRAG cells): one list.
BRAG_WORDS: dict[str, str] = {
    "b": "blue", "blue": "blue", "complete": "blue", "completed": "blue", "done": "blue",
    "achieved": "blue", "closed": "blue", "met": "blue", "finished": "blue",
    "embedded": "blue", "delivered": "blue",
    "g": "green", "green": "green", "on track": "green", "on target": "green",
    "in progress": "green", "ongoing": "green", "on going": "green", "not started": "green",
    "not yet started": "green", "open": "green", "started": "green",
    "a": "amber", "amber": "amber", "yellow": "amber", "at risk": "amber",
    "some slippage": "amber", "slipping": "amber", "delayed": "amber", "partially met": "amber",
    "partly met": "amber", "partially achieved": "amber",
    "r": "red", "red": "red", "off track": "red", "not on track": "red", "overdue": "red",
    "behind": "red", "not achieved": "red", "not met": "red", "significantly delayed": "red",
}  # fmt: skip
# A progress note whose BRAG is not known: a plan's progress cell of several dated notes
# gives its one BRAG cell to the newest note only (never today's BRAG on December's note).
BRAG_NOT_GIVEN = "BRAG not given"
BRAG_MEANING: dict[str, str] = {
    Brag.BLUE: "complete",
    Brag.GREEN: "on track",
    Brag.AMBER: "at risk",
    Brag.RED: "off track",
}

EVIDENCE_KINDS = (
    "audit",
    "tracker",
    "performance data",
    "policy",
    "minutes",
    "case sample",
    "self-assessment",
    "training",
    "feedback",
    "other",
)
VISIT_KINDS = ("monitoring visit", "focused visit", "inspection", "JTAI", "other")

DEFAULT_THEMES = (
    "Front door and MASH",
    "Assessment",
    "Children in need and child protection",
    "PLO and pre-proceedings",
    "Children in care",
    "Permanence",
    "Care leavers",
    "Exploitation and missing",
    "16-17 year olds who are homeless",
    "Private fostering and kinship care",
    "Disabled children",
    "Workforce and caseloads",
    "Supervision and management oversight",
    "Quality assurance and performance",
    "Leadership, governance and partnerships",
    "Placement sufficiency",
    "Voice of the child",
    "IROs and CP chairs",
)

# Evidence older than this at the visit date counts as stale when it has no review-by date.
DEFAULT_STALE_DAYS = 183

# Gap kinds, in the order a lead deals with them, with how each reads in a sentence.
GAP_KINDS = {
    "no_action": "Finding with no action",
    "no_evidence": "Action with no evidence",
    "overdue": "Action overdue",
    "stale": "Evidence out of date",
    "missing": "Evidence file missing",
}

# Met findings, strengths and progress noted need no action of their own.
NEEDS_ACTION_STATUSES = ("open", "improving")
NEEDS_ACTION_KINDS = ("priority action", "improvement area", "recommendation", "weakness")
