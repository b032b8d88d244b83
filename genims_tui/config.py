"""Settings: a TOML file in the platformdirs config dir, every key overridable by a GENIMS_* variable.

Precedence: built-in defaults < config file < environment. The file path itself comes from
GENIMS_CONFIG when set. Keys are flat or in one level of tables; a key `a.b` is overridden by
GENIMS_A_B. Per-database URLs live in the [urls] table and are overridden by GENIMS_<NAME>_URL
(for example GENIMS_OPERATIONS_URL).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from .backend.errors import ConfigError

APP_NAME = "genims"

# Short names used in settings, env variables and on the command line.
SHORT_NAMES: dict[str, str] = {
    "master": "genims_master_db",
    "operations": "genims_operations_db",
    "manufacturing": "genims_manufacturing_db",
    "maintenance": "genims_maintenance_db",
    "erp": "genims_erp_db",
    "financial": "genims_financial_db",
    "erp_wms_sync": "genims_erp_wms_sync_db",
    "wms": "genims_wms_db",
    "tms": "genims_tms_db",
    "crm": "genims_crm_db",
    "service": "genims_service_db",
    "hr": "genims_hr_db",
    "quality": "genims_quality_db",
    "supplier": "genims_supplier_db",
    "console": "genims_console_db",
}

PG_LAYOUTS = ("databases", "schemas")

# key -> (default, type, description). Tables are written "table.key".
SCHEMA: dict[str, tuple[Any, type, str]] = {
    "data_dir": ("", str, "directory of the embedded SQLite files (default: platformdirs user data dir)"),
    "database_url": ("", str, "PostgreSQL server URL, e.g. postgresql+psycopg://user@host:5432/ (empty: SQLite)"),
    "pg_layout": ("databases", str, "'databases' (one PostgreSQL database each) or 'schemas' (one database)"),
    "pg_database_prefix": ("", str, "prefix for database names in the 'databases' layout (isolates test runs)"),
    "console.daemons": (True, bool, "run the automations in-process while the console is open"),
    "console.theme": ("genims", str, "Textual theme name"),
    "console.refresh_seconds": (5.0, float, "dashboard refresh interval"),
    "console.first_run_seed_scale": (0.05, float, "scale of the demo dataset seeded on first run"),
    "daemons.log_retention_days": (14, int, "days of daemon log lines kept (the housekeeping job deletes older ones)"),
    "daemons.run_retention_days": (90, int, "days of job run records kept"),
    "seed.seed": (42, int, "default random seed of `genims seed`"),
    "access.first_run_password": ("genims-first-run", str, "password of new seed users (must be changed at first login)"),
}


def config_path() -> Path:
    explicit = os.environ.get("GENIMS_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def env_name(key: str) -> str:
    return "GENIMS_" + re.sub(r"[^A-Za-z0-9]", "_", key).upper()


def _coerce(key: str, raw: Any, kind: type, source: str) -> Any:
    if isinstance(raw, kind) and not (kind is int and isinstance(raw, bool)):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if kind is bool:
                lowered = text.lower()
                if lowered in ("1", "true", "yes", "on"):
                    return True
                if lowered in ("0", "false", "no", "off", ""):
                    return False
                raise ValueError(text)
            if kind is int:
                return int(text)
            if kind is float:
                return float(text)
            return text
        except ValueError:
            pass
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    raise ConfigError(
        f"Setting {key} from {source} should be a {kind.__name__}, got {raw!r}.",
        f"Fix it in {source}.",
    )


@dataclass
class Settings:
    values: dict[str, Any]
    database_urls: dict[str, str] = field(default_factory=dict)  # full logical name -> URL
    sources: dict[str, str] = field(default_factory=dict)
    file: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)  # remapped key bindings: action -> key

    def get(self, key: str) -> Any:
        return self.values[key]

    @property
    def data_dir(self) -> Path:
        raw = self.values["data_dir"]
        return Path(raw).expanduser() if raw else default_data_dir()

    @property
    def database_url(self) -> str:
        return self.values["database_url"]

    @property
    def pg_layout(self) -> str:
        return self.values["pg_layout"]


def _flatten(doc: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for k, v in doc.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            flat.update(_flatten(v, key + "."))
        else:
            flat[key] = v
    return flat


def load_settings(environ: dict[str, str] | None = None, path: Path | None = None) -> Settings:
    env = os.environ if environ is None else environ
    file = path or (Path(env["GENIMS_CONFIG"]).expanduser() if env.get("GENIMS_CONFIG") else config_path())
    doc: dict[str, Any] = {}
    if file.exists():
        try:
            doc = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"The config file {file} is not valid TOML: {exc}.", "Fix or remove it.") from exc
        except OSError as exc:
            raise ConfigError(f"The config file {file} cannot be read: {exc.strerror}.") from exc
    urls_table = doc.pop("urls", {}) or {}
    keys_table = doc.pop("keys", {}) or {}
    for name, table in (("urls", urls_table), ("keys", keys_table)):
        if not isinstance(table, dict):
            raise ConfigError(f"{name} in {file} should be a table ([{name}]), got {table!r}.", f"Fix it in {file}.")
    flat = _flatten(doc)

    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, (default, kind, _desc) in SCHEMA.items():
        values[key], sources[key] = default, "default"
        if key in flat:
            values[key], sources[key] = _coerce(key, flat.pop(key), kind, str(file)), str(file)
        name = env_name(key)
        if name in env:
            values[key], sources[key] = _coerce(key, env[name], kind, name), name
    unknown = sorted(flat)
    if unknown:
        raise ConfigError(
            f"Unknown setting(s) in {file}: {', '.join(unknown)}.",
            f"Known settings: {', '.join(SCHEMA)}, plus the [urls] and [keys] tables.",
        )
    if values["pg_layout"] not in PG_LAYOUTS:
        raise ConfigError(
            f"pg_layout is {values['pg_layout']!r} (from {sources['pg_layout']}).",
            "Use 'databases' or 'schemas'.",
        )

    database_urls: dict[str, str] = {}
    for short, url in urls_table.items():
        if short not in SHORT_NAMES:
            raise ConfigError(
                f"[urls] in {file} names an unknown database {short!r}.",
                f"Use one of: {', '.join(SHORT_NAMES)}.",
            )
        database_urls[SHORT_NAMES[short]] = str(url)
        sources[f"urls.{short}"] = str(file)
    for short, full in SHORT_NAMES.items():
        name = env_name(f"{short}_url")
        if env.get(name):
            database_urls[full] = env[name]
            sources[f"urls.{short}"] = name
    keys = {str(k): str(v) for k, v in _flatten(keys_table).items()}  # "genims.command" or genims.command
    return Settings(values=values, database_urls=database_urls, sources=sources, file=file, keys=keys)


_PASSWORD_IN_URL = re.compile(r"(?P<head>://[^:/@]+:)(?P<secret>[^@]*)(?P<tail>@)")


def mask_secrets(text: str) -> str:
    """Hide the password of any URL in `text` (user:***@host)."""
    return _PASSWORD_IN_URL.sub(lambda m: f"{m.group('head')}***{m.group('tail')}", text)


def describe(settings: Settings) -> list[dict[str, str]]:
    """Every setting with its effective value (secrets masked) and where it came from."""
    rows = []
    for key in SCHEMA:
        value = settings.values[key]
        if key == "data_dir":
            value = str(settings.data_dir)
        if "password" in key or "secret" in key:
            shown = "***" if value else ""
        else:
            shown = mask_secrets(str(value)) if isinstance(value, str) else value
        rows.append({"key": key, "value": shown, "source": settings.sources.get(key, "default"), "env": env_name(key)})
    for full, url in sorted(settings.database_urls.items()):
        short = next(s for s, f in SHORT_NAMES.items() if f == full)
        rows.append(
            {
                "key": f"urls.{short}",
                "value": mask_secrets(url),
                "source": settings.sources.get(f"urls.{short}", ""),
                "env": env_name(f"{short}_url"),
            }
        )
    for action, key in sorted(settings.keys.items()):
        rows.append({"key": f"keys.{action}", "value": key, "source": str(settings.file), "env": ""})
    return rows
