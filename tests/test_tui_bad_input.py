"""Bad input in the workflow forms of issue #8, the cases the workspace tests do not cover already:
empty, negative, too long, unknown code, closed document, role without permission. Each case opens
its form by keys as its role on a private copy of the estate, types the bad value, saves, and checks
that the message appears where it belongs (at the field, under the form, in the view's status line,
or the key is not offered at all) and that nothing changed: every row of the databases the form
writes, and the audit log, are the same afterwards.

Which case applies to which form, and which are covered elsewhere, is the table in the report of
issue #8; a case that cannot arise in a form (an award picks its response from a list: no unknown
code to type) has no row here."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import inspect, text
from textual.widgets import Input, Static

from console_support import SNAPSHOT_SIZE, console_app, console_clock, settle
from genims_tui.backend.access import role_user
from genims_tui.backend.services import complaints, ncr, procurement, sales, warehouse
from genims_tui.backend.services.base import ServiceContext
from genims_tui.widgets.dataview import DataView
from genims_tui.widgets.form import FormScreen

ERP, SUP, QMS, WMS, TMS, MFG, FIN = ("genims_erp_db", "genims_supplier_db", "genims_quality_db", "genims_wms_db",
                                     "genims_tms_db", "genims_manufacturing_db", "genims_financial_db")


def service(dbs, role: str) -> ServiceContext:
    return ServiceContext(dbs, role_user(role), console_clock)


def fingerprint(dbs, databases: tuple[str, ...]) -> dict[str, str]:
    """A digest of every row of every table of `databases`, and of the audit log."""
    digests = {}
    for database in databases:
        with dbs.connect(database) as conn:
            tables = sorted(inspect(conn).get_table_names())
            digest = hashlib.sha256()
            for table in tables:
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                digest.update(f"{table}:{sorted(map(repr, rows))}".encode())
        digests[database] = digest.hexdigest()
    with dbs.connect("genims_console_db") as conn:
        digests["audit"] = repr(conn.execute(text("SELECT COUNT(*), MAX(audit_id) FROM audit_log")).one())
    return digests


def filtered(value: str) -> list[str]:
    return ["slash", *value, "enter"]


# -- documents in the state a case needs, made through the services -----------------------------------

def requisition_converted_meanwhile(dbs) -> None:
    req = dbs_first_open_requisition(dbs)
    procurement.convert_requisition(service(dbs, "procurement_manager"), req, "SUP-000005")


def dbs_first_open_requisition(dbs) -> str:
    with dbs.connect(ERP) as conn:
        return conn.execute(text("SELECT requisition_id FROM purchase_requisitions WHERE overall_status = 'open' "
                                 "ORDER BY required_date, requisition_id LIMIT 1")).scalar()


def ncr_in_disposition(dbs) -> list[str]:
    ctx = service(dbs, "quality_manager")
    ncr.transition_ncr(ctx, "NCR-000002", "containment", {"containment_action": "Hold the lot"})
    ncr.transition_ncr(ctx, "NCR-000002", "investigation", {"containment_action": "Hold the lot"})
    ncr.transition_ncr(ctx, "NCR-000002", "disposition", {"root_cause_description": "Worn tool",
                                                          "root_cause_method": "5_why"})
    return [*filtered("ncr=NCR-000002"), "enter", "a"]


def task_to_put_away(dbs) -> list[str]:
    warehouse.receive(service(dbs, "warehouse_operator"), warehouse_id="WH-000001", material_id="MAT-000001",
                      quantity="10")
    return ["p"]


def open_pick(dbs) -> list[str]:
    order = sales.create_sales_order(service(dbs, "sales_manager"), "CUST-000001",
                                     [{"material_id": "MAT-000001", "quantity": "5"}])
    warehouse.create_pick_wave(service(dbs, "warehouse_manager"), "WH-000001", [order.sales_order_id])
    return ["enter", "c"]


def held_order(dbs) -> list[str]:
    held = sales.create_sales_order(service(dbs, "sales_manager"), "CUST-000005",
                                    [{"material_id": "MAT-000001", "quantity": "1500"}])
    return [*filtered(f"order={held.sales_order_id}"), "h"]


def open_eight_d(dbs) -> list[str]:
    complaints.create_eight_d(service(dbs, "quality_manager"), source_type="customer_complaint",
                              source_document_id="CC-000011")
    return ["tab", "e"]


@dataclass
class Bad:
    role: str
    view: str
    keys: list[str] | Callable[..., list[str]]  # pressed once the view is open (a callable prepares the estate)
    where: str  # "#error-<field>", "#form-error", "status" (the view's status line) or "hidden:<action>"
    says: str
    fill: dict[str, str] = field(default_factory=dict)
    then: list[str] = field(default_factory=lambda: ["ctrl+s"])  # after filling in: save (and answer)
    meanwhile: Callable[..., None] | None = None  # someone else's change while the form is open
    databases: tuple[str, ...] = ()


CASES = {
    # -- buyer ------------------------------------------------------------------------------------------
    "po-form/closed: requisition converted meanwhile": Bad(
        "procurement_manager", "buyer.requisitions", ["o"], "#form-error", "has no open lines",
        fill={"supplier_id": "SUP-000005"}, meanwhile=requisition_converted_meanwhile, databases=(ERP,)),
    "receipt/role: supplier coordinator (ERP read)": Bad(
        "supplier_coordinator", "buyer.orders", ["r"], "hidden:receive", "", databases=(ERP,)),
    "award/closed: RFQ awarded already": Bad(
        "procurement_manager", "buyer.rfqs", [*filtered("rfq=RFQ-000001"), "w"], "status",
        "is awarded to SUP-", databases=(ERP, SUP)),
    "award/role: supplier coordinator (no ERP write)": Bad(
        "supplier_coordinator", "buyer.rfqs", ["w"], "hidden:award", "", databases=(ERP, SUP)),
    "invoice-reject/empty reason": Bad(
        "procurement_manager", "buyer.invoices", ["x"], "#error-reason", "Reason is required.", databases=(SUP,)),
    "invoice-reject/too long reason": Bad(
        "procurement_manager", "buyer.invoices", ["x"], "#error-reason", "too long", fill={"reason": "r" * 1001},
        databases=(SUP,)),
    "invoice-reject/role: supplier coordinator": Bad(
        "supplier_coordinator", "buyer.invoices", ["x"], "hidden:reject", "", databases=(SUP,)),
    # -- quality ------------------------------------------------------------------------------------------
    "new-ncr/negative quantity": Bad(
        "quality_manager", "quality.ncrs", ["n"], "#error-quantity_defective", "must be more than zero",
        fill={"defect_description": "Burr", "quantity_defective": "-1"}, databases=(QMS,)),
    "new-ncr/too long defect type": Bad(
        "quality_manager", "quality.ncrs", ["n"], "#error-defect_type", "too long",
        fill={"defect_description": "Burr", "quantity_defective": "2", "defect_type": "d" * 51}, databases=(QMS,)),
    "new-ncr/more defective than inspected": Bad(
        "quality_manager", "quality.ncrs", ["n"], "#error-quantity_defective", "more than the inspected quantity",
        fill={"defect_description": "Burr", "quantity_defective": "9", "quantity_inspected": "5"}, databases=(QMS,)),
    "ncr-from-inspection/empty": Bad(
        "quality_inspector", "quality.ncrs", ["i"], "#error-inspection_id", "Inspection is required.",
        fill={"inspection_id": ""}, databases=(QMS, MFG)),
    "ncr-from-inspection/too long": Bad(
        "quality_inspector", "quality.ncrs", ["i"], "#error-inspection_id", "too long",
        fill={"inspection_id": "Q" * 51}, databases=(QMS, MFG)),
    "ncr-to-capa/negative disposition quantity and cost": Bad(
        "quality_manager", "quality.ncrs", ncr_in_disposition, "#error-disposition_quantity", "more than zero",
        fill={"disposition_quantity": "-1", "scrap_cost": "-5"}, databases=(QMS,)),
    "ncr-to-capa/empty disposition": Bad(
        "quality_manager", "quality.ncrs", ncr_in_disposition, "#error-disposition", "disposition",
        fill={"disposition_quantity": "1"}, databases=(QMS,)),
    "ncr-close/closed NCR: no transition offered": Bad(
        "quality_manager", "quality.ncrs", [*filtered("ncr=NCR-000004"), "enter", "a"], "hidden:advance", "",
        databases=(QMS,)),
    "capa-action/empty": Bad(
        "quality_manager", "quality.ncrs", [*filtered("ncr=NCR-000011"), "enter", "n"], "#error-description",
        "What is to be done is required.", databases=(QMS,)),
    "capa-action/too long owner": Bad(
        "quality_manager", "quality.ncrs", [*filtered("ncr=NCR-000011"), "enter", "n"], "#error-assigned_to",
        "too long", fill={"description": "Replace the tool", "assigned_to": "E" * 51}, databases=(QMS,)),
    "calibration/negative cost, empty date": Bad(
        "quality_manager", "quality.calibration", ["u"], "#error-calibration_cost", "at least 0",
        fill={"calibration_date": "", "calibration_cost": "-10"}, databases=(QMS,)),
    "8d-step/too long": Bad(
        "quality_manager", "quality.complaints", open_eight_d, "#error-problem_preparation", "too long",
        fill={"problem_preparation": "p" * 4001}, databases=(QMS,)),
    # -- warehouse ----------------------------------------------------------------------------------------
    "receive/empty": Bad(
        "warehouse_operator", "wh.receiving", ["r"], "#error-material_id", "Material is required.",
        databases=(WMS,)),
    "receive/role: logistics manager (WMS read)": Bad(
        "logistics_manager", "wh.receiving", ["r"], "hidden:receive", "", databases=(WMS,)),
    "putaway/empty, negative, too long": Bad(
        "warehouse_operator", "wh.receiving", task_to_put_away, "#error-quantity", "must be more than zero",
        fill={"bin_id": "B" * 51, "quantity": "-3"}, databases=(WMS,)),
    "putaway/empty bin": Bad(
        "warehouse_operator", "wh.receiving", task_to_put_away, "#error-bin_id", "Bin is required.",
        fill={"bin_id": ""}, databases=(WMS,)),
    "putaway/closed: task put away completely": Bad(
        "warehouse_operator", "wh.receiving", ["p"], "status", "is put away completely", databases=(WMS,)),
    "new-wave/too long": Bad(
        "warehouse_manager", "wh.picking", ["n"], "#error-sales_order_ids", "too long",
        fill={"sales_order_ids": "S" * 501}, databases=(WMS,)),
    "new-wave/closed: an invoiced order": Bad(
        "warehouse_manager", "wh.picking", ["n"], "#error-sales_order_ids", "no open lines to pick",
        fill={"sales_order_ids": "SO-000001"}, databases=(WMS,)),
    "new-wave/role: logistics manager": Bad(
        "logistics_manager", "wh.picking", ["n"], "hidden:new_wave", "", databases=(WMS,)),
    "confirm-pick/negative": Bad(
        "warehouse_manager", "wh.picking", open_pick, "#error-quantity_picked", "at least 0",
        fill={"quantity_picked": "-1"}, databases=(WMS, TMS)),
    "confirm-pick/empty": Bad(
        "warehouse_manager", "wh.picking", open_pick, "#error-quantity_picked", "Picked quantity is required.",
        fill={"quantity_picked": ""}, databases=(WMS, TMS)),
    "confirm-pick/closed: a completed pick": Bad(
        "warehouse_manager", "wh.picking", ["enter", "c"], "status", "only an open pick is confirmed",
        databases=(WMS,)),
    "enter-count/closed: an adjusted count": Bad(
        "warehouse_manager", "wh.counts", [*filtered("count=CC-000021"), "e"], "status", "it takes no more counts",
        databases=(WMS,)),
    "enter-count/role: logistics manager": Bad(
        "logistics_manager", "wh.counts", ["e"], "hidden:enter_count", "", databases=(WMS,)),
    "schedule-counts/unknown bin": Bad(
        "warehouse_manager", "wh.counts", ["n"], "#form-error", "Nothing to count",
        fill={"bin_id": "BIN-999999"}, databases=(WMS,)),
    "schedule-counts/too long material": Bad(
        "warehouse_manager", "wh.counts", ["n"], "#error-material_id", "too long",
        fill={"material_id": "M" * 51}, databases=(WMS,)),
    # -- sales ----------------------------------------------------------------------------------------------
    "release-hold/too long": Bad(
        "sales_manager", "sales.orders", held_order, "#error-reason", "too long", fill={"reason": "r" * 501},
        databases=(ERP,)),
    "release-hold/role: sales rep (no sales.release_credit_hold)": Bad(
        "sales_rep", "sales.orders", ["h"], "hidden:release", "", databases=(ERP,)),
    "sales-order/empty date typo": Bad(
        "sales_manager", "sales.orders", ["n"], "#error-line1_date", "must be a date",
        fill={"customer_id": "CUST-000001", "line1_material": "MAT-000001", "line1_quantity": "1",
              "line1_date": "2026-13-45"}, databases=(ERP,)),
}


def the_view(app) -> DataView:
    return next(v for v in app.screen.query(DataView) if v.display and v.region.area)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_shows_its_message_and_changes_nothing(name, console_estate_copy):
    case = CASES[name]
    dbs = console_estate_copy
    keys = case.keys(dbs) if callable(case.keys) else list(case.keys)
    before = fingerprint(dbs, case.databases)
    app = console_app(dbs, role=case.role)

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await pilot.press(":", *case.view, "enter")
            await settle(pilot)
            await pilot.press("ctrl+t")  # the refresh timer paused: a refusal stays in the status line to be read
            view = the_view(app)
            opening = keys
            if case.where.startswith("hidden:"):
                action = case.where.removeprefix("hidden:")
                opening, last = keys[:-1], keys[-1]
            for key in opening:
                await pilot.press(key)
                await settle(pilot)
            if case.where.startswith("hidden:"):
                # the key is not offered (footer, palette) and pressing it opens nothing
                owner = view if hasattr(view, f"action_{action}") else app.screen
                assert owner.check_action(action, ()) is False, f"{name}: {action} is offered"
                shown = {b.binding.key for b in app.screen.active_bindings.values()
                         if b.enabled and b.binding.action == action}
                assert not shown, f"{name}: the key {shown} is enabled"
                await pilot.press(last)
                await settle(pilot)
                assert not isinstance(app.screen, FormScreen) and type(app.screen).__name__ != "ConfirmScreen"
                return
            if case.where == "status":
                assert not isinstance(app.screen, FormScreen), f"{name}: a form opened"
                assert case.says in str(view.status().render()), str(view.status().render())
                return
            form = app.screen
            assert isinstance(form, FormScreen), f"{name}: {keys} opened {form!r}"
            if case.meanwhile:
                case.meanwhile(dbs)
                before.update(fingerprint(dbs, case.databases))  # what the form must not change is what is now
            for field_name, value in case.fill.items():
                form.query_one(f"#field-{field_name}", Input).value = value
            await settle(pilot)
            for key in case.then:
                await pilot.press(key)
                await settle(pilot)
            assert app.screen is form, f"{name}: the form closed"
            message = str(form.query_one(case.where, Static).render())
            assert case.says.lower() in message.lower(), f"{name}: {case.where} says {message!r}"

    asyncio.run(drive())
    assert fingerprint(dbs, case.databases) == before, f"{name}: the database changed"
