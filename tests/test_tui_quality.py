"""The quality workspace, driven by keys on the seeded console estate: an NCR raised by hand and walked
to closed with its CAPA verified; an NCR from a failed inspection; bad input in every form (empty, too
long, unknown inspection, an illegal transition, a role without the capability) shows its message and
changes nothing; SPC charts flag the points that break a rule; calibration unlock; an 8D discipline;
snapshots at 120x40 (frozen clock)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from textual.widgets import Checkbox, Input, Select, Static

from console_support import SNAPSHOT_SIZE, console_app, console_clock, settle
from genims_tui.backend.access import role_user
from genims_tui.backend.models.manufacturing import QualityInspections
from genims_tui.backend.models.quality import (
    CapaActions,
    CapaHeaders,
    EightDReports,
    MeasuringEquipment,
    NcrHeaders,
)
from genims_tui.backend.services import complaints as complaints_service
from genims_tui.backend.services import ncr as ncr_service
from genims_tui.backend.services.base import ServiceContext
from genims_tui.screens.quality import CalibrationView, CapaDetailScreen, NcrDetailScreen, SpcChart, SpcView
from genims_tui.widgets.form import FormScreen
from genims_tui.widgets.paged_table import PagedTable

QMS = "genims_quality_db"


async def open_view(pilot, name: str) -> None:
    await settle(pilot)
    await pilot.press(":", *name, "enter")
    await settle(pilot)


async def keys(pilot, *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def enabled_keys(pilot) -> set[str]:
    return {key for key, b in pilot.app.screen.active_bindings.items() if b.enabled}


def ncr_row(dbs, ncr_id: str):
    with dbs.connect(QMS) as conn:
        return conn.execute(select(NcrHeaders).where(NcrHeaders.ncr_id == ncr_id)).one()


def count(dbs, database: str, model) -> int:
    with dbs.connect(database) as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


async def choose(pilot, form: FormScreen, field: str, option_index: int) -> None:
    """Pick an option of a choice field by keys: focus it, open it, move down, Enter."""
    select_widget = form.query_one(f"#field-{field}", Select)
    select_widget.focus()
    await settle(pilot)
    await keys(pilot, "enter", *(["down"] * option_index), "enter")


def test_ncr_raised_by_keys_and_walked_to_closed_with_its_capa_verified(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="quality_manager")
    ncrs_before = count(dbs, QMS, NcrHeaders)

    async def drive() -> str:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "quality.ncrs")
            assert {"n", "i"} <= enabled_keys(pilot)
            # n: a new NCR; empty first: nothing is saved
            await keys(pilot, "n")
            form = app.screen
            assert isinstance(form, FormScreen)
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-defect_description") == "Defect description is required."
            assert count(dbs, QMS, NcrHeaders) == ncrs_before
            await keys(pilot, *"Burr on the flange edge", "enter", "4", "enter", "40")
            await keys(pilot, "ctrl+s")
            detail = app.screen
            assert isinstance(detail, NcrDetailScreen), detail
            ncr_id = detail.key
            assert detail.data["ncr_status"] == "open"
            assert "✗ containment action" in text_of(detail, "#detail-text")

            # open -> containment: empty, then too long, then right
            await keys(pilot, "a")
            form = app.screen
            assert "open → containment" in form.form_title
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-containment_action") == "Containment action is required."
            form.query_one("#field-containment_action", Input).value = "x" * 4001
            await keys(pilot, "ctrl+s")
            assert "too long" in text_of(form, "#error-containment_action")
            assert ncr_row(dbs, ncr_id).ncr_status == "open"
            form.query_one("#field-containment_action", Input).value = ""
            await keys(pilot, *"Quarantine lot, sort 100 %", "ctrl+s")
            assert app.screen is detail and detail.data["ncr_status"] == "containment"

            # containment -> investigation (the containment action is filled in already)
            await keys(pilot, "a", "ctrl+s")
            assert detail.data["ncr_status"] == "investigation"

            # investigation -> disposition: the root cause
            await keys(pilot, "a")
            form = app.screen
            await keys(pilot, *"Worn deburring tool")
            await choose(pilot, form, "root_cause_method", 1)  # the first method after the blank
            assert form.query_one("#field-root_cause_method", Select).value == "5_why"
            await keys(pilot, "ctrl+s")
            assert detail.data["ncr_status"] == "disposition"

            # disposition -> capa: more than the defective quantity is refused at its field
            await keys(pilot, "a")
            form = app.screen
            await choose(pilot, form, "disposition", 2)  # blank, use_as_is, rework
            assert form.query_one("#field-disposition", Select).value == "rework"
            form.query_one("#field-disposition_quantity", Input).value = "10"
            await keys(pilot, "ctrl+s")
            assert app.screen is form
            assert text_of(form, "#error-disposition_quantity") == "Disposition quantity 10 is more than the 4.0000 defective."
            assert ncr_row(dbs, ncr_id).ncr_status == "disposition"
            form.query_one("#field-disposition_quantity", Input).value = "4"
            form.query_one("#field-capa_owner", Input).value = "EMP-000010"
            await keys(pilot, "ctrl+s")
            assert detail.data["ncr_status"] == "capa"
            capa_id = detail.live_capa["capa_id"]

            # a CAPA action: a due date in the past is refused at its field
            await keys(pilot, "n")
            form = app.screen
            await keys(pilot, *"Replace the deburring tool", "enter", *"EMP-000010")
            form.query_one("#field-due_date", Input).value = "2026-01-01"
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-due_date") == "The due date 2026-01-01 is in the past."
            form.query_one("#field-due_date", Input).value = "2026-06-20"
            await keys(pilot, "ctrl+s")
            assert len(detail.live_capa["actions"]) == 1

            # capa -> verification while the action is open: the service says why, nothing changes
            await keys(pilot, "a")
            form = app.screen
            await keys(pilot, "ctrl+s")
            assert "while CAPA actions are open" in text_of(form, "#form-error")
            await keys(pilot, "escape")
            assert ncr_row(dbs, ncr_id).ncr_status == "capa"

            # complete the action, move to verification, verify the CAPA, close the NCR
            await keys(pilot, "d", "ctrl+s")
            assert text_of(app.screen, "#error-evidence") == "Completion evidence is required."
            await keys(pilot, *"New tool fitted, 50 parts burr-free", "ctrl+s")
            assert not detail.open_actions()
            await keys(pilot, "a", "ctrl+s")
            assert detail.data["ncr_status"] == "verification"
            await keys(pilot, "v")
            form = app.screen
            assert form.query_one("#field-effective", Checkbox).value is True
            await keys(pilot, *"No burrs in 3 lots", "ctrl+s")
            assert "✓ the CAPA verified effective" in text_of(detail, "#detail-text")
            await keys(pilot, "a")
            assert "verification → closed" in app.screen.form_title
            await keys(pilot, "ctrl+s")
            assert type(app.screen).__name__ == "ConfirmScreen"
            await keys(pilot, "y")
            assert detail.data["ncr_status"] == "closed"
            assert "a" not in enabled_keys(pilot)  # nothing more to do
            return ncr_id, capa_id

    ncr_id, capa_id = asyncio.run(drive())
    ncr = ncr_row(dbs, ncr_id)
    assert (ncr.ncr_status, ncr.verified_effective, ncr.disposition, ncr.root_cause_method) == ("closed", True, "rework", "5_why")
    assert ncr.containment_action == "Quarantine lot, sort 100 %" and ncr.closed_by
    with dbs.connect(QMS) as conn:
        capa = conn.execute(select(CapaHeaders).where(CapaHeaders.capa_id == capa_id)).one()
        actions = conn.execute(select(CapaActions).where(CapaActions.capa_id == capa_id)).all()
    assert (capa.source_document_id, capa.effectiveness_verified, capa.responsible_person) == (ncr_id, True, "EMP-000010")
    assert [(a.action_status, a.due_date.isoformat()) for a in actions] == [("completed", "2026-06-20")]


def test_ncr_from_a_failed_inspection_and_an_unknown_one(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="quality_inspector")
    before = count(dbs, QMS, NcrHeaders)

    async def drive() -> tuple[str, str]:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "quality.ncrs")
            await keys(pilot, "i")
            form = app.screen
            box = form.query_one("#field-inspection_id", Input)
            offered = box.value
            assert offered.startswith("QI-") and offered in text_of(form, "#form-intro")
            box.value = "QI-9999999"
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-inspection_id") == "There is no MES quality inspection QI-9999999."
            assert count(dbs, QMS, NcrHeaders) == before
            box.value = offered
            await keys(pilot, "ctrl+s")
            detail = app.screen
            assert isinstance(detail, NcrDetailScreen)
            assert detail.data["source_type"] == "mes_inspection" and detail.data["source_document_id"] == offered
            # once raised, it is offered no more
            await keys(pilot, "escape", "i")
            assert app.screen.query_one("#field-inspection_id", Input).value != offered
            return offered, detail.key

    inspection, ncr_id = asyncio.run(drive())
    assert count(dbs, QMS, NcrHeaders) == before + 1
    with dbs.connect("genims_manufacturing_db") as conn:
        linked = conn.execute(select(QualityInspections.ncr_number).where(
            QualityInspections.inspection_id == inspection)).scalar_one()
    assert linked == ncr_id


def test_an_illegal_transition_is_refused_in_the_form_and_nothing_changes(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="quality_manager")
    other = ServiceContext(dbs, role_user("quality_inspector"), console_clock)

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "quality.ncrs")
            await keys(pilot, "/", *"ncr=NCR-000002", "enter")
            await keys(pilot, "enter")
            detail = app.screen
            assert isinstance(detail, NcrDetailScreen) and detail.data["ncr_status"] == "open"
            await keys(pilot, "a", *"Hold the lot")
            form = app.screen
            # meanwhile someone else moves it on: the move typed here is no longer legal
            ncr_service.transition_ncr(other, "NCR-000002", "containment", {"containment_action": "Stop the line"})
            await keys(pilot, "ctrl+s")
            assert app.screen is form
            assert text_of(form, "#form-error") == ("NCR-000002 is containment; it cannot move to containment "
                                                    "(allowed next: investigation, cancelled). Nothing was saved.")
            await keys(pilot, "escape")

    asyncio.run(drive())
    row = ncr_row(dbs, "NCR-000002")
    assert (row.ncr_status, row.containment_action) == ("containment", "Stop the line")


def test_an_inspector_is_not_offered_closing_or_verifying_and_nothing_changes(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="quality_inspector")
    before = ncr_row(dbs, "NCR-000006")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "quality.ncrs")
            await keys(pilot, "/", *"status=verification", "enter")
            table = app.screen.query_one("#ncrs", PagedTable)
            assert "NCR-000006" in table.page.keys
            assert {r[table.page.columns.index("status")] for r in table.page.rows} == {"verification"}
            await keys(pilot, "/", *"ncr=NCR-000006", "enter")
            await keys(pilot, "enter")
            detail = app.screen
            assert detail.data["ncr_status"] == "verification"
            enabled = enabled_keys(pilot)
            # close, cancel, back to CAPA and verify need ncr.close / ncr.disposition / capa.verify
            assert not {"a", "x", "b", "v"} & enabled
            body = text_of(detail, "#detail-text")
            assert "needs the capability ncr.close; your roles (Quality Inspector) do not have it" in body
            assert "moving to closed needs ncr.close" in str(detail.query_one("StatusLine").render())
            await keys(pilot, "a", "x", "v")
            assert app.screen is detail  # no form opened
            # the CAPA list: verify and close are not offered either
            await keys(pilot, "escape")
            await open_view(pilot, "quality.capas")
            capas = app.screen.query_one("#capas", PagedTable)
            assert capas.page.rows[0][capas.page.columns.index("overdue")] == "yes"  # overdue first
            days = [r[capas.page.columns.index("days_left")] for r in capas.page.rows]
            assert days == sorted(days)
            await keys(pilot, "enter")
            assert isinstance(app.screen, CapaDetailScreen)
            assert not {"v", "c"} & enabled_keys(pilot)

    asyncio.run(drive())
    after = ncr_row(dbs, "NCR-000006")
    assert (after.ncr_status, after.closed_date, after.updated_at) == (before.ncr_status, before.closed_date, before.updated_at)


def test_capa_verified_and_closed_from_the_capa_list_closes_its_ncr(console_estate_copy):
    dbs = console_estate_copy
    app = console_app(dbs, role="quality_manager")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "quality.capas")
            assert "overdue" in text_of(app.screen, "#capa-summary")
            await keys(pilot, "/", *"capa=CAPA-000003", "enter")
            await keys(pilot, "enter")
            detail = app.screen
            assert isinstance(detail, CapaDetailScreen) and detail.data["capa_status"] == "verification"
            assert "c" not in enabled_keys(pilot)  # not verified effective yet: nothing to close
            await keys(pilot, "v", "ctrl+s")
            form = app.screen
            assert text_of(form, "#error-notes") == "Effectiveness notes (the evidence) is required."
            await keys(pilot, *"Three clean lots since the fix", "ctrl+s")
            assert detail.data["effectiveness_verified"] is True
            await keys(pilot, "c")
            assert "NCR-000006 closes with it" in text_of(app.screen, "Static")
            await keys(pilot, "y")
            assert detail.data["capa_status"] == "closed"
            assert "NCR-000006 closed with it" in str(detail.query_one("StatusLine").render())

    asyncio.run(drive())
    with dbs.connect(QMS) as conn:
        capa = conn.execute(select(CapaHeaders).where(CapaHeaders.capa_id == "CAPA-000003")).one()
    assert (capa.capa_status, capa.effectiveness_verified) == ("closed", True)
    assert ncr_row(dbs, "NCR-000006").ncr_status == "closed"


def test_spc_chart_marks_the_points_that_break_a_rule(console_estate):
    app = console_app(console_estate, role="quality_auditor")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "quality.spc")
            view = app.screen.query_one(SpcView)
            chart = view.query_one("#spc-chart", SpcChart)
            assert view.chart_id == "SPC-000001"  # out of control first
            data = view.chart_data
            assert data["flagged"] > 0 and chart.flagged == [i for i, f in enumerate(data["flags"]) if f]
            assert set(chart.lines) >= {"UCL", "CL", "LCL"} and chart.lines["LCL"] < chart.lines["CL"] < chart.lines["UCL"]
            side = text_of(view, "#spc-side")
            for rule in data["rules_broken"]:
                assert rule["rule"] in side
            assert "Cpk" in side and "N2 " in side
            # another rule set flags by its own rules
            await keys(pilot, "r")
            assert view.rule_set == "western_electric"
            assert {r["rule"] for r in view.chart_data["rules_broken"]} <= {"WE1", "WE2", "WE3", "WE4"}
            # an in-control chart flags nothing
            await keys(pilot, "/", *"status=in_control", "enter")
            await keys(pilot, "enter")
            assert view.chart_data["chart"]["chart_status"] == "in_control"
            assert chart.flagged == [] or view.chart_data["flagged"] == len(chart.flagged)

    asyncio.run(drive())


def test_calibration_unlock_by_keys_and_refusals(console_estate_copy):
    dbs = console_estate_copy

    def equipment(key: str):
        with dbs.connect(QMS) as conn:
            return conn.execute(select(MeasuringEquipment).where(MeasuringEquipment.equipment_id == key)).one()

    async def drive(role: str) -> str:
        app = console_app(dbs, role=role)
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "quality.calibration")
            view = app.screen.query_one(CalibrationView)
            key, row = view.query_one("#equipment", PagedTable).current_row()
            assert row["state"] == "locked_out"
            await keys(pilot, "u")
            form = app.screen
            if role == "quality_inspector":
                assert "your roles do not have it" in text_of(form, "#form-intro")
                await keys(pilot, "ctrl+s")
                assert "not allowed for your roles" in text_of(form, "#form-error")
                return key
            form.query_one("#field-calibration_date", Input).value = "2026-07-01"
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-calibration_date") == "The calibration date 2026-07-01 is in the future."
            form.query_one("#field-calibration_date", Input).value = "2026-06-01"
            await keys(pilot, "ctrl+s")
            assert app.screen is not form
            assert f"{key}: calibration CAL-" in str(view.status().render())
            return key

    key = asyncio.run(drive("quality_inspector"))
    assert equipment(key).locked_out is True
    key = asyncio.run(drive("quality_manager"))
    eq = equipment(key)
    assert (eq.locked_out, eq.equipment_status, eq.next_calibration_due.isoformat() > "2026-06-01") == (False, "active", True)


def test_eight_d_report_advanced_by_its_disciplines(console_estate_copy):
    dbs = console_estate_copy
    ctx = ServiceContext(dbs, role_user("quality_manager"), console_clock)
    report = complaints_service.create_eight_d(ctx, source_type="customer_complaint", source_document_id="CC-000011")
    app = console_app(dbs, role="quality_manager")

    async def drive() -> None:
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_view(pilot, "quality.complaints")
            table = app.screen.query_one("#eight-d", PagedTable)
            assert table.page.keys[0] == report["eight_d_id"]  # open reports first
            table.table.focus()
            await keys(pilot, "e")
            form = app.screen
            assert "D0" in form.form_title
            await keys(pilot, "ctrl+s")
            assert text_of(form, "#error-problem_preparation") == "Problem preparation is required."
            await keys(pilot, *"Customer line stop; gather returned parts", "ctrl+s")
            await keys(pilot, "e")
            form = app.screen
            assert "D1" in form.form_title
            await keys(pilot, *"EMP-000010", "enter", *"EMP-000011, EMP-000012", "ctrl+s")

    asyncio.run(drive())
    with dbs.connect(QMS) as conn:
        row = conn.execute(select(EightDReports).where(EightDReports.eight_d_id == report["eight_d_id"])).one()
    assert (row.eight_d_status, row.team_leader, list(row.team_members)) == ("D1", "EMP-000010", ["EMP-000011", "EMP-000012"])


# -- snapshots (120x40, frozen clock) -----------------------------------------------------------

def test_snapshot_ncr_list(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "quality.ncrs")

    assert snap_compare(console_app(console_estate, role="quality_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_ncr_detail_midway(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "quality.ncrs")
        await keys(pilot, "/", *"ncr=NCR-000011", "enter")  # in capa: CAPA actions, what verification needs
        await keys(pilot, "enter")

    assert snap_compare(console_app(console_estate, role="quality_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)


def test_snapshot_spc_chart(console_estate, snap_compare):
    async def ready(pilot) -> None:
        await open_view(pilot, "quality.spc")

    assert snap_compare(console_app(console_estate, role="quality_manager"), terminal_size=SNAPSHOT_SIZE,
                        run_before=ready)
