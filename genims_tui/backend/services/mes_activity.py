"""MES shop-floor activity between release and confirmation: a released work order starts, production
is reported against it (good and rejected units; operations complete in sequence as the work order
advances), and in-process quality inspections are recorded (a failed one is what the QMS daemon turns
into an NCR). Confirming a finished work order to the ERP is `production.confirm_work_order`.

Each call is one transaction on genims_manufacturing_db, checks the user's permission and leaves an
audit record; quantities are whole units and never exceed the work order's planned quantity.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update

from ..errors import DomainError, NotFound
from ..models.manufacturing import QualityInspections, WorkOrderOperations, WorkOrders
from .base import ServiceContext

MFG = "genims_manufacturing_db"
ACTIVE_STATES = ("released", "in_progress")
INSPECTION_RESULTS = ("pass", "fail")


def _locked_work_order(conn, work_order_id: str):
    wo = conn.execute(select(WorkOrders).where(WorkOrders.work_order_id == work_order_id).with_for_update()).first()
    if wo is None:
        raise NotFound(f"There is no work order {work_order_id}.")
    return wo


def _operations(conn, work_order_id: str) -> list[Any]:
    return conn.execute(select(WorkOrderOperations).where(WorkOrderOperations.work_order_id == work_order_id)
                        .order_by(WorkOrderOperations.operation_sequence, WorkOrderOperations.operation_id)).all()


def report_production(ctx: ServiceContext, work_order_id: str, good: int, rejected: int = 0) -> dict[str, Any]:
    """Add produced units to a released or in-progress work order (starting it if need be).

    Operations advance with the work order: operation i of n is completed once the work order is
    (i+1)/n of the way through its planned quantity; the last one completes at confirmation. Returns
    the new totals and the operations completed by this report."""
    ctx.require(MFG, "write", "Reporting production on a work order")
    if int(good) != good or int(rejected) != rejected or good < 0 or rejected < 0 or good + rejected <= 0:
        raise DomainError("Report whole units: good and rejected at least 0, together more than 0.")
    good, rejected = int(good), int(rejected)
    now = ctx.now()
    with ctx.transaction(MFG) as conn:
        wo = _locked_work_order(conn, work_order_id)
        if wo.status not in ACTIVE_STATES:
            raise DomainError(f"{work_order_id} is {wo.status}; production is reported on released or in-progress work orders.")
        planned = int(wo.planned_quantity or 0)
        done_before = int(wo.good_quantity or 0) + int(wo.rejected_quantity or 0)
        if done_before + good + rejected > planned:
            raise DomainError(f"{work_order_id}: {done_before} of {planned} units are reported already; "
                              f"{good + rejected} more would exceed the planned quantity.")
        g, r = int(wo.good_quantity or 0) + good, int(wo.rejected_quantity or 0) + rejected
        produced = g + r
        started = wo.actual_start_time or now
        conn.execute(update(WorkOrders).where(WorkOrders.work_order_id == work_order_id).values(
            status="in_progress", actual_start_time=started, produced_quantity=produced, good_quantity=g,
            rejected_quantity=r, yield_percentage=Decimal(100 * g / produced).quantize(Decimal("0.01")),
            quality_status=wo.quality_status or "in_inspection", updated_at=now))
        ops = _operations(conn, work_order_id)
        completed_now = []
        for i, op in enumerate(ops):
            last = i == len(ops) - 1
            threshold = planned * (i + 1) / len(ops)
            finished = not last and produced >= threshold
            values: dict[str, Any] = {
                "completed_quantity": g if last else produced, "rejected_quantity": r if last else 0,
                "updated_at": now}
            if op.status != "completed":
                values["status"] = "completed" if finished else "in_progress"
                if op.actual_start_time is None:
                    values["actual_start_time"] = now
                if finished:
                    values["actual_end_time"] = now
                    values["actual_duration_minutes"] = int((now - (op.actual_start_time or started)).total_seconds() // 60)
                    completed_now.append({"operation_id": op.operation_id, "requires_inspection": bool(op.requires_inspection)})
                    if op.requires_inspection:
                        values["inspection_status"] = "pending"
            else:
                values = {"updated_at": now}
            conn.execute(update(WorkOrderOperations).where(WorkOrderOperations.operation_id == op.operation_id).values(**values))
        ctx.audit("mes.work_order.report", MFG, "work_order", work_order_id,
                  before={"good": wo.good_quantity, "rejected": wo.rejected_quantity, "status": wo.status},
                  after={"good": g, "rejected": r, "status": "in_progress",
                         "operations_completed": [c["operation_id"] for c in completed_now]})
    return {"work_order_id": work_order_id, "good": g, "rejected": r, "planned": planned,
            "finished": produced >= planned, "operations_completed": completed_now,
            "last_operation_id": ops[-1].operation_id if ops else None}


def record_inspection(ctx: ServiceContext, work_order_id: str, *, operation_id: str | None, result: str,
                      inspection_type: str = "in_process", sample_size: int = 5, critical_defects: int = 0,
                      major_defects: int = 0, minor_defects: int = 0, inspector_id: str | None = None,
                      notes: str | None = None, when: dt.datetime | None = None) -> dict[str, Any]:
    """Record a quality inspection of a work order (operation); a failed one waits for disposition
    (the QMS daemon raises its NCR). Returns the inspection id."""
    ctx.require(MFG, "write", "Recording a quality inspection")
    result = (result or "").strip().lower()
    if result not in INSPECTION_RESULTS:
        raise DomainError(f"Unknown inspection result {result!r}.", "Use pass or fail.")
    defects = [int(x) for x in (critical_defects, major_defects, minor_defects)]
    if min(defects) < 0 or sample_size < 1:
        raise DomainError("Defect counts must be at least 0 and the sample size at least 1.")
    if result == "fail" and defects[0] + defects[1] == 0:
        raise DomainError("A failed inspection names at least one critical or major defect.")
    when = when or ctx.now()
    inspection_id = ctx.next_key("QI", QualityInspections.__table__, "inspection_id", MFG, width=7)
    failed = result == "fail"
    with ctx.transaction(MFG) as conn:
        wo = _locked_work_order(conn, work_order_id)
        if operation_id is not None:
            op = conn.execute(select(WorkOrderOperations.operation_id).where(
                WorkOrderOperations.operation_id == operation_id,
                WorkOrderOperations.work_order_id == work_order_id)).first()
            if op is None:
                raise NotFound(f"Work order {work_order_id} has no operation {operation_id}.")
        conn.execute(insert(QualityInspections).values(
            inspection_id=inspection_id, inspection_type=inspection_type, inspection_date=when,
            work_order_id=work_order_id, operation_id=operation_id, product_id=wo.product_id, sample_size=sample_size,
            lot_number=wo.lot_number, batch_number=wo.batch_number, inspector_id=inspector_id,
            inspection_result=result, defects_found=sum(defects), critical_defects=defects[0],
            major_defects=defects[1], minor_defects=defects[2],
            disposition="pending" if failed else "accept",
            disposition_reason="Awaiting quality review" if failed else None,
            disposition_by=None if failed else inspector_id, corrective_action_required=failed,
            photos_attached=False, approved_by=None if failed else inspector_id, approved_at=None if failed else when,
            notes=notes or ("Sample outside specification" if failed else None), created_at=when))
        if operation_id is not None:
            conn.execute(update(WorkOrderOperations).where(WorkOrderOperations.operation_id == operation_id).values(
                inspection_status="failed" if failed else "passed", inspection_timestamp=when,
                inspector_id=inspector_id, updated_at=when))
        if failed:
            conn.execute(update(WorkOrders).where(WorkOrders.work_order_id == work_order_id).values(
                quality_status="on_hold", updated_at=when))
        ctx.audit("mes.inspection.record", MFG, "quality_inspection", inspection_id,
                  after={"work_order_id": work_order_id, "operation_id": operation_id, "result": result,
                         "defects": defects})
    return {"inspection_id": inspection_id, "work_order_id": work_order_id, "result": result}
