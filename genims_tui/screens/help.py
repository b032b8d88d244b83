"""`?`: the keys of what is on screen (the focused view's, its screen's and the global ones), with
the view's own help text. Built from the live bindings, so an action a role lacks is not listed."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {"slash": "/", "question_mark": "?", "colon": ":", "escape": "Esc", "enter": "Enter",
             "left_square_bracket": "[", "right_square_bracket": "]"}


def key_label(key: str) -> str:
    return ", ".join(KEY_NAMES.get(k, k) for k in key.split(","))


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help { width: 84; max-width: 100%; max-height: 90%; border: round $primary; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, title: str, help_text: str, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.help_text, self.key_rows = title, help_text, bindings

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold $accent" if False else "bold", no_wrap=True)
        table.add_column()
        for key, description in self.key_rows:
            table.add_row(key_label(key), description)
        parts = [Text(self.title_text, style="bold"), Text("")]
        if self.help_text:
            parts += [Text(self.help_text), Text("")]
        with VerticalScroll(id="help"):
            for part in parts:
                yield Static(part)
            yield Static(table)
            yield Static(Text("\nEsc or ? closes", style="dim"))

    def action_dismiss(self) -> None:
        self.dismiss(None)
