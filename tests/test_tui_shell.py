"""The console shell, driven by keys: login (and the first-run password change), the workspaces each
role sees, and the ops-console grammar (`:` with completion, `?`, Esc, F-keys)."""

from __future__ import annotations

import asyncio

import pytest
from console_support import SNAPSHOT_SIZE, console_app, settle
from textual.widgets import Input

from genims_tui.backend.access import ROLE_BY_ID, ROLES, AccessStore, role_user
from genims_tui.views import WORKSPACES

FIRST_RUN = "genims-first-run"
ALL_WORKSPACES = list(WORKSPACES)

# What each role family must see (and nothing else): a fixed expectation, not derived from the code.
EXPECTED_WORKSPACES = {
    "admin": ALL_WORKSPACES,
    "plant_manager": ["plant_manager"],
    "procurement_manager": ["buyer"],
    "quality_manager": ["quality"],
    "warehouse_operator": ["warehouse"],
    "sales_rep": ["sales"],
    "maintenance_tech": ["maintenance"],
    "auditor": ["operations"],
}


def screen_message(app) -> str:
    return str(app.screen.query_one("#message").render())


def run(coro):
    asyncio.run(coro)


async def sign_in(pilot, email: str, password: str) -> None:
    await pilot.press(*email, "enter", *password, "enter")
    await settle(pilot)


@pytest.mark.parametrize("role", list(EXPECTED_WORKSPACES))
def test_each_role_signs_in_by_keys_and_sees_only_its_workspaces(console_estate_copy, role):
    email = ROLE_BY_ID[role].email
    app = console_app(console_estate_copy, role=None)

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            assert type(app.screen).__name__ == "LoginScreen"
            await sign_in(pilot, email, FIRST_RUN)
            # the first-run password must be changed before anything else
            assert type(app.screen).__name__ == "ChangePasswordScreen"
            await pilot.press(*"a-better-password-7", "enter", *"a-better-password-7", "enter")
            await settle(pilot)
            assert app.user is not None and app.user.email == email
            expected = EXPECTED_WORKSPACES[role]
            modes = [m for m in app._modes if m in WORKSPACES]
            assert modes == expected
            # one workspace: straight into it; several: home
            assert app.current_mode == (expected[0] if len(expected) == 1 else "home")
            # the F-key of a workspace the role lacks does nothing; the footer does not offer it
            for key, ws in WORKSPACES.items():
                await pilot.press(ws.hotkey)
                await settle(pilot)
                if key in expected:
                    assert app.current_mode == key
                else:
                    assert app.current_mode != key

    run(drive())
    # the new password works from now on and the first-run one does not
    store = AccessStore(console_estate_copy)
    assert store.authenticate(email, "a-better-password-7").must_change_password is False


def test_every_seed_role_gets_at_least_one_workspace_and_a_matching_view_list(console_estate):
    from genims_tui.views import user_workspaces, views_for

    for spec in ROLES:
        user = role_user(spec.role_id)
        spaces = [w.key for w in user_workspaces(user)]
        assert spaces, spec.role_id
        assert spec.workspace in spaces
        assert all(v.workspace in spaces for v in views_for(user))


def test_wrong_password_unknown_user_and_disabled_user_get_the_same_message(console_estate_copy):
    store = AccessStore(console_estate_copy)
    store.set_active(role_user("admin"), "viewer@genims.com", False)
    app = console_app(console_estate_copy, role=None)
    messages = []

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            for email, password in (("plant_manager@genims.com", "not-the-password"),
                                    ("nobody@genims.com", FIRST_RUN),
                                    ("viewer@genims.com", FIRST_RUN)):
                app.screen.query_one("#email", Input).value = ""
                app.screen.query_one("#email", Input).focus()
                await sign_in(pilot, email, password)
                assert type(app.screen).__name__ == "LoginScreen"
                messages.append(screen_message(app))
                # the password box is emptied, the e-mail kept
                assert app.screen.query_one("#password", Input).value == ""
            await pilot.press("enter")  # empty password
            await settle(pilot)
            messages.append(screen_message(app))

    run(drive())
    assert messages[0] == messages[1] == messages[2] == "Wrong e-mail or password, or the account is disabled."
    assert messages[3] == "Enter your e-mail and password."


def test_user_option_prefills_the_email_and_focuses_the_password(console_estate):
    app = console_app(console_estate, role=None, user_email="quality_manager@genims.com")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            assert app.screen.query_one("#email", Input).value == "quality_manager@genims.com"
            assert app.focused is app.screen.query_one("#password", Input)

    run(drive())


def test_a_bad_new_password_is_refused_with_the_reason(console_estate_copy):
    app = console_app(console_estate_copy, role=None)

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await sign_in(pilot, "sales_rep@genims.com", FIRST_RUN)
            await pilot.press(*"short", "enter", *"short", "enter")
            await settle(pilot)
            assert "too short" in screen_message(app)
            await pilot.press(*"long-enough-one", "enter", *"long-enough-two", "enter")
            await settle(pilot)
            assert screen_message(app) == "The two passwords differ."
            assert type(app.screen).__name__ == "ChangePasswordScreen" and app.user is None

    run(drive())


def test_command_bar_completes_jumps_and_esc_closes(console_estate):
    app = console_app(console_estate, role="admin")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            assert app.current_mode == "home"
            # Esc closes without doing anything
            await pilot.press("colon", *"quality")
            assert type(app.screen).__name__ == "CommandScreen"
            await pilot.press("escape")
            await settle(pilot)
            assert type(app.screen).__name__ == "HomeScreen" and app.current_mode == "home"
            # a workspace by name
            await pilot.press("colon", *"quality", "enter")
            await settle(pilot)
            assert app.current_mode == "quality"
            # completion: a prefix and Tab
            await pilot.press("colon", *"hom")
            await pilot.pause()
            await pilot.press("tab")
            assert app.screen.query_one(Input).value == "home"
            await pilot.press("enter")
            await settle(pilot)
            assert app.current_mode == "home"
            # an unknown name: a message, nothing moves
            await pilot.press("colon", *"no.such.view", "enter")
            await settle(pilot)
            assert app.current_mode == "home"
            assert any("Nothing is called" in n.message or "no table" in n.message.lower()
                       or "no logical database" in n.message.lower() for n in app._notifications)

    run(drive())


def test_command_bar_refuses_a_workspace_the_role_lacks(console_estate):
    app = console_app(console_estate, role="quality_manager")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await pilot.press("colon", *"warehouse", "enter")
            await settle(pilot)
            assert app.current_mode == "quality"
            assert any("do not include the Warehouse" in n.message for n in app._notifications)
            assert "warehouse" not in app.command_names()

    run(drive())


def test_question_mark_lists_the_keys_and_esc_closes_it(console_estate):
    app = console_app(console_estate, role="admin")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            assert type(app.screen).__name__ == "HelpScreen"
            rows = dict(app.screen.key_rows)
            assert rows["r"] == "Refresh" and rows[":"] == "Go to" and rows["F8"] == "Operations workspace"
            assert rows["Esc"] == "back" and "q" in rows
            await pilot.press("escape")
            await settle(pilot)
            assert type(app.screen).__name__ == "HomeScreen"

    run(drive())


def test_logout_returns_to_the_login_screen(console_estate):
    app = console_app(console_estate, role="admin")

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await pilot.press("colon", *"logout", "enter")
            await settle(pilot)
            assert type(app.screen).__name__ == "LoginScreen" and app.user is None
            await pilot.press("f8")  # nothing to switch to when signed out
            await settle(pilot)
            assert type(app.screen).__name__ == "LoginScreen"

    run(drive())


def test_the_embedded_scheduler_starts_at_sign_in_and_stops_on_exit(console_estate_copy):
    app = console_app(console_estate_copy, role="admin", daemons=True)

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            assert app.daemons is not None and app.daemons.running
            names = app.daemons.job_names()
            assert "inventory_sync" in names and "iot_simulator" not in names
            app.daemons.pause("inventory_sync")
            assert app.daemons.is_paused("inventory_sync")
            app.daemons.resume("inventory_sync")
            assert not app.daemons.is_paused("inventory_sync")
            daemons = app.daemons
        assert not daemons.running

    run(drive())


def test_no_daemons_means_no_scheduler(console_estate):
    app = console_app(console_estate, role="admin", daemons=False)

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            assert app.daemons is None

    run(drive())


def test_login_snapshot(snap_compare, console_estate):
    app = console_app(console_estate, role=None, user_email="plant_manager@genims.com")
    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE)


def test_keys_are_remappable_in_the_config_file(tmp_path, console_estate):
    from genims_tui.app import GenimsApp
    from genims_tui.backend.databases import Databases
    from genims_tui.config import load_settings

    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"genims.command" = "ctrl+g"\ngenims.help = "f12"\n', encoding="utf-8")
    dbs = Databases(load_settings(environ={"GENIMS_DATA_DIR": str(console_estate.data_dir),
                                           "GENIMS_CONFIG": str(config)}))
    assert dbs.settings.keys == {"genims.command": "ctrl+g", "genims.help": "f12"}
    app = GenimsApp(dbs=dbs, user=role_user("admin"), daemons=False)

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await pilot.press("colon")  # no longer the command key
            await settle(pilot)
            assert type(app.screen).__name__ == "HomeScreen"
            await pilot.press("ctrl+g")
            await settle(pilot)
            assert type(app.screen).__name__ == "CommandScreen"
            await pilot.press("escape", "f12")
            await settle(pilot)
            assert type(app.screen).__name__ == "HelpScreen"

    try:
        run(drive())
    finally:
        dbs.dispose()


def test_a_dead_database_shows_a_status_line_in_every_workspace_never_a_traceback(tmp_path):
    from genims_tui.app import GenimsApp
    from genims_tui.backend.databases import Databases
    from genims_tui.config import load_settings

    env = {"GENIMS_CONFIG": str(tmp_path / "c.toml"), "GENIMS_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:5999/"}
    dbs = Databases(load_settings(environ=env))
    app = GenimsApp(dbs=dbs, user=role_user("admin"), daemons=False)
    shown = {}

    async def drive():
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            for ws in WORKSPACES.values():
                await pilot.press(ws.hotkey)
                await settle(pilot)
                assert app.current_mode == ws.key
                view = app.screen.current_view()
                if view is not None:  # the view's own status line or its table's
                    from genims_tui.widgets.dataview import StatusLine

                    shown[ws.key] = " | ".join(str(line.render()) for line in view.query(StatusLine))
            # still responsive: the command bar opens and closes
            await pilot.press("colon")
            await settle(pilot)
            assert type(app.screen).__name__ == "CommandScreen"
            await pilot.press("escape")

    try:
        run(drive())
    finally:
        dbs.dispose()
    assert shown, "no workspace had a view"
    for workspace, error in shown.items():
        assert error and "Cannot reach PostgreSQL at 127.0.0.1:5999" in error, (workspace, error)


def test_the_command_palette_offers_the_views_actions_a_role_may_take(console_estate):
    manager = console_app(console_estate, role="maintenance_manager")
    auditor = console_app(console_estate, role="auditor")

    def titles(app) -> list[str]:
        return [c.title for c in app.get_system_commands(app.screen)]

    async def drive():
        async with manager.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            assert manager.current_mode == "maintenance"
            offered = titles(manager)
            assert "Move to next state (m)" in offered and "Filter (/)" in offered
            # running one from the palette does what the key does
            command = next(c for c in manager.get_system_commands(manager.screen) if c.title == "Filter (/)")
            command.callback()
            await settle(pilot)
            assert manager.focused is not None and manager.focused.id == "filter"
        async with auditor.run_test(size=SNAPSHOT_SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f8")
            await settle(pilot)
            assert not any(t.startswith("Run now") for t in titles(auditor))  # jobs.view only

    run(drive())
