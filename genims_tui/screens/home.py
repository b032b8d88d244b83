"""Home: the 14 logical databases (and the console's own) with their backend and row counts."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..backend.errors import GenimsError


class HomeScreen(Screen):
    BINDINGS = [Binding("r", "refresh", "Refresh")]

    DEFAULT_CSS = """
    HomeScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    HomeScreen #workspaces { height: auto; padding: 0 1; color: $accent; }
    HomeScreen DataTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.workspace_keys(), id="workspaces")
        yield Static("Loading the databases ...", id="status")
        yield DataTable(id="databases", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def workspace_keys(self) -> Text:
        from ..views import user_workspaces

        user = getattr(self.app, "user", None)
        if user is None:
            return Text("")
        keys = "  ".join(f"{w.hotkey.upper()} {w.title}" for w in user_workspaces(user))
        return Text(f"{keys}  · : go to · ? keys" if keys else ": go to · ? keys")

    def on_mount(self) -> None:
        self.sub_title = "Home · databases"
        table = self.query_one(DataTable)
        table.add_columns("database", "backend", "tables", "rows", "location")
        self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one("#status", Static).update("Loading the databases ...")
        self.load_status()

    @work(thread=True, exclusive=True)
    def load_status(self) -> None:
        try:
            rows = self.app.dbs.status()
        except GenimsError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.show_rows, rows)

    def show_rows(self, rows: list[dict]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            table.add_row(
                r["database"],
                r["backend"],
                f"{r['tables_present']}/{r['tables_expected']}",
                f"{r['rows']:,}",
                r["error"] or r["location"],
                key=r["database"],
            )
        total = sum(r["rows"] for r in rows)
        self.query_one("#status", Static).update(f"{len(rows)} databases, {total:,} rows")

    def show_error(self, message: str) -> None:
        # A message is text, not markup: paths and settings may hold square brackets.
        self.query_one("#status", Static).update(Text(message, style="bold red"))
