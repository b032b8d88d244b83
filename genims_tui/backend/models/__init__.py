"""The data model: one module per logical database, each with its own declarative Base.

`BASES` maps every logical database name (the 14 of the catalog plus `genims_console_db`, the
product's own tables) to its Base. A module is imported the first time its database is asked for:
mapping all 268 tables costs about a second, and most commands touch only a few databases.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

MODULES: dict[str, str] = {
    "genims_master_db": "master",
    "genims_operations_db": "operations",
    "genims_manufacturing_db": "manufacturing",
    "genims_maintenance_db": "maintenance",
    "genims_erp_db": "erp",
    "genims_financial_db": "financial",
    "genims_erp_wms_sync_db": "erp_wms_sync",
    "genims_wms_db": "wms",
    "genims_tms_db": "tms",
    "genims_crm_db": "crm",
    "genims_service_db": "service",
    "genims_hr_db": "hr",
    "genims_quality_db": "quality",
    "genims_supplier_db": "supplier",
    "genims_console_db": "console",
}


class _LazyBases(Mapping[str, type[DeclarativeBase]]):
    """Database name -> declarative Base, importing the database's module on first use."""

    def __getitem__(self, database: str) -> type[DeclarativeBase]:
        module = importlib.import_module(f"{__name__}.{MODULES[database]}")
        return module.Base

    def __iter__(self) -> Iterator[str]:
        return iter(MODULES)

    def __len__(self) -> int:
        return len(MODULES)


BASES: Mapping[str, type[DeclarativeBase]] = _LazyBases()


def metadata_for(database: str) -> MetaData:
    return BASES[database].metadata
