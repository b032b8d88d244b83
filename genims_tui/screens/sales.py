"""The sales workspace: sales orders with their status through delivery and invoice, a new order
entered by keys with ATP per line and the credit check shown before it is confirmed, credit hold
release, delivery and invoicing.

The order form (`SalesOrderForm`) is a FormScreen with a customer and up to `ORDER_LINES` lines
(material, quantity, requested date). ctrl+s first checks the order through
`services.sales.preview_sales_order` (no writes): ATP per line and the credit result appear in the
form, and the button turns into "Confirm order". ctrl+s again (with nothing changed) creates it
through `create_sales_order`; a change of any field asks for a new check first. A service error
naming a line's field (`lines.<n>.quantity`) is shown at that field.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Static

from ..backend import sales_views as sv
from ..backend.access import ActingUser
from ..backend.browse import PageQuery
from ..backend.errors import DomainError
from ..backend.services import sales, warehouse
from ..views import View, register_view
from ..widgets.dataview import DataView, StatusLine
from ..widgets.form import ConfirmScreen, Field, FormScreen
from ..widgets.paged_table import PagedTable, cell
from .plant import fill_table

ERP = sv.ERP
ORDER_LINES = 3


def qty(value: Any) -> str:
    text = cell(value)
    return text if isinstance(text, str) else text.plain


# -- the order form -------------------------------------------------------------------------------------


def order_fields(customers: list[str], materials: list[str]) -> list[Field]:
    fields = [Field("customer_id", "Customer", required=True, max_length=50, suggestions=customers,
                    placeholder="CUST-000001 (Tab completes)"),
              Field("customer_po_number", "Customer PO", max_length=50)]
    for n in range(1, ORDER_LINES + 1):
        fields += [Field(f"line{n}_material", f"Line {n} material", required=n == 1, max_length=50,
                         suggestions=materials, placeholder="material id"),
                   Field(f"line{n}_quantity", f"Line {n} quantity", kind="decimal", required=n == 1, positive=True),
                   Field(f"line{n}_date", f"Line {n} date", kind="date", placeholder="YYYY-MM-DD (today)")]
    return fields


def order_lines(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The typed lines (a line without material and quantity is left out; half a line is an error)."""
    lines = []
    for n in range(1, ORDER_LINES + 1):
        material, quantity, date = (values.get(f"line{n}_material"), values.get(f"line{n}_quantity"),
                                    values.get(f"line{n}_date"))
        if material is None and quantity is None and date is None:
            continue
        if material is None:
            raise DomainError(f"Line {n} needs a material.", field=f"line{n}_material")
        if quantity is None:
            raise DomainError(f"Line {n} needs a quantity.", field=f"line{n}_quantity")
        lines.append({"material_id": material, "quantity": quantity, "requested_date": date, "form_line": n})
    return lines


def _form_field(service_field: str | None, lines: list[dict[str, Any]]) -> str | None:
    """The form field of a service's `field` (`lines.<k>.quantity` is the k-th typed line)."""
    if not service_field or not service_field.startswith("lines."):
        return service_field
    _, index, name = service_field.split(".", 2)
    try:
        n = lines[int(index) - 1]["form_line"]
    except (ValueError, IndexError):
        return None
    return {"material_id": f"line{n}_material", "quantity": f"line{n}_quantity",
            "requested_date": f"line{n}_date"}.get(name)


class SalesOrderForm(FormScreen):
    """The new-order form: customer and lines in a compact grid, ATP and credit shown before confirming."""

    DEFAULT_CSS = """
    SalesOrderForm #form { width: 110; }
    SalesOrderForm .order-row { height: auto; }
    SalesOrderForm .order-cell { width: 1fr; height: auto; padding-right: 1; }
    SalesOrderForm .order-cell Input { width: 100%; }
    SalesOrderForm .field-error { height: auto; }
    SalesOrderForm #preview { height: auto; border-top: solid $primary; }
    SalesOrderForm #preview-lines { height: auto; max-height: 8; }
    SalesOrderForm #credit { height: auto; }
    """

    def __init__(self, customers: list[str], materials: list[str]) -> None:
        super().__init__("New sales order", order_fields(customers, materials), self._create,
                         intro="ctrl+s checks ATP and credit; ctrl+s again confirms the order. Esc cancels.",
                         submit_label="Check ATP and credit")
        self.previewed: dict[str, Any] | None = None  # the values the shown preview is for
        self.preview: sales.OrderPreview | None = None

    def compose(self) -> ComposeResult:
        by_name = {f.name: f for f in self.fields}
        with VerticalScroll(id="form"):
            yield Static(Text(self.form_title), id="form-title")
            yield Static(Text(self.intro), id="form-intro")
            with Horizontal(classes="order-row"):
                for name in ("customer_id", "customer_po_number"):
                    with Vertical(classes="order-cell"):
                        yield Label(by_name[name].label + (" *" if by_name[name].required else ""), classes="field-label")
                        yield self._input_for(by_name[name])
                        yield Static("", id=f"error-{name}", classes="field-error")
            for n in range(1, ORDER_LINES + 1):
                with Horizontal(classes="order-row"):
                    for suffix in ("material", "quantity", "date"):
                        field = by_name[f"line{n}_{suffix}"]
                        with Vertical(classes="order-cell"):
                            yield Label(field.label + (" *" if field.required else ""), classes="field-label")
                            yield self._input_for(field)
                            yield Static("", id=f"error-{field.name}", classes="field-error")
            with Vertical(id="preview"):
                yield DataTable(id="preview-lines", cursor_type="none", show_cursor=False)
                yield Static("", id="credit")
            yield Static("", id="form-error")
            with Horizontal(id="buttons"):
                yield Button(f"{self.submit_label} (ctrl+s)", variant="primary", id="submit")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#preview").display = False

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if self.previewed is not None:  # what was checked is no longer what is typed
            self.previewed = None
            self.query_one("#submit", Button).label = "Check ATP and credit (ctrl+s)"

    def action_submit(self) -> None:
        if self.saving:
            return
        values = self.values()
        if values is None:
            return
        if self.previewed == values and self.preview is not None:
            self._save(values)
            return
        self.saving = True
        self.show_form_error("Checking ATP and credit ...")
        self._check(values)

    @work(thread=True, exclusive=True, group="order-preview")
    def _check(self, values: dict[str, Any]) -> None:
        lines: list[dict[str, Any]] = []
        try:
            lines = order_lines(values)
            preview = sales.preview_sales_order(self.app.service_context(), values["customer_id"],
                                                [{k: v for k, v in ln.items() if k != "form_line"} for ln in lines])
        except Exception as exc:
            if isinstance(exc, DomainError):
                exc.field = _form_field(exc.field, lines)
            self.app.call_from_thread(self._refused, exc)
            return
        self.app.call_from_thread(self._show_preview, values, preview)

    def _show_preview(self, values: dict[str, Any], preview: sales.OrderPreview) -> None:
        self.saving = False
        self.previewed, self.preview = values, preview
        self.query_one("#preview").display = True
        fill_table(self.query_one("#preview-lines", DataTable),
                   [("Line", "n"), ("Material", "m"), ("Qty", "q"), ("Requested", "r"), ("ATP at date", "atp"),
                    ("ATP date", "ad"), ("Confirmable", "c"), ("Unit price", "p"), ("Net", "net")],
                   [(str(ln["line_number"]), [str(ln["line_number"]), f"{ln['material_id']} {ln['material_description']}"[:20],
                                              qty(ln["quantity"]), cell(ln["requested_date"]), qty(ln["atp_quantity"]),
                                              cell(ln["atp_date"]) if ln["atp_date"] else Text("no supply", style="bold red"),
                                              cell(ln["confirmed_date"]) if ln["confirmed_date"] else Text("—", style="dim"),
                                              qty(ln["unit_price"]), qty(ln["net_price"])])
                    for ln in preview.lines])
        credit = Text()
        credit.append(f"Total {qty(preview.total_value)} (net {qty(preview.total_net_value)} + tax {qty(preview.tax_amount)}) · ")
        limit = "no limit" if preview.credit_limit is None else f"limit {qty(preview.credit_limit)}"
        used = "" if preview.credit_limit_used is None else f", {qty(preview.credit_limit_used)} % used"
        if preview.credit_ok:
            credit.append("Credit check passed", style="bold green")
            credit.append(f": exposure {qty(preview.exposure)}, {limit}{used} -> the order is confirmed.")
        else:
            credit.append("Credit check fails", style="bold red")
            credit.append(f": exposure {qty(preview.exposure)} > {limit}{used} -> the order goes on credit hold.")
        self.query_one("#credit", Static).update(credit)
        submit = self.query_one("#submit", Button)
        submit.label = "Confirm order (ctrl+s)"
        submit.focus()  # Enter (or ctrl+s) now confirms what is shown
        self.show_form_error("")

    def _create(self, ctx, values: dict[str, Any]) -> sales.SalesOrderResult:
        lines = order_lines(values)
        try:
            return sales.create_sales_order(ctx, values["customer_id"],
                                            [{k: v for k, v in ln.items() if k != "form_line"} for ln in lines],
                                            customer_po_number=values["customer_po_number"])
        except DomainError as exc:
            exc.field = _form_field(exc.field, lines)
            raise

    def _refused(self, exc: BaseException) -> None:
        self.previewed = None
        self.query_one("#submit", Button).label = "Check ATP and credit (ctrl+s)"
        super()._refused(exc)


def deliver_order(ctx, sales_order_id: str) -> str:
    """The ERP delivery of an order: when the warehouse has shipped it and the goods issue is still
    open, the goods issue of those shipments (delivery document = the shipment id, so the WMS shipment
    and the ERP delivery are one); otherwise a delivery of all open quantities from ERP stock."""
    shipped = (warehouse.pending_goods_issues(ctx, sales_order_id)
               if ctx.user.can(warehouse.WMS, "read") else [])
    if shipped:
        done = [warehouse.post_goods_issue(ctx, task) for task in shipped]
        return (f"{sales_order_id}: goods issue of {', '.join(d['delivery_document'] for d in done)} posted "
                f"(COGS {qty(sum((d['cogs'] for d in done), 0))}), order {done[-1]['order_status']}.")
    r = sales.deliver_sales_order(ctx, sales_order_id)
    return (f"{sales_order_id} delivered ({r.delivery_document}): COGS {qty(r.cogs)}, order {r.order_status}."
            + (f" GL: {r.posting_error}" if r.posting_error else ""))


# -- the orders list ------------------------------------------------------------------------------------


def may_enter(user: ActingUser) -> bool:
    return user.can(ERP, "write") and user.can(sv.MASTER, "read")


def may_release(user: ActingUser) -> bool:
    return user.has("sales.release_credit_hold") and user.can(ERP, "write")


class SalesOrders(DataView):
    """Sales orders with status through delivery and invoice; n new order, h release hold, d deliver, i invoice."""

    DEFAULT_CSS = """
    SalesOrders #orders { height: 2fr; }
    SalesOrders .caption { height: 1; padding: 0 1; text-style: bold; }
    SalesOrders #lines { height: 1fr; }
    """
    BINDINGS = [Binding("n", "new_order", "New order"), Binding("h", "release", "Release hold"),
                Binding("d", "deliver", "Deliver"), Binding("i", "invoice", "Invoice")]
    help_text = ("Sales orders, newest first: status, credit check, delivery and billing status, ordered / delivered / "
                 "invoiced quantities. Enter shows the lines with ATP. n: enter an order (ATP per line and the credit "
                 "check shown before you confirm); h: release a credit hold (sales manager); d: deliver - the goods "
                 "issue of what the warehouse shipped (delivery document = the shipment), else the open quantities "
                 "from ERP stock (601 + COGS); i: invoice what is delivered.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_id: str | None = None
        self.notice: str | None = None

    def compose(self) -> ComposeResult:
        yield PagedTable(self._page, id="orders", page_size=50)
        yield Static("", id="lines-caption", classes="caption")
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="view-status")

    def status(self) -> StatusLine | None:
        found = self.query("#view-status")
        return found.first() if found else None

    def focus_default(self) -> None:
        self.query_one("#orders", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return sv.orders_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> tuple[dict[str, int], list[dict[str, Any]] | None]:
        return (sv.order_counts(self.app.dbs, self.app.user),
                sv.order_lines(self.app.dbs, self.app.user, self.order_id) if self.order_id else None)

    def show(self, loaded: tuple[dict[str, int], list[dict[str, Any]] | None]) -> None:
        counts, lines = loaded
        self.query_one("#orders", PagedTable).reload()
        table = self.query_one("#lines", DataTable)
        if lines is None:
            self.query_one("#lines-caption", Static).update("Enter on an order shows its lines")
            table.clear(columns=True)
        else:
            self.query_one("#lines-caption", Static).update(Text(f"Lines of {self.order_id}"))
            fill_table(table, [("Line", "n"), ("Material", "m"), ("Ordered", "o"), ("Delivered", "d"),
                               ("Invoiced", "i"), ("Net", "net"), ("Requested", "r"), ("Confirmed", "c"),
                               ("ATP qty", "aq"), ("ATP date", "ad"), ("Plant", "p"), ("Status", "s"), ("Hold", "h")],
                       [(str(ln["line_number"]), [str(ln["line_number"]), ln["material_id"], qty(ln["order_quantity"]),
                                                  qty(ln["delivered_quantity"]), qty(ln["invoiced_quantity"]),
                                                  qty(ln["net_price"]), cell(ln["requested_delivery_date"]),
                                                  cell(ln["confirmed_delivery_date"]), qty(ln["atp_quantity"]),
                                                  cell(ln["atp_date"]), ln["plant_id"] or "", ln["line_status"] or "",
                                                  ln["rejection_reason"] or ""]) for ln in lines], widest=30)
        keys = [k for k, ok in (("n new order", may_enter(self.app.user)), ("h release hold", may_release(self.app.user)),
                                ("d deliver · i invoice", self.app.user.can(ERP, "write"))) if ok]
        held = counts.get("on_hold", 0)
        self.say(self.notice or f"{sum(counts.values())} orders, {held} on credit hold · Enter: an order's lines"
                 + (" · " + " · ".join(keys) if keys else ""))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        user = self.app.user
        if action == "new_order":
            return may_enter(user)
        if action == "release":
            return may_release(user)
        if action in ("deliver", "invoice"):
            return user.can(ERP, "write")
        return True

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        event.stop()
        if event.table.id != "orders":
            return
        self.order_id = event.key
        self.refresh_view()

    def _tell(self, message: str) -> None:
        self.notice = message
        self.say(message)
        self.app.notify(message, timeout=6)

    def _selected(self) -> tuple[str, dict[str, Any]] | None:
        current = self.query_one("#orders", PagedTable).current_row()
        if current is None:
            self.say("Select a sales order first.", error=True)
        return current

    # -- n: a new order ---------------------------------------------------------------------------

    def action_new_order(self) -> None:
        self.say("Opening the order form ...")
        self.run_service(lambda ctx: (sv.customer_choices(ctx.dbs, ctx.user), sv.sellable_materials(ctx.dbs, ctx.user)),
                         done=self._order_form)

    def _order_form(self, choices) -> None:
        customers, materials = choices
        self.say("")
        self.app.push_screen(SalesOrderForm(customers, materials), callback=self._created)

    def _created(self, result: sales.SalesOrderResult | None) -> None:
        if result is None:
            self.say("No order entered.")
            return
        self.order_id = result.sales_order_id
        held = f" on credit hold ({result.hold_reason})" if result.order_status == "on_hold" else ""
        self._tell(f"{result.sales_order_id} entered for {result.customer_id}: {len(result.lines)} lines, total "
                   f"{qty(result.total_value)}, {result.order_status}{held}.")
        self.refresh_view()

    # -- h / d / i ------------------------------------------------------------------------------------

    def action_release(self) -> None:
        current = self._selected()
        if current is None:
            return
        key, row = current
        if row.get("status") != "on_hold":
            self.say(f"{key} is not on credit hold (status {row.get('status')}).", error=True)
            return
        fields = [Field("reason", "Reason", required=True, max_length=500, help="Why the hold is released (audited).")]
        self.app.push_screen(FormScreen(f"Release credit hold of {key}", fields,
                                        lambda ctx, v: sales.release_credit_hold(ctx, key, v["reason"]),
                                        submit_label="Release", confirm=f"Release {key} from credit hold?"),
                             callback=lambda r: (self._tell(f"{key} released: {r['order_status']}."), self.refresh_view())
                             if r else self.say("Hold not released."))

    def action_deliver(self) -> None:
        current = self._selected()
        if current is None:
            return
        key, _row = current
        self.app.push_screen(ConfirmScreen(f"Deliver {key}: the goods issue of its shipments, or else all open quantities "
                                           "from ERP stock (601 + COGS)?",
                                           yes_label="Deliver"),
                             callback=lambda yes: self._deliver(key) if yes else self.say("Not delivered."))

    def _deliver(self, key: str) -> None:
        self.say(f"Delivering {key} ...")
        self.run_service(deliver_order, key, done=lambda text: (self._tell(text), self.refresh_view()))

    def action_invoice(self) -> None:
        current = self._selected()
        if current is None:
            return
        key, _row = current
        self.app.push_screen(ConfirmScreen(f"Invoice what is delivered of {key} (receivable, revenue and tax to the GL)?",
                                           yes_label="Invoice"),
                             callback=lambda yes: self._invoice(key) if yes else self.say("Not invoiced."))

    def _invoice(self, key: str) -> None:
        self.say(f"Invoicing {key} ...")
        self.run_service(sales.invoice_sales_order, key,
                         done=lambda r: (self._tell(f"{key} invoiced: {qty(r.total)} ({r.billing_status}), journal "
                                                    f"{r.journal_entry_id}."), self.refresh_view()))


register_view(View(name="sales.orders", title="Sales orders", workspace="sales", factory=SalesOrders,
                   description="sales orders through delivery and invoice; enter an order with ATP and credit",
                   allowed=lambda user: user.can(ERP, "read"), order=10))
