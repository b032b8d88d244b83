"""Operational alerts in genims_console_db.alerts: raised by automations and health checks, shown in
the console, idempotent by key.

An alert's `alert_key` names the condition, e.g. "reconcile.major:RECON-000012" or
"health:gl_posting_success". Raising a key that is already open changes nothing (a rerun never raises
it twice); raising a key whose alert was resolved opens it again. `resolve_alert` closes an open one
when the condition is gone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select, update

from .databases import CONSOLE_DATABASE, Databases
from .models.console import Alerts

SEVERITIES = ("info", "warning", "high", "critical")
KEY_MAX = 200


def raise_alert(dbs: Databases, key: str, source: str, severity: str, message: str, now: dt.datetime) -> bool:
    """Open the alert `key` unless it is open already. True when this call opened (or reopened) it."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown alert severity {severity!r}")
    key = key[:KEY_MAX]
    with dbs.begin(CONSOLE_DATABASE) as conn:
        row = conn.execute(select(Alerts.alert_id, Alerts.resolved_at).where(Alerts.alert_key == key)).first()
        if row is None:
            conn.execute(insert(Alerts).values(alert_key=key, raised_at=now, source=source[:100], severity=severity,
                                               message=message, acknowledged=False, resolved_at=None))
            return True
        if row.resolved_at is None:
            return False
        conn.execute(update(Alerts).where(Alerts.alert_id == row.alert_id).values(
            raised_at=now, source=source[:100], severity=severity, message=message, acknowledged=False,
            resolved_at=None))
        return True


def resolve_alert(dbs: Databases, key: str, now: dt.datetime) -> bool:
    """Close the open alert `key`. True when one was open."""
    with dbs.begin(CONSOLE_DATABASE) as conn:
        res = conn.execute(update(Alerts).where(Alerts.alert_key == key[:KEY_MAX], Alerts.resolved_at.is_(None))
                           .values(resolved_at=now))
        return bool(res.rowcount)


def acknowledge_alert(dbs: Databases, alert_id: int) -> bool:
    with dbs.begin(CONSOLE_DATABASE) as conn:
        res = conn.execute(update(Alerts).where(Alerts.alert_id == alert_id).values(acknowledged=True))
        return bool(res.rowcount)


def open_alerts(dbs: Databases, limit: int = 200, source: str | None = None) -> list[dict[str, Any]]:
    """The open alerts, newest first (bounded)."""
    query = select(Alerts).where(Alerts.resolved_at.is_(None))
    if source:
        query = query.where(Alerts.source == source)
    with dbs.connect(CONSOLE_DATABASE) as conn:
        rows = conn.execute(query.order_by(Alerts.raised_at.desc(), Alerts.alert_id.desc()).limit(limit)).all()
    return [dict(r._mapping) for r in rows]


def count_open_alerts(dbs: Databases) -> int:
    with dbs.connect(CONSOLE_DATABASE) as conn:
        return int(conn.execute(select(func.count()).select_from(Alerts).where(Alerts.resolved_at.is_(None))).scalar())
