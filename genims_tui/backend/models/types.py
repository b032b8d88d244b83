"""Portable column types: the catalog's PostgreSQL types mapped so the same models run on SQLite.

DECIMAL -> Numeric (money is never float in Python), JSONB -> JSON (JSONB on PostgreSQL),
TEXT[] -> ARRAY(TEXT) on PostgreSQL / JSON list on SQLite, POINT -> a (x, y) pair.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, Text, types
from sqlalchemy.dialects import postgresql

# JSONB on PostgreSQL, JSON (text) on SQLite.
PortableJSON = JSON().with_variant(postgresql.JSONB(), "postgresql")

# TEXT[] on PostgreSQL, a JSON list on SQLite.
TextArray = JSON().with_variant(postgresql.ARRAY(Text()), "postgresql")

# BIGSERIAL primary keys: SQLite only autoincrements an INTEGER PRIMARY KEY (the rowid).
BigSerial = BigInteger().with_variant(Integer(), "sqlite")


class _PgPoint(types.UserDefinedType):
    """PostgreSQL's native POINT, read and written as its text form '(x,y)'."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "POINT"


class Point(types.TypeDecorator):
    """A geographic pair (x, y). POINT on PostgreSQL, '[x, y]' JSON text elsewhere."""

    impl = types.Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(_PgPoint())
        return dialect.type_descriptor(types.Text())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        x, y = (float(v) for v in value)
        if dialect.name == "postgresql":
            return f"({x},{y})"
        return json.dumps([x, y])

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "postgresql":
            x, y = value.strip("()").split(",")
            return (float(x), float(y))
        x, y = json.loads(value)
        return (float(x), float(y))


# Names for constraints and indexes, so every one is addressable (use_alter foreign keys need a
# name to be dropped) and stays under PostgreSQL's 63-byte identifier limit.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
