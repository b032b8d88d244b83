"""benchmarks/run.py prints one JSON document of figures; a missing PostgreSQL gives null and a note."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from clitools import cli_env

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def bench(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], env=cli_env(env), capture_output=True, text=True, timeout=300
    )


def test_sqlite_init_figure():
    result = bench("--only", "init_seconds_sqlite")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert list(doc["figures"]) == ["init_seconds_sqlite"]
    assert doc["figures"]["init_seconds_sqlite"] > 0
    assert doc["details"]["init_seconds_sqlite"]["databases"] == 15
    assert "init_seconds_sqlite" in result.stderr  # progress goes to stderr


def test_unreachable_postgresql_gives_null_with_a_note():
    result = bench("--only", "init_seconds_pg,init_seconds_pg_schemas",
                   GENIMS_BENCH_PG_URL="postgresql+psycopg://postgres:pw@127.0.0.1:5999/postgres")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["figures"] == {"init_seconds_pg": None, "init_seconds_pg_schemas": None}
    assert "unreachable" in doc["notes"]["init_seconds_pg"]
    assert ":pw@" not in result.stdout


def test_registry_and_unknown_names():
    listed = bench("--list")
    assert {"init_seconds_sqlite", "init_seconds_pg", "init_seconds_pg_schemas"} <= set(listed.stdout.split())
    unknown = bench("--only", "nosuch")
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert "nosuch" in unknown.stderr
