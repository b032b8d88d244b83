"""Issue #7: snapshots (120x40, seeded estate, frozen clock) of the shell's screens that no other test
file pictures: the `:` command bar showing a completion, `?` over a view, the first-run password
change, the KPI board inside its workspace and the line level of the plant drill-down. (The home
screen's table shows where the files are, so it is pictured by tests/test_tui_home.py from a fixed
directory.)"""

from __future__ import annotations

from console_support import SNAPSHOT_SIZE, console_app, settle

FIRST_RUN = "genims-first-run"


async def open_view(pilot, name: str) -> None:
    await settle(pilot)
    await pilot.press(":", *name, "enter")
    await settle(pilot)


def test_snapshot_command_bar_completing(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "ops.health")
        await pilot.press(":", *"ops.da")
        await settle(pilot)
        assert pilot.app.screen.query_one("#command-bar")._suggestion == "ops.daemons"

    assert snap_compare(console_app(console_estate, role="admin"), terminal_size=SNAPSHOT_SIZE, run_before=ready)


def test_snapshot_help_over_the_daemon_monitor(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "ops.daemons")
        await pilot.press("question_mark")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "HelpScreen"

    assert snap_compare(console_app(console_estate, role="admin"), terminal_size=SNAPSHOT_SIZE, run_before=ready)


def test_snapshot_first_run_password_change(console_estate_copy, snap_compare):
    async def ready(pilot) -> None:
        await settle(pilot)
        await pilot.press(*"sales_rep@genims.com", "enter", *FIRST_RUN, "enter")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "ChangePasswordScreen"

    assert snap_compare(console_app(console_estate_copy, role=None), terminal_size=SNAPSHOT_SIZE, run_before=ready)


def test_snapshot_kpi_board_in_the_plant_workspace(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "plant.kpis")

    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_plant_lines_of_a_factory(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "plant.factories")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen.current_view().level.kind == "factory"

    assert snap_compare(console_app(console_estate, role="plant_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)
