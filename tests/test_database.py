"""Opening stores: new ones are private, old ones are upgraded with a backup, foreign ones refused."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

import store as api
from store import migrations
from store.database import resolve_url
from store.errors import NewerStore, NotAStore, StoreUnavailable
from store.opening import open_store


def _snapshot(path: Path) -> bytes:
    return path.read_bytes()


def test_a_new_store_is_readable_by_its_owner_only_and_has_the_themes(tmp_path: Path) -> None:
    path = tmp_path / "new" / "visitprep.db"
    opened = open_store(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    names = [t.name for t in api.list_themes(opened)]
    assert names[0] == "Front door and MASH" and "Care leavers" in names and len(names) == 18


def test_every_connection_has_foreign_keys_wal_and_a_busy_timeout(store: api.Store) -> None:
    for _ in range(2):  # a second pooled connection gets the same settings
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Minutes of the improvement board, 12 January 2018\n")
    before = _snapshot(path)
    with pytest.raises(NotAStore, match="not a visitprep store"):
        open_store(path)
    assert _snapshot(path) == before


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO contacts (name) VALUES ('Duty desk')")
    before = _snapshot(path)
    with pytest.raises(NotAStore, match="contacts"):
        open_store(path)
    assert _snapshot(path) == before


def test_a_store_from_a_newer_visitprep_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "visitprep.db"
    open_store(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = _snapshot(path)
    with pytest.raises(NewerStore, match="newer visitprep"):
        open_store(path)
    assert _snapshot(path) == before


def test_an_older_store_is_upgraded_with_its_data_intact_and_a_backup_beside_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    url = resolve_url(path)
    # Build a store as the first release wrote it, with data in it.
    from sqlalchemy import create_engine

    engine = create_engine(url)
    migrations.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO theme (name, position) VALUES ('Care leavers', 1)"))
        connection.execute(
            text(
                "INSERT INTO evidence (title, kind, owner, location, impact, personal_data) "
                "VALUES ('Pathway plan audit', 'audit', 'Head of Care Leavers', '', 'Plans improving', 0)"
            )
        )
    engine.dispose()
    assert migrations.schema_state(create_engine(url)).revision == "0001"

    opened = open_store(path, today=date(2018, 1, 20))

    evidence = api.list_evidence(opened)
    assert [(e.title, e.owner, e.missing_since) for e in evidence] == [
        ("Pathway plan audit", "Head of Care Leavers", None)
    ]
    assert migrations.schema_state(opened.engine).kind == "current"
    backups = list(tmp_path.glob("visitprep.db.backup-0001-*"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert connection.execute("SELECT title FROM evidence").fetchall() == [
            ("Pathway plan audit",)
        ]


def test_a_store_upgraded_to_0004_keeps_its_rows_and_sorts_refs_naturally(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    from sqlalchemy import create_engine

    engine = create_engine(resolve_url(path))
    migrations.upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (kind, title, local_authority, framework, lead_inspector, "
                "url, file_path) VALUES ('inspection', 'Northbridge ILACS 2017', '', 'ILACS', "
                "'', '', '')"
            )
        )
        for ref in ("R10", "R2", "R1", "Para 41"):
            connection.execute(
                text(
                    "INSERT INTO finding (ref, source_id, kind, judgement_area, text, title, "
                    "status) VALUES (:ref, 1, 'improvement area', '', '', :title, 'open')"
                ),
                {"ref": ref, "title": f"Finding {ref}"},
            )
        for ref in ("10.1", "2.1", "1.10", "1.9"):
            connection.execute(
                text(
                    "INSERT INTO action (ref, title, description, owner, brag, success_measure) "
                    "VALUES (:ref, :title, '', '', 'green', '')"
                ),
                {"ref": ref, "title": f"Action {ref}"},
            )
        connection.execute(text("INSERT INTO finding_action VALUES (3, 4)"))
    engine.dispose()

    opened = open_store(path, today=date(2018, 1, 20))

    assert migrations.schema_state(opened.engine).revision == migrations.head_revision()
    assert [f.ref for f in api.list_findings(opened)] == ["R1", "R2", "R10", "Para 41"]
    assert [(a.ref, a.finding_count) for a in api.list_actions(opened)] == [
        ("1.9", 1), ("1.10", 0), ("2.1", 0), ("10.1", 0),
    ]  # fmt: skip
    # The last action added was 1.9; 1.10 is taken, so a new one carries on at 1.11.
    assert api.create_action(opened, title="Added after the upgrade").ref == "1.11"
    backups = list(tmp_path.glob("visitprep.db.backup-0003-*"))
    assert len(backups) == 1
    with sqlite3.connect(path) as connection:
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        plan = connection.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM action ORDER BY ref_key, id LIMIT 5"
        ).fetchall()
    assert {"ix_finding_source_id_ref_key", "ix_action_ref_key"} <= indexes
    assert "ix_action_ref_key" in str(plan) and "TEMP B-TREE" not in str(plan)


def _store_at_0004(path: Path, sources: list[tuple[str, str]], links: dict[str, str]) -> None:
    """A store as 0004 wrote it: one finding per (title, local authority) source, ref R<n>,
    and ``links`` (finding ref -> "action", "evidence", "pack" or "dropped") on some."""
    from sqlalchemy import create_engine

    engine = create_engine(resolve_url(path))
    migrations.upgrade(engine, "0004")
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        run(
            "INSERT INTO action (ref, ref_key, title, description, owner, brag, "
            "success_measure) VALUES ('1.1', '', 'Audit plans', '', '', 'green', '')"
        )
        run(
            "INSERT INTO evidence (title, kind, owner, location, impact, personal_data) "
            "VALUES ('Audit', 'audit', '', '', '', 0)"
        )
        run(
            "INSERT INTO visit (title, kind, start_date, notes) "
            "VALUES ('Visit', 'monitoring visit', '2018-03-01', '')"
        )
        for number, (title, council) in enumerate(sources, start=1):
            run(
                "INSERT INTO source (kind, title, local_authority, framework, lead_inspector, "
                "url, file_path) VALUES ('inspection', ?, ?, 'ILACS', '', '', '')",
                (title, council),
            )
            run(
                "INSERT INTO finding (ref, ref_key, source_id, kind, judgement_area, text, "
                "title, status) VALUES (?, '', ?, 'improvement area', '', '', ?, 'open')",
                (f"R{number}", number, f"Finding of {title}"),
            )
        for ref, how in links.items():
            finding = int(ref.removeprefix("R"))
            run({
                "action": "INSERT INTO finding_action VALUES (?, 1)",
                "evidence": "INSERT INTO finding_evidence VALUES (?, 1)",
                "pack": "INSERT INTO visit_finding (visit_id, finding_id, included) "
                        "VALUES (1, ?, 1)",
                "dropped": "INSERT INTO visit_finding (visit_id, finding_id, included) "
                           "VALUES (1, ?, 0)",
            }[how], (finding,))  # fmt: skip
    engine.dispose()


def test_a_store_upgraded_to_0005_keeps_its_rows_and_sets_other_councils_reports_apart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "visitprep.db"
    sources = [
        ("Northbridge ILACS 2018", "Northbridge"),  # R1: answered by an action
        ("Northbridge monitoring visit 1", " northbridge "),  # R2: the same council
        ("Haringey ILACS 2018", "Haringey"),  # R3: searched only: another council's
        ("Bradford ILACS 2018", "Bradford"),  # R4: added to a pack by hand: kept ours
        ("Internal audit of CP plans", ""),  # R5: no local authority: ours
        ("Salford ILACS 2018", "Salford"),  # R6: dropped from a pack: still another's
        ("Kent SIF 2013", "Kent"),  # R7: evidence linked to it: kept ours
    ]
    links = {"R1": "action", "R4": "pack", "R6": "dropped", "R7": "evidence"}
    _store_at_0004(path, sources, links)

    opened = open_store(path, today=date(2018, 1, 20))

    assert migrations.schema_state(opened.engine).revision == migrations.head_revision()
    whose = {s.title: s.ours for s in api.list_sources(opened)}
    assert [title for title, ours in whose.items() if not ours] == [
        "Haringey ILACS 2018",
        "Salford ILACS 2018",
    ]
    assert len(whose) == 7 and api.count_findings(opened) == 7
    assert [f.ref for f in api.list_findings(opened, ours=False)] == ["R3", "R6"]
    numbers = api.dashboard(opened, with_pack=False)
    assert (numbers.finding_count, numbers.other_finding_count) == (5, 2)
    assert [g.ref for g in api.find_gaps(opened) if g.kind == "no_action"] == [
        "R2", "R4", "R5", "R7",
    ]  # fmt: skip
    with sqlite3.connect(path) as connection:
        plan = connection.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM finding WHERE status = 'open' "
            "AND kind = 'weakness' AND source_id NOT IN (SELECT id FROM source WHERE NOT ours)"
        ).fetchall()
    assert "COVERING INDEX ix_finding_status_kind_source_id" in str(plan)
    [backup] = tmp_path.glob("visitprep.db.backup-0004-*")
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0004",)
        assert connection.execute("SELECT count(*) FROM finding").fetchone() == (7,)


@pytest.mark.parametrize(
    ("sources", "links"),
    [
        # One council's reports only: all its own, linked or not.
        ([("Northbridge ILACS", "Northbridge"), ("Northbridge MV1", "NORTHBRIDGE")], {}),
        # Two councils, but nothing answered yet: nothing says which is the lead's.
        ([("Northbridge ILACS", "Northbridge"), ("Haringey ILACS", "Haringey")], {}),
        # Dropped from a pack is not a use of it.
        ([("Northbridge ILACS", "Northbridge"), ("Haringey ILACS", "Haringey")],
         {"R2": "dropped"}),
    ],
)  # fmt: skip
def test_a_store_with_no_sign_of_another_council_stays_all_ours_on_upgrade(
    tmp_path: Path, sources: list[tuple[str, str]], links: dict[str, str]
) -> None:
    path = tmp_path / "visitprep.db"
    _store_at_0004(path, sources, links)
    opened = open_store(path, today=date(2018, 1, 20))
    assert all(s.ours for s in api.list_sources(opened))
    assert api.dashboard(opened, with_pack=False).other_finding_count == 0


def test_a_store_upgraded_to_0006_counts_out_of_date_evidence_on_one_index(
    tmp_path: Path,
) -> None:
    from sqlalchemy import create_engine

    path = tmp_path / "visitprep.db"
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO evidence (title, kind, as_of, owner, location, impact, review_by, "
            "personal_data) VALUES ('Practice standards', 'policy', '2016-06-01', '', '', '', "
            "'2018-06-01', 0), ('Case audit', 'audit', '2017-05-20', '', '', '', NULL, 0)"
        )
    engine.dispose()
    opened = open_store(path, today=date(2018, 1, 20))
    assert [e.title for e in api.list_evidence(opened, stale=True)] == ["Case audit"]
    assert len(list(tmp_path.glob("visitprep.db.backup-0005-*"))) == 1
    with sqlite3.connect(path) as connection:
        plan = connection.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM evidence WHERE review_by < '2018-01-20' "
            "OR (review_by IS NULL AND as_of < '2017-07-21')"
        ).fetchall()
    assert str(plan).count("COVERING INDEX ix_evidence_review_by_as_of") == 2


def test_a_folder_that_cannot_be_created_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailable, match="Cannot create"):
        open_store(blocker / "sub" / "visitprep.db")


def test_a_read_only_store_refuses_writes_clearly_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "visitprep.db"
    opened = open_store(path)
    api.create_evidence(opened, title="Audit")
    opened.close()
    read_only = open_store(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StoreUnavailable, match="read-only"):
        api.create_evidence(read_only, title="Another")
    assert [e.title for e in api.list_evidence(read_only)] == ["Audit"]


def test_db_accepts_a_path_or_an_sqlalchemy_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"
    monkeypatch.setenv("VISITPREP_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("env.db")
    monkeypatch.delenv("VISITPREP_DB")
    assert resolve_url(None).endswith("visitprep/visitprep.db")
