"""The data model: one module per logical database, each with its own declarative Base.

`BASES` maps every logical database name (the 14 of the catalog plus `genims_console_db`, the
product's own tables) to its Base, so code can walk them without importing each module by name.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from . import (
    console,
    crm,
    erp,
    erp_wms_sync,
    financial,
    hr,
    maintenance,
    manufacturing,
    master,
    operations,
    quality,
    service,
    supplier,
    tms,
    wms,
)

_MODULES = (
    master,
    operations,
    manufacturing,
    maintenance,
    erp,
    financial,
    erp_wms_sync,
    wms,
    tms,
    crm,
    service,
    hr,
    quality,
    supplier,
    console,
)

BASES: dict[str, type[DeclarativeBase]] = {m.DATABASE: m.Base for m in _MODULES}


def metadata_for(database: str) -> MetaData:
    return BASES[database].metadata
