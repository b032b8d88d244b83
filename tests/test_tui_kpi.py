"""The KPI board: every seed 000 metric shown with a value or a reason, the selected KPI's definition
on screen, on `d` and in `?`'s help text, its trend plotted; a snapshot at 120x40 with a frozen clock."""

from __future__ import annotations

import asyncio
import functools

from console_support import SNAPSHOT_SIZE, console_app, console_clock, settle
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Static

from genims_tui.backend.access import role_user
from genims_tui.backend.kpis import METRICS
from genims_tui.screens.kpi import KpiBoard, sparkline
from genims_tui.views import load_views, views_for


class KpiHost(App):
    """The parts of the console the board uses: user, dbs, a frozen clock."""

    def __init__(self, dbs, role: str = "plant_manager") -> None:
        super().__init__()
        self.dbs, self.user = dbs, role_user(role)

    def clock(self):
        return console_clock()

    def compose(self) -> ComposeResult:
        yield KpiBoard()
        yield Footer()

    def on_mount(self) -> None:
        board = self.query_one(KpiBoard)
        board.query_one(DataTable).focus()
        board.refresh_view()


def run_async(test):
    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


@run_async
async def test_the_board_shows_every_kpi_and_the_selected_definition(console_estate):
    app = KpiHost(console_estate)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        board = app.query_one(KpiBoard)
        table = board.query_one("#kpi-table", DataTable)
        assert [str(k.value) for k in table.rows] == [m.key for m in METRICS]
        for k in board.kpis:
            assert k.value is not None or k.reason, k.key
        definition = board.query_one("#kpi-definition", Static)
        assert "On-time delivery" in str(definition.render())
        assert "PO line's delivery date" in board.help_text
        await pilot.press("down", "down", "down")  # lead time
        await pilot.pause()
        assert board.selected().key == "lead_time"
        assert "purchase order date to the goods receipt date" in str(definition.render())
        assert "Purchasing lead time (days)" in board.help_text
        await pilot.press("d")
        await pilot.pause()
        assert any("purchase order date" in n.message for n in app._notifications)
        # the order-to-cash KPI has no paid order in this small estate: it says so
        table.move_cursor(row=len(METRICS) - 1)
        await pilot.pause()
        assert "No value: no sales order was paid" in str(definition.render())


@run_async
async def test_console_colon_opens_the_board_and_question_mark_shows_the_selected_definition(console_estate):
    app = console_app(console_estate, role="plant_manager")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        await pilot.press(":", *"plant.kpis", "enter")
        await settle(pilot)
        board = app.screen.query_one(KpiBoard)
        assert len(board.kpis) == len(METRICS)
        table = board.query_one("#kpi-table", DataTable)
        table.focus()
        table.move_cursor(row=[m.key for m in METRICS].index("inventory_turnover"))
        await pilot.pause()
        await pilot.press("question_mark")
        await settle(pilot)
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Inventory turnover (turns/yr): Cost of goods sold" in shown
        assert ("d", "Definition") in app.screen.key_rows  # the board's d key is listed with the others


def test_the_views_are_registered_for_roles_that_read_erp():
    load_views()
    names = {v.name for v in views_for(role_user("plant_manager"))}
    assert "plant.kpis" in names
    assert "ops.kpis" in {v.name for v in views_for(role_user("admin"))}
    assert "plant.kpis" not in {v.name for v in views_for(role_user("shift_supervisor"))}  # no ERP read


def test_sparkline_scales_low_to_high():
    from decimal import Decimal

    assert sparkline([Decimal(1), Decimal(5), Decimal(3)]) == "▁█▄"
    assert sparkline([Decimal(2), Decimal(2)]) == "▄▄"
    assert sparkline([]) == ""


def test_snapshot_kpi_board(console_estate, snap_compare):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)

    assert snap_compare(KpiHost(console_estate), terminal_size=SNAPSHOT_SIZE, run_before=ready)
