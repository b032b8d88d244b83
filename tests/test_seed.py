"""`genims seed` end to end: real loads into SQLite and PostgreSQL, then the rules the data must keep."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import text

from genims_tui.backend.catalog import load_catalog
from genims_tui.backend.check import check_conformance, check_references
from genims_tui.backend.databases import LOGICAL_DATABASES
from genims_tui.seeds import runner
from genims_tui.seeds.framework import TableStream
from genims_tui.seeds.runner import run_seed, seed_states

AS_OF = dt.datetime(2026, 11, 20, 8, 0)
SMALL = 0.05

# Columns that record something that has happened: never after the seed's "now". Planned, due,
# expiry and validity dates may lie ahead.
EVENT_SUFFIXES = ("_at",)
EVENT_NAMES = {"created_at", "updated_at", "timestamp", "log_timestamp", "sync_timestamp", "error_timestamp",
               "audit_timestamp", "match_timestamp", "event_timestamp", "transaction_date", "posting_date",
               "order_date", "po_date", "gr_date", "detected_date", "complaint_date", "actual_start_time",
               "actual_end_time", "actual_start_date", "actual_finish_date", "actual_delivery_date",
               "actual_ship_date", "inspection_date", "clock_in_time", "clock_out_time", "fault_start_time",
               "downtime_start", "changeover_start", "movement_timestamp", "attendance_date", "incident_date",
               "invoice_date", "requisition_date", "rfq_date", "calibration_date", "kpi_date", "metric_date",
               "measurement_timestamp", "reading_date", "interaction_date", "activity_date", "ticket_date"}


def is_event_column(name: str) -> bool:
    if name in ("valid_until_date",) or name.startswith(("planned_", "scheduled_", "next_", "expected_", "due_")):
        return False
    return name in EVENT_NAMES or (name.endswith(EVENT_SUFFIXES) and not name.startswith(("expires", "due")))


def seed_small(dbs, seed: int = 7):
    return run_seed(dbs, scale=SMALL, seed=seed, as_of=AS_OF)


def q(dbs, database: str, sql: str, **params):
    with dbs.connect(database) as conn:
        return conn.execute(text(sql), params).all()


def _as_dt(value) -> dt.datetime:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


# -- one seeded estate per backend, shared by the rule tests --------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "pg-databases", "pg-schemas"])
def seeded(request, tmp_path_factory):
    """One small seeded estate per backend, shared by the rule tests below."""
    import uuid

    from conftest import _drop_pg_databases, pg_env, require_pg, sqlite_env

    from genims_tui.backend.databases import Databases
    from genims_tui.config import load_settings

    tmp = tmp_path_factory.mktemp("seeded")
    tag = None
    if request.param == "sqlite":
        env = sqlite_env(tmp)
    else:
        require_pg()
        tag = uuid.uuid4().hex[:8]
        env = pg_env(request.param.removeprefix("pg-"), tag, tmp)
    dbs = Databases(load_settings(environ=env))
    try:
        yield dbs, seed_small(dbs)
    finally:
        dbs.dispose()
        if tag:
            _drop_pg_databases(f"gtest_{tag}%")


def test_every_database_is_seeded_and_conforms(seeded):
    dbs, report = seeded
    assert {d.database for d in report.databases} == set(LOGICAL_DATABASES)
    assert check_conformance(dbs).ok
    for d in report.databases:
        assert d.rows > 0, d.database
    states = seed_states(dbs)
    assert set(states) == set(LOGICAL_DATABASES)
    assert all(s["seed"] == 7 and s["as_of"] == AS_OF for s in states.values())


def test_every_table_has_rows(seeded):
    dbs, report = seeded
    empty = [f"{d.database}.{t}" for d in report.databases for t, n in d.tables.items() if n == 0]
    generated = {(d.database, t) for d in report.databases for t in d.tables}
    never = [f"{db}.{t}" for db, tables in load_catalog().items() for t in tables if (db, t) not in generated]
    assert empty == [] and never == []


def test_no_dangling_references(seeded):
    dbs, _ = seeded
    refs = check_references(dbs)
    assert refs.references_checked == 627
    assert [d.as_dict() for d in refs.dangling] == []


def test_nothing_happened_after_as_of(seeded):
    dbs, _ = seeded
    late = []
    for database, tables in load_catalog().items():
        for table, cols in tables.items():
            for name, sql_type, _pk, _ref in cols:
                if sql_type not in ("DATE", "TIMESTAMP") or not is_event_column(name):
                    continue
                (latest,) = q(dbs, database, f'SELECT MAX("{name}") FROM "{table}"')[0]
                if latest is not None and _as_dt(latest) > AS_OF:
                    late.append(f"{database}.{table}.{name}={latest}")
    assert late == []


def test_erp_stock_is_conserved(seeded):
    dbs, _ = seeded
    balances = q(
        dbs,
        "genims_erp_db",
        "SELECT material_id, plant_id, storage_location, batch_number, "
        "COALESCE(unrestricted_stock,0)+COALESCE(quality_inspection_stock,0)+COALESCE(blocked_stock,0) FROM inventory_balances",
    )
    moves = defaultdict(Decimal)
    for mat, plant, loc, batch, qty in q(
        dbs, "genims_erp_db",
        "SELECT material_id, plant_id, storage_location, batch_number, quantity FROM inventory_transactions "
        "WHERE COALESCE(cancelled, false) = false",
    ):
        moves[(mat, plant, loc, batch)] += Decimal(str(qty))
    assert balances, "no inventory balances"
    wrong = [(k, stock, moves.get(tuple(k))) for *k, stock in balances if abs(Decimal(str(stock)) - moves.get(tuple(k), 0)) > Decimal("0.001")]
    assert wrong == []
    assert all(Decimal(str(stock)) >= 0 for *_k, stock in balances)


def test_journal_entries_balance_and_trial_balance_is_zero(seeded):
    dbs, _ = seeded
    unbalanced = q(
        dbs, "genims_financial_db",
        "SELECT h.journal_entry_id FROM journal_entry_headers h JOIN journal_entry_lines l "
        "ON l.journal_entry_id = h.journal_entry_id GROUP BY h.journal_entry_id "
        "HAVING ABS(SUM(COALESCE(l.debit_amount,0)) - SUM(COALESCE(l.credit_amount,0))) > 0.004",
    )
    assert unbalanced == []
    (debits, credits) = q(
        dbs, "genims_financial_db",
        "SELECT SUM(COALESCE(debit_amount,0)), SUM(COALESCE(credit_amount,0)) FROM journal_entry_lines",
    )[0]
    assert debits and abs(Decimal(str(debits)) - Decimal(str(credits))) < Decimal("0.01")
    erp_unbalanced = q(
        dbs, "genims_erp_db",
        "SELECT document_number FROM general_ledger GROUP BY document_number "
        "HAVING ABS(SUM(COALESCE(debit_amount,0)) - SUM(COALESCE(credit_amount,0))) > 0.004",
    )
    assert erp_unbalanced == []


def test_receipts_follow_their_purchase_orders(seeded):
    dbs, _ = seeded
    early = q(
        dbs, "genims_erp_db",
        "SELECT g.goods_receipt_id FROM goods_receipts g JOIN purchase_orders p "
        "ON p.purchase_order_id = g.purchase_order_id WHERE g.gr_date < p.po_date",
    )
    assert early == []


def test_work_orders_inside_their_production_order_window(seeded):
    dbs, _ = seeded
    windows = {
        po: (_as_dt(start), _as_dt(end) + dt.timedelta(days=1))
        for po, start, end in q(dbs, "genims_erp_db", "SELECT production_order_id, basic_start_date, basic_end_date FROM production_orders")
    }
    by_wo = {wo: po for po, wo in q(dbs, "genims_erp_db", "SELECT production_order_id, work_order_id FROM production_orders WHERE work_order_id IS NOT NULL")}
    outside = []
    for wo, start, end in q(dbs, "genims_manufacturing_db", "SELECT work_order_id, planned_start_date, planned_end_date FROM work_orders"):
        po = by_wo.get(wo)
        if po is None:
            continue
        lo, hi = windows[po]
        if _as_dt(start) < lo or _as_dt(end) > hi:
            outside.append(wo)
    assert by_wo and outside == []


def test_wms_agrees_with_erp_except_a_small_deliberate_set(seeded):
    dbs, _ = seeded
    erp = defaultdict(Decimal)
    for mat, plant, qty in q(
        dbs, "genims_erp_db",
        "SELECT material_id, plant_id, SUM(COALESCE(unrestricted_stock,0)+COALESCE(quality_inspection_stock,0)+COALESCE(blocked_stock,0)) "
        "FROM inventory_balances GROUP BY material_id, plant_id",
    ):
        erp[(mat, plant)] = Decimal(str(qty))
    plant_of = dict(q(dbs, "genims_wms_db", "SELECT warehouse_id, plant_id FROM warehouses"))
    wms = defaultdict(Decimal)
    for wh, mat, qty in q(dbs, "genims_wms_db", "SELECT warehouse_id, material_id, SUM(quantity_on_hand) FROM warehouse_inventory GROUP BY warehouse_id, material_id"):
        wms[(mat, plant_of[wh])] += Decimal(str(qty))
    keys = set(erp) | set(wms)
    different = [k for k in keys if abs(erp.get(k, 0) - wms.get(k, 0)) > Decimal("0.001")]
    assert 0 < len(different) <= max(3, len(keys) // 10), (len(different), len(keys))


def test_some_inspections_fail_and_become_ncrs(seeded):
    dbs, _ = seeded
    failed = q(dbs, "genims_manufacturing_db", "SELECT inspection_id, ncr_number FROM quality_inspections WHERE inspection_result IN ('fail', 'failed', 'rejected')")
    assert failed
    ncrs = {r[0] for r in q(dbs, "genims_quality_db", "SELECT ncr_number FROM ncr_headers")}
    assert all(n in ncrs for _i, n in failed if n)


# -- determinism, atomicity, reruns ---------------------------------------------------------------


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    from genims_tui.backend.databases import Databases
    from genims_tui.config import load_settings

    def estate(name):
        return Databases(load_settings(environ={"GENIMS_DATA_DIR": str(tmp_path / name), "GENIMS_CONFIG": str(tmp_path / "c.toml")}))

    a, b, c = estate("a"), estate("b"), estate("c")
    try:
        first = run_seed(a, scale=0.02, seed=11, as_of=AS_OF)
        second = run_seed(b, scale=0.02, seed=11, as_of=AS_OF)
        other = run_seed(c, scale=0.02, seed=12, as_of=AS_OF)
    finally:
        for d in (a, b, c):
            d.dispose()
    assert first.checksum == second.checksum
    assert {d.database: d.checksum for d in first.databases} == {d.database: d.checksum for d in second.databases}
    assert first.checksum != other.checksum


def test_failed_load_leaves_the_database_untouched_and_rerun_works(sqlite_dbs, monkeypatch):
    first = run_seed(sqlite_dbs, scale=0.02, seed=5, as_of=AS_OF, only="master,hr,operations")
    before = q(sqlite_dbs, "genims_operations_db", "SELECT COUNT(*) FROM sensor_data")[0][0]
    assert before > 0

    real = runner.generator("genims_operations_db").generate

    def broken(ctx):
        tables = real(ctx)
        stream = tables["sensor_data"]

        def rows():
            for i, row in enumerate(stream.rows()):
                if i == 500:
                    raise RuntimeError("disk unplugged")
                yield row

        tables["sensor_data"] = TableStream(stream.columns, rows, stream.estimated_rows)
        return tables

    monkeypatch.setattr(runner.generator("genims_operations_db"), "generate", broken)
    with pytest.raises(RuntimeError, match="disk unplugged"):
        run_seed(sqlite_dbs, scale=0.03, seed=6, as_of=AS_OF, only="operations,master,hr")
    # master and hr come before operations and were replaced; operations kept its previous contents.
    assert q(sqlite_dbs, "genims_operations_db", "SELECT COUNT(*) FROM sensor_data")[0][0] == before
    assert seed_states(sqlite_dbs)["genims_operations_db"]["seed"] == 5
    monkeypatch.undo()
    again = run_seed(sqlite_dbs, scale=0.02, seed=5, as_of=AS_OF, only="master,hr,operations")
    assert again.checksum == first.checksum
    assert q(sqlite_dbs, "genims_operations_db", "SELECT COUNT(*) FROM sensor_data")[0][0] == before


def test_partial_seed_follows_the_loaded_parameters(sqlite_dbs):
    run_seed(sqlite_dbs, scale=0.02, seed=9, as_of=AS_OF, only="master,hr,erp")
    report = run_seed(sqlite_dbs, only="erp")
    assert (report.seed, report.scale, report.as_of) == (9, 0.02, AS_OF)
    from genims_tui.backend.errors import ConfigError

    with pytest.raises(ConfigError, match="would not line up"):
        run_seed(sqlite_dbs, only="erp", seed=10)


def test_new_rows_get_fresh_keys_after_a_seed(seeded):
    """Identity sequences (PostgreSQL) and rowids (SQLite) continue after the loaded keys."""
    dbs, _ = seeded
    with dbs.begin("genims_operations_db") as conn:
        top = conn.execute(text("SELECT MAX(fault_id) FROM machine_faults")).scalar_one()
        new_id = conn.execute(text("INSERT INTO machine_faults (machine_id) VALUES ('X') RETURNING fault_id")).scalar_one()
        conn.execute(text("DELETE FROM machine_faults WHERE fault_id = :i"), {"i": new_id})
    assert top and new_id > top


def test_ctrl_c_leaves_each_database_complete_or_untouched(tmp_path):
    """A real SIGINT in the middle of `genims seed`: every database then holds exactly the rows of
    its last complete seed (the earlier one, or the interrupted run's for those it finished)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from conftest import sqlite_env

    from genims_tui.backend.databases import Databases, count_rows
    from genims_tui.backend.models import BASES
    from genims_tui.config import load_settings

    env = {**os.environ, **sqlite_env(tmp_path)}
    cmd = [sys.executable, "-m", "genims_tui", "seed", "--as-of", AS_OF.isoformat(), "--json"]
    first = subprocess.run([*cmd, "--scale", "0.02", "--seed", "1"], env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr

    proc = subprocess.Popen([*cmd, "--scale", "0.4", "--seed", "2"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    dbs = Databases(load_settings(environ=sqlite_env(tmp_path)))
    try:
        # Interrupt once the second run has finished a database or two, while others are still to come.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if any(s["seed"] == 2 for s in seed_states(dbs).values()):
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, err
        assert "Interrupted" in err and "Traceback" not in err

        states = seed_states(dbs)
        seeds_now = {s["seed"] for s in states.values()}
        assert seeds_now == {1, 2}, "the interrupt should land between the first and the last database"
        for database, state in states.items():
            with dbs.connect(database) as conn:
                rows = count_rows(conn, BASES[database].metadata.tables.values())
            assert rows == state["row_count"], (database, rows, state)
    finally:
        if proc.poll() is None:
            proc.kill()
        dbs.dispose()
