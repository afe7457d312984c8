"""The demo store: Northbridge, a fictional council judged inadequate, a year into improving.

Modelled on the improvement plans English councils published after inadequate judgements
(Barnet 2017-18, Tower Hamlets 2018, West Sussex 2021): an ILACS inspection and its findings,
two monitoring-visit letters, a 47-action plan under seven improvement themes with dated
BRAG history, 71 evidence items and three monitoring visits, the next one ten days away.

It is deliberately imperfect, the way a real plan is the week before a visit: some actions
are overdue, a few findings have no action yet, some actions have no evidence, some
evidence is out of date and two files have gone missing from the shared drive.

The data lives in package files under ``store/data/`` that a person can read and edit; this
module only loads them:

- ``northbridge_findings.json``: the inspection (with its judgements) and the two monitoring
  letters, each with its findings in report order. A monitoring-visit finding names the
  inspection finding it follows up as ``parent``.
- ``northbridge_plan.json``: the plan's approval date, its seven improvement themes (an
  action's ref starts with its theme's number) and the 47 actions with their findings and
  dated BRAG updates, oldest first. Owners are job titles, never people.
- ``northbridge_evidence.csv``: the evidence manifest, one item a row; ``actions`` and
  ``findings`` are refs separated by ``;``, ``personal_data`` is ``yes`` or empty, and
  ``missing_since`` records a file a folder scan found gone (as data, so the demo's
  "missing" gap is the same on every machine).
- ``northbridge_visits.json``: the three visits, and the lead's hand-made changes to the
  upcoming visit's pack (R8, IRO oversight, added though not a focus theme, because the
  Director asked; Para 58, a strength with nothing to evidence, dropped) and the evidence
  ticked ready so far, by its manifest key.
- ``northbridge_scorecard.csv``: the board's measures, through the real scorecard importer
  (:mod:`store.demo_scorecard`).

Everything but the scorecard is written through the store's public write functions
(``create_source``, ``create_finding``, ``create_action``, ``add_action_update``,
``create_evidence``, ``create_visit``, the pack's ticks), not through the report, plan or
evidence-folder importers, because those would not give the same store: each records an
"import" entry in the history; the plan importer keeps one progress note and one BRAG a
row, so an action's dated BRAG history (two or three updates, each by the action's owner)
cannot come from one sheet; and the report importer reads report files, not a list of
findings with their parents and statuses. All of it happens in one batch, with fixed dates
and no clock or randomness, so two builds are identical (tests and screenshots rely on it).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from importlib import resources
from typing import Any

from store.actions import add_action_update, create_action
from store.database import Store
from store.demo_scorecard import load_demo_scorecard
from store.errors import ValidationError
from store.evidence import create_evidence
from store.findings import create_finding
from store.records import Evidence, Pack
from store.settings import mark_demo
from store.sources import create_source
from store.visits import create_visit, set_evidence_ready, set_finding_in_pack

# The demo's "today": ten days before monitoring visit 3, so the countdown reads 10 days.
DEMO_TODAY = date(2019, 1, 21)
COUNCIL = "Northbridge"
# Who the demo's history, ticks and all, is by: Northbridge's QA lead, not whoever ran it.
DEMO_LEAD = "Sam Patel"

FINDINGS_FILE = "northbridge_findings.json"
PLAN_FILE = "northbridge_plan.json"
EVIDENCE_FILE = "northbridge_evidence.csv"
VISITS_FILE = "northbridge_visits.json"


def _read(name: str) -> str:
    return (resources.files("store") / "data" / name).read_text(encoding="utf-8")


def _json(name: str) -> Any:
    return json.loads(_read(name))


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _optional_date(text: str | None) -> date | None:
    return _d(text) if text else None


def _refs(cell: str) -> list[str]:
    """A manifest cell's refs: ``"1.2; R1"`` -> ``["1.2", "R1"]``."""
    return [ref.strip() for ref in cell.split(";") if ref.strip()]


def build_demo(store: Store) -> None:
    """Write the Northbridge demo into ``store`` (normally a new, empty one) in one batch.

    Every record goes through the store's public functions, so the demo obeys the same
    validation as anything a user types. All or nothing: if any write fails, nothing of
    the demo is kept. The store's today must not be before :data:`DEMO_TODAY`, because
    the plan's progress updates are dated up to then.
    """
    if store.today < DEMO_TODAY:
        raise ValidationError(
            "today",
            f"The demo's updates run to {DEMO_TODAY:%d/%m/%Y}; open the store with a today "
            "on or after that date.",
        )
    runner, store.user = store.user, DEMO_LEAD
    try:
        _write_demo(store)
    finally:
        store.user = runner  # the runner's own writes from here on are theirs


def _write_demo(store: Store) -> None:
    with store.batch():
        findings = _write_findings(store)
        actions = _write_plan(store, findings)
        evidence = _write_evidence(store, actions, findings)
        _write_visits(store, findings, evidence)
        load_demo_scorecard(store)  # the board's measures, from store/data (issue 16)
        # It opens as at its own week from now on, wherever it is opened.
        mark_demo(store, DEMO_TODAY)


def _write_findings(store: Store) -> dict[str, int]:
    """The inspection and its findings, then each monitoring letter with its findings."""
    ids: dict[str, int] = {}
    for spec in _json(FINDINGS_FILE)["sources"]:
        # Every other key is a field of the source; its dates are ISO text.
        fields: dict[str, Any] = {
            key: _d(value) if key.endswith("_date") else value
            for key, value in spec.items()
            if key not in ("findings", "judgements")
        }
        if "judgements" in spec:
            fields["judgements"] = tuple((j["area"], j["grade"]) for j in spec["judgements"])
        source = create_source(store, **fields)
        for item in spec["findings"]:
            parent = item.get("parent")
            ids[item["ref"]] = create_finding(
                store,
                title=item["title"],
                ref=item["ref"],
                text=item["text"],
                source_id=source.id,
                theme=item["theme"],
                kind=item["kind"],
                status=item["status"],
                judgement_area=item["judgement_area"],
                parent_id=ids[parent] if parent else None,
            ).id
    return ids


def _write_plan(store: Store, findings: dict[str, int]) -> dict[str, int]:
    """The improvement plan: each action, its findings, then its dated BRAG history."""
    plan = _json(PLAN_FILE)
    approved = _d(plan["approved"])
    themes: list[str] = plan["themes"]
    ids: dict[str, int] = {}
    for spec in plan["actions"]:
        theme_name = themes[int(spec["ref"].split(".")[0]) - 1]
        updates = spec["updates"]
        action = create_action(
            store,
            title=spec["title"],
            ref=spec["ref"],
            description=f"{spec['description']}\n\nImprovement theme: {theme_name}.",
            owner=spec["owner"],
            due_date=_d(spec["due"]),
            brag=updates[0]["brag"],
            success_measure=spec["success_measure"],
            opened_on=approved,
            theme=spec["theme"],
            finding_ids=[findings[ref] for ref in spec["findings"]],
        )
        for update in updates:
            add_action_update(
                store,
                action.id,
                note=update["note"],
                brag=update["brag"],
                on_date=_d(update["on"]),
                author=spec["owner"],
            )
        ids[spec["ref"]] = action.id
    return ids


def _write_evidence(
    store: Store, actions: dict[str, int], findings: dict[str, int]
) -> dict[str, int]:
    """The evidence manifest, one item a row, linked to its actions and findings by ref."""
    ids: dict[str, int] = {}
    for row in csv.DictReader(io.StringIO(_read(EVIDENCE_FILE), newline="")):
        item = create_evidence(
            store,
            title=row["title"],
            kind=row["kind"],
            as_of=_d(row["as_of"]),
            owner=row["owner"],
            location=row["location"],
            impact=row["impact"],
            review_by=_optional_date(row["review_by"]),
            personal_data=row["personal_data"].strip().lower() == "yes",
            missing_since=_optional_date(row["missing_since"]),
            action_ids=[actions[ref] for ref in _refs(row["actions"])],
            finding_ids=[findings[ref] for ref in _refs(row["findings"])],
        )
        ids[row["key"]] = item.id
    return ids


def _write_visits(store: Store, findings: dict[str, int], evidence: dict[str, int]) -> None:
    """Three visits. Past packs have everything that existed by then ticked; the upcoming
    one is half ready, with one finding added and one dropped by hand."""
    from store.pack import build_pack

    data = _json(VISITS_FILE)
    *past, upcoming = [
        create_visit(
            store,
            title=spec["title"],
            kind="monitoring visit",
            start_date=_d(spec["start"]),
            end_date=_d(spec["end"]),
            notes=spec["notes"],
            focus_themes=tuple(spec["focus_themes"]),
        )
        for spec in data["visits"]
    ]
    for visit in past:
        pack = build_pack(store, visit.id)
        for item in _pack_evidence(pack):
            if item.as_of is not None and item.as_of <= visit.start_date:
                set_evidence_ready(store, visit.id, item.id)
    changes = data["upcoming"]
    for ref in changes["findings_added"]:
        set_finding_in_pack(store, upcoming.id, findings[ref], True)
    for ref in changes["findings_dropped"]:
        set_finding_in_pack(store, upcoming.id, findings[ref], False)
    for key in changes["evidence_ready"]:
        set_evidence_ready(store, upcoming.id, evidence[key])


def _pack_evidence(pack: Pack) -> list[Evidence]:
    """Each evidence item of a pack once, in pack order."""
    seen: dict[int, Evidence] = {}
    for theme in pack.themes:
        for pack_finding in theme.findings:
            for item in pack_finding.evidence:
                seen.setdefault(item.evidence.id, item.evidence)
            for pack_action in pack_finding.actions:
                for item in pack_action.evidence:
                    seen.setdefault(item.evidence.id, item.evidence)
    return list(seen.values())
