"""The Textual application: login, one mode per workspace the user's roles allow, the ops-console key
grammar, and the embedded scheduler.

Keys (all remappable in the config file's [keys] table by binding id, e.g. `"genims.command" = "ctrl+g"`):
    :  command bar (jump to a view, a workspace or a table)     ?  the keys of this view
    /  filter the table in view      Esc  back      Enter  open the row
    F1 home   F2..F8 the workspaces (only those the user's roles allow)   ctrl+p  command palette
    ctrl+r refresh now   ctrl+t pause/resume auto-refresh   q  quit

The console only reads and writes through the backend; database work runs in worker threads.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.theme import Theme

from .backend.access import ActingUser
from .backend.databases import Databases
from .backend.services.base import ServiceContext, utc_now
from .views import HOME_HOTKEY, WORKSPACES, user_workspaces, views_for

log = logging.getLogger(__name__)

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

SPECIAL_COMMANDS = ("home", "tables", "keys", "logout", "quit")


class ViewCommands(Provider):
    """The command palette's entries: every view, workspace and the special commands."""

    def _entries(self) -> list[tuple[str, str]]:
        app = self.app
        if getattr(app, "user", None) is None:
            return []
        entries = [(f"Go to {w.title} workspace", w.key) for w in user_workspaces(app.user)]
        entries += [(f"Open {v.name}: {v.title}", v.name) for v in views_for(app.user)]
        entries += [("Home: the databases", "home"), ("Data browser: every table", "tables"),
                    ("Keys of this view", "keys"), ("Sign out", "logout")]
        return entries

    async def discover(self) -> Hits:
        for label, command in self._entries():
            yield DiscoveryHit(label, partial(self.app.go, command))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, command in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self.app.go, command))


class GenimsApp(App):
    """GenIMS Console."""

    TITLE = "GenIMS Console"
    SUB_TITLE = "manufacturing operations"
    COMMANDS = App.COMMANDS | {ViewCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="genims.quit"),
        Binding("colon", "command", "Go to", id="genims.command"),
        Binding("question_mark", "help", "Keys", id="genims.help"),
        Binding("escape", "back", "Back", show=False, id="genims.back"),
        Binding(HOME_HOTKEY, "go('home')", "Home", show=False, id="genims.home"),
        *[Binding(w.hotkey, f"go('{w.key}')", w.title, show=False, id=f"genims.workspace.{w.key}")
          for w in WORKSPACES.values()],
    ]

    def __init__(self, dbs: Databases, user_email: str | None = None, daemons: bool = True,
                 user: ActingUser | None = None, clock: Callable[[], dt.datetime] = utc_now,
                 simulate: bool = False) -> None:
        super().__init__()
        self.dbs = dbs
        self.user_email = user_email
        self.daemons_enabled = daemons
        self.simulate = simulate
        self.clock = clock
        self.user: ActingUser | None = None
        self._preset_user = user
        self.daemons = None  # EmbeddedDaemons once signed in with daemons enabled
        self.refresh_seconds = float(dbs.settings.get("console.refresh_seconds") or 5.0)
        self.register_theme(GENIMS_THEME)
        theme = dbs.settings.get("console.theme")
        self.theme = theme if theme in self.available_themes else "genims"
        if dbs.settings.keys:
            self.set_keymap(dict(dbs.settings.keys))

    # -- sign in / out ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from .screens.login import LoginScreen

        self.add_mode("login", partial(LoginScreen, self.user_email))
        if self._preset_user is not None:
            self.signed_in(self._preset_user)
        else:
            self.switch_mode("login")

    def signed_in(self, user: ActingUser) -> None:
        from .screens.home import HomeScreen
        from .screens.workspace import WorkspaceScreen

        self.user = user
        self.sub_title = f"{user.display_name} · {user.role_names}"
        self.add_mode("home", HomeScreen)
        for workspace in user_workspaces(user):
            self.add_mode(workspace.key, partial(WorkspaceScreen, workspace, views_for(user, workspace.key)))
        # One workspace: straight into it; several: home, which lists their keys.
        mine = user_workspaces(user)
        self.switch_mode(mine[0].key if len(mine) == 1 else "home")
        self._start_daemons()
        self.refresh_bindings()

    def action_logout(self) -> None:
        from .screens.login import LoginScreen

        self._stop_daemons()
        self.switch_mode("login")
        while len(self.screen_stack) > 1:  # the password change screen, if it was used
            self.pop_screen()
        if isinstance(self.screen, LoginScreen):
            self.screen.reset()  # a clean form, not the one used to sign in
        for mode in ["home", *WORKSPACES]:
            if mode in self._modes:
                try:
                    self.remove_mode(mode)
                except Exception:  # a mode never shown has no screens to tear down
                    pass
        self.user = None
        self.sub_title = self.SUB_TITLE
        self.refresh_bindings()

    # -- the embedded scheduler -------------------------------------------------------------------

    def _start_daemons(self) -> None:
        if not self.daemons_enabled or self.daemons is not None:
            return
        from .daemons import EmbeddedDaemons

        try:
            self.daemons = EmbeddedDaemons(self.dbs, clock=self.clock, simulate=self.simulate)
            self.daemons.start()
        except Exception as exc:  # the console works without its automations
            log.exception("the embedded scheduler did not start")
            self.daemons = None
            self.notify(f"The automations did not start: {exc}", severity="error", timeout=10)

    def _stop_daemons(self) -> None:
        if self.daemons is not None:
            self.daemons.stop(wait=False)
            self.daemons = None

    def on_unmount(self) -> None:
        self._stop_daemons()

    # -- what views use -------------------------------------------------------------------------------

    def service_context(self) -> ServiceContext:
        if self.user is None:
            from .backend.errors import PermissionDenied

            raise PermissionDenied("Sign in first.")
        return ServiceContext(self.dbs, self.user, self.clock)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go" and parameters:
            target = str(parameters[0])
            if self.user is None:
                return False
            if target in WORKSPACES:
                return target in {w.key for w in user_workspaces(self.user)}
        if action in ("command", "help", "back") and self.user is None:
            return action == "back" or None
        return True

    def get_system_commands(self, screen):
        """The palette also offers every action the screen in view offers now (the same set as its
        footer and `?`: an action the role lacks is not there)."""
        from textual.app import SystemCommand

        from .screens.help import key_label

        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not active.enabled or not binding.show or not binding.description or binding.action in seen:
                continue
            if binding.action.startswith("go(") or binding.action in ("quit", "command", "help"):
                continue  # already in the palette as views, workspaces and the system commands
            seen.add(binding.action)
            yield SystemCommand(f"{binding.description} ({key_label(binding.key_display or key)})",
                                f"this view's key {key_label(binding.key_display or key)}",
                                partial(self._run_binding, active.node, binding.action))

    def _run_binding(self, node, action: str) -> None:
        self.call_later(node.run_action, action)

    # -- the key grammar ---------------------------------------------------------------------------------

    def command_names(self) -> list[str]:
        if self.user is None:
            return []
        names = [v.name for v in views_for(self.user)]
        names += [w.key for w in user_workspaces(self.user)]
        names += list(SPECIAL_COMMANDS)
        try:
            from .screens.browser import table_names

            names += table_names(self.user)
        except ImportError:
            pass
        return list(dict.fromkeys(names))

    def action_command(self) -> None:
        from .screens.command import CommandScreen

        if self.user is None:
            return
        self.push_screen(CommandScreen(self.command_names()), callback=lambda c: self.go(c) if c else None)

    def workspace_aliases(self) -> dict[str, str]:
        aliases: dict[str, str] = {}
        for w in user_workspaces(self.user):
            aliases[w.key] = aliases[w.title.lower()] = w.key
            for v in views_for(self.user, w.key):
                aliases.setdefault(v.name.split(".")[0], w.key)
        return aliases

    def go(self, command: str) -> None:
        """Jump to a view, a workspace, a table or run a special command (the `:` grammar)."""
        if self.user is None:
            return
        command = command.strip()
        lowered = command.lower()
        if lowered in ("quit", "q"):
            self.exit()
            return
        if lowered == "home":
            self.switch_mode("home")
            return
        if lowered in ("keys", "help"):
            self.action_help()
            return
        if lowered == "logout":
            self.action_logout()
            return
        if lowered == "tables":
            self._browser("open_tables")
            return
        views = {v.name: v for v in views_for(self.user)}
        if lowered in views:
            self.open_view(lowered)
            return
        aliases = self.workspace_aliases()
        if lowered in aliases:
            self.switch_mode(aliases[lowered])
            return
        if "." in command:
            database, _, table = command.partition(".")
            if table:
                self._browser("open_table", database, table)
                return
        if command in WORKSPACES:
            self.notify(f"Your roles do not include the {WORKSPACES[command].title} workspace.", severity="warning")
            return
        self.notify(f"Nothing is called {command!r}. Type : and press Tab to complete a name.", severity="warning")

    def action_go(self, command: str) -> None:
        self.go(command)

    def open_view(self, name: str) -> None:
        view = next((v for v in views_for(self.user) if v.name == name), None)
        if view is None:
            self.notify(f"There is no view {name!r} for your roles.", severity="warning")
            return
        self.switch_mode(view.workspace)
        self.call_after_refresh(self._show_view, name)

    def _show_view(self, name: str) -> None:
        screen = self.screen
        while len(self.screen_stack) > 1 and not hasattr(screen, "show_view"):
            self.pop_screen()
            screen = self.screen
        if hasattr(screen, "show_view"):
            screen.show_view(name)

    def _browser(self, function: str, *args) -> None:
        try:
            from .screens import browser
        except ImportError:
            self.notify("The data browser is not available.", severity="error")
            return
        getattr(browser, function)(self, *args)

    def open_record(self, database: str, table: str, key: str) -> None:
        self._browser("open_record", database, table, key)

    def open_table(self, database: str, table: str, filter_text: str | None = None) -> None:
        self._browser("open_table", database, table, filter_text)

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from .screens.help import HelpScreen, key_label

        screen = self.screen
        view = screen.current_view() if hasattr(screen, "current_view") else None
        title = getattr(view, "help_title", None)
        if not title and hasattr(screen, "current_view_name"):  # a workspace: name the tab in front
            name = screen.current_view_name()
            shown = next((v for v in views_for(self.user, screen.workspace.key) if v.name == name), None)
            title = f"{shown.title} (:{shown.name})" if shown else None
        title = title or screen.sub_title or screen.title or type(screen).__name__
        help_text = getattr(view, "help_text", "") or getattr(screen, "help_text", "")
        bindings: list[tuple[str, str]] = []
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            # generic cursor movement (show=False) is left out; everything this view offers is listed
            if not active.enabled or not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            bindings.append((key_label(binding.key_display or key), binding.description))
        bindings += [("Enter", "open the selected row"), ("Esc", "back"), ("ctrl+r", "refresh now"),
                     ("ctrl+t", "pause or resume auto-refresh"), ("ctrl+p", "command palette"), ("F1", "home")]
        bindings += [(w.hotkey.upper(), f"{w.title} workspace") for w in user_workspaces(self.user)] if self.user else []
        self.push_screen(HelpScreen(str(title), help_text, bindings))
