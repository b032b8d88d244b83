"""Every workflow form of the buyer, quality, warehouse and sales workspaces at 80x24: opened by keys as
its role, every field and the submit button reached by Tab (the form scrolls to what has the focus) and
shown inside the screen and the form's frame; and every view of those workspaces renders at 80x24 with
its data and no error.

The forms that need a document in a given state (a putaway task, an open pick, a held order, an open
8D report, an NCR in disposition) get it from the services on a private copy of the estate."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from textual.geometry import Region
from textual.widgets import Button

from console_support import console_app, console_clock, settle
from genims_tui.backend.access import role_user
from genims_tui.backend.models.erp import PurchaseOrders
from genims_tui.backend.models.supplier import RfqHeaders
from genims_tui.backend.services import complaints, ncr, sales, warehouse
from genims_tui.backend.services.base import ServiceContext
from genims_tui.widgets.dataview import DataView
from genims_tui.widgets.form import FormScreen

SMALL = (80, 24)
ERP, SUP = "genims_erp_db", "genims_supplier_db"


def service(dbs, role: str) -> ServiceContext:
    return ServiceContext(dbs, role_user(role), console_clock)


def filtered(text: str) -> list[str]:
    return ["slash", *text, "enter"]


# -- what each form needs before its key opens it (keys pressed after the view is open) --------------

def open_released_po(dbs) -> list[str]:
    po = PurchaseOrders
    with dbs.connect(ERP) as conn:
        po_id = conn.execute(select(po.purchase_order_id).where(po.po_status.in_(("open", "partially_received")),
                                                                po.release_indicator.is_(True))
                             .order_by(po.purchase_order_id.desc()).limit(1)).scalar()
    return [*filtered(f"po={po_id}"), "r"]


def rfq_in_evaluation(dbs) -> list[str]:
    with dbs.connect(SUP) as conn:
        rfq_id = conn.execute(select(RfqHeaders.rfq_id).where(RfqHeaders.rfq_status == "evaluation")
                              .order_by(RfqHeaders.response_deadline).limit(1)).scalar()
    return [*filtered(f"rfq={rfq_id}"), "w"]


def ncr_in_disposition(dbs) -> list[str]:
    ctx = service(dbs, "quality_manager")
    ncr.transition_ncr(ctx, "NCR-000002", "containment", {"containment_action": "Hold the lot"})
    ncr.transition_ncr(ctx, "NCR-000002", "investigation", {"containment_action": "Hold the lot"})
    ncr.transition_ncr(ctx, "NCR-000002", "disposition", {"root_cause_description": "Worn tool",
                                                          "root_cause_method": "5_why"})
    return [*filtered("ncr=NCR-000002"), "enter", "a"]  # disposition -> capa: the longest NCR form


def open_eight_d(dbs) -> list[str]:
    complaints.create_eight_d(service(dbs, "quality_manager"), source_type="customer_complaint",
                              source_document_id="CC-000011")
    return ["tab", "e"]  # Tab to the 8D table (open reports first)


def task_to_put_away(dbs) -> list[str]:
    warehouse.receive(service(dbs, "warehouse_operator"), warehouse_id="WH-000001", material_id="MAT-000001",
                      quantity="10")
    return ["p"]  # the newest task is the first row


def open_pick(dbs) -> list[str]:
    order = sales.create_sales_order(service(dbs, "sales_manager"), "CUST-000001",
                                     [{"material_id": "MAT-000001", "quantity": "5"}])
    warehouse.create_pick_wave(service(dbs, "warehouse_manager"), "WH-000001", [order.sales_order_id])
    return ["enter", "c"]  # the newest wave, its first pick


def held_order(dbs) -> list[str]:
    held = sales.create_sales_order(service(dbs, "sales_manager"), "CUST-000005",
                                    [{"material_id": "MAT-000001", "quantity": "1500"}])
    assert held.order_status == "on_hold"
    return [*filtered(f"order={held.sales_order_id}"), "h"]


@dataclass
class Case:
    role: str
    view: str
    keys: list[str] = field(default_factory=list)
    prepare: Callable[..., list[str]] | None = None  # on a private copy of the estate
    writes: bool = False


FORMS = {
    "buyer-po-from-requisition": Case("procurement_manager", "buyer.requisitions", ["o"]),
    "buyer-receipt": Case("procurement_manager", "buyer.orders", prepare=open_released_po),
    "buyer-rfq-award": Case("procurement_manager", "buyer.rfqs", prepare=rfq_in_evaluation),
    "buyer-invoice-approve": Case("procurement_manager", "buyer.invoices", ["a"]),
    "buyer-invoice-reject": Case("procurement_manager", "buyer.invoices", ["x"]),
    "quality-new-ncr": Case("quality_manager", "quality.ncrs", ["n"]),
    "quality-ncr-from-inspection": Case("quality_manager", "quality.ncrs", ["i"]),
    "quality-ncr-containment": Case("quality_manager", "quality.ncrs", [*filtered("ncr=NCR-000003"), "enter", "a"]),
    "quality-ncr-disposition-to-capa": Case("quality_manager", "quality.ncrs", prepare=ncr_in_disposition, writes=True),
    "quality-ncr-close": Case("quality_manager", "quality.ncrs", [*filtered("ncr=NCR-000006"), "enter", "a"]),
    "quality-ncr-cancel": Case("quality_manager", "quality.ncrs", [*filtered("ncr=NCR-000003"), "enter", "x"]),
    "quality-capa-add-action": Case("quality_manager", "quality.ncrs", [*filtered("ncr=NCR-000011"), "enter", "n"]),
    "quality-capa-verify": Case("quality_manager", "quality.capas", [*filtered("capa=CAPA-000003"), "enter", "v"]),
    "quality-calibration": Case("quality_manager", "quality.calibration", ["u"]),
    "quality-8d-step": Case("quality_manager", "quality.complaints", prepare=open_eight_d, writes=True),
    "wh-receive": Case("warehouse_operator", "wh.receiving", ["r"]),
    "wh-putaway": Case("warehouse_operator", "wh.receiving", prepare=task_to_put_away, writes=True),
    "wh-new-wave": Case("warehouse_manager", "wh.picking", ["n"]),
    "wh-confirm-pick": Case("warehouse_manager", "wh.picking", prepare=open_pick, writes=True),
    "wh-enter-count": Case("warehouse_manager", "wh.counts", [*filtered("count=CC-000043"), "e"]),
    "wh-schedule-counts": Case("warehouse_manager", "wh.counts", ["n"]),
    "sales-order": Case("sales_manager", "sales.orders", ["n"]),
    "sales-release-hold": Case("sales_manager", "sales.orders", prepare=held_order, writes=True),
}


def inside(inner: Region, outer: Region) -> bool:
    return outer.contains_region(inner)


@pytest.mark.parametrize("name", list(FORMS))
def test_every_workflow_form_fits_80x24_and_its_submit_button_is_reached_by_tab(name, request):
    case = FORMS[name]
    dbs = request.getfixturevalue("console_estate_copy" if case.writes else "console_estate")
    keys = case.prepare(dbs) if case.prepare else list(case.keys)
    app = console_app(dbs, role=case.role)
    screen_area = Region(0, 0, *SMALL)

    async def drive() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            await pilot.press(":", *case.view, "enter")
            await settle(pilot)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            form = app.screen
            assert isinstance(form, FormScreen), f"{name}: {keys} opened {form!r}"
            frame = form.query_one("#form")
            assert inside(frame.region, screen_area), f"{name}: the form frame {frame.region} is off screen"
            submit = form.query_one("#submit", Button)
            seen = []
            for _ in range(3 * len(form.fields) + 10):
                focused = app.focused
                if focused is submit:
                    break
                if focused is not None and focused.id and focused.id.startswith("field-"):
                    # each field, once it has the focus, is scrolled into the form's frame
                    assert inside(focused.region, frame.region), f"{name}: {focused.id} at {focused.region}"
                    seen.append(focused.id)
                await pilot.press("tab")
                await settle(pilot)
            assert app.focused is submit, f"{name}: Tab never reached the submit button (focus {app.focused!r})"
            assert inside(submit.region, frame.region) and inside(submit.region, screen_area), \
                f"{name}: the submit button at {submit.region} is outside the form {frame.region}"
            assert set(seen) >= {f"field-{f.name}" for f in form.fields}, f"{name}: not every field was reached"

    asyncio.run(drive())


VIEWS = {
    "procurement_manager": ["buyer.requisitions", "buyer.orders", "buyer.rfqs", "buyer.invoices", "buyer.suppliers"],
    "quality_manager": ["quality.ncrs", "quality.capas", "quality.spc", "quality.calibration", "quality.complaints",
                        "quality.audits"],
    "warehouse_manager": ["wh.stock", "wh.receiving", "wh.picking", "wh.counts", "wh.reconcile"],
    "sales_manager": ["sales.orders"],
}


@pytest.mark.parametrize("role", list(VIEWS))
def test_every_workspace_view_renders_at_80x24_without_an_error(role, console_estate):
    app = console_app(console_estate, role=role)

    async def drive() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            for name in VIEWS[role]:
                await pilot.press(":", *name, "enter")
                await settle(pilot)
                views = [v for v in app.screen.query(DataView) if v.display and v.region.area]
                assert views, f"{name}: nothing shown"
                view = views[0]
                status = view.status() if hasattr(view, "status") else None
                if status is not None:
                    assert not status.has_class("-error"), f"{name}: {status.render()}"
                    assert "Loading" not in str(status.render())
                assert view.last_error is None, f"{name}: {view.last_error}"
                assert inside(view.region, Region(0, 0, *SMALL))

    asyncio.run(drive())
