"""The plant manager's workspace, driven by keys: the factory network drilled down to a sensor chart
and back, a production order released to MES, the release key hidden from a role without it, and
snapshots of each view (120x40, frozen clock, the seeded console estate)."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import DataTable

from console_support import SNAPSHOT_SIZE, console_app, settle
from genims_tui.backend.models.erp import ProductionOrders
from genims_tui.backend.models.manufacturing import WorkOrderOperations, WorkOrders
from genims_tui.screens.plant import MaintenanceBacklog, PlantNetwork, ProductionOrders as ProductionView
from genims_tui.widgets.charts import ParetoChart, SeriesChart
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
            # the cursor is back on the factory we came from
            assert str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value) == first_factory

    import asyncio

    asyncio.run(drive())
