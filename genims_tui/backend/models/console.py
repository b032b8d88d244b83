"""genims_console_db: the product's own tables, kept apart so the 14 catalog databases stay exactly as
the catalog says: users and roles, the audit trail, identifier counters, job runs and the daemon log,
alerts, cross-database sync records and the seed bookkeeping.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .types import NAMING_CONVENTION, BigSerial, PortableJSON

DATABASE = "genims_console_db"


class Base(DeclarativeBase):
    """Declarative base of genims_console_db."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Users(Base):
    __tablename__ = "users"

    user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    must_change_password: Mapped[bool] = mapped_column(Boolean(), default=True)
    is_active: Mapped[bool] = mapped_column(Boolean(), default=True)
    failed_logins: Mapped[int] = mapped_column(Integer(), default=0)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Roles(Base):
    __tablename__ = "roles"

    role_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    role_name: Mapped[str] = mapped_column(String(100), unique=True)
    workspace: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text())


class UserRoles(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[str] = mapped_column(String(50), ForeignKey("users.user_id"), primary_key=True)
    role_id: Mapped[str] = mapped_column(String(50), ForeignKey("roles.role_id"), primary_key=True)


class RolePermissions(Base):
    """What a role may do in one logical database: 'full', 'write' or 'read'."""

    __tablename__ = "role_permissions"

    role_id: Mapped[str] = mapped_column(String(50), ForeignKey("roles.role_id"), primary_key=True)
    database_name: Mapped[str] = mapped_column(String(50), primary_key=True)
    access_level: Mapped[str] = mapped_column(String(10))


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    audit_id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(), index=True)
    user_id: Mapped[str | None] = mapped_column(String(50), index=True)
    action: Mapped[str] = mapped_column(String(100))
    database_name: Mapped[str | None] = mapped_column(String(50))
    entity_type: Mapped[str | None] = mapped_column(String(100))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[Any | None] = mapped_column(PortableJSON)
    after: Mapped[Any | None] = mapped_column(PortableJSON)
    detail: Mapped[str | None] = mapped_column(Text())


class IdCounters(Base):
    """Next number of each business-key sequence (PO-000123): updated atomically, never MAX()+1."""

    __tablename__ = "id_counters"

    counter_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_value: Mapped[int] = mapped_column(BigInteger())


class JobRuns(Base):
    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started", "job_name", "started_at"),)

    run_id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    job_name: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    rows_touched: Mapped[int] = mapped_column(Integer(), default=0)
    counts: Mapped[Any | None] = mapped_column(PortableJSON)
    error: Mapped[str | None] = mapped_column(Text())
    host: Mapped[str | None] = mapped_column(String(200))
    pid: Mapped[int | None] = mapped_column(Integer())


class DaemonLog(Base):
    __tablename__ = "daemon_log"

    log_id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    logged_at: Mapped[dt.datetime] = mapped_column(DateTime(), index=True)
    level: Mapped[str] = mapped_column(String(10), index=True)
    job_name: Mapped[str | None] = mapped_column(String(100), index=True)
    run_id: Mapped[int | None] = mapped_column(BigInteger())
    logger_name: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text())


class Alerts(Base):
    """Alerts raised by jobs and health checks; alert_key makes raising one twice a no-op."""

    __tablename__ = "alerts"

    alert_id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    alert_key: Mapped[str] = mapped_column(String(200), unique=True)
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(), index=True)
    source: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text())
    acknowledged: Mapped[bool] = mapped_column(Boolean(), default=False)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SyncRecords(Base):
    """One unit of cross-database work (ERP -> MES release, MES -> QMS NCR, ERP <-> WMS move):
    status, attempts with backoff, and a dead-letter end state, so nothing is lost or applied twice."""

    __tablename__ = "sync_records"
    __table_args__ = (
        UniqueConstraint("integration", "source_ref", name="uq_sync_records_integration_source"),
        Index("ix_sync_records_status_next", "status", "next_attempt_at"),
    )

    sync_id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    integration: Mapped[str] = mapped_column(String(50))
    source_database: Mapped[str] = mapped_column(String(50))
    source_ref: Mapped[str] = mapped_column(String(200))
    target_database: Mapped[str] = mapped_column(String(50))
    target_ref: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer(), default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    last_error: Mapped[str | None] = mapped_column(Text())
    payload: Mapped[Any | None] = mapped_column(PortableJSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SeedState(Base):
    """What `genims seed` last loaded into each logical database."""

    __tablename__ = "seed_state"

    database_name: Mapped[str] = mapped_column(String(50), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    seed: Mapped[int | None] = mapped_column(Integer())
    scale: Mapped[str | None] = mapped_column(String(20))
    as_of: Mapped[dt.datetime | None] = mapped_column(DateTime())
    row_count: Mapped[int | None] = mapped_column(BigInteger())
    checksum: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
