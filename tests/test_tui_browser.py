"""The data browser, driven by keys: tables list -> table -> row -> a referenced row -> Esc back;
permissions; the `/` filter; snapshots of the three screens at 120x40 on the seeded console estate."""

from __future__ import annotations

import asyncio
import functools

from console_support import SNAPSHOT_SIZE, console_app, console_clock, settle
from textual.app import App
from textual.widgets import DataTable, Input

from genims_tui.backend.access import role_user
from genims_tui.backend.catalog import load_catalog
from genims_tui.screens import browser
from genims_tui.screens.browser import RecordScreen, TablesScreen, TableScreen
from genims_tui.widgets.dataview import StatusLine
from genims_tui.widgets.paged_table import PagedTable


PO_LINE_COLUMNS = len(load_catalog()["genims_erp_db"]["purchase_order_lines"])


class BrowserHost(App):
    """The parts of the console the browser uses: user, dbs, clock, open_table/open_record."""

    def __init__(self, dbs, role: str = "plant_manager", start: str = "tables") -> None:
        super().__init__()
        self.dbs, self.user, self.start = dbs, role_user(role), start

    def clock(self):
        return console_clock()

    def on_mount(self) -> None:
        if self.start == "tables":
            browser.open_tables(self)
        else:
            database, _, table = self.start.partition(".")
            browser.open_table(self, database, table)

    def open_table(self, database, table, filter_text=None):
        browser.open_table(self, database, table, filter_text)

    def open_record(self, database, table, key):
        browser.open_record(self, database, table, key)


def run_async(test):
    """Run an async test body on its own event loop (no pytest async plugin here)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def table_rows(table: DataTable) -> list[list]:
    return [[str(c) for c in table.get_row(key)] for key in table.rows]


@run_async
async def test_tables_to_po_line_to_material_and_back(console_estate):
    app = BrowserHost(console_estate)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TablesScreen)
        listed = app.screen.query_one("#tables", DataTable)
        assert listed.row_count == 257  # the plant manager reads every database
        await pilot.press("slash", *"erp.purchase_order_l")
        await settle(pilot)
        assert table_rows(listed) == [["erp", "purchase_order_lines", str(PO_LINE_COLUMNS), listed.get_row_at(0)[3]]]
        assert listed.get_row_at(0)[3] not in ("…", "?")  # the row count arrived from the worker
        await pilot.press("enter")  # one match: Enter in the box opens it
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        paged = app.screen.query_one(PagedTable)
        first_key, first_row = paged.current_row()
        assert first_key == first_row["po_line_id"]
        await pilot.press("enter")
        await settle(pilot)
        record = app.screen
        assert isinstance(record, RecordScreen) and record.key == first_key
        fields = record.query_one("#fields", DataTable)
        assert fields.row_count == PO_LINE_COLUMNS
        material = record.record.field("material_id")
        assert material.target == ("genims_erp_db", "materials") and material.value == first_row["material_id"]
        assert record.record.field("purchase_order_id").target == ("genims_erp_db", "purchase_orders")
        referrers = {r.dotted: r for r in record.referrers}
        assert "erp.goods_receipts" in referrers and "supplier.supplier_invoice_lines" in referrers
        # follow material_id: move the cursor onto it and press Enter
        fields.move_cursor(row=fields.get_row_index("material_id"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert (app.screen.table_name, app.screen.key) == ("materials", first_row["material_id"])
        assert app.screen.record.field("material_id").value == first_row["material_id"]
        # the material is referenced by this PO line's table: open the referrers filtered to it
        mine = next(i for i, r in enumerate(app.screen.referrers) if r.dotted == "erp.purchase_order_lines")
        assert app.screen.referrers[mine].count >= 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen) and app.screen.key == first_key
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TablesScreen)


@run_async
async def test_a_referrer_opens_its_table_filtered_to_the_row(console_estate):
    app = BrowserHost(console_estate, start="erp.materials")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        # a material that some PO line orders
        from sqlalchemy import text
        with console_estate.connect("genims_erp_db") as conn:
            material_id = conn.execute(text("SELECT material_id FROM purchase_order_lines ORDER BY po_line_id")).scalar()
            expected = conn.execute(text("SELECT count(*) FROM purchase_order_lines WHERE material_id = :m"),
                                    {"m": material_id}).scalar()
        browser.open_record(app, "erp", "materials", material_id)
        await settle(pilot)
        screen = app.screen
        index = next(i for i, r in enumerate(screen.referrers) if r.dotted == "erp.purchase_order_lines")
        assert screen.referrers[index].count == expected
        referrers = screen.query_one("#referrers", DataTable)
        referrers.focus()
        referrers.move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        paged = app.screen.query_one(PagedTable)
        assert paged.query_state.filter_text == f"material_id={material_id}"
        assert paged.page is not None, str(paged.query_one(StatusLine).render())
        assert len(paged.page.rows) == expected
        assert {dict(zip(paged.page.columns, r))["material_id"] for r in paged.page.rows} == {material_id}


@run_async
async def test_an_ncr_leads_to_its_inspection_and_work_order(console_estate):
    from sqlalchemy import text

    with console_estate.connect("genims_quality_db") as conn:
        ncr_id, inspection_id = conn.execute(text(
            "SELECT ncr_id, source_document_id FROM ncr_headers WHERE source_type = 'mes_inspection' "
            "ORDER BY ncr_id")).first()
    app = BrowserHost(console_estate, start="quality.ncr_headers")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        browser.open_record(app, "quality", "ncr_headers", ncr_id)
        await settle(pilot)

        async def follow(column):
            fields = app.screen.query_one("#fields", DataTable)
            fields.move_cursor(row=fields.get_row_index(column))
            await pilot.press("enter")
            await settle(pilot)

        await follow("source_document_id")
        inspection = app.screen.record
        assert (inspection.database, inspection.table, inspection.key) == (
            "genims_manufacturing_db", "quality_inspections", inspection_id)
        work_order_id = inspection.field("work_order_id").value
        assert work_order_id
        await follow("work_order_id")
        assert (app.screen.record.database, app.screen.record.table, app.screen.key) == (
            "genims_manufacturing_db", "work_orders", work_order_id)


@run_async
async def test_slash_filter_shows_only_matching_rows(console_estate):
    app = BrowserHost(console_estate, start="erp.purchase_orders")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        paged = app.screen.query_one(PagedTable)
        everything = len(paged.page.rows)
        statuses = {dict(zip(paged.page.columns, r))["po_status"] for r in paged.page.rows}
        assert len(statuses) > 1
        await pilot.press("slash", *"po_status=partially_received", "enter")
        await settle(pilot)
        rows = [dict(zip(paged.page.columns, r)) for r in paged.page.rows]
        assert 0 < len(rows) < everything
        assert {r["po_status"] for r in rows} == {"partially_received"}
        assert "filter: po_status=partially_received" in str(paged.query_one(StatusLine).render())
        # a bad column is a message in the status line, not a traceback
        await pilot.press("slash", *"colour=red", "enter")
        await settle(pilot)
        assert "There is no column 'colour'" in str(paged.query_one(StatusLine).render())


@run_async
async def test_a_role_without_erp_read_gets_the_permission_message(console_estate):
    app = BrowserHost(console_estate, role="shift_supervisor")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        listed = app.screen.query_one("#tables", DataTable)
        assert not any(str(k.value).startswith("genims_erp_db.") for k in listed.rows)
        assert "erp.purchase_orders" not in browser.table_names(app.user)
        browser.open_table(app, "erp", "purchase_orders")
        browser.open_record(app, "erp", "materials", "MAT-000001")
        browser.open_table(app, "erp", "no_such_table")
        await settle(pilot)
        assert isinstance(app.screen, TablesScreen)  # nothing was opened
        messages = notifications(app)
        assert any("needs read access to genims_erp_db" in m and "Shift Supervisor" in m for m in messages)
        assert any("There is no table 'no_such_table'" in m for m in messages)


@run_async
async def test_a_missing_row_is_a_not_found_message(console_estate):
    app = BrowserHost(console_estate, start="erp.materials")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        browser.open_record(app, "erp", "materials", "MAT-999999")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert "There is no materials row MAT-999999" in str(app.screen.query_one(StatusLine).render())


@run_async
async def test_esc_while_the_workers_read_is_harmless(console_estate):
    app = BrowserHost(console_estate)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # the row counts are still being read
        browser.open_record(app, "erp", "materials", "MAT-000001")
        await pilot.pause()
        await pilot.press("escape")  # the referrers are still being counted
        await settle(pilot)
        assert not isinstance(app.screen, (TablesScreen, RecordScreen))


# -- in the real console ----------------------------------------------------------------------------

@run_async
async def test_console_colon_opens_a_table_enter_a_row_and_esc_goes_back(console_estate):
    app = console_app(console_estate, role="plant_manager")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert "erp.purchase_order_lines" in app.command_names()
        await pilot.press(":", *"erp.purchase_order_lines", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen) and app.screen.table_name == "purchase_order_lines"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        line = app.screen.record
        fields = app.screen.query_one("#fields", DataTable)
        fields.move_cursor(row=fields.get_row_index("material_id"))
        await pilot.press("enter")
        await settle(pilot)
        assert (app.screen.table_name, app.screen.key) == ("materials", line.field("material_id").value)
        for _ in range(3):
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen is home


@run_async
async def test_console_a_role_without_erp_read_gets_the_permission_message(console_estate):
    app = console_app(console_estate, role="shift_supervisor")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert "erp.purchase_orders" not in app.command_names()
        await pilot.press(":", *"erp.purchase_orders", "enter")
        await settle(pilot)
        assert app.screen is home
        assert any("needs read access to genims_erp_db" in m for m in notifications(app))


# -- snapshots ---------------------------------------------------------------------------------------

def test_snapshot_tables_list(console_estate, snap_compare):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press(":", *"tables", "enter")
        await settle(pilot)

    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_table(console_estate, snap_compare):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press(":", *"erp.purchase_order_lines", "enter")
        await settle(pilot)

    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_record(console_estate, snap_compare):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press(":", *"erp.purchase_order_lines", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)
