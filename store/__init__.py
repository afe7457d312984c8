"""visitprep's store: the domain and its data, as a plain Python library (no Textual).

The terminal app and the command line are both clients of the functions exported here.
Every function takes an open :class:`Store` first; each call is one transaction, and
``with store.batch():`` makes many calls one all-or-nothing transaction.

Names are imported on first use (PEP 562), so that ``from store import open_store`` does
not load SQLAlchemy: the app opens an up-to-date SQLite store and counts its first screen
with the standard library alone, and loads the rest while the user reads it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Where each public name lives.
_EXPORTS = {
    "add_action_update": "store.actions",
    "brag_counts": "store.actions",
    "count_actions": "store.actions",
    "create_action": "store.actions",
    "delete_action": "store.actions",
    "get_action": "store.actions",
    "get_action_by_ref": "store.actions",
    "list_action_updates": "store.actions",
    "list_actions": "store.actions",
    "update_action": "store.actions",
    "dashboard": "store.overview",
    "change_counter": "store.history_queries",
    "describe": "store.history_queries",
    "history_since": "store.history_queries",
    "list_history": "store.history_queries",
    "ready_ticks": "store.history_queries",
    "record_history": "store.history_queries",
    "records_named": "store.history_queries",
    "entry_as_json": "store.history_queries",
    "removed_links": "store.history_queries",
    "RemovedLink": "store.history_queries",
    "FieldChange": "store.history",
    "HistoryEntry": "store.history",
    "network_filesystem_of": "store.team",
    "note_history": "store.team",
    "set_user_name": "store.team",
    "backup_store": "store.creating",
    "Change": "store.database",
    "Store": "store.database",
    "default_db_path": "store.database",
    "open_store": "store.database",
    "format_date": "store.dates",
    "parse_date": "store.dates",
    "Conflict": "store.errors",
    "HasLinks": "store.errors",
    "ImportFailed": "store.errors",
    "NewerStore": "store.errors",
    "NotAStore": "store.errors",
    "NotFound": "store.errors",
    "StoreError": "store.errors",
    "ReadOnlyStore": "store.errors",
    "StaleRecord": "store.errors",
    "StoreUnavailable": "store.errors",
    "ValidationError": "store.errors",
    "count_evidence": "store.evidence",
    "create_evidence": "store.evidence",
    "delete_evidence": "store.evidence",
    "get_evidence": "store.evidence",
    "is_missing": "store.evidence",
    "is_stale": "store.evidence",
    "list_evidence": "store.evidence",
    "location_status": "store.evidence",
    "update_evidence": "store.evidence",
    "count_findings": "store.findings",
    "create_finding": "store.findings",
    "delete_finding": "store.findings",
    "finding_children": "store.findings",
    "get_finding": "store.findings",
    "list_findings": "store.findings",
    "update_finding": "store.findings",
    "GAP_KINDS": "store.gaps",
    "find_gaps": "store.gaps",
    "gap_counts": "store.gaps",
    "link": "store.links",
    "unlink": "store.links",
    "count_measures": "store.measures",
    "create_measure": "store.measures",
    "delete_measure": "store.measures",
    "delete_measure_value": "store.measures",
    "get_measure": "store.measures",
    "get_measure_by_ref": "store.measures",
    "link_measure": "store.measures",
    "list_measure_values": "store.measures",
    "list_measures": "store.measures",
    "measure_links": "store.measures",
    "measures_linked_to": "store.measures",
    "set_measure_value": "store.measures",
    "unlink_measure": "store.measures",
    "update_measure": "store.measures",
    "Measure": "store.measure_rules",
    "MeasureValue": "store.measure_rules",
    "judge_brag": "store.measure_rules",
    "judge_direction": "store.measure_rules",
    "parse_period": "store.periods",
    "period_label": "store.periods",
    "build_pack": "store.pack",
    "pack_readiness": "store.pack",
    "set_stale_days": "store.settings",
    "create_source": "store.sources",
    "delete_source": "store.sources",
    "find_source_by_hash": "store.sources",
    "get_source": "store.sources",
    "list_sources": "store.sources",
    "update_source": "store.sources",
    "create_theme": "store.themes",
    "list_themes": "store.themes",
    "rename_theme": "store.themes",
    "create_visit": "store.visits",
    "delete_visit": "store.visits",
    "find_visit": "store.visits",
    "get_visit": "store.visits",
    "list_visits": "store.visits",
    "next_visit": "store.visits",
    "set_evidence_ready": "store.visits",
    "set_finding_in_pack": "store.visits",
    "update_visit": "store.visits",
    "due_date_warning": "store.validation",
}

if TYPE_CHECKING:  # the same names, for type checkers and editors
    from store.actions import (
        add_action_update,
        brag_counts,
        count_actions,
        create_action,
        delete_action,
        get_action,
        get_action_by_ref,
        list_action_updates,
        list_actions,
        update_action,
    )
    from store.creating import backup_store
    from store.database import (
        Change,
        Store,
        default_db_path,
        open_store,
    )
    from store.dates import (
        format_date,
        parse_date,
    )
    from store.errors import (
        Conflict,
        HasLinks,
        ImportFailed,
        NewerStore,
        NotAStore,
        NotFound,
        ReadOnlyStore,
        StaleRecord,
        StoreError,
        StoreUnavailable,
        ValidationError,
    )
    from store.evidence import (
        count_evidence,
        create_evidence,
        delete_evidence,
        get_evidence,
        is_missing,
        is_stale,
        list_evidence,
        location_status,
        update_evidence,
    )
    from store.findings import (
        count_findings,
        create_finding,
        delete_finding,
        finding_children,
        get_finding,
        list_findings,
        update_finding,
    )
    from store.gaps import (
        GAP_KINDS,
        find_gaps,
        gap_counts,
    )
    from store.history import FieldChange, HistoryEntry
    from store.history_queries import (
        RemovedLink,
        change_counter,
        describe,
        history_since,
        list_history,
        ready_ticks,
        entry_as_json,
        record_history,
        records_named,
        removed_links,
    )
    from store.links import (
        link,
        unlink,
    )
    from store.measure_rules import (
        Measure,
        MeasureValue,
        judge_brag,
        judge_direction,
    )
    from store.measures import (
        count_measures,
        create_measure,
        delete_measure,
        delete_measure_value,
        get_measure,
        get_measure_by_ref,
        link_measure,
        list_measure_values,
        list_measures,
        measure_links,
        measures_linked_to,
        set_measure_value,
        unlink_measure,
        update_measure,
    )
    from store.overview import (
        dashboard,
    )
    from store.pack import (
        build_pack,
        pack_readiness,
    )
    from store.periods import (
        parse_period,
        period_label,
    )
    from store.settings import (
        set_stale_days,
    )
    from store.sources import (
        create_source,
        delete_source,
        find_source_by_hash,
        get_source,
        list_sources,
        update_source,
    )
    from store.team import network_filesystem_of, note_history, set_user_name
    from store.themes import (
        create_theme,
        list_themes,
        rename_theme,
    )
    from store.validation import (
        due_date_warning,
    )
    from store.visits import (
        create_visit,
        delete_visit,
        find_visit,
        get_visit,
        list_visits,
        next_visit,
        set_evidence_ready,
        set_finding_in_pack,
        update_visit,
    )

__all__ = [
    "GAP_KINDS",
    "Change",
    "Conflict",
    "FieldChange",
    "HasLinks",
    "HistoryEntry",
    "ImportFailed",
    "Measure",
    "MeasureValue",
    "NewerStore",
    "NotAStore",
    "NotFound",
    "ReadOnlyStore",
    "RemovedLink",
    "StaleRecord",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "ValidationError",
    "add_action_update",
    "backup_store",
    "brag_counts",
    "build_pack",
    "change_counter",
    "count_actions",
    "count_evidence",
    "count_findings",
    "count_measures",
    "create_action",
    "create_evidence",
    "create_finding",
    "create_measure",
    "create_source",
    "create_theme",
    "create_visit",
    "dashboard",
    "default_db_path",
    "delete_action",
    "delete_evidence",
    "delete_finding",
    "delete_measure",
    "delete_measure_value",
    "delete_source",
    "delete_visit",
    "describe",
    "due_date_warning",
    "entry_as_json",
    "find_gaps",
    "find_source_by_hash",
    "find_visit",
    "finding_children",
    "format_date",
    "gap_counts",
    "get_action",
    "get_action_by_ref",
    "get_evidence",
    "get_finding",
    "get_measure",
    "get_measure_by_ref",
    "get_source",
    "get_visit",
    "history_since",
    "is_missing",
    "is_stale",
    "judge_brag",
    "judge_direction",
    "link",
    "link_measure",
    "list_action_updates",
    "list_actions",
    "list_evidence",
    "list_findings",
    "list_history",
    "list_measure_values",
    "list_measures",
    "list_sources",
    "list_themes",
    "list_visits",
    "location_status",
    "measure_links",
    "measures_linked_to",
    "network_filesystem_of",
    "next_visit",
    "note_history",
    "open_store",
    "pack_readiness",
    "parse_date",
    "parse_period",
    "period_label",
    "ready_ticks",
    "record_history",
    "records_named",
    "removed_links",
    "rename_theme",
    "set_evidence_ready",
    "set_finding_in_pack",
    "set_measure_value",
    "set_stale_days",
    "set_user_name",
    "unlink",
    "unlink_measure",
    "update_action",
    "update_evidence",
    "update_finding",
    "update_measure",
    "update_source",
    "update_visit",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
