"""The warehouse workspace: stock by warehouse / zone / bin, receiving -> putaway, pick waves -> picks ->
packing -> shipping, cycle counts with adjustments, and the ERP <-> WMS reconciliation.

Reads go through `backend.warehouse_views` in workers; every write is a service call
(`services.warehouse`, `services.inventory_sync`) in a worker or a form's worker, so each rule's
message appears where it was typed.

Shipping and the ERP goods issue: warehouse roles have read-only ERP access, so `g` ships with the
ERP goods issue (sales.deliver_sales_order, delivery document = the shipment id) only when the user
may write the ERP (e.g. inventory manager, admin); otherwise it ships the WMS side (shipping task +
TMS shipment), the pick movements reach the ERP <-> WMS sync queue as always, and the goods issue is
left to an ERP user (Sales workspace `d`, or `genims` CLI `post_goods_issue`). The status line says which.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from ..backend import warehouse_views as wv
from ..backend.access import ActingUser
from ..backend.browse import PageQuery
from ..backend.services import inventory_sync, warehouse
from ..views import View, register_view
from ..widgets.dataview import DataView, StatusLine
from ..widgets.form import Field, FormScreen
from ..widgets.paged_table import PagedTable, cell
from .plant import fill_table

WMS, ERP, SYNC = wv.WMS, wv.ERP, wv.SYNC


def _can(user: ActingUser, database: str, level: str = "read") -> bool:
    return user.can(database, level)


def qty(value: Any) -> str:
    text = cell(value)
    return text if isinstance(text, str) else text.plain


class _ViewWithStatus(DataView):
    """A view whose own status line is `#view-status` (PagedTables carry their own)."""

    def status(self) -> StatusLine | None:
        found = self.query("#view-status")
        return found.first() if found else None

    notice: str | None = None

    def tell(self, message: str) -> None:
        """An outcome kept in the status line over refreshes, and a notification."""
        self.notice = message
        self.say(message)
        self.app.notify(message, timeout=6)


# -- stock -----------------------------------------------------------------------------------------------

LEVEL_BELOW = {"warehouses": "zones", "zones": "bins", "bins": "stock"}
LEVEL_TITLE = {"warehouses": "Warehouses", "zones": "Zones", "bins": "Bins", "stock": "Stock"}


class WarehouseStock(_ViewWithStatus):
    """Stock by warehouse; Enter drills into zones, bins and a bin's stock rows; Esc goes back up."""

    DEFAULT_CSS = """
    WarehouseStock #crumbs { height: 1; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "up_level", "Up a level")]
    help_text = ("Stock on hand, reserved and available, summed from the WMS bins: warehouses -> zones -> bins -> "
                 "the stock rows of a bin (material, batch). Enter drills down, Esc goes back up; / filters, s sorts.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stack: list[tuple[str, str | None]] = [("warehouses", None)]

    def compose(self) -> ComposeResult:
        yield Static("", id="crumbs")
        yield PagedTable(self._page, id="stock", page_size=50)
        yield StatusLine(id="view-status")

    def on_mount(self) -> None:
        self._crumbs()

    def focus_default(self) -> None:
        self.query_one("#stock", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        level, parent = self.stack[-1]
        return wv.stock_page(self.app.dbs, self.app.user, pq, level, parent)

    def _crumbs(self) -> None:
        parts = ["Warehouses"] + [f"{LEVEL_TITLE[level]} of {parent}" for level, parent in self.stack[1:]]
        self.query_one("#crumbs", Static).update(Text(" › ".join(parts)))

    def fetch(self) -> dict[str, Any]:
        return wv.workload(self.app.dbs, self.app.user)

    def show(self, work: dict[str, Any]) -> None:
        self.query_one("#stock", PagedTable).reload()
        level = self.stack[-1][0]
        keys = "Enter: " + LEVEL_TITLE[LEVEL_BELOW[level]].lower() if level in LEVEL_BELOW else "Esc: back"
        self.say(self.notice or f"{work['warehouses']} warehouses · on hand {qty(work['on_hand'])} · available "
                                f"{qty(work['available'])} · {keys}")

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        event.stop()
        if event.table.id != "stock":
            return
        level = self.stack[-1][0]
        if level not in LEVEL_BELOW:
            return
        self.stack.append((LEVEL_BELOW[level], event.key))
        self._enter()

    def action_up_level(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()
            self._enter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "up_level":
            return len(self.stack) > 1
        return True

    def _enter(self) -> None:
        self._crumbs()
        self.refresh_bindings()
        self.query_one("#stock", PagedTable).reload(PageQuery())
        self.focus_default()


# -- receiving -> putaway ----------------------------------------------------------------------------------


def may_write_wms(user: ActingUser) -> bool:
    return user.can(WMS, "write")


class Receiving(_ViewWithStatus):
    """Receiving tasks with what is left to put away; `p` (or Enter) puts the selected one away into the
    suggested bin (the service checks the bin's capacity), `r` records goods received."""

    BINDINGS = [Binding("p", "putaway", "Put away"), Binding("r", "receive", "Receive goods")]
    help_text = ("Receiving tasks: received, put away and open quantities. p or Enter: put the selected task away; "
                 "the form starts with the suggested bin (a bin already holding the material with room, else an "
                 "empty bin of a matching zone) and the service refuses a bin whose weight capacity would be exceeded. "
                 "r: record goods received at the dock.")

    def compose(self) -> ComposeResult:
        yield PagedTable(self._page, id="receiving", page_size=50)
        yield StatusLine(id="view-status")

    def focus_default(self) -> None:
        self.query_one("#receiving", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return wv.receiving_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> dict[str, Any]:
        return wv.workload(self.app.dbs, self.app.user)

    def show(self, work: dict[str, Any]) -> None:
        self.query_one("#receiving", PagedTable).reload()
        self.say(self.notice or f"{work['to_put_away']} receiving tasks to put away · p / Enter: put away the "
                                "selected task · r: receive goods")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("putaway", "receive"):
            return may_write_wms(self.app.user)
        return True

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        event.stop()
        if event.table.id != "receiving":
            return
        if may_write_wms(self.app.user):
            self.action_putaway()

    def action_putaway(self) -> None:
        current = self.query_one("#receiving", PagedTable).current_row()
        if current is None:
            self.say("Select a receiving task first.", error=True)
            return
        key, row = current
        if Decimal(str(row.get("open") or 0)) <= 0:
            self.say(f"Receiving task {key} is put away completely.", error=True)
            return
        self.say(f"Looking for a bin for {key} ...")
        self.run_service(self._putaway_plan, key, done=self._putaway_form)

    def _putaway_plan(self, ctx, task_id: str) -> dict[str, Any]:
        task = wv.receiving_task(ctx.dbs, ctx.user, task_id)
        open_qty = task["open"]
        suggested = warehouse.suggest_bin(ctx, task["warehouse_id"], task["material_id"], open_qty)
        return {"task": task, "open": open_qty, "suggested": suggested,
                "bins": wv.bin_ids(ctx.dbs, ctx.user, task["warehouse_id"])}

    def _putaway_form(self, plan: dict[str, Any]) -> None:
        task, suggested, open_qty = plan["task"], plan["suggested"], plan["open"]
        task_id = task["receiving_task_id"]
        intro = (f"{task_id}: {qty(open_qty)} {task['unit_of_measure'] or ''} of {task['material_id']} to put away in "
                 f"{task['warehouse_id']}. Suggested bin: {suggested or 'none has room'}.")

        def submit(ctx, values):
            bin_id, quantity = values["bin_id"], values["quantity"]
            if bin_id == suggested and quantity == open_qty:
                bin_id = None  # the service puts it into its own suggestion (recorded as 'suggested')
            return warehouse.putaway(ctx, task_id, bin_id=bin_id, quantity=quantity)

        fields = [Field("bin_id", "Bin", required=True, max_length=50, default=suggested, suggestions=plan["bins"],
                        help="The suggested bin; type another to override (capacity is checked)."),
                  Field("quantity", "Quantity", kind="decimal", required=True, positive=True, default=qty(open_qty),
                        check=lambda v: None if v <= open_qty else f"At most {qty(open_qty)} is left to put away.")]
        self.say("")
        self.app.push_screen(FormScreen(f"Put away {task_id}", fields, submit, intro=intro, submit_label="Put away"),
                             callback=self._put_away)

    def _put_away(self, result: dict[str, Any] | None) -> None:
        if result is None:
            self.say("Putaway cancelled; nothing changed.")
            return
        self.tell(f"{qty(result['quantity'])} put away into {result['bin_id']} ({result['putaway_task_id']}, "
                  f"movement {result['movement_id']}).")
        self.refresh_view()

    def action_receive(self) -> None:
        self.run_service(lambda ctx: (wv.warehouse_choices(ctx.dbs, ctx.user), wv.material_ids(ctx.dbs, ctx.user)),
                         done=self._receive_form)

    def _receive_form(self, choices) -> None:
        warehouses, materials = choices
        fields = [Field("warehouse_id", "Warehouse", kind="choice", required=True, choices=warehouses,
                        default=warehouses[0][1] if warehouses else None),
                  Field("material_id", "Material", required=True, max_length=50, suggestions=materials),
                  Field("quantity", "Quantity received", kind="decimal", required=True, positive=True),
                  Field("batch_number", "Batch", max_length=50)]

        def submit(ctx, values):
            return warehouse.receive(ctx, warehouse_id=values["warehouse_id"], material_id=values["material_id"],
                                     quantity=values["quantity"], batch_number=values["batch_number"])

        self.app.push_screen(FormScreen("Receive goods", fields, submit, submit_label="Receive"),
                             callback=self._received)

    def _received(self, task_id: str | None) -> None:
        if task_id is None:
            self.say("Nothing received.")
            return
        self.tell(f"Receiving task {task_id} recorded; p puts it away.")
        self.refresh_view()


# -- picking, packing, shipping ---------------------------------------------------------------------------


class Picking(_ViewWithStatus):
    """Pick waves; Enter shows a wave's picks and orders; c confirms a pick, k packs, g ships."""

    DEFAULT_CSS = """
    Picking .caption { height: 1; padding: 0 1; text-style: bold; }
    Picking #waves { height: 1fr; }
    Picking #wave-detail { height: 1fr; }
    Picking #picks { width: 3fr; }
    Picking #orders { width: 2fr; }
    """
    BINDINGS = [Binding("n", "new_wave", "New wave"), Binding("c", "confirm_pick", "Confirm pick"),
                Binding("k", "pack", "Pack"), Binding("g", "ship", "Ship")]
    help_text = ("Pick waves (newest first). Enter shows the wave's picks and its orders' stage (picking, ready to "
                 "pack, packed, shipped). n: a new wave for sales orders (allocated FIFO from the bins); c: confirm "
                 "the pick under the cursor (a smaller quantity is a short pick); k: pack the selected order; "
                 "g: ship it (TMS shipment; the ERP goods issue too when you may write the ERP).")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wave_id: str | None = None
        self.detail: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Pick waves", classes="caption")
        yield PagedTable(self._page, id="waves", page_size=20)
        yield Static("", id="wave-caption", classes="caption")
        with Horizontal(id="wave-detail"):
            yield DataTable(id="picks", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="orders", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="view-status")

    def focus_default(self) -> None:
        self.query_one("#waves", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return wv.waves_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        return (wv.workload(self.app.dbs, self.app.user),
                wv.wave_detail(self.app.dbs, self.app.user, self.wave_id) if self.wave_id else None)

    def show(self, loaded: tuple[dict[str, Any], dict[str, Any] | None]) -> None:
        work, detail = loaded
        self.query_one("#waves", PagedTable).reload()
        self.detail = detail
        picks, orders = self.query_one("#picks", DataTable), self.query_one("#orders", DataTable)
        keep_pick, keep_order = picks.cursor_row, orders.cursor_row
        if detail is None:
            self.query_one("#wave-caption", Static).update("Enter on a wave shows its picks and orders")
            picks.clear(columns=True)
            orders.clear(columns=True)
            self.say(self.notice or f"{work['open_waves']} open waves · Enter: a wave's picks · n: new wave")
            return
        w = detail["wave"]
        self.query_one("#wave-caption", Static).update(Text(
            f"{w['wave_id']} · {w['warehouse_id']} · {w['wave_status']} · picked {qty(w['picked_units'])} of "
            f"{qty(w['total_units'])} units"))
        fill_table(picks, [("Pick", "id"), ("Order", "so"), ("Material", "mat"), ("Bin", "bin"), ("To pick", "q"),
                           ("Picked", "p"), ("Status", "s")],
                   [(p["picking_task_id"], [p["picking_task_id"], p["sales_order_id"], p["material_id"],
                                            p["pick_from_location"] or p["pick_from_bin_id"] or "",
                                            qty(p["quantity_to_pick"]), qty(p["quantity_picked"]), p["task_status"]])
                    for p in detail["picks"]])
        fill_table(orders, [("Order", "so"), ("Stage", "stage"), ("Open picks", "open"), ("Packing", "pack"),
                            ("Shipment", "ship"), ("Carrier", "car")],
                   [(o["sales_order_id"], [o["sales_order_id"], o["stage"], str(o["open_picks"]),
                                           o["packing_task_id"] or "", o["shipment_id"] or "", o["carrier_id"] or ""])
                    for o in detail["orders"]])
        if detail["picks"]:
            picks.move_cursor(row=min(keep_pick, len(detail["picks"]) - 1))
        if detail["orders"]:
            orders.move_cursor(row=min(keep_order, len(detail["orders"]) - 1))
        self.say(self.notice or "c: confirm the pick · Tab to orders, k: pack, g: ship")

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        event.stop()
        if event.table.id != "waves":
            return
        self.wave_id = event.key
        self.notice = None
        self.refresh_view()
        self.query_one("#picks", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_wave", "confirm_pick", "pack", "ship"):
            return may_write_wms(self.app.user)
        return True

    def _selected(self, table_id: str, rows_key: str, id_key: str) -> dict[str, Any] | None:
        if not self.detail or not self.detail[rows_key]:
            return None
        table = self.query_one(table_id, DataTable)
        rows = self.detail[rows_key]
        return rows[table.cursor_row] if 0 <= table.cursor_row < len(rows) else None

    def action_new_wave(self) -> None:
        self.run_service(lambda ctx: (wv.warehouse_choices(ctx.dbs, ctx.user), wv.open_sales_orders(ctx.dbs, ctx.user)),
                         done=self._wave_form)

    def _wave_form(self, choices) -> None:
        warehouses, orders = choices
        fields = [Field("warehouse_id", "Warehouse", kind="choice", required=True, choices=warehouses,
                        default=warehouses[0][1] if warehouses else None),
                  Field("sales_order_ids", "Sales orders", required=True, max_length=500, suggestions=orders,
                        help="One or more sales order ids, separated by spaces or commas.")]

        def submit(ctx, values):
            ids = [x for x in values["sales_order_ids"].replace(",", " ").split() if x]
            return warehouse.create_pick_wave(ctx, values["warehouse_id"], ids)

        self.app.push_screen(FormScreen("New pick wave", fields, submit, submit_label="Release wave"),
                             callback=self._wave_created)

    def _wave_created(self, result: dict[str, Any] | None) -> None:
        if result is None:
            self.say("No wave created.")
            return
        self.wave_id = result["wave_id"]
        self.tell(f"Wave {result['wave_id']} released with {len(result['picking_task_ids'])} picks.")
        self.refresh_view()

    def action_confirm_pick(self) -> None:
        pick = self._selected("#picks", "picks", "picking_task_id")
        if pick is None:
            self.say("Open a wave (Enter) and select a pick first.", error=True)
            return
        if pick["task_status"] not in ("pending", "assigned", "in_progress"):
            self.say(f"Pick {pick['picking_task_id']} is {pick['task_status']}; only an open pick is confirmed.", error=True)
            return
        to_pick = pick["quantity_to_pick"]
        fields = [Field("quantity_picked", "Picked quantity", kind="decimal", required=True, minimum=Decimal(0),
                        default=qty(to_pick),
                        check=lambda v: None if v <= to_pick else f"The pick asks for {qty(to_pick)}; no more can be picked.",
                        help="Less than asked is a short pick: the rest of the reservation is released.")]
        intro = (f"{pick['picking_task_id']}: {qty(to_pick)} of {pick['material_id']} from "
                 f"{pick['pick_from_location'] or pick['pick_from_bin_id']} for {pick['sales_order_id']}.")
        self.app.push_screen(FormScreen(f"Confirm pick {pick['picking_task_id']}", fields,
                                        lambda ctx, v: warehouse.confirm_pick(ctx, pick["picking_task_id"], v["quantity_picked"]),
                                        intro=intro, submit_label="Confirm"), callback=self._picked)

    def _picked(self, result: dict[str, Any] | None) -> None:
        if result is None:
            self.say("Pick not confirmed; nothing changed.")
            return
        self.tell(f"{result['picking_task_id']}: {qty(result['quantity_picked'])} picked ({result['task_status']}).")
        self.refresh_view()

    def action_pack(self) -> None:
        order = self._selected("#orders", "orders", "sales_order_id")
        if order is None:
            self.say("Open a wave (Enter) and select an order (Tab to the orders table) first.", error=True)
            return
        wave_id = self.detail["wave"]["wave_id"]
        self.say(f"Packing {order['sales_order_id']} ...")
        self.run_service(warehouse.pack, wave_id, order["sales_order_id"],
                         done=lambda r: (self.tell(f"{order['sales_order_id']} packed: {r['packing_task_id']}, "
                                                   f"{qty(r['units'])} units, {qty(r['weight_kg'])} kg."),
                                         self.refresh_view()))

    def action_ship(self) -> None:
        order = self._selected("#orders", "orders", "sales_order_id")
        if order is None or not order.get("packing_task_id"):
            self.say("Select a packed order (k packs it) to ship.", error=True)
            return
        goods_issue = self.app.user.can(ERP, "write")
        self.say(f"Shipping {order['sales_order_id']} ...")
        self.run_service(warehouse.ship, order["packing_task_id"], goods_issue=goods_issue, done=self._shipped)

    def _shipped(self, result: dict[str, Any]) -> None:
        gi = result.get("goods_issue")
        erp = (f"ERP goods issue {gi['delivery_document']} posted (order {gi['order_status']})." if gi else
               "ERP goods issue left to an ERP user (your role reads the ERP only).")
        self.tell(f"Shipped as {result['shipment_id']} with {result['carrier_id']}. {erp}")
        self.refresh_view()


# -- cycle counts ---------------------------------------------------------------------------------------------


def may_adjust(user: ActingUser) -> bool:
    return user.has("inventory.adjust") and user.can(WMS, "write")


class CycleCounts(_ViewWithStatus):
    """Cycle counts: Enter / e enters the counted quantity, p posts the variance (inventory.adjust)."""

    BINDINGS = [Binding("e", "enter_count", "Enter count"), Binding("p", "post", "Post adjustment"),
                Binding("n", "new_counts", "New counts")]
    help_text = ("Cycle counts with expected, counted and variance (quantity and %; recount flagged over the task's "
                 "threshold). e or Enter: enter the counted quantity of the selected count; p: post its variance "
                 "(ERP stock 701/702, GL inventory adjustment, the WMS bin set to the count; needs inventory.adjust); "
                 "n: schedule counts for a warehouse (optionally one bin or material).")

    def compose(self) -> ComposeResult:
        yield PagedTable(self._page, id="counts", page_size=50)
        yield StatusLine(id="view-status")

    def focus_default(self) -> None:
        self.query_one("#counts", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return wv.counts_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> dict[str, Any]:
        return wv.workload(self.app.dbs, self.app.user)

    def show(self, work: dict[str, Any]) -> None:
        self.query_one("#counts", PagedTable).reload()
        self.say(self.notice or f"{work['to_count']} to count · {work['to_post']} variances to post · e / Enter: "
                                "enter a count · p: post a variance · n: new counts")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("enter_count", "new_counts"):
            return may_write_wms(self.app.user)
        if action == "post":
            return may_adjust(self.app.user)
        return True

    def _current(self) -> tuple[str, dict[str, Any]] | None:
        current = self.query_one("#counts", PagedTable).current_row()
        if current is None:
            self.say("Select a cycle count first.", error=True)
        return current

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        event.stop()
        if event.table.id != "counts":
            return
        if may_write_wms(self.app.user):
            self.action_enter_count()

    def action_enter_count(self) -> None:
        current = self._current()
        if current is None:
            return
        key, row = current
        if row["status"] not in ("scheduled", "variance_review", "recount"):
            self.say(f"Cycle count {key} is {row['status']}; it takes no more counts.", error=True)
            return
        intro = (f"{key}: {row['material']} in bin {row['location'] or row['bin']} ({row['warehouse']}); "
                 f"expected {qty(row['expected'])}.")
        fields = [Field("counted_quantity", "Counted quantity", kind="decimal", required=True, minimum=Decimal(0),
                        help="What is in the bin now; the variance against the expected quantity is shown after saving.")]
        self.app.push_screen(FormScreen(f"Enter count {key}", fields,
                                        lambda ctx, v: warehouse.enter_count(ctx, key, v["counted_quantity"]),
                                        intro=intro, submit_label="Save count"), callback=self._counted)

    def _counted(self, result: dict[str, Any] | None) -> None:
        if result is None:
            self.say("Count not entered; nothing changed.")
            return
        recount = " · recount required" if result["recount_required"] else ""
        post = " · p posts the adjustment" if result["task_status"] == "variance_review" else ""
        self.tell(f"{result['cycle_count_id']}: counted {qty(result['counted_quantity'])}, variance "
                  f"{qty(result['variance_quantity'])} ({qty(result['variance_percentage'])} %){recount}{post}")
        self.refresh_view()

    def action_post(self) -> None:
        current = self._current()
        if current is None:
            return
        key, row = current
        if row["status"] != "variance_review":
            self.say(f"Cycle count {key} is {row['status']}; only a counted variance (variance_review) is posted.",
                     error=True)
            return
        from ..widgets.form import ConfirmScreen

        question = (f"Post the variance of {key}: {qty(row['variance'])} of {row['material']} in {row['location'] or row['bin']}? "
                    "ERP stock and the GL are adjusted.")
        self.app.push_screen(ConfirmScreen(question, yes_label="Post"),
                             callback=lambda yes: self._post(key) if yes else self.say("Not posted."))

    def _post(self, key: str) -> None:
        self.say(f"Posting {key} ...")
        self.run_service(warehouse.post_count_adjustment, key, done=self._posted)

    def _posted(self, result: dict[str, Any]) -> None:
        if result.get("already_posted"):
            self.tell(f"{result['cycle_count_id']} was posted already.")
        else:
            self.tell(f"{result['cycle_count_id']} posted: {qty(result['adjustment_quantity'])} in the bin, "
                      f"value {qty(result['amount'])}, journal {result['journal_entry_id'] or '-'}, "
                      f"movement {result['movement_id'] or '-'}.")
        self.refresh_view()

    def action_new_counts(self) -> None:
        self.run_service(lambda ctx: wv.warehouse_choices(ctx.dbs, ctx.user), done=self._counts_form)

    def _counts_form(self, warehouses) -> None:
        fields = [Field("warehouse_id", "Warehouse", kind="choice", required=True, choices=warehouses,
                        default=warehouses[0][1] if warehouses else None),
                  Field("bin_id", "Bin (optional)", max_length=50),
                  Field("material_id", "Material (optional)", max_length=50)]

        def submit(ctx, values):
            return warehouse.create_cycle_counts(ctx, values["warehouse_id"],
                                                 bin_ids=[values["bin_id"]] if values["bin_id"] else None,
                                                 material_id=values["material_id"])

        self.app.push_screen(FormScreen("Schedule cycle counts", fields, submit, submit_label="Schedule"),
                             callback=lambda ids: (self.tell(f"{len(ids)} cycle counts scheduled.")
                                                   if ids else self.say("No counts scheduled."),
                                                   self.refresh_view()))


# -- ERP <-> WMS reconciliation ---------------------------------------------------------------------------------


def may_reconcile(user: ActingUser) -> bool:
    return user.has("inventory.reconcile") and user.can(SYNC, "write")


class Reconciliation(_ViewWithStatus):
    """The latest ERP <-> WMS reconciliation: matched / minor / major; Enter drills into a material."""

    DEFAULT_CSS = """
    Reconciliation #rec-summary { height: auto; padding: 0 1; }
    Reconciliation #rec-lines { height: 1fr; }
    Reconciliation .caption { height: 1; padding: 0 1; text-style: bold; }
    Reconciliation #material { height: 1fr; display: none; }
    Reconciliation.-material #material { display: block; }
    Reconciliation #mat-left { width: 1fr; }
    Reconciliation #mat-right { width: 1fr; }
    Reconciliation DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("c", "reconcile", "Reconcile now"), Binding("escape", "close_material", "Close material")]
    help_text = ("The latest reconciliation of ERP stock (inventory balances) against WMS stock (bins), per material "
                 "and plant: matched < 0.1 %, minor 0.1-2 %, major > 2 % (largest variance first). Enter: the "
                 "material's ERP and WMS quantities per location and its recent movements on each side; Esc closes "
                 "it. c runs a reconciliation now (inventory.reconcile).")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run_ids: list[str] = []
        self.material_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="rec-summary")
        yield PagedTable(self._page, id="rec-lines", page_size=30)
        with Vertical(id="material"):
            yield Static("", id="mat-caption", classes="caption")
            with Horizontal():
                with Vertical(id="mat-left"):
                    yield DataTable(id="mat-plants", cursor_type="row")
                    yield DataTable(id="mat-locations", cursor_type="row")
                with Vertical(id="mat-right"):
                    yield DataTable(id="mat-moves", cursor_type="row")
        yield StatusLine(id="view-status")

    def focus_default(self) -> None:
        self.query_one("#rec-lines", PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return wv.reconciliation_lines_page(self.app.dbs, self.app.user, self.run_ids, pq)

    def fetch(self) -> dict[str, Any]:
        latest = wv.latest_reconciliation(self.app.dbs, self.app.user)
        detail = wv.material_detail(self.app.dbs, self.app.user, self.material_id) if self.material_id else None
        return {"latest": latest, "material": detail}

    def show(self, data: dict[str, Any]) -> None:
        latest = data["latest"]
        summary = Text()
        if latest is None:
            summary.append("No reconciliation has run yet." + (" c runs one." if may_reconcile(self.app.user) else ""))
            ids: list[str] = []
        else:
            ids = latest["reconciliation_ids"]
            summary.append(f"{', '.join(ids[:3])}{' …' if len(ids) > 3 else ''} · {latest['started_at']:%Y-%m-%d %H:%M} "
                           f"by {latest['started_by']} · plants {', '.join(map(str, latest['plants'][:6]))}\n")
            summary.append(f"{latest['matched']} matched", style="green")
            summary.append(" · ")
            summary.append(f"{latest['minor']} minor", style="yellow")
            summary.append(" · ")
            summary.append(f"{latest['major']} major", style="bold red" if latest["major"] else "")
            summary.append(f" · variance value {qty(latest['variance_value'])}")
        self.query_one("#rec-summary", Static).update(summary)
        if ids != self.run_ids:
            self.run_ids = ids
            self.query_one("#rec-lines", PagedTable).reload(PageQuery(limit=30))
        else:
            self.query_one("#rec-lines", PagedTable).reload()
        self._show_material(data["material"])
        self.say(self.notice or ("Enter: a material's ERP vs WMS detail" +
                                 (" · c: reconcile now" if may_reconcile(self.app.user) else "")))

    def _show_material(self, detail: dict[str, Any] | None) -> None:
        self.set_class(detail is not None, "-material")
        if detail is None:
            return
        m = detail["material"]
        self.query_one("#mat-caption", Static).update(Text(
            f"{m['material_id']} {m['material_name'] or ''} ({m['base_unit_of_measure'] or ''}) · Esc closes"))
        fill_table(self.query_one("#mat-plants", DataTable),
                   [("Plant", "p"), ("ERP", "e"), ("WMS", "w"), ("Variance", "v"), ("Sync", "s")],
                   [(str(p["plant_id"]), [str(p["plant_id"]), qty(p["erp"]), qty(p["wms"]), qty(p["variance"]),
                                          p["sync_status"] or ""]) for p in detail["plants"]])
        rows = [(f"E{i}", ["ERP", f"{e['plant_id']}/{e['storage_location'] or ''}", e["batch_number"] or "",
                           qty((e["unrestricted_stock"] or 0) + (e["quality_inspection_stock"] or 0)
                               + (e["blocked_stock"] or 0))]) for i, e in enumerate(detail["erp"])]
        rows += [(f"W{i}", ["WMS", f"{w['warehouse_id']}/{w['bin_id']}", w["batch_number"] or "",
                            qty(w["quantity_on_hand"])]) for i, w in enumerate(detail["wms"])]
        fill_table(self.query_one("#mat-locations", DataTable),
                   [("Side", "side"), ("Location", "loc"), ("Batch", "batch"), ("Quantity", "q")], rows)
        moves = [(f"E{i}", ["ERP", cell(x["posting_date"]), f"{x['movement_type'] or ''} {x['transaction_type'] or ''}",
                            str(x["plant_id"] or ""), qty(x["quantity"]), x["material_document"] or ""])
                 for i, x in enumerate(detail["erp_movements"])]
        moves += [(f"W{i}", ["WMS", cell(x["movement_timestamp"]), x["movement_type"] or "", x["warehouse_id"] or "",
                             qty(x["quantity"]), x["reference_document_id"] or ""])
                  for i, x in enumerate(detail["wms_movements"])]
        fill_table(self.query_one("#mat-moves", DataTable),
                   [("Side", "side"), ("When", "t"), ("Movement", "m"), ("Where", "w"), ("Qty", "q"), ("Reference", "r")],
                   moves, widest=24)

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        event.stop()
        if event.table.id != "rec-lines":
            return
        self.material_id = event.row.get("material")
        self.refresh_bindings()
        self.refresh_view()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reconcile":
            return may_reconcile(self.app.user)
        if action == "close_material":
            return self.material_id is not None
        return True

    def action_close_material(self) -> None:
        self.material_id = None
        self.set_class(False, "-material")
        self.refresh_bindings()
        self.focus_default()

    def action_reconcile(self) -> None:
        self.say("Reconciling ERP and WMS stock ...")
        self.run_service(inventory_sync.reconcile, done=self._reconciled)

    def _reconciled(self, result: dict[str, Any]) -> None:
        self.tell(f"Reconciled {result['compared']} keys: {result['matched']} matched, {result['minor']} minor, "
                  f"{result['major']} major.")
        self.refresh_view()


# -- registration --------------------------------------------------------------------------------------------


def _reads(*databases: str):
    return lambda user: all(user.can(db, "read") for db in databases)


register_view(View(name="wh.stock", title="Stock", workspace="warehouse", factory=WarehouseStock,
                   description="stock by warehouse / zone / bin (drill down with Enter)", allowed=_reads(WMS), order=10))
register_view(View(name="wh.receiving", title="Receiving", workspace="warehouse", factory=Receiving,
                   description="receiving tasks -> putaway into the suggested bin (capacity checked)",
                   allowed=_reads(WMS), order=20))
register_view(View(name="wh.picking", title="Picking", workspace="warehouse", factory=Picking,
                   description="pick waves -> picks -> packing -> shipping", allowed=_reads(WMS), order=30))
register_view(View(name="wh.counts", title="Cycle counts", workspace="warehouse", factory=CycleCounts,
                   description="cycle counts: enter counted quantities, variances, post adjustments",
                   allowed=_reads(WMS), order=40))
register_view(View(name="wh.reconcile", title="Reconciliation", workspace="warehouse", factory=Reconciliation,
                   description="ERP <-> WMS reconciliation: matched / minor / major, drill into a material",
                   allowed=_reads(SYNC, ERP, WMS), order=50))
