"""Forms for the workflows: typed fields checked as you type, the service's DomainError shown at the
field it names, nothing saved on an error, Esc cancels without saving, and a confirmation step for
destructive actions.

    FormScreen(title, fields, submit, intro=..., submit_label="Save", confirm=None)

`fields` is a list of `Field`s; `submit(ctx, values)` is the service call (it runs in a worker with
the signed-in user's ServiceContext and gets the parsed values by field name). The screen dismisses
with the service's result on success, with None when cancelled. A DomainError whose `field` names a
form field is shown under that field; any other error under the form. The values typed stay, so the
person can correct them.

    ConfirmScreen(question, yes_label="Yes")   dismisses True / False (y / n / Esc)
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ..backend.errors import DomainError, GenimsError
from .dataview import error_text

log = logging.getLogger(__name__)

KINDS = ("text", "int", "decimal", "date", "choice", "bool")
NOTHING_CHOSEN = Select.NULL  # Textual 8: a Select with no choice holds this (Select.BLANK is now just False)


@dataclass
class Field:
    name: str
    label: str
    kind: str = "text"
    required: bool = False
    max_length: int | None = 200
    minimum: Decimal | None = None  # for int / decimal
    positive: bool = False  # for int / decimal: > 0
    choices: Sequence[tuple[str, Any]] | None = None  # (label, value) for kind "choice"
    default: Any = None
    placeholder: str = ""
    help: str = ""
    suggestions: Sequence[str] | None = None  # completion for text fields (Tab accepts)
    check: Callable[[Any], str | None] | None = None  # an extra rule: a message, or None when fine

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name}: unknown kind {self.kind!r}")


class FieldError(ValueError):
    pass


def parse_value(field: Field, raw: Any) -> Any:
    """The typed value of a field's raw input, or FieldError with a message a person can act on."""
    if field.kind == "bool":
        return bool(raw)
    if field.kind == "choice":
        if raw is None or raw is NOTHING_CHOSEN:
            if field.required:
                raise FieldError(f"Choose a {field.label.lower()}.")
            return None
        return raw
    text = (raw or "").strip()
    if not text:
        if field.required:
            raise FieldError(f"{field.label} is required.")
        return None
    if field.kind == "text":
        if field.max_length and len(text) > field.max_length:
            raise FieldError(f"{field.label} is too long: at most {field.max_length} characters ({len(text)} typed).")
        value: Any = text
    elif field.kind in ("int", "decimal"):
        try:
            value = int(text) if field.kind == "int" else Decimal(text)
        except (ValueError, InvalidOperation):
            raise FieldError(f"{field.label} must be a {'whole ' if field.kind == 'int' else ''}number.") from None
        if field.kind == "decimal" and not value.is_finite():
            raise FieldError(f"{field.label} must be a number.")
        if field.positive and value <= 0:
            raise FieldError(f"{field.label} must be more than zero.")
        if field.minimum is not None and value < field.minimum:
            raise FieldError(f"{field.label} must be at least {field.minimum}.")
    else:  # date
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise FieldError(f"{field.label} must be a date like 2026-12-31.") from None
    if field.check is not None:
        problem = field.check(value)
        if problem:
            raise FieldError(problem)
    return value


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen #confirm { width: 70; max-width: 100%; height: auto; border: round $warning; background: $surface; padding: 1 2; }
    ConfirmScreen Horizontal { height: auto; padding-top: 1; }
    ConfirmScreen Button { margin-right: 2; }
    """
    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str, yes_label: str = "Yes") -> None:
        super().__init__()
        self.question, self.yes_label = question, yes_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.question))
            with Horizontal():
                yield Button(f"{self.yes_label} (y)", variant="warning", id="yes")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class FormScreen(ModalScreen[Any]):
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen #form { width: 90; max-width: 100%; max-height: 95%; height: auto; border: round $primary; background: $surface; padding: 0 1; }
    FormScreen #form-title { text-style: bold; color: $primary; }
    FormScreen #form-intro { color: $text-muted; }
    FormScreen .field-label { padding-top: 0; width: 100%; height: auto; }
    FormScreen .field-error { color: $error; height: auto; }
    FormScreen .field-help { color: $text-muted; height: auto; }
    FormScreen #form-error { color: $error; text-style: bold; height: auto; }
    FormScreen #buttons { height: auto; padding-top: 1; }
    FormScreen Button { margin-right: 2; }
    FormScreen Checkbox { width: 100%; height: auto; }  /* a long label wraps inside the frame (80 columns) */
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Save"),
    ]

    def __init__(self, title: str, fields: Sequence[Field], submit: Callable[[Any, dict[str, Any]], Any], *,
                 intro: str = "", submit_label: str = "Save", confirm: str | Callable[[dict[str, Any]], str] | None = None) -> None:
        super().__init__()
        self.form_title, self.fields, self.submit_fn = title, list(fields), submit
        self.intro, self.submit_label, self.confirm = intro, submit_label, confirm
        self.saving = False

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static(Text(self.form_title), id="form-title")
            if self.intro:
                yield Static(Text(self.intro), id="form-intro")
            for field in self.fields:
                yield Label(field.label + (" *" if field.required else ""), classes="field-label")
                yield self._input_for(field)
                if field.help:
                    yield Static(Text(field.help), classes="field-help")
                yield Static("", id=f"error-{field.name}", classes="field-error")
            yield Static("", id="form-error")
            with Horizontal(id="buttons"):
                yield Button(f"{self.submit_label} (ctrl+s)", variant="primary", id="submit")
                yield Button("Cancel (Esc)", id="cancel")

    def _input_for(self, field: Field):
        widget_id = f"field-{field.name}"
        if field.kind == "bool":
            return Checkbox(field.label, value=bool(field.default), id=widget_id)
        if field.kind == "choice":
            return Select([(label, value) for label, value in (field.choices or [])], id=widget_id,
                          value=field.default if field.default is not None else NOTHING_CHOSEN,
                          allow_blank=not field.required or field.default is None)
        suggester = SuggestFromList(list(field.suggestions), case_sensitive=False) if field.suggestions else None
        default = "" if field.default is None else str(field.default)
        return Input(value=default, placeholder=field.placeholder, id=widget_id, suggester=suggester,
                     max_length=(field.max_length or 0) + 50 if field.kind == "text" else 60)

    def on_mount(self) -> None:
        if self.fields:
            self.widget_for(self.fields[0].name).focus()

    def widget_for(self, name: str):
        return self.query_one(f"#field-{name}")

    def raw_value(self, field: Field) -> Any:
        widget = self.widget_for(field.name)
        return widget.value

    # -- validation ---------------------------------------------------------------------------------

    def show_field_error(self, name: str, message: str) -> None:
        self.query_one(f"#error-{name}", Static).update(Text(message))

    def show_form_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message))

    def validate_field(self, field: Field) -> tuple[bool, Any]:
        try:
            value = parse_value(field, self.raw_value(field))
        except FieldError as exc:
            self.show_field_error(field.name, str(exc))
            return False, None
        self.show_field_error(field.name, "")
        return True, value

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        field = next((f for f in self.fields if f.name == name), None)
        if field is not None and (event.value or field.kind != "text"):
            self.validate_field(field)  # as you type; "required" waits for the submit
        self.show_form_error("")

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        names = [f.name for f in self.fields]
        name = (event.input.id or "").removeprefix("field-")
        if name in names and names.index(name) < len(names) - 1:
            self.focus_next()
        else:
            self.action_submit()

    def values(self) -> dict[str, Any] | None:
        """The parsed values, or None after showing every field's problem."""
        values, first_bad = {}, None
        for field in self.fields:
            ok, value = self.validate_field(field)
            if ok:
                values[field.name] = value
            elif first_bad is None:
                first_bad = field
        if first_bad is not None:
            self.widget_for(first_bad.name).focus()
            self.show_form_error("Correct the fields marked above; nothing was saved.")
            return None
        return values

    # -- submit / cancel ---------------------------------------------------------------------------

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        if self.saving:
            return
        values = self.values()
        if values is None:
            return
        if self.confirm:
            question = self.confirm(values) if callable(self.confirm) else self.confirm
            self.app.push_screen(ConfirmScreen(question), callback=lambda yes: self._save(values) if yes else None)
        else:
            self._save(values)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _save(self, values: dict[str, Any]) -> None:
        self.saving = True
        self.show_form_error("Saving ...")
        self._call_service(values)

    @work(thread=True, exclusive=True, group="form-submit")
    def _call_service(self, values: dict[str, Any]) -> None:
        try:
            result = self.submit_fn(self.app.service_context(), values)
        except Exception as exc:
            if not isinstance(exc, GenimsError):
                log.exception("form %s: the service failed", self.form_title)
            self.app.call_from_thread(self._refused, exc)
            return
        self.app.call_from_thread(self.dismiss, result)

    def _refused(self, exc: BaseException) -> None:
        self.saving = False
        message = error_text(exc)
        field = getattr(exc, "field", None) if isinstance(exc, DomainError) else None
        if field and any(f.name == field for f in self.fields):
            self.show_field_error(field, message)
            self.widget_for(field).focus()
            self.show_form_error("Nothing was saved.")
        else:
            self.show_form_error(message + " Nothing was saved.")
