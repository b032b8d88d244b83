"""The backend never imports textual: the CLI, the daemons and tests use it without a terminal UI."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    import genims_tui.backend as backend
    names = [m.name for m in pkgutil.walk_packages(backend.__path__, backend.__name__ + ".")]
    for name in names:
        importlib.import_module(name)
    extra = sys.argv[1:]
    for name in extra:
        importlib.import_module(name)
    print(json.dumps({"modules": names, "textual": sorted(m for m in sys.modules if m.split(".")[0] == "textual")}))
    """
)


def probe(*extra: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *extra], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_backend_and_all_its_submodules_import_without_textual():
    found = probe()
    # The walk really found the package's modules, models included.
    assert {
        "genims_tui.backend.databases",
        "genims_tui.backend.check",
        "genims_tui.backend.readonly_sql",
        "genims_tui.backend.catalog",
        "genims_tui.backend.models",
        "genims_tui.backend.models.master",
        "genims_tui.backend.models.console",
        "genims_tui.backend.models.types",
    } <= set(found["modules"])
    assert found["textual"] == []


def test_the_cli_imports_textual_only_when_the_console_opens():
    assert probe("genims_tui.config", "genims_tui.cli")["textual"] == []


def test_the_probe_would_notice_textual():
    # The same probe, with the app imported, does see textual: the assertions above can fail.
    assert "textual" in probe("genims_tui.app")["textual"]
