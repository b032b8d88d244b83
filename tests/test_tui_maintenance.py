"""The Maintenance workspace by keys: a work order moved along its lifecycle through forms that ask
what each state needs; bad input refused at the field with nothing changed; roles see only the moves
they may make."""

from __future__ import annotations

import asyncio

from console_support import SNAPSHOT_SIZE, console_app, settle
from sqlalchemy import select
from textual.widgets import Input, Static

from genims_tui.backend.models.maintenance import MaintenanceTechnicians, WorkOrders
from genims_tui.widgets.paged_table import PagedTable

MNT = "genims_maintenance_db"


def first_scheduled(dbs):
    with dbs.connect(MNT) as conn:
        wo = conn.execute(select(WorkOrders).where(WorkOrders.wo_status == "scheduled", WorkOrders.assigned_to.is_(None))
                          .order_by(WorkOrders.work_order_id)).first()
        tech = conn.execute(select(MaintenanceTechnicians.technician_id).where(MaintenanceTechnicians.is_active.is_(True))
                            .order_by(MaintenanceTechnicians.technician_id)).scalar()
    return wo, tech


def status_of(dbs, work_order_id):
    with dbs.connect(MNT) as conn:
        return conn.execute(select(WorkOrders.wo_status, WorkOrders.assigned_to)
                            .where(WorkOrders.work_order_id == work_order_id)).one()


async def select_work_order(pilot, app, work_order_id):
    await pilot.press("slash", *f"work_order={work_order_id}", "enter")
    await settle(pilot)
    table = app.screen.current_view().query_one(PagedTable)
    assert table.page.keys == [work_order_id]


def test_move_a_work_order_to_assigned_by_keys_with_bad_input_first(console_estate_copy):
    wo, tech = first_scheduled(console_estate_copy)
    app = console_app(console_estate_copy, role="maintenance_manager")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            assert app.current_mode == "maintenance"
            await select_work_order(pilot, app, wo.work_order_id)
            await pilot.press("m")
            await settle(pilot)
            await pilot.press("ctrl+s")  # the state chooser: scheduled -> assigned is the first offered
            await settle(pilot)
            form = app.screen
            assert str(form.query_one("#form-title", Static).render()) == f"{wo.work_order_id} -> assigned"
            # empty: required
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert str(form.query_one("#error-assigned_to", Static).render()) == "Technician is required."
            # too long: refused as you type
            form.query_one("#field-assigned_to", Input).value = "T" * 51
            await settle(pilot)
            assert "too long" in str(form.query_one("#error-assigned_to", Static).render())
            # unknown technician: the service refuses, at the field
            form.query_one("#field-assigned_to", Input).value = "TECH-NOBODY"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "There is no maintenance technician TECH-NOBODY" in str(form.query_one("#error-assigned_to", Static).render())
            assert app.screen is form
            assert status_of(console_estate_copy, wo.work_order_id) == ("scheduled", None)
            # a real one
            form.query_one("#field-assigned_to", Input).value = tech
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert type(app.screen).__name__ == "WorkspaceScreen"

    asyncio.run(drive())
    assert status_of(console_estate_copy, wo.work_order_id) == ("assigned", tech)


def test_esc_cancels_the_move_and_a_technician_is_not_offered_close(console_estate_copy):
    from genims_tui.backend.services import maintenance as mnt

    with console_estate_copy.connect(MNT) as conn:
        completed = conn.execute(select(WorkOrders.work_order_id).where(WorkOrders.wo_status == "completed")
                                 .order_by(WorkOrders.work_order_id)).scalar()
    wo, _tech = first_scheduled(console_estate_copy)
    app = console_app(console_estate_copy, role="maintenance_tech")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await select_work_order(pilot, app, wo.work_order_id)
            await pilot.press("m")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert type(app.screen).__name__ == "WorkspaceScreen"
            # closing needs maintenance.approve: a technician gets nothing to move a completed order to
            await select_work_order(pilot, app, completed)
            await pilot.press("m")
            await settle(pilot)
            assert type(app.screen).__name__ == "WorkspaceScreen"
            assert "can move it nowhere" in str(app.screen.current_view().query_one("#view-status").render())

    asyncio.run(drive())
    assert status_of(console_estate_copy, wo.work_order_id) == ("scheduled", None)
    assert mnt.allowed_next("completed") == ("closed",)


def test_a_read_only_role_gets_no_move_keys(console_estate):
    app = console_app(console_estate, role="admin")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f7")
            await settle(pilot)
            keys = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
            assert "move" in keys and "assign" in keys

    asyncio.run(drive())
    from genims_tui.backend.access import role_user
    from genims_tui.views import views_for

    auditor = role_user("auditor")  # reads everything, writes nothing, operations workspace only
    assert not [v for v in views_for(auditor) if v.workspace == "maintenance"]


def test_work_orders_snapshot(snap_compare, console_estate):
    app = console_app(console_estate, role="maintenance_manager")

    async def loaded(pilot):
        await settle(pilot)

    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=loaded)


def test_a_refusal_stays_on_screen_through_timer_refreshes_for_a_while(console_estate):
    with console_estate.connect(MNT) as conn:
        completed = conn.execute(select(WorkOrders.work_order_id).where(WorkOrders.wo_status == "completed")
                                 .order_by(WorkOrders.work_order_id)).scalar()
    app = console_app(console_estate, role="maintenance_tech")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            view = app.screen.current_view()
            await select_work_order(pilot, app, completed)
            await pilot.press("m")
            await settle(pilot)
            status = view.query_one("#view-status")
            assert "can move it nowhere" in str(status.render())
            view.refresh_view()  # what the refresh timer does
            await settle(pilot)
            assert "can move it nowhere" in str(status.render())
            # it fades after a while: the next refresh shows the view's own line again
            view._sticky_error = (view._sticky_error[0], view._sticky_error[1] - 60)
            view.refresh_view()
            await settle(pilot)
            assert "can move it nowhere" not in str(status.render())

    asyncio.run(drive())
