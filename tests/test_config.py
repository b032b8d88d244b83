"""Settings: defaults < config file < environment; unknown keys and bad types are ConfigErrors."""

from __future__ import annotations

import pytest

from genims_tui.backend.errors import ConfigError, GenimsError
from genims_tui.config import SCHEMA, SHORT_NAMES, config_path, describe, env_name, load_settings, mask_secrets


def load(tmp_path, text: str | None = None, **env: str):
    path = tmp_path / "config.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return load_settings(environ={"GENIMS_CONFIG": str(path), **env}, path=path)


def test_defaults_when_nothing_is_set(tmp_path):
    settings = load(tmp_path)
    for key, (default, _kind, _desc) in SCHEMA.items():
        assert settings.get(key) == default
        assert settings.sources[key] == "default"
    assert settings.database_url == ""
    assert settings.pg_layout == "databases"
    assert settings.database_urls == {} and settings.keys == {}


def test_file_beats_default_and_env_beats_file(tmp_path):
    text = 'pg_layout = "schemas"\ndata_dir = "/from/file"\n[console]\ndaemons = false\nrefresh_seconds = 2\n'
    settings = load(tmp_path, text, GENIMS_DATA_DIR="/from/env", GENIMS_CONSOLE_DAEMONS="yes")
    assert (settings.pg_layout, settings.sources["pg_layout"]) == ("schemas", str(tmp_path / "config.toml"))
    assert str(settings.data_dir) == "/from/env" and settings.sources["data_dir"] == "GENIMS_DATA_DIR"
    assert settings.get("console.daemons") is True and settings.sources["console.daemons"] == "GENIMS_CONSOLE_DAEMONS"
    # An int in the file is a fine float.
    assert settings.get("console.refresh_seconds") == 2.0 and isinstance(settings.get("console.refresh_seconds"), float)
    assert settings.get("seed.seed") == 42 and settings.sources["seed.seed"] == "default"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("on", True), ("False", False), ("no", False), ("", False)])
def test_env_booleans(tmp_path, raw, expected):
    assert load(tmp_path, GENIMS_CONSOLE_DAEMONS=raw).get("console.daemons") is expected


def test_every_key_has_its_env_variable(tmp_path):
    for key, (default, kind, _desc) in SCHEMA.items():
        assert env_name(key).startswith("GENIMS_")
        assert "." not in env_name(key)
    assert env_name("console.refresh_seconds") == "GENIMS_CONSOLE_REFRESH_SECONDS"
    assert env_name("seed.seed") == "GENIMS_SEED_SEED"
    assert load(tmp_path, GENIMS_SEED_SEED="7").get("seed.seed") == 7


def test_unknown_key_in_the_file(tmp_path):
    with pytest.raises(ConfigError) as info:
        load(tmp_path, 'colour = "blue"\n[console]\nthem = "dark"\n')
    assert "colour" in info.value.message and "console.them" in info.value.message
    assert "Known settings" in info.value.hint


@pytest.mark.parametrize(
    ("text", "env", "fragment"),
    [
        ('[console]\ndaemons = "maybe"\n', {}, "console.daemons"),
        ("seed = 3\n", {}, None),  # `seed` is a table in the schema, a bare seed is unknown
        ("[seed]\nseed = 1.5\n", {}, "seed.seed"),
        ("data_dir = 3\n", {}, "data_dir"),
        ("", {"GENIMS_CONSOLE_REFRESH_SECONDS": "soon"}, "GENIMS_CONSOLE_REFRESH_SECONDS"),
        ("", {"GENIMS_SEED_SEED": "forty-two"}, "GENIMS_SEED_SEED"),
        ("", {"GENIMS_CONSOLE_DAEMONS": "perhaps"}, "GENIMS_CONSOLE_DAEMONS"),
    ],
)
def test_bad_types_are_config_errors(tmp_path, text, env, fragment):
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text, **env)
    if fragment:
        assert fragment in info.value.message


def test_bad_layout(tmp_path):
    with pytest.raises(ConfigError, match="pg_layout"):
        load(tmp_path, GENIMS_PG_LAYOUT="tables")


def test_invalid_toml(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load(tmp_path, "this is = = not toml")


def test_per_database_urls_file_and_env(tmp_path):
    text = '[urls]\nerp = "postgresql+psycopg://a@erp-host/erp"\nwms = "postgresql+psycopg://a@wms-host/wms"\n'
    settings = load(tmp_path, text, GENIMS_WMS_URL="postgresql+psycopg://b@other/wms", GENIMS_HR_URL="sqlite:////x.db")
    assert settings.database_urls == {
        "genims_erp_db": "postgresql+psycopg://a@erp-host/erp",
        "genims_wms_db": "postgresql+psycopg://b@other/wms",
        "genims_hr_db": "sqlite:////x.db",
    }
    assert settings.sources["urls.wms"] == "GENIMS_WMS_URL"
    assert settings.sources["urls.erp"] == str(tmp_path / "config.toml")


@pytest.mark.parametrize("text", ['urls = "postgresql://x@y/z"\n', "keys = 3\n"])
def test_urls_and_keys_must_be_tables(tmp_path, text):
    with pytest.raises(ConfigError, match="should be a table"):
        load(tmp_path, text)


def test_unknown_database_in_urls(tmp_path):
    with pytest.raises(ConfigError, match="unknown database 'nosuch'"):
        load(tmp_path, '[urls]\nnosuch = "postgresql://x@y/z"\n')


def test_keys_table(tmp_path):
    settings = load(tmp_path, '[keys]\nquit = "ctrl+q"\n')
    assert settings.keys == {"quit": "ctrl+q"}
    rows = {r["key"]: r for r in describe(settings)}
    assert rows["keys.quit"]["value"] == "ctrl+q"


def test_config_path_follows_genims_config(tmp_path, monkeypatch):
    monkeypatch.setenv("GENIMS_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert config_path() == tmp_path / "elsewhere.toml"
    monkeypatch.delenv("GENIMS_CONFIG")
    assert config_path().name == "config.toml"


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql+psycopg://postgres:secret@127.0.0.1:5432/", "postgresql+psycopg://postgres:***@127.0.0.1:5432/"),
        ("postgresql://u:p%40ss@h/db", "postgresql://u:***@h/db"),
        ("postgresql+psycopg://postgres@127.0.0.1:5432/", "postgresql+psycopg://postgres@127.0.0.1:5432/"),
        ("postgresql://h:5432/db", "postgresql://h:5432/db"),
    ],
)
def test_mask_secrets(url, masked):
    assert mask_secrets(url) == masked


def test_describe_masks_every_url(tmp_path):
    settings = load(
        tmp_path,
        '[urls]\nerp = "postgresql+psycopg://erp:erp-pw@h/erp"\n',
        GENIMS_DATABASE_URL="postgresql+psycopg://u:top-secret@h:5432/",
    )
    rows = {r["key"]: r["value"] for r in describe(settings)}
    assert "top-secret" not in repr(rows) and "erp-pw" not in repr(rows)
    assert rows["database_url"] == "postgresql+psycopg://u:***@h:5432/"
    assert rows["urls.erp"] == "postgresql+psycopg://erp:***@h/erp"


def test_config_error_is_a_genims_error_with_a_hint(tmp_path):
    with pytest.raises(GenimsError) as info:
        load(tmp_path, "[urls]\nx = 1\n")
    assert info.value.hint and "Use one of" in info.value.hint
    assert set(SHORT_NAMES) <= set(info.value.hint.replace(",", " ").replace(".", " ").split())
