"""Run the real `genims` CLI in a subprocess, the way a person runs it.

The child gets the test's own GENIMS_* settings (from conftest's sqlite_env / pg_env) on top of a
copy of os.environ with every other GENIMS_* variable removed, so a developer's settings never leak
into a test and a test never touches a developer's estate. stdin is /dev/null: never a TTY.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

# Settings of the test harness itself, not of the product.
_KEEP = {"GENIMS_TEST_PG_URL", "GENIMS_REQUIRE_PG"}


def cli_env(env: dict[str, str]) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GENIMS_") or k in _KEEP}
    return {**base, **env}


def run_cli(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "genims_tui", *args],
        env=cli_env(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """What to print when an assertion about a CLI run fails."""
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def assert_usage_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit 2, one `error:` line on stderr naming every fragment, nothing on stdout, no traceback."""
    assert result.returncode == 2, describe(result)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, describe(result)
    assert lines[0].startswith("error: "), describe(result)
    assert "Traceback" not in result.stderr, describe(result)
    assert result.stdout == "", describe(result)
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in the message\n{describe(result)}"
    return lines[0]


def json_out(result: subprocess.CompletedProcess[str]) -> Any:
    """stdout parsed as exactly one JSON document (json.loads refuses anything after it)."""
    return json.loads(result.stdout)
