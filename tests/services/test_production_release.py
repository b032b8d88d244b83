"""ERP -> MES release: exactly one work order with its operations, through a sync record."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from genims_tui.backend.errors import DomainError, NotFound, PermissionDenied
from genims_tui.backend.models.console import SyncRecords
from genims_tui.backend.models.erp import ErpMesSyncLog, ProductionOrders
from genims_tui.backend.models.manufacturing import WorkOrderOperations, WorkOrders
from genims_tui.backend.services import production

from .production_estate import PLANT, build, context


def counts(dbs) -> tuple[int, int, int, int]:
    with dbs.connect("genims_manufacturing_db") as conn:
        wos = conn.execute(select(func.count()).select_from(WorkOrders)).scalar()
        ops = conn.execute(select(func.count()).select_from(WorkOrderOperations)).scalar()
    with dbs.connect("genims_erp_db") as conn:
        logs = conn.execute(select(func.count()).select_from(ErpMesSyncLog)).scalar()
    with dbs.connect("genims_console_db") as conn:
        recs = conn.execute(select(func.count()).select_from(SyncRecords)).scalar()
    return wos, ops, logs, recs


def test_release_creates_one_work_order_with_operations_and_log(any_dbs):
    ctx = build(any_dbs)
    res = production.release_production_order(ctx.as_user(context(any_dbs, "production_manager").user), "PRD-000001")
    wo_id = res["work_order_id"]
    with any_dbs.connect("genims_manufacturing_db") as conn:
        wo = conn.execute(select(WorkOrders).where(WorkOrders.work_order_id == wo_id)).one()
        ops = conn.execute(select(WorkOrderOperations).where(WorkOrderOperations.work_order_id == wo_id)
                           .order_by(WorkOrderOperations.operation_sequence)).all()
    assert wo.status == "released" and wo.planned_quantity == 10 and wo.factory_id == PLANT
    assert wo.line_id == "LINE-000002"  # the primary line of the product at the plant
    assert wo.product_id == "PROD-000001" and wo.erp_order_id == "PRD-000001"
    assert wo.planned_start_date.date().isoformat() == "2026-11-23" and wo.planned_end_date.date().isoformat() == "2026-11-25"
    assert [o.operation_sequence for o in ops] == [10, 20]
    assert ops[0].planned_start_time == wo.planned_start_date and ops[-1].planned_end_time == wo.planned_end_date
    assert ops[0].planned_end_time == ops[1].planned_start_time
    with any_dbs.connect("genims_erp_db") as conn:
        po = conn.execute(select(ProductionOrders).where(ProductionOrders.production_order_id == "PRD-000001")).one()
        log = conn.execute(select(ErpMesSyncLog)).one()
    assert po.system_status == "released" and po.work_order_id == wo_id and po.released_by == "USR-production_manager"
    assert log.sync_direction == "ERP_TO_MES" and log.document_id == "PRD-000001" and log.sync_data["work_order_id"] == wo_id
    assert (log.sync_data["bom_id"], log.sync_data["routing_id"]) == ("BOM-000001", "RTG-000001")
    assert production.sync_status(ctx, production.RELEASE, "PRD-000001")["status"] == "done"
    assert counts(any_dbs) == (1, 2, 1, 1)

    with pytest.raises(DomainError, match="PRD-000001 is released already"):
        production.release_production_order(ctx, "PRD-000001")
    assert counts(any_dbs) == (1, 2, 1, 1)


def test_crash_between_databases_is_finished_by_a_rerun(sqlite_dbs, monkeypatch):
    ctx = build(sqlite_dbs)
    real = production.ErpMesSyncLog

    class Boom(Exception):
        pass

    calls = {"n": 0}
    original_insert = production.insert

    def failing_insert(table, *a, **k):
        if table is real and calls["n"] == 0:
            calls["n"] += 1
            raise Boom("process died after the MES write")
        return original_insert(table, *a, **k)

    monkeypatch.setattr(production, "insert", failing_insert)
    with pytest.raises(Boom):
        production.release_production_order(ctx, "PRD-000001")
    rec = production.sync_status(ctx, production.RELEASE, "PRD-000001")
    assert rec["status"] == "failed" and rec["attempts"] == 1 and "process died" in rec["last_error"]
    assert counts(sqlite_dbs) == (1, 2, 0, 1)  # the MES part happened, the ERP part did not
    with sqlite_dbs.connect("genims_erp_db") as conn:
        assert conn.execute(select(ProductionOrders.system_status)).scalar() == "created"

    res = production.release_production_order(ctx, "PRD-000001")
    assert res["resumed"] and res["work_order_id"] == rec["target_ref"]
    assert counts(sqlite_dbs) == (1, 2, 1, 1)
    assert production.sync_status(ctx, production.RELEASE, "PRD-000001")["status"] == "done"


def test_roles_and_bad_input_change_nothing(sqlite_dbs):
    ctx = build(sqlite_dbs)
    for role in ("warehouse_operator", "planner", "shopfloor_operator"):
        with pytest.raises(PermissionDenied):
            production.release_production_order(context(sqlite_dbs, role), "PRD-000001")
    with pytest.raises(NotFound, match="no production order PRD-999999"):
        production.release_production_order(ctx, "PRD-999999")
    with pytest.raises(DomainError, match="required"):
        production.release_production_order(ctx, " ")
    from .production_estate import add_order

    add_order(sqlite_dbs, "PRD-000077", status="completed")
    with pytest.raises(DomainError, match="PRD-000077 is completed already; only created"):
        production.release_production_order(ctx, "PRD-000077")
    assert counts(sqlite_dbs) == (0, 0, 0, 0)
    assert production.release_production_order(context(sqlite_dbs, "plant_manager"), "PRD-000001")["status"] == "released"
