"""The buyer's workspace: requisitions -> purchase orders (submit, approve, release), purchase orders
with their delivery status and receipts (receive against a PO), the RFQ deadline monitor with the
responses side by side (award -> PO), 3-way-match exceptions (approve with a reason or reject) and
supplier scorecards with their trend, contracts and documents about to expire.

Reads go through `genims_tui.backend.buyer` in workers; every write is a procurement service call,
in a form (`widgets/form.py`) or through `run_service`. Keys a role lacks are hidden; the services
enforce the same rules anyway.

The action keys of the list views are priority bindings, so that `s` submits the PO rather than
sorting the table under the cursor: in the requisition and order views the lists keep their default
order (most urgent / newest first) and `/` filters them. The keys step aside while a text box (the
table filter) has the focus, so a filter may contain any letter.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

from ..backend import buyer
from ..backend.access import ActingUser
from ..backend.browse import PageQuery
from ..backend.errors import DomainError
from ..backend.services import procurement
from ..views import View, register_view
from ..widgets.dataview import DataView, StatusLine, error_text
from ..widgets.form import Field, FormScreen
from ..widgets.paged_table import PagedTable, cell
from .plant import fill_table

ERP, SUP = buyer.ERP, buyer.SUP
FORM_LINES = 20  # lines offered in one form; a longer document keeps the rest as they are
DELIVERY_STYLE = {"overdue": "bold red", "open": "yellow", "complete": "green", "not released": "cyan"}


def may_order(user: ActingUser) -> bool:
    return user.can(ERP, "write")


def may_approve_requisition(user: ActingUser) -> bool:
    return user.can(ERP, "write")  # what procurement.approve_requisition requires


def may_approve_po(user: ActingUser) -> bool:
    return user.can(ERP, "write") and user.has("po.approve")


def may_award(user: ActingUser) -> bool:
    return user.can(ERP, "write") and user.can(SUP, "write")


def may_settle_invoice(user: ActingUser) -> bool:
    return user.has("invoice.approve_variance") and user.can(SUP, "write")


def money(value: Any) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


def qty(value: Any) -> str:
    if value is None:
        return "—"
    text = cell(Decimal(value))
    return str(text)


def styled(value: Any, style: str) -> Text:
    return Text(str(value), style=style)


class BuyerView(DataView):
    """A buyer view: a status line of its own at the top and action keys that yield to text boxes."""

    DEFAULT_CSS = """
    BuyerView .caption { height: 1; padding: 0 1; text-style: bold; }
    BuyerView .note { height: auto; padding: 0 1; color: $text-muted; }
    """
    #: action -> predicate on the user: the action's key is hidden when it says no
    ACTION_RULES: dict[str, Any] = {}

    def status(self) -> StatusLine | None:
        found = self.query("#view-status")
        return found.first() if found else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ACTION_RULES:
            if isinstance(self.app.focused, Input):
                return False  # typing in the filter box: the letter is text
            return bool(self.ACTION_RULES[action](self.app.user))
        return True

    def load_in_worker(self, loader, done, *args: Any) -> None:
        """`loader(*args)` in a worker, `done(result)` on the event loop, an error in the status line."""
        self._read(loader, done, args)

    @work(thread=True, group="buyer-read")
    def _read(self, loader, done, args) -> None:
        try:
            result = loader(*args)
        except Exception as exc:
            message = error_text(exc)
            self.app.call_from_thread(self.say, message, True)
            return
        self.app.call_from_thread(done, result)

    def today(self):
        return self.app.clock().date()


# -- the purchase order lifecycle, shared by the requisition and order views ---------------------------

class PoActions:
    """s / a / l on a purchase order: submit for approval, approve, release."""

    no_po_message = "Select a purchase order first."

    def selected_po(self) -> str | None:  # pragma: no cover - the views say which
        raise NotImplementedError

    def po_changed(self, po_id: str, message: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def _po_step(self, service, verb: str) -> None:
        po_id = self.selected_po()
        if not po_id:
            self.say(self.no_po_message, error=True)
            return
        self.say(f"{verb} {po_id} ...")
        self.run_service(service, po_id, done=lambda status: self.po_changed(po_id, f"{po_id}: {status}."))

    def action_submit_po(self) -> None:
        self._po_step(procurement.submit_purchase_order, "Submitting")

    def action_approve_po(self) -> None:
        self._po_step(procurement.approve_purchase_order, "Approving")

    def action_release_po(self) -> None:
        self._po_step(procurement.release_purchase_order, "Releasing")


PO_BINDINGS = [
    Binding("s", "submit_po", "Submit PO", priority=True),
    Binding("a", "approve_po", "Approve PO", priority=True),
    Binding("l", "release_po", "Release PO", priority=True),
]
PO_RULES = {"submit_po": may_order, "approve_po": may_approve_po, "release_po": may_order}


# -- 1. requisitions -> purchase order -------------------------------------------------------------------

def supplier_intro(suggestions: list[dict[str, Any]], open_lines: list[dict[str, Any]]) -> str:
    if not suggestions:
        return "No supplier is known for these materials yet: type a supplier id (Tab completes)."
    rows = ["Suggested suppliers (rating = latest scorecard; contract prices per material):"]
    for s in suggestions:
        score = f"{s['rating']} {s['score']}" if s["score"] is not None else "no scorecard"
        prices = ", ".join(f"{m} {p[0]}" for m, p in sorted(s["prices"].items())) or "no contract price"
        flag = "" if s["orderable"] else f" [{s['status']}: blocked for orders]"
        default = f" · default for {', '.join(s['default_for'])}" if s["default_for"] else ""
        rows.append(f"  {s['supplier_id']} {s['name'] or ''} · {score} · covers {s['covers']}/{s['of']} · "
                    f"{prices}{default}{flag}")
    return "\n".join(rows)


def po_form(requisition_id: str, detail: dict[str, Any], supplier_ids: list[str], today) -> FormScreen:
    """The PO form of a requisition: the supplier, and per open line the quantity and delivery date."""
    lines = detail["open_lines"][:FORM_LINES]
    suggested = [s["supplier_id"] for s in detail["suppliers"]]
    fields = [Field("supplier_id", "Supplier", required=True, max_length=50,
                    suggestions=suggested + [s for s in supplier_ids if s not in suggested],
                    placeholder="SUP-000001 (Tab completes)",
                    help="Every open line is ordered from this supplier, priced from its contract when there is one.")]
    for n, ln in enumerate(lines, 1):
        label = f"Line {ln['line_number']} {ln['material_id']} {ln['material_description'] or ''}".strip()
        fields.append(Field(f"quantity_{n}", f"{label}: quantity ({ln['unit_of_measure'] or ''})", kind="decimal",
                            required=True, positive=True, default=qty(ln["quantity"])))
        fields.append(Field(f"delivery_date_{n}", f"{label}: delivery date", kind="date",
                            default=ln["delivery_date"].isoformat() if ln["delivery_date"] else None,
                            check=lambda day: f"{day} is in the past; give today or later." if day and day < today else None))
    keep = len(detail["open_lines"]) - len(lines)
    intro = supplier_intro(detail["suppliers"], lines) + (f"\n{keep} more lines are ordered as requested." if keep else "")

    def submit(ctx, values: dict[str, Any]):
        changes = {ln["requisition_line_id"]: {"quantity": values[f"quantity_{n}"],
                                               "delivery_date": values[f"delivery_date_{n}"] or ln["delivery_date"]}
                   for n, ln in enumerate(lines, 1)}
        return procurement.convert_requisition(ctx, requisition_id, values["supplier_id"], line_changes=changes)

    return FormScreen(f"Purchase order from requisition {requisition_id}", fields, submit, intro=intro,
                      submit_label="Create PO")


class RequisitionsView(PoActions, BuyerView):
    """Open requisitions; Enter shows the lines; o creates the PO; s / a / l move the PO on."""

    DEFAULT_CSS = """
    RequisitionsView #requisitions { height: 1fr; }
    RequisitionsView #req-lines { height: 9; }
    RequisitionsView #po-panel { height: auto; padding: 0 1; border-top: solid $primary; }
    """
    BINDINGS = [Binding("v", "approve_requisition", "Approve requisition", priority=True),
                Binding("o", "order", "Create PO", priority=True), *PO_BINDINGS]
    ACTION_RULES = {"approve_requisition": may_approve_requisition, "order": may_order, **PO_RULES}
    no_po_message = "No purchase order yet: o creates one from the selected requisition."
    help_text = ("Open purchase requisitions (earliest required date first). Enter shows a requisition's lines; "
                 "v approves a requisition pending approval; o creates the purchase order: pick the supplier (suggestions with their scorecard rating and "
                 "contract prices), change quantities and dates. Then s submits it for approval, a approves it "
                 "(po.approve) and l releases it to the supplier.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.detail: dict[str, Any] | None = None
        self.current_po: str | None = None
        self.po_head: dict[str, Any] | None = None
        self.notice: str | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(id="view-status")
        yield Static("Open purchase requisitions", classes="caption")
        yield PagedTable(self._page, id="requisitions", page_size=50)
        yield Static("Lines (Enter on a requisition)", id="req-lines-caption", classes="caption")
        yield DataTable(id="req-lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="po-panel")

    def focus_default(self) -> None:
        self.query_one("#requisitions", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return buyer.requisitions_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> dict[str, Any]:
        head = None
        if self.current_po:
            head = buyer.purchase_order_detail(self.app.dbs, self.app.user, self.current_po, self.today())
        return {"po": head}

    def show(self, data: dict[str, Any]) -> None:
        self.query_one("#requisitions", PagedTable).reload()
        self.po_head = data["po"]
        self._po_panel()
        keys = "Enter: lines" + (" · v: approve · o: create the PO" if may_order(self.app.user) else "")
        self.say(f"{self.notice} · {keys}" if self.notice else keys)

    def _po_panel(self) -> None:
        panel = self.query_one("#po-panel", Static)
        if not self.po_head:
            panel.update("")
            return
        po = self.po_head["purchase_order"]
        keys = [k for k, ok in (("s submit for approval", may_order), ("a approve", may_approve_po),
                                ("l release", may_order)) if ok(self.app.user)]
        text = Text()
        text.append(f"{po['purchase_order_id']}", style="bold")
        text.append(f" · supplier {po['supplier_id']} · status ")
        text.append(str(po["po_status"]), style="bold")
        text.append(f" · {money(po['total_value'])} {po['currency'] or ''} · {len(self.po_head['lines'])} lines: ")
        text.append(", ".join(f"{ln['material_id']} {qty(ln['ordered'])} by {ln['delivery_date']}"
                              for ln in self.po_head["lines"][:4]))
        if keys:
            text.append("  —  " + " · ".join(keys), style="dim")
        panel.update(text)

    @on(PagedTable.RowOpened)
    def _opened(self, event: PagedTable.RowOpened) -> None:
        if event.table.id != "requisitions":
            return
        event.stop()
        self._load_detail(event.key, None)

    def _load_detail(self, requisition_id: str, then) -> None:
        self.say(f"Loading {requisition_id} ...")

        def load():
            detail = buyer.requisition_detail(self.app.dbs, self.app.user, requisition_id, self.today())
            ids = buyer.orderable_supplier_ids(self.app.dbs, self.app.user) if then else []
            return requisition_id, detail, ids

        self.load_in_worker(load, lambda result: self._detail_loaded(result, then))

    def _detail_loaded(self, result, then) -> None:
        requisition_id, detail, ids = result
        self.detail = detail
        fill_table(self.query_one("#req-lines", DataTable),
                   [("Line", "n"), ("Material", "m"), ("Description", "d"), ("Qty", "q"), ("Unit", "u"),
                    ("Delivery", "dd"), ("Est. price", "p"), ("Status", "s"), ("PO", "po"), ("Default supplier", "ds")],
                   [(ln["requisition_line_id"], [str(ln["line_number"]), ln["material_id"], ln["material_description"] or "",
                                                 qty(ln["quantity"]), ln["unit_of_measure"] or "", cell(ln["delivery_date"]),
                                                 cell(ln["estimated_price"]), ln["line_status"] or "", cell(ln["assigned_to_po"]),
                                                 cell(ln["default_supplier_id"])])
                    for ln in detail["lines"]])
        self.query_one("#req-lines-caption", Static).update(
            Text(f"Lines of {requisition_id} ({len(detail['open_lines'])} open) · "
                 f"{len(detail['suppliers'])} suppliers suggested", style="bold"))
        self.say(f"{requisition_id}: {len(detail['lines'])} lines" + (" · o: create the PO" if may_order(self.app.user) else ""))
        if then is not None:
            then(requisition_id, detail, ids)

    def action_approve_requisition(self) -> None:
        current = self.query_one("#requisitions", PagedTable).current_row()
        if current is None:
            self.say("Select a requisition first.", error=True)
            return
        requisition_id, row = current
        if row.get("approval") == "approved":
            self.say(f"{requisition_id} is approved already; o creates the PO.")
            return
        self.say(f"Approving {requisition_id} ...")
        self.run_service(procurement.approve_requisition, requisition_id,
                         done=lambda _none: self._requisition_approved(requisition_id))

    def _requisition_approved(self, requisition_id: str) -> None:
        self.notice = f"{requisition_id} approved"
        self.app.notify(self.notice)
        self.refresh_view()

    def action_order(self) -> None:
        current = self.query_one("#requisitions", PagedTable).current_row()
        if current is None:
            self.say("Select a requisition first.", error=True)
            return
        self._load_detail(current[0], self._open_form)

    def _open_form(self, requisition_id: str, detail: dict[str, Any], supplier_ids: list[str]) -> None:
        if not detail["open_lines"]:
            self.say(f"{requisition_id} has no open lines to order.", error=True)
            return
        approval = detail["requisition"].get("approval_status")
        if approval != "approved":  # the service's rule, said before anything is typed
            hint = "v approves it first" if may_approve_requisition(self.app.user) else "it needs approving first"
            self.say(f"{requisition_id} is not approved (status {approval}); {hint}.", error=True)
            return
        self.app.push_screen(po_form(requisition_id, detail, supplier_ids, self.today()), callback=self._ordered)

    def _ordered(self, result) -> None:
        if not result:
            self.say("Nothing was ordered.")
            return
        self.current_po = result[0].purchase_order_id
        made = ", ".join(f"{po.purchase_order_id} ({po.supplier_id}, {money(po.total_value)})" for po in result)
        self.notice = f"Created {made}"
        self.app.notify(self.notice)
        self.refresh_view()

    # the PO this view acts on: the one just created, else the latest PO of the requisition opened
    def selected_po(self) -> str | None:
        if self.current_po:
            return self.current_po
        made = (self.detail or {}).get("purchase_orders") or []
        if made:
            self.current_po = made[-1]
            return self.current_po
        return None

    def po_changed(self, po_id: str, message: str) -> None:
        self.notice = message
        self.app.notify(message)
        self.refresh_view()


# -- 2. purchase orders and receipts -------------------------------------------------------------------

def receipt_form(detail: dict[str, Any]) -> FormScreen:
    """Receive against a PO: per open line the quantity to receive (partial allowed), at most what the
    over-receipt tolerance leaves; a delivery note makes the receipt idempotent."""
    po = detail["purchase_order"]
    po_id = po["purchase_order_id"]
    lines = [ln for ln in detail["lines"] if not ln["closed"]][:FORM_LINES]
    pct = detail["over_receipt_pct"]
    fields = []
    for n, ln in enumerate(lines, 1):
        room = ln["receivable"]

        def within(value, room=room, ln=ln):
            if value is not None and value > room:
                return (f"At most {qty(room)} more of {ln['material_id']} may be received "
                        f"({qty(ln['received'])} of {qty(ln['ordered'])} received, {pct} % over-receipt tolerance).")
            return None

        fields.append(Field(f"quantity_{n}", f"Line {ln['line_number']} {ln['material_id']} {ln['description'] or ''}".strip(),
                            kind="decimal", minimum=Decimal(0), placeholder="0 = nothing on this line",
                            help=(f"ordered {qty(ln['ordered'])} {ln['unit'] or ''}, received {qty(ln['received'])}, "
                                  f"open {qty(ln['open'])}; at most {qty(room)} (+{pct} % tolerance) · due {ln['delivery_date']}"
                                  + (" · OVERDUE" if ln["overdue"] else "")),
                            check=within))
    fields.append(Field("delivery_note", "Delivery note", max_length=50,
                        help="The supplier's delivery note: receiving the same note twice records it once."))
    intro = (f"{po_id} · supplier {po['supplier_id']} · status {po['po_status']}. Partial quantities are fine; "
             f"leave a line empty to receive nothing on it.")
    if detail["receipt_rule"]:
        intro += f"\n{detail['receipt_rule']}"

    def submit(ctx, values: dict[str, Any]):
        wanted = [(n, ln) for n, ln in enumerate(lines, 1) if values.get(f"quantity_{n}")]
        if not wanted:
            raise DomainError("Enter a quantity to receive on at least one line.", field="quantity_1" if lines else None)
        try:
            return procurement.receive_goods(ctx, po_id, [{"po_line_id": ln["po_line_id"], "quantity": values[f"quantity_{n}"]}
                                                          for n, ln in wanted],
                                             delivery_note=values.get("delivery_note"))
        except DomainError as exc:
            # the service numbers the lines it was given; the form numbers every open line
            if exc.field and exc.field.startswith("quantity_"):
                given = int(exc.field.removeprefix("quantity_"))
                if 1 <= given <= len(wanted):
                    exc.field = f"quantity_{wanted[given - 1][0]}"
            raise

    return FormScreen(f"Receive goods against {po_id}", fields, submit, intro=intro, submit_label="Receive")


class OrdersView(PoActions, BuyerView):
    """Purchase orders with their delivery status; Enter shows lines and receipts; r receives."""

    DEFAULT_CSS = """
    OrdersView #orders { height: 1fr; }
    OrdersView #po-detail { height: 12; }
    OrdersView #po-lines { width: 2fr; }
    OrdersView #po-receipts { width: 1fr; }
    """
    BINDINGS = [Binding("r", "receive", "Receive", priority=True), *PO_BINDINGS]
    ACTION_RULES = {"receive": may_order, **PO_RULES}
    help_text = ("Purchase orders, newest first, with their delivery status: overdue (an open line is past its "
                 "delivery date), open, complete, not released. Enter shows the lines and receipts; r receives "
                 "against the selected PO (partial quantities, at most 5 % over the ordered quantity, released "
                 "POs only); s / a / l submit, approve and release it.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notice: str | None = None
        self.opened: str | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(id="view-status")
        yield Static("", id="po-summary", classes="note")
        yield PagedTable(self._page, id="orders", page_size=50)
        yield Static("Lines and receipts (Enter on a PO)", id="po-detail-caption", classes="caption")
        with Horizontal(id="po-detail"):
            yield DataTable(id="po-lines", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="po-receipts", cursor_type="row", zebra_stripes=True)

    def focus_default(self) -> None:
        self.query_one("#orders", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return buyer.purchase_orders_page(self.app.dbs, self.app.user, self.today(), pq)

    def fetch(self) -> dict[str, Any]:
        summary = buyer.delivery_summary(self.app.dbs, self.app.user, self.today())
        detail = (buyer.purchase_order_detail(self.app.dbs, self.app.user, self.opened, self.today())
                  if self.opened else None)
        return {"summary": summary, "detail": detail}

    def show(self, data: dict[str, Any]) -> None:
        self.query_one("#orders", PagedTable).reload()
        s = data["summary"]
        text = Text()
        text.append(f"{s['overdue']} overdue", style="bold red" if s["overdue"] else "")
        text.append(f" · {s['open']} open · {s['not released']} not released · {s['complete']} complete")
        self.query_one("#po-summary", Static).update(text)
        if data["detail"]:
            self._show_detail(data["detail"])
        keys = "Enter: lines and receipts"
        if may_order(self.app.user):
            keys += " · r: receive · s/a/l: submit, approve, release"
        self.say(f"{self.notice} · {keys}" if self.notice else keys)

    @on(PagedTable.RowOpened)
    def _opened(self, event: PagedTable.RowOpened) -> None:
        if event.table.id != "orders":
            return
        event.stop()
        self.opened = event.key
        self.load_in_worker(lambda: buyer.purchase_order_detail(self.app.dbs, self.app.user, event.key, self.today()),
                            self._show_detail)

    def _show_detail(self, detail: dict[str, Any]) -> None:
        po = detail["purchase_order"]
        fill_table(self.query_one("#po-lines", DataTable),
                   [("Line", "n"), ("Material", "m"), ("Ordered", "o"), ("Received", "r"), ("Open", "op"),
                    ("Due", "d"), ("Price", "p"), ("Status", "s")],
                   [(ln["po_line_id"], [str(ln["line_number"]), ln["material_id"], qty(ln["ordered"]), qty(ln["received"]),
                                        qty(ln["open"]),
                                        styled(ln["delivery_date"], "bold red") if ln["overdue"] else cell(ln["delivery_date"]),
                                        cell(ln["unit_price"]), ln["line_status"] or ""])
                    for ln in detail["lines"]])
        fill_table(self.query_one("#po-receipts", DataTable),
                   [("Receipt", "g"), ("Date", "d"), ("Material", "m"), ("Qty", "q"), ("Quality", "s")],
                   [(g["goods_receipt_id"], [g["goods_receipt_id"], cell(g["gr_date"]), g["material_id"],
                                             qty(g["quantity_received"]), cell(g["quality_status"])])
                    for g in detail["receipts"]])
        rule = f" · {detail['receipt_rule']}" if detail["receipt_rule"] else ""
        self.query_one("#po-detail-caption", Static).update(
            Text(f"{po['purchase_order_id']} · {po['supplier_id']} · {po['po_status']}{rule}", style="bold"))

    def selected_po(self) -> str | None:
        current = self.query_one("#orders", PagedTable).current_row()
        return current[0] if current else None

    def po_changed(self, po_id: str, message: str) -> None:
        self.notice = message
        self.opened = po_id
        self.app.notify(message)
        self.refresh_view()

    def action_receive(self) -> None:
        po_id = self.selected_po()
        if not po_id:
            self.say("Select a purchase order first.", error=True)
            return
        self.load_in_worker(lambda: buyer.purchase_order_detail(self.app.dbs, self.app.user, po_id, self.today()),
                            self._open_receipt)

    def _open_receipt(self, detail: dict[str, Any]) -> None:
        if detail["receipt_rule"]:  # the service's own rule, before anything is typed
            self._show_detail(detail)
            self.say(detail["receipt_rule"], error=True)
            self.app.notify(detail["receipt_rule"], severity="error", timeout=8)
            return
        self.app.push_screen(receipt_form(detail), callback=self._received)

    def _received(self, result) -> None:
        if result is None:
            self.say("Nothing was received.")
            return
        total = sum((r.quantity for r in result.receipts), Decimal(0))
        posted = "" if not result.posting_errors else f" (not posted yet: {'; '.join(result.posting_errors)})"
        self.notice = (f"{result.purchase_order_id}: {len(result.receipts)} receipts, {qty(total)} received, "
                       f"PO now {result.po_status or 'unchanged'}{posted}")
        self.opened = result.purchase_order_id
        self.app.notify(self.notice)
        self.refresh_view()


# -- 3. RFQs ---------------------------------------------------------------------------------------------

class RfqView(BuyerView):
    """The RFQ deadline monitor; Enter compares the responses side by side; w awards one."""

    DEFAULT_CSS = """
    RfqView #rfqs { height: 1fr; }
    RfqView #responses { height: 1fr; }
    """
    BINDINGS = [Binding("w", "award", "Award", priority=True)]
    ACTION_RULES = {"award": may_award}
    help_text = ("RFQs still open to answers first, the nearest deadline first (days_left < 0: passed). Enter "
                 "puts the responses side by side: quality rating (latest scorecard), total, and per line the "
                 "unit price (* the lowest) and lead time. w awards the RFQ to a response: a purchase order with "
                 "the quoted prices, the RFQ marked awarded.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.comparison: dict[str, Any] | None = None
        self.notice: str | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(id="view-status")
        yield PagedTable(self._page, id="rfqs", page_size=50)
        yield Static("Responses side by side (Enter on an RFQ)", id="responses-caption", classes="caption")
        yield DataTable(id="responses", cursor_type="column", zebra_stripes=True)

    def focus_default(self) -> None:
        self.query_one("#rfqs", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return buyer.rfqs_page(self.app.dbs, self.app.user, self.today(), pq)

    def fetch(self) -> None:
        return None

    def show(self, _data: None) -> None:
        self.query_one("#rfqs", PagedTable).reload()
        keys = "Enter: responses side by side" + (" · w: award" if may_award(self.app.user) else "")
        self.say(f"{self.notice} · {keys}" if self.notice else keys)

    @on(PagedTable.RowOpened)
    def _opened(self, event: PagedTable.RowOpened) -> None:
        if event.table.id != "rfqs":
            return
        event.stop()
        self.load_in_worker(lambda: buyer.rfq_comparison(self.app.dbs, self.app.user, event.key), self._compare)

    def _compare(self, data: dict[str, Any]) -> None:
        self.comparison = data
        rfq, lines, responses = data["rfq"], data["lines"], data["responses"]
        table = self.query_one("#responses", DataTable)
        columns = [("", "what")] + [(r["supplier_id"] or r["response_id"], r["response_id"]) for r in responses]
        rows: list[tuple[str, list[Any]]] = [
            ("name", ["Supplier"] + [r["supplier_name"] or "" for r in responses]),
            ("quality", ["Quality rating"] + [cell(r["quality_score"]) for r in responses]),
            ("rating", ["Scorecard"] + [f"{r['rating'] or '—'} {cell(r['overall_score'])}" for r in responses]),
            ("total", ["Total quoted"] + [money(r["total_quoted_value"]) for r in responses]),
            ("lead", ["Longest lead time (d)"] + [cell(r["max_lead_time_days"]) for r in responses]),
            ("status", ["Response"] + [f"{r['response_status'] or ''} {r['response_number'] or ''}" for r in responses]),
        ]
        for ln in lines:
            prices, leads = [], []
            for r in responses:
                q = r["lines"].get(ln["line_id"])
                if not q or q["unit_price"] is None:
                    prices.append(Text("—", style="dim"))
                    leads.append(Text("—", style="dim"))
                    continue
                price = (f"{q['unit_price']}" + (" *" if q["lowest"] else "")
                         + (" (dev.)" if q["meets_specifications"] is False else ""))
                prices.append(Text(price, style="bold green") if q["lowest"] else price)
                leads.append(cell(q["lead_time_days"]))
            head = f"L{ln['line_number']} {ln['material_id']} x{qty(ln['quantity'])}"
            rows.append((f"p{ln['line_id']}", [f"{head} price"] + prices))
            rows.append((f"l{ln['line_id']}", [f"{head} lead d"] + leads))
        fill_table(table, columns, rows, widest=40)
        deadline = rfq["response_deadline"]
        self.query_one("#responses-caption", Static).update(Text(
            f"{rfq['rfq_id']} {rfq['rfq_title'] or ''} · {rfq['rfq_status']} · deadline {deadline} · "
            f"{len(responses)} responses" + (f" · awarded to {rfq['awarded_to']}" if rfq["awarded_to"] else ""), style="bold"))
        self.say(f"{rfq['rfq_id']}: {len(responses)} responses" + (" · w: award" if may_award(self.app.user) else ""))

    def action_award(self) -> None:
        current = self.query_one("#rfqs", PagedTable).current_row()
        if current is None:
            self.say("Select an RFQ first.", error=True)
            return
        rfq_id = current[0]
        self.load_in_worker(lambda: buyer.rfq_comparison(self.app.dbs, self.app.user, rfq_id), self._open_award)

    def _open_award(self, data: dict[str, Any]) -> None:
        self._compare(data)
        responses = data["responses"]
        rfq_id = data["rfq"]["rfq_id"]
        if data["rfq"]["awarded_to"] or data["rfq"]["rfq_status"] == "awarded":  # the service's rule, before the form
            self.say(f"{rfq_id} is awarded to {data['rfq']['awarded_to'] or 'a supplier'} already; "
                     "it cannot be awarded twice.", error=True)
            return
        if not responses:
            self.say(f"{rfq_id} has no responses to award.", error=True)
            return
        table = self.query_one("#responses", DataTable)
        chosen = responses[0]["response_id"]  # the lowest total, unless a response column is under the cursor
        if table.has_focus and 1 <= table.cursor_column <= len(responses):
            chosen = responses[table.cursor_column - 1]["response_id"]
        choices = [(f"{r['supplier_id']} {r['supplier_name'] or ''} · {money(r['total_quoted_value'])} · "
                    f"quality {cell(r['quality_score'])} · {r['response_number'] or r['response_id']}", r["response_id"])
                   for r in responses]
        by_id = {r["response_id"]: r for r in responses}
        fields = [Field("response_id", "Response to award", kind="choice", required=True, choices=choices, default=chosen),
                  Field("notes", "Award notes", max_length=2000)]
        form = FormScreen(f"Award {rfq_id}", fields,
                          lambda ctx, v: procurement.award_rfq_response(ctx, v["response_id"], notes=v.get("notes")),
                          intro="A purchase order is created with the quoted unit prices and the RFQ's quantities; "
                                "the RFQ is marked awarded.",
                          submit_label="Award",
                          confirm=lambda v: (f"Award {rfq_id} to {by_id[v['response_id']]['supplier_id']} "
                                             f"({money(by_id[v['response_id']]['total_quoted_value'])})? "
                                             "A purchase order is created."))
        self.app.push_screen(form, callback=self._awarded)

    def _awarded(self, result) -> None:
        if result is None:
            self.say("Nothing was awarded.")
            return
        self.notice = f"Awarded: {result.purchase_order_id} for {result.supplier_id}, {money(result.total_value)}"
        self.app.notify(self.notice)
        self.refresh_view()


# -- 4. invoices: 3-way-match exceptions ------------------------------------------------------------------

class InvoicesView(BuyerView):
    """Invoices the 3-way match held; Enter: PO / receipt / invoice lines side by side; a / x settle."""

    DEFAULT_CSS = """
    InvoicesView #invoices { height: 1fr; }
    InvoicesView #match-lines { height: 1fr; }
    InvoicesView #match-receipts { height: 7; }
    """
    BINDINGS = [Binding("a", "approve", "Approve variance", priority=True),
                Binding("x", "reject", "Reject", priority=True)]
    ACTION_RULES = {"approve": may_settle_invoice, "reject": may_settle_invoice}
    help_text = ("Supplier invoices on hold after the 3-way match (price more than 2 % off the PO, or more "
                 "invoiced than received). Enter puts the PO, receipt and invoice quantities and prices side by "
                 "side with the variances; a approves the variance with a reason (the invoice is paid and "
                 "posted), x rejects the invoice with a reason.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notice: str | None = None
        self.opened: str | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(id="view-status")
        yield PagedTable(self._page, id="invoices", page_size=50)
        yield Static("PO / receipt / invoice side by side (Enter on an invoice)", id="match-caption", classes="caption")
        yield Static("", id="match-reason", classes="note")
        yield DataTable(id="match-lines", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="match-receipts", cursor_type="row", zebra_stripes=True)

    def focus_default(self) -> None:
        self.query_one("#invoices", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return buyer.invoice_exceptions_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> None:
        return None

    def show(self, _data: None) -> None:
        self.query_one("#invoices", PagedTable).reload()
        keys = "Enter: side by side" + (" · a: approve the variance · x: reject" if may_settle_invoice(self.app.user) else "")
        self.say(f"{self.notice} · {keys}" if self.notice else keys)

    @on(PagedTable.RowOpened)
    def _opened(self, event: PagedTable.RowOpened) -> None:
        if event.table.id != "invoices":
            return
        event.stop()
        self.opened = event.key
        self.load_in_worker(lambda: buyer.invoice_match_detail(self.app.dbs, self.app.user, event.key), self._side_by_side)

    def _side_by_side(self, data: dict[str, Any]) -> None:
        inv = data["invoice"]

        def var(value, pct=None):
            if value is None:
                return Text("—", style="dim")
            text = f"{value}" + (f" ({pct} %)" if pct is not None else "")
            return Text(text, style="bold red") if value != 0 else text

        fill_table(self.query_one("#match-lines", DataTable),
                   [("Line", "n"), ("Material", "m"), ("PO qty", "pq"), ("PO price", "pp"), ("Received", "r"),
                    ("Invoiced", "iq"), ("Inv. price", "ip"), ("Qty over recv.", "qv"), ("Price var.", "pv"),
                    ("Amount var.", "av"), ("Match", "s")],
                   [(str(ln["line_number"]), [str(ln["line_number"]), cell(ln["material_id"]), qty(ln["po_quantity"]),
                                              cell(ln["po_unit_price"]), qty(ln["received"]), qty(ln["invoiced"]),
                                              cell(ln["unit_price"]), var(ln["quantity_variance"]),
                                              var(ln["price_variance"], ln["price_variance_pct"]), var(ln["amount_variance"]),
                                              cell(ln["match_status"])])
                    for ln in data["lines"]])
        fill_table(self.query_one("#match-receipts", DataTable),
                   [("Receipt", "g"), ("Date", "d"), ("PO line", "l"), ("Material", "m"), ("Qty", "q"), ("Quality", "s")],
                   [(g["goods_receipt_id"], [g["goods_receipt_id"], cell(g["gr_date"]), cell(g["po_line_id"]),
                                             cell(g["material_id"]), qty(g["quantity_received"]), cell(g["quality_status"])])
                    for g in data["receipts"]])
        self.query_one("#match-caption", Static).update(Text(
            f"{inv['invoice_id']} ({inv['supplier_invoice_number'] or ''}) · {inv['supplier_id']} · {inv['purchase_order_id']} · "
            f"total {money(inv['total_amount'])} · price variance {money(inv['price_variance'])} · "
            f"{inv['invoice_status']}", style="bold"))
        self.query_one("#match-reason", Static).update(Text(f"Held for: {inv['variance_reason'] or '—'}"))

    def _selected(self) -> str | None:
        current = self.query_one("#invoices", PagedTable).current_row()
        return current[0] if current else None

    def action_approve(self) -> None:
        self._settle(approve=True)

    def action_reject(self) -> None:
        self._settle(approve=False)

    def _settle(self, approve: bool) -> None:
        invoice_id = self._selected()
        if not invoice_id:
            self.say("Select an invoice first.", error=True)
            return
        reason = Field("reason", "Reason", required=True, max_length=1000,
                       help="Kept with the invoice and in the audit trail.")
        if approve:
            form = FormScreen(f"Approve the variance of {invoice_id}", [reason],
                              lambda ctx, v: procurement.approve_invoice_variance(ctx, invoice_id, v["reason"]),
                              intro="The invoice is approved for payment and posted to accounts payable.",
                              submit_label="Approve")
        else:
            form = FormScreen(f"Reject {invoice_id}", [reason],
                              lambda ctx, v: procurement.reject_invoice(ctx, invoice_id, v["reason"]) or "rejected",
                              intro="A rejected invoice is not paid; the supplier sends a corrected one.",
                              submit_label="Reject", confirm=f"Reject {invoice_id}? It will not be paid.")
        self.app.push_screen(form, callback=lambda result: self._settled(invoice_id, approve, result))

    def _settled(self, invoice_id: str, approve: bool, result) -> None:
        if result is None:
            self.say(f"{invoice_id}: nothing changed.")
            return
        self.notice = f"{invoice_id} {'approved' if approve else 'rejected'}."
        self.app.notify(self.notice)
        self.refresh_view()


# -- 5. suppliers ----------------------------------------------------------------------------------------

class ScoreTrend(PlotextPlot):
    """A supplier's overall score by month, with the rating thresholds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods: list[str] = []
        self.scores: list[float] = []
        self.title = "Select a supplier"

    def show_trend(self, title: str, points: list[dict[str, Any]]) -> None:
        self.title = title
        pairs = [(p["period"], float(p["overall"])) for p in points if p["overall"] is not None]
        self.periods = [p for p, _ in pairs]
        self.scores = [s for _, s in pairs]
        self.draw()

    def draw(self) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(self.title)
        if not self.scores:
            plt.text("no scorecards", x=0.5, y=0.5, alignment="center")
        else:
            xs = list(range(len(self.scores)))
            plt.plot(xs, self.scores, label="overall", color="cyan", marker="braille")
            for label, value, color in (("Good 75", 75, "green"), ("Acceptable 60", 60, "orange")):
                plt.plot([xs[0], xs[-1]] if len(xs) > 1 else [0, 1], [value, value], label=label, color=color, marker="braille")
            plt.ylim(0, 100)
            plt.xticks(xs, [p[2:] for p in self.periods])
        self.refresh()

    def on_mount(self) -> None:
        self.draw()


class SuppliersView(BuyerView):
    """Latest supplier scorecards (lowest first) with the selected supplier's trend, and contracts and
    documents expiring within 60 days."""

    DEFAULT_CSS = """
    SuppliersView #sup-top { height: 1fr; }
    SuppliersView #scorecards { width: 3fr; }
    SuppliersView #trend { width: 2fr; }
    SuppliersView #sup-bottom { height: 12; }
    SuppliersView #expiring-contracts { width: 1fr; }
    SuppliersView #expiring-documents { width: 1fr; }
    """
    help_text = ("Each supplier's latest monthly scorecard (overall = 35 % delivery, 35 % quality, 15 % "
                 "responsiveness, 15 % commercial; Excellent >= 90, Good >= 75, Acceptable >= 60), the lowest first. "
                 "Moving the cursor draws that supplier's trend. Below: active contracts ending and supplier "
                 "documents expiring within 60 days (negative days: already past).")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trend_of: str | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(id="view-status")
        with Horizontal(id="sup-top"):
            yield PagedTable(self._page, id="scorecards", page_size=50)
            yield ScoreTrend(id="trend")
        with Horizontal(id="sup-bottom"):
            with Vertical(id="expiring-contracts"):
                yield Static("Contracts ending within 60 days", classes="caption")
                yield DataTable(id="contracts", cursor_type="row", zebra_stripes=True)
            with Vertical(id="expiring-documents"):
                yield Static("Documents expiring within 60 days", classes="caption")
                yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)

    def focus_default(self) -> None:
        self.query_one("#scorecards", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return buyer.scorecards_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> dict[str, Any]:
        return buyer.expiring_soon(self.app.dbs, self.app.user, self.today())

    def show(self, data: dict[str, Any]) -> None:
        self.query_one("#scorecards", PagedTable).reload()

        def days(n: int) -> Text | str:
            return Text(str(n), style="bold red") if n < 0 else (Text(str(n), style="yellow") if n <= 30 else str(n))

        fill_table(self.query_one("#contracts", DataTable),
                   [("Contract", "c"), ("Supplier", "s"), ("Ends", "e"), ("Days", "d"), ("Auto-renew", "a")],
                   [(c["contract_id"], [c["contract_number"] or c["contract_id"], cell(c["supplier_id"]), cell(c["end_date"]),
                                        days(c["days_left"]), cell(c["auto_renew"])]) for c in data["contracts"]])
        fill_table(self.query_one("#documents", DataTable),
                   [("Document", "n"), ("Supplier", "s"), ("Type", "t"), ("Expires", "e"), ("Days", "d")],
                   [(d["document_id"], [d["document_name"] or d["document_id"], cell(d["supplier_id"]), cell(d["document_type"]),
                                        cell(d["expiry_date"]), days(d["days_left"])]) for d in data["documents"]])
        self.say(f"{len(data['contracts'])} contracts and {len(data['documents'])} documents expire within "
                 f"{buyer.EXPIRY_WINDOW_DAYS} days · the cursor draws a supplier's trend")

    @on(PagedTable.PageShown)
    def _page_shown(self, event: PagedTable.PageShown) -> None:
        if event.table.id != "scorecards":
            return
        self._draw_trend()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.parent is self.query_one("#scorecards", PagedTable):
            self._draw_trend()

    def _draw_trend(self) -> None:
        current = self.query_one("#scorecards", PagedTable).current_row()
        if current is None or current[0] == self.trend_of:
            return
        supplier_id = current[0]
        self.trend_of = supplier_id
        self.load_in_worker(lambda: (supplier_id, buyer.score_trend(self.app.dbs, self.app.user, supplier_id)),
                            self._trend_loaded)

    def _trend_loaded(self, result) -> None:
        supplier_id, points = result
        if supplier_id != self.trend_of:
            return
        last = points[-1] if points else None
        title = f"{supplier_id} overall score" + (f" · {last['rating']} {last['overall']} ({last['period']})" if last else "")
        self.query_one("#trend", ScoreTrend).show_trend(title, points)


# -- registration ----------------------------------------------------------------------------------------

def _can_read(*databases: str):
    return lambda user: all(user.can(db, "read") for db in databases)


register_view(View(
    name="buyer.requisitions", title="Requisitions", workspace="buyer", factory=RequisitionsView,
    description=("open purchase requisitions -> purchase order (supplier with rating and contract price); "
                 "submit, approve, release"),
    allowed=_can_read(ERP), order=10))
register_view(View(
    name="buyer.orders", title="Purchase orders", workspace="buyer", factory=OrdersView,
    description="purchase orders with delivery status (open, overdue, complete) and receipts; receive against a PO",
    allowed=_can_read(ERP), order=20))
register_view(View(
    name="buyer.rfqs", title="RFQs", workspace="buyer", factory=RfqView,
    description="RFQ deadline monitor, responses side by side (price, lead time, quality), award -> PO",
    allowed=_can_read(SUP), order=30))
register_view(View(
    name="buyer.invoices", title="Invoice exceptions", workspace="buyer", factory=InvoicesView,
    description="3-way-match exceptions: PO / receipt / invoice side by side; approve with a reason or reject",
    allowed=_can_read(SUP), order=40))
register_view(View(
    name="buyer.suppliers", title="Suppliers", workspace="buyer", factory=SuppliersView,
    description="supplier scorecards with a trend; contracts and documents expiring within 60 days",
    allowed=_can_read(SUP), order=50))

__all__ = ["RequisitionsView", "OrdersView", "RfqView", "InvoicesView", "SuppliersView", "po_form", "receipt_form"]
