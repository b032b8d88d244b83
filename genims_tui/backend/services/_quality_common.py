"""Helpers shared by the quality services (NCR, CAPA, complaints, SPC, calibration, suppliers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..errors import DomainError, NotFound

QMS = "genims_quality_db"
MFG = "genims_manufacturing_db"
ERP = "genims_erp_db"
SUP = "genims_supplier_db"

TRUE_WORDS = {"1", "true", "yes", "y", "on"}
FALSE_WORDS = {"0", "false", "no", "n", "off"}


def row_dict(row) -> dict[str, Any] | None:
    return None if row is None else dict(row._mapping)


def fetch_one(conn, model, key: str, what: str, hint: str | None = None, lock: bool = False) -> dict[str, Any]:
    """The row of `model` whose primary key is `key`, or NotFound naming it."""
    pk = list(model.__table__.primary_key.columns)[0]
    query = select(model.__table__).where(pk == key)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"There is no {what} {key}.", hint)
    return dict(row._mapping)


def to_bool(value: Any, field_name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise DomainError(f"{field_name} must be true or false; {value!r} is neither.")


def to_date(value: Any, field_name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(f"{field_name} must be a date like 2026-11-30; {value!r} is not.") from None


def choice(value: Any, field_name: str, allowed: tuple[str, ...] | list[str]) -> str:
    text = "" if value is None else str(value).strip().lower()
    if text not in allowed:
        shown = f"{value!r}" if text else "nothing"
        raise DomainError(f"{field_name} must be one of {', '.join(allowed)}; got {shown}.")
    return text


def money(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(Decimal("0.01"))


def key_fields(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {n: row.get(n) for n in names}


def same(column, value):
    """column = value, where a NULL value matches NULL (a guard for optimistic updates)."""
    return column.is_(None) if value is None else column == value


@contextmanager
def at_field(name: str) -> Iterator[None]:
    """A DomainError raised inside names the input `name` (unless it already names one), so a form
    can show the message at that field."""
    try:
        yield
    except DomainError as exc:
        if getattr(exc, "field", None) is None:
            exc.field = name
        raise
