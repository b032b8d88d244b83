"""The `:` command bar (a small modal over the current screen): jump to a view, a workspace or a
table by name, with completion.

    :ops.daemons          a view (dotted name)
    :operations  :ops     a workspace (its key or title)
    :erp.purchase_orders  a table in the data browser (database short name . table)
    :tables               the data browser's list of tables
    :home  :keys  :logout  :quit

Tab (or the right arrow) accepts the suggestion, Enter goes, Esc closes without doing anything.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static


class CommandScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    CommandScreen { align: left bottom; background: $background 40%; }
    CommandScreen #command-bar { dock: bottom; width: 100%; border: tall $accent; }
    CommandScreen #command-hint { dock: bottom; width: 100%; height: 1; padding: 0 1; color: $text-muted; background: $surface; }
    """
    BINDINGS = [Binding("escape", "cancel", "Close"), Binding("tab", "accept", "Complete", show=False)]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        yield Input(placeholder=":view, :workspace or :db.table", id="command-bar",
                    suggester=SuggestFromList(self.names, case_sensitive=False))
        yield Static("Tab completes · Enter goes · Esc closes · :tables lists every table", id="command-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_accept(self) -> None:
        box = self.query_one(Input)
        suggestion = box._suggestion
        if suggestion:
            box.value = suggestion
            box.cursor_position = len(suggestion)

    @on(Input.Submitted)
    def _go(self, event: Input.Submitted) -> None:
        event.stop()
        command = event.value.strip().lstrip(":").strip()
        self.dismiss(command or None)
