"""Issue #7: Textual's themes plus a GenIMS theme, chosen in the config file (`console.theme`, or its
GENIMS_CONSOLE_THEME variable); an unknown name falls back to the GenIMS theme."""

from __future__ import annotations

import asyncio

import pytest
from conftest import sqlite_env

from genims_tui.app import GenimsApp
from genims_tui.backend.databases import Databases
from genims_tui.config import load_settings


@pytest.mark.parametrize(("configured", "expected"), [(None, "genims"), ("nord", "nord"),
                                                       ("textual-light", "textual-light"),
                                                       ("no-such-theme", "genims")])
def test_the_theme_comes_from_the_config(tmp_path, configured, expected):
    env = sqlite_env(tmp_path)
    if configured is not None:
        (tmp_path / "config.toml").write_text(f'[console]\ntheme = "{configured}"\n')
    dbs = Databases(load_settings(environ=env))
    app = GenimsApp(dbs=dbs, daemons=False)
    assert "genims" in app.available_themes and "nord" in app.available_themes

    async def drive():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.theme == expected
            assert type(app.screen).__name__ == "LoginScreen"

    try:
        asyncio.run(drive())
    finally:
        dbs.dispose()
