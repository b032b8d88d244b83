"""Issue #7: the console is usable at 80x24. Every view of every workspace, opened as an administrator
(who sees them all) on a terminal of 80 columns and 24 rows, loads its data without an error, and its
status line, tab and footer stay on screen (nothing essential pushed below the bottom row), `?`
fits the screen and names the view, and the view's footer keys are also in the palette and in `?`."""

from __future__ import annotations

import asyncio

import pytest
from console_support import console_app, settle
from textual.widgets import Footer, TabbedContent

from genims_tui.backend.access import role_user
from genims_tui.views import WORKSPACES, views_for
from genims_tui.widgets.dataview import DataView, StatusLine

SMALL = (80, 24)


def on_screen(widget, size=SMALL) -> bool:
    region = widget.region
    return region.width > 0 and region.height > 0 and region.x >= 0 and region.y >= 0 \
        and region.right <= size[0] and region.bottom <= size[1]


@pytest.mark.parametrize("workspace", list(WORKSPACES))
def test_every_view_of_the_workspace_loads_and_fits_at_80x24(console_estate, workspace):
    titles = {v.name: v.title for v in views_for(role_user("admin"), workspace)}
    names = list(titles)
    assert names, f"no views in {workspace}"
    app = console_app(console_estate, role="admin")
    problems: list[str] = []
    keys_seen: set[str] = set()

    async def drive():
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            await pilot.press(WORKSPACES[workspace].hotkey)
            await settle(pilot)
            for name in names:
                app.open_view(name)
                await settle(pilot)
                screen = app.screen
                assert screen.current_view_name() == name
                view = screen.current_view()
                assert isinstance(view, DataView), name
                if not view.loaded_once or view.last_error:
                    problems.append(f"{name}: not loaded ({view.last_error})")
                lines = [line for line in view.query(StatusLine) if line.display]
                stuck = [str(line.render()) for line in lines if "Loading" in str(line.render())]
                if stuck:
                    problems.append(f"{name}: still says {stuck} after its data loaded")
                if lines and not any(on_screen(line) for line in lines):
                    problems.append(f"{name}: its status line is off screen {[l.region for l in lines]}")
                tabs = screen.query_one(TabbedContent)
                tab = tabs.get_tab(tabs.active)
                if not on_screen(tab):
                    problems.append(f"{name}: its tab is off screen ({tab.region})")
                if not on_screen(screen.query_one(Footer)):
                    problems.append(f"{name}: the footer is off screen")
                if not on_screen(view) or view.region.height < 5:
                    problems.append(f"{name}: the view has {view.region.height} rows")
                # the view's own keys in the footer are also in the command palette and in `?`
                view_keys = {active.binding.description for active in screen.active_bindings.values()
                             if active.enabled and active.binding.show and active.binding.description
                             and active.node is not app and active.node is not screen}
                keys_seen.update(view_keys)
                palette = {c.title.rsplit(" (", 1)[0] for c in app.get_system_commands(screen)}
                if view_keys - palette:
                    problems.append(f"{name}: not in the palette: {sorted(view_keys - palette)}")
                await pilot.press("question_mark")
                await settle(pilot)
                assert type(app.screen).__name__ == "HelpScreen"
                in_help = {description for _key, description in app.screen.key_rows}
                if view_keys - in_help:
                    problems.append(f"{name}: not in ?: {sorted(view_keys - in_help)}")
                # `?` names this view and its box fits the terminal
                if app.screen.title_text != f"{titles[name]} (:{name})":
                    problems.append(f"{name}: ? is titled {app.screen.title_text!r}")
                if not on_screen(app.screen.query_one("#help")):
                    problems.append(f"{name}: the help box is cut off ({app.screen.query_one('#help').region})")
                await pilot.press("escape")
                await settle(pilot)

    asyncio.run(drive())
    assert not problems, problems
    assert keys_seen, "no view of the workspace offered a key of its own"
