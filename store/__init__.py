"""visitprep's store: the domain and its data, as a plain Python library (no Textual).

The terminal app and the command line are both clients of the functions exported here.
Every function takes an open :class:`Store` first; each call is one transaction, and
``with store.batch():`` makes many calls one all-or-nothing transaction.
"""

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
from store.dashboard import dashboard
from store.database import Change, Store, default_db_path, open_store
from store.dates import format_date, parse_date
from store.errors import (
    Conflict,
    HasLinks,
    ImportFailed,
    NewerStore,
    NotAStore,
    NotFound,
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
from store.gaps import GAP_KINDS, find_gaps, gap_counts
from store.links import link, unlink
from store.pack import build_pack
from store.sources import (
    create_source,
    delete_source,
    find_source_by_hash,
    get_source,
    list_sources,
    update_source,
)
from store.themes import create_theme, list_themes, rename_theme
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
    "HasLinks",
    "ImportFailed",
    "NewerStore",
    "NotAStore",
    "NotFound",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "ValidationError",
    "add_action_update",
    "brag_counts",
    "build_pack",
    "count_actions",
    "count_evidence",
    "count_findings",
    "create_action",
    "create_evidence",
    "create_finding",
    "create_source",
    "create_theme",
    "create_visit",
    "dashboard",
    "default_db_path",
    "delete_action",
    "delete_evidence",
    "delete_finding",
    "delete_source",
    "delete_visit",
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
    "get_source",
    "get_visit",
    "is_missing",
    "is_stale",
    "link",
    "list_action_updates",
    "list_actions",
    "list_evidence",
    "list_findings",
    "list_sources",
    "list_themes",
    "list_visits",
    "location_status",
    "next_visit",
    "open_store",
    "parse_date",
    "rename_theme",
    "set_evidence_ready",
    "set_finding_in_pack",
    "unlink",
    "update_action",
    "update_evidence",
    "update_finding",
    "update_source",
    "update_visit",
]
