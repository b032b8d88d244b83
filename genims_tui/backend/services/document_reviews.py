"""Periodic review of controlled quality documents (the QMS daemon's "check document review dates").

A document takes part when it requires periodic review (`periodic_review_required`), has a
`next_review_date`, and is in force (its status is not one of RETIRED_STATES and it has no obsolete
date on or before today). It is *due* when its next review date is within `within_days` (30) of
today, *overdue* when that date has passed. `review_due_documents` lists the due ones and marks each
overdue one 'under_review' (once: a document already under review is left alone).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select, update

from ..models.quality import QualityDocuments
from ._quality_common import QMS, same
from .base import ServiceContext

REVIEW_WINDOW_DAYS = 30
RETIRED_STATES = ("obsolete", "superseded", "withdrawn", "cancelled", "archived", "draft")
UNDER_REVIEW = "under_review"


def _in_force(today: dt.date):
    d = QualityDocuments
    return (d.periodic_review_required.is_(True), d.next_review_date.isnot(None),
            or_(d.document_status.is_(None), d.document_status.notin_(RETIRED_STATES)),
            or_(d.obsolete_date.is_(None), d.obsolete_date > today))


def review_due_documents(ctx: ServiceContext, within_days: int = REVIEW_WINDOW_DAYS) -> dict[str, Any]:
    """Documents due for periodic review within `within_days` (each: id, number, title, owner, status,
    next_review_date, days_left), and the overdue ones this call marked 'under_review'."""
    ctx.require(QMS, "write", "Checking document review dates")
    today, now = ctx.today(), ctx.now()
    d = QualityDocuments
    with ctx.read(QMS) as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            select(d.document_id, d.document_number, d.document_title, d.document_owner, d.document_status,
                   d.next_review_date)
            .where(*_in_force(today), d.next_review_date <= today + dt.timedelta(days=within_days))
            .order_by(d.next_review_date, d.document_id))]
    marked: list[str] = []
    for row in rows:
        row["days_left"] = (row["next_review_date"] - today).days
        row["overdue"] = row["days_left"] < 0
        if not row["overdue"] or row["document_status"] == UNDER_REVIEW:
            continue
        with ctx.transaction(QMS) as conn:
            res = conn.execute(update(d.__table__).where(
                d.document_id == row["document_id"], same(d.document_status, row["document_status"]))
                .values(document_status=UNDER_REVIEW, updated_at=now))
            if res.rowcount == 1:
                ctx.audit("document.review_overdue", QMS, "quality_document", row["document_id"],
                          before={"document_status": row["document_status"]}, after={"document_status": UNDER_REVIEW},
                          detail=f"periodic review was due {row['next_review_date'].isoformat()}")
                marked.append(row["document_id"])
                row["document_status"] = UNDER_REVIEW
    return {"due": rows, "marked_under_review": marked}
