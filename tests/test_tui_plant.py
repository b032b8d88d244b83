"""The plant manager's workspace, driven by keys: the factory network drilled down to a sensor chart
and back, a production order released to MES, the release key hidden from a role without it, and
snapshots of each view (120x40, frozen clock, the seeded console estate)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from textual.widgets import DataTable

from console_support import SNAPSHOT_SIZE, console_app, settle
from genims_tui.backend.access import role_user
from genims_tui.backend.models.erp import ProductionOrders
from genims_tui.backend.models.manufacturing import WorkOrderOperations, WorkOrders
from genims_tui.screens.plant import MaintenanceBacklog, PlantNetwork, ProductionOrders as ProductionView
from genims_tui.views import views_for
from genims_tui.widgets.charts import ParetoChart, SeriesChart, tick_positions
from genims_tui.widgets.paged_table import PagedTable


async def open_view(pilot, name: str) -> None:
    await settle(pilot)
    await pilot.press(":", *name, "enter")
    await settle(pilot)


def network(pilot) -> PlantNetwork:
    return pilot.app.screen.query_one(PlantNetwork)


def levels(pilot) -> DataTable:
    return network(pilot).query_one("#levels", DataTable)


async def enter(pilot) -> None:
    await pilot.press("enter")
    await settle(pilot)


async def drill_to_sensor(pilot, machine_row: int = 0) -> None:
    """Network -> first factory -> first line -> a machine -> its first sensor."""
    await open_view(pilot, "plant.factories")
    await enter(pilot)  # factory
    await enter(pilot)  # line
    for _ in range(machine_row):
        await pilot.press("down")
    await enter(pilot)  # machine
    await enter(pilot)  # sensor
    await pilot.pause()


def test_drill_down_to_a_sensor_chart_and_esc_back_to_the_network(console_estate):
    app = console_app(console_estate, role="plant_manager")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "plant.factories")
            view = network(pilot)
            table = levels(pilot)
            assert table.row_count == 4  # the seeded estate's factories
            assert [str(c.label) for c in table.columns.values()][:3] == ["Factory", "Name", "OEE"]
            first_factory = str(table.coordinate_to_cell_key((0, 0)).row_key.value)
            assert any("%" in str(table.get_row_at(i)[2]) for i in range(table.row_count))  # OEE shown

            await enter(pilot)
            assert view.level.kind == "factory" and view.level.key == first_factory
            line_id = str(table.coordinate_to_cell_key((0, 0)).row_key.value)
            assert line_id.startswith("LINE-")
            await enter(pilot)
            assert view.level.kind == "line"
            await enter(pilot)
            assert view.level.kind == "machine"
            assert view.has_class("-machine")
            assert view.query_one("#pareto", ParetoChart).display
            sensor_id = str(table.coordinate_to_cell_key((0, 0)).row_key.value)
            assert sensor_id.startswith("SNS-")
            await enter(pilot)
            assert view.level.kind == "sensor" and view.level.key == sensor_id
            view.refresh_view()  # what the refresh timer does: the same level, redrawn
            await settle(pilot)
            assert view.level.key == sensor_id and view.query_one("#sensor-chart", SeriesChart).point_count > 0
            chart = view.query_one("#sensor-chart", SeriesChart)
            assert chart.display and chart.region.height > 5
            assert chart.point_count > 0 and chart.point_count == table.row_count
            assert {b.label for b in chart.bands} == {"warning min", "warning max", "critical min", "critical max"}
            assert "Labeling" in chart.title or chart.title  # the sensor's name is the title
            for expected in ("machine", "line", "factory", "network"):
                await pilot.press("escape")
                await settle(pilot)
                assert view.level.kind == expected
            assert not chart.display
            assert table.row_count == 4
            screen = pilot.app.screen
            await pilot.press("escape")  # at the top Esc is the app's: the view stays on the network
            await settle(pilot)
            assert pilot.app.screen is screen and view.level.kind == "network"
            # the cursor is back on the factory we came from
            assert str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value) == first_factory

    asyncio.run(drive())


def erp_table(pilot) -> PagedTable:
    return pilot.app.screen.query_one("#erp-orders", PagedTable)


def cell_of(table: PagedTable, key: str, column: str):
    page = table.page
    return page.rows[page.keys.index(key)][page.columns.index(column)]


def test_release_a_production_order_by_keys(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="plant_manager")

    async def drive() -> tuple[str, str]:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "plant.production")
            orders = erp_table(pilot)
            assert "l" in {key for key, b in pilot.app.screen.active_bindings.items() if b.enabled}  # offered
            key, row = orders.current_row()  # latest start first: a created order on top
            assert row["status"] == "created"
            await pilot.press("l")
            await settle(pilot)
            view = pilot.app.screen.query_one(ProductionView)
            message = str(view.status().render())
            assert f"{key} released to MES as work order WO-" in message, message
            assert cell_of(erp_table(pilot), key, "status") == "released"  # the row shows it
            work_order = cell_of(erp_table(pilot), key, "work_order")
            # releasing it again: the service refuses, the status line says why
            await pilot.press("l")
            await settle(pilot)
            assert "released already" in str(view.status().render()) or "already" in str(view.status().render())
            return key, work_order

    key, work_order = asyncio.run(drive())
    with dbs.connect("genims_erp_db") as conn:
        order = conn.execute(select(ProductionOrders).where(ProductionOrders.production_order_id == key)).one()
    assert (order.system_status, order.work_order_id) == ("released", work_order)
    with dbs.connect("genims_manufacturing_db") as conn:
        wo = conn.execute(select(WorkOrders).where(WorkOrders.work_order_id == work_order)).one()
        operations = conn.execute(select(WorkOrderOperations).where(WorkOrderOperations.work_order_id == work_order)).all()
    assert (wo.erp_order_id, wo.status) == (key, "released") and operations


def test_plant_views_follow_read_access():
    assert {v.name for v in views_for(role_user("plant_manager"), "plant_manager")} >= {
        "plant.factories", "plant.production", "plant.maintenance"}
    assert not any(v.name.startswith("plant.") for v in views_for(role_user("viewer")))
    # a shop-floor operator reads master data and operations only: the network, nothing else
    assert {v.name for v in views_for(role_user("shopfloor_operator")) if v.name.startswith("plant.")} == {
        "plant.factories"}


def test_a_role_without_production_release_gets_no_release_key(console_estate):
    app = console_app(console_estate, role="planner")  # reads ERP and MES, may not release

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "plant.production")
            view = pilot.app.screen.query_one(ProductionView)
            assert erp_table(pilot).page is not None and erp_table(pilot).page.rows  # the orders are shown
            enabled = {key for key, b in pilot.app.screen.active_bindings.items() if b.enabled}
            assert "l" not in enabled
            before = cell_of(erp_table(pilot), erp_table(pilot).current_row()[0], "status")
            await pilot.press("l")
            await settle(pilot)
            assert "released" not in str(view.status().render())
            assert cell_of(erp_table(pilot), erp_table(pilot).current_row()[0], "status") == before

    asyncio.run(drive())


def test_maintenance_view_shows_backlog_compliance_and_reliability(console_estate):
    app = console_app(console_estate, role="plant_manager")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "plant.maintenance")
            view = pilot.app.screen.query_one(MaintenanceBacklog)
            summary = str(view.query_one("#maint-summary").render())
            assert "PM compliance" in summary and "open work orders" in summary
            backlog = view.query_one("#backlog", PagedTable)
            assert backlog.page.rows and "overdue" in backlog.page.columns
            assert view.query_one("#reliability", DataTable).row_count > 0

    asyncio.run(drive())


def test_chart_ticks_spread_over_the_readings():
    assert tick_positions(0) == [] and tick_positions(3) == [0, 1, 2]
    assert tick_positions(200) == [0, 50, 100, 149, 199]


# -- snapshots (120x40, frozen clock) -----------------------------------------------------------

def test_snapshot_factories(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "plant.factories")

    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_machine(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "plant.factories")
        for _ in range(3):
            await enter(pilot)

    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_sensor_chart(console_estate, snap_compare):
    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=drill_to_sensor)


def test_snapshot_production(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "plant.production")

    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_maintenance(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "plant.maintenance")

    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)
