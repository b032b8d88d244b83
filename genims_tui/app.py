"""The Textual application: the GenIMS theme, global keys and the screens.

The console only reads and writes through the backend; database work runs in worker threads.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from .backend.databases import Databases
from .screens.home import HomeScreen

GENIMS_THEME = Theme(
    name="genims",
    primary="#4FA3D9",
    secondary="#7BC47F",
    accent="#F2B705",
    warning="#F28705",
    error="#D94F4F",
    success="#7BC47F",
    foreground="#E6E6E6",
    background="#101418",
    surface="#182028",
    panel="#1F2A35",
    dark=True,
)


class GenimsApp(App):
    """GenIMS Console."""

    TITLE = "GenIMS Console"
    SUB_TITLE = "manufacturing operations"
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("question_mark", "help", "Keys", show=False)]

    def __init__(self, dbs: Databases, user_email: str | None = None, daemons: bool = True) -> None:
        super().__init__()
        self.dbs = dbs
        self.user_email = user_email
        self.daemons_enabled = daemons
        self.register_theme(GENIMS_THEME)
        theme = dbs.settings.get("console.theme")
        self.theme = theme if theme in self.available_themes else "genims"

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())

    def action_help(self) -> None:
        self.notify("q quits · r refreshes the database list", title="Keys")
