"""A workspace: one tab per view the user may open, the shown view refreshed on a timer.

The timer refreshes only the visible view and never blocks input (views read in workers); it can be
paused (`ctrl+t`) and a refresh forced (`ctrl+r`). Switching tabs refreshes the view shown.

A view's widgets are built the first time its tab is shown, not with the workspace: Textual restyles
every widget of a screen when it comes back to the front, so a workspace holding only the views its
user has opened switches several times faster.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from ..views import View, Workspace
from ..widgets.dataview import DataView


def pane_id(view_name: str) -> str:
    return "view-" + view_name.replace(".", "-")


class WorkspaceScreen(Screen):
    DEFAULT_CSS = """
    WorkspaceScreen #empty { padding: 1 2; color: $text-muted; }
    WorkspaceScreen TabbedContent { height: 1fr; }
    WorkspaceScreen TabPane { padding: 0; height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+r", "refresh_now", "Refresh", show=False),
        Binding("ctrl+t", "toggle_auto_refresh", "Pause refresh", show=False),
    ]

    def __init__(self, workspace: Workspace, views: list[View]) -> None:
        super().__init__(name=workspace.key)
        self.workspace = workspace
        self.views = views
        self.auto_reload = True  # not `auto_refresh`: Textual's repaint interval (False = 0: its timer divides by zero)

    def compose(self) -> ComposeResult:
        yield Header()
        if not self.views:
            yield Static(f"{self.workspace.title}: nothing here for your role yet.", id="empty")
        else:
            with TabbedContent(initial=pane_id(self.views[0].name)):
                for index, view in enumerate(self.views):
                    with TabPane(view.title, id=pane_id(view.name)):
                        if index == 0:
                            yield view.factory()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.workspace.title} · {self.app.user.display_name}"
        seconds = max(1.0, float(self.app.refresh_seconds))
        self.set_interval(seconds, self._tick, name="workspace-refresh")

    def on_screen_resume(self) -> None:
        self.refresh_current()

    # -- the visible view ------------------------------------------------------------------------

    def current_view(self) -> DataView | None:
        found_tabs = self.query(TabbedContent) if self.views else None
        if not found_tabs:  # no views, or not composed yet
            return None
        tabs = found_tabs.first()
        if not tabs.active:
            return None
        pane = tabs.get_pane(tabs.active)
        found = pane.query(DataView)
        return found.first() if found else None

    def current_view_name(self) -> str | None:
        if not self.views:
            return None
        active = self.query_one(TabbedContent).active
        return next((v.name for v in self.views if pane_id(v.name) == active), None)

    def show_view(self, name: str) -> bool:
        if not any(v.name == name for v in self.views):
            return False
        self.query_one(TabbedContent).active = pane_id(name)
        return True

    def refresh_current(self) -> None:
        view = self.current_view()
        if view is not None:
            view.refresh_view()

    @on(TabbedContent.TabActivated)
    async def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        if pane is not None and not pane.query(DataView):
            view = next((v for v in self.views if pane_id(v.name) == pane.id), None)
            if view is not None:
                await pane.mount(view.factory())  # first time shown: build it now
        self.refresh_current()
        view = self.current_view()
        if view is not None and hasattr(view, "focus_default"):
            view.focus_default()

    def _tick(self) -> None:
        if self.auto_reload and self.app.screen is self:
            self.refresh_current()

    def action_refresh_now(self) -> None:
        self.refresh_current()

    def action_toggle_auto_refresh(self) -> None:
        self.auto_reload = not self.auto_reload
        self.notify("Auto-refresh " + ("on" if self.auto_reload else "paused (ctrl+t resumes, ctrl+r refreshes)"))
