"""The workflow form: checks as you type, the service's DomainError at its field, nothing saved on an
error, Esc cancels, a confirmation for destructive actions."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from console_support import SNAPSHOT_SIZE, console_app, settle
from textual.widgets import Input, Static

from genims_tui.backend.errors import DomainError
from genims_tui.widgets.form import Field, FieldError, FormScreen, parse_value

FIELDS = [
    Field("material_id", "Material", required=True, max_length=20, suggestions=["MAT-000001", "MAT-000002"]),
    Field("quantity", "Quantity", kind="decimal", required=True, positive=True),
    Field("due", "Due date", kind="date"),
]


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def test_parse_value_rules():
    qty = FIELDS[1]
    assert parse_value(qty, " 2.5 ") == Decimal("2.5")
    for bad, message in (("", "Quantity is required."), ("-1", "Quantity must be more than zero."),
                         ("abc", "Quantity must be a number."), ("NaN", "Quantity must be a number.")):
        try:
            parse_value(qty, bad)
        except FieldError as exc:
            assert str(exc) == message
        else:
            raise AssertionError(bad)
    try:
        parse_value(FIELDS[0], "X" * 21)
    except FieldError as exc:
        assert "too long" in str(exc)
    assert parse_value(FIELDS[2], "") is None


def test_form_checks_as_you_type_shows_the_service_error_at_its_field_and_esc_cancels(console_estate):
    app = console_app(console_estate, role="admin")
    calls, results = [], []

    def submit(ctx, values):
        calls.append(values)
        if values["material_id"] == "MAT-UNKNOWN":
            raise DomainError("There is no material MAT-UNKNOWN.", field="material_id")
        if values["quantity"] > 100:
            raise DomainError("Not enough stock for 101.")
        return {"saved": values["material_id"], "by": ctx.user.email}

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            app.push_screen(FormScreen("New line", FIELDS, submit), callback=results.append)
            await settle(pilot)
            form = app.screen
            # as you type: a bad quantity is flagged before any submit
            await pilot.press(*"MAT-UNKNOWN", "enter", *"-3")
            await settle(pilot)
            assert text_of(form, "#error-quantity") == "Quantity must be more than zero."
            # submit with errors: nothing reaches the service
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert calls == [] and "nothing was saved" in text_of(form, "#form-error")
            form.query_one("#field-quantity", Input).value = "5"
            await pilot.press("ctrl+s")
            await settle(pilot)
            # the service's error is shown at the field it names; the typed values stay
            assert text_of(form, "#error-material_id") == "There is no material MAT-UNKNOWN."
            assert form.query_one("#field-material_id", Input).value == "MAT-UNKNOWN"
            assert app.screen is form and results == []
            # an error without a field: under the form
            form.query_one("#field-material_id", Input).value = "MAT-000001"
            form.query_one("#field-quantity", Input).value = "101"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert text_of(form, "#form-error") == "Not enough stock for 101. Nothing was saved."
            # and a good one saves and closes with the result
            form.query_one("#field-quantity", Input).value = "7"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert results == [{"saved": "MAT-000001", "by": "admin@genims.com"}]
            assert calls[-1] == {"material_id": "MAT-000001", "quantity": Decimal("7"), "due": None}
            # Esc cancels without calling the service
            app.push_screen(FormScreen("Another", FIELDS, submit), callback=results.append)
            await settle(pilot)
            await pilot.press(*"MAT-000002", "escape")
            await settle(pilot)
            assert results[-1] is None and len(calls) == 3

    asyncio.run(drive())


def test_destructive_form_asks_first_and_no_saves_nothing(console_estate):
    app = console_app(console_estate, role="admin")
    calls, results = [], []

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            form = FormScreen("Reject invoice", [Field("reason", "Reason", required=True)],
                              lambda ctx, v: calls.append(v) or "done", confirm="Reject INV-1? It cannot be undone.")
            app.push_screen(form, callback=results.append)
            await settle(pilot)
            await pilot.press(*"wrong price", "enter")
            await settle(pilot)
            assert type(app.screen).__name__ == "ConfirmScreen"
            await pilot.press("n")
            await settle(pilot)
            assert app.screen is form and calls == []
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert calls == [{"reason": "wrong price"}] and results == ["done"]

    asyncio.run(drive())


def test_a_choice_without_default_starts_empty_and_is_required(console_estate):
    app = console_app(console_estate, role="admin")
    fields = [Field("state", "Next state", kind="choice", required=True, choices=[("open", "open"), ("closed", "closed")])]
    calls = []

    async def drive():
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(FormScreen("Choose", fields, lambda ctx, v: calls.append(v) or v))
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert text_of(app.screen, "#error-state") == "Choose a next state."
            assert calls == []
            # the form fits 80 columns
            assert app.screen.query_one("#form").region.width <= 80

    asyncio.run(drive())
