"""The sync-status table: one row per integration (`monitoring.sync_overview`), with the numbers an
operator scans for: queue depth, the age of the oldest pending item, retries, dead letters (red when
any), last success and latency. An integration whose database cannot be read shows why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

COLUMNS = (("integration", "Integration"), ("queue", "Queue"), ("oldest", "Oldest pending"),
           ("retries", "Retries"), ("dead", "Dead letters"), ("last", "Last success"),
           ("latency", "Latency avg / max"), ("what", "What waits"))
DIM = Text("—", style="dim")


def human_duration(seconds: float | None) -> str:
    """12s, 4m, 3h 20m, 5d 2h: the two largest units."""
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {secs}s" if secs and minutes < 10 else f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if hours else f"{days}d"


def human_when(at: dt.datetime | None, now: dt.datetime) -> str:
    if at is None:
        return "never"
    delta = (now - at).total_seconds()
    if delta < 0:
        return f"in {human_duration(-delta)}"
    return "just now" if delta < 1 else f"{human_duration(delta)} ago"


def _count(value: int | None, alarm_style: str) -> Text:
    if value is None:
        return DIM
    return Text(str(value), style=alarm_style if value else "")


def sync_cells(row: dict[str, Any], now: dt.datetime) -> list[Text | str]:
    if row.get("error"):
        return [Text(row["title"], style="bold"), DIM, DIM, DIM, DIM, DIM, DIM,
                Text(row["error"], style="bold red")]
    avg, worst = row.get("latency_avg_seconds"), row.get("latency_max_seconds")
    latency = "—" if avg is None else f"{human_duration(avg)} / {human_duration(worst)}"
    return [
        Text(row["title"], style="bold"),
        _count(row.get("queue_depth"), "bold"),
        human_duration(row.get("oldest_pending_age_seconds")),
        _count(row.get("retries"), "yellow"),
        _count(row.get("dead_letters"), "bold red"),
        human_when(row.get("last_success_at"), now),
        latency,
        row.get("what", ""),
    ]


class SyncStatusTable(DataTable):
    """`show_rows(rows, now)` refills the table, keeping the cursor on the same integration."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id, classes=classes)
        self.integrations: list[dict[str, Any]] = []

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def show_rows(self, rows: list[dict[str, Any]], now: dt.datetime) -> None:
        current = self.current()
        self.integrations = list(rows)
        self.clear()
        for row in rows:
            self.add_row(*sync_cells(row, now), key=row["integration"])
        if current is not None:
            keys = [r["integration"] for r in rows]
            if current["integration"] in keys:
                self.move_cursor(row=keys.index(current["integration"]))

    def current(self) -> dict[str, Any] | None:
        if not self.integrations or not 0 <= self.cursor_row < len(self.integrations):
            return None
        return self.integrations[self.cursor_row]
