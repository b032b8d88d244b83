"""The live log pane: daemon log lines appended as they arrive, bounded, one colour per level.

`LiveLog.add_lines(rows)` appends rows of `monitoring.tail_daemon_log` (dicts with log_id, logged_at,
level, job_name, message) and remembers the highest log_id, so the next read asks only for newer
lines. The pane keeps at most `MAX_LINES` lines: the oldest scroll away. `follow` keeps the view at
the bottom; `reset()` empties it (a new filter starts from the newest lines again).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import RichLog

MAX_LINES = 1000
LEVEL_STYLES = {"DEBUG": "dim", "INFO": "", "WARNING": "yellow", "ERROR": "bold red", "CRITICAL": "bold white on red"}


def format_line(row: dict[str, Any]) -> Text:
    level = (row.get("level") or "").upper()
    at = row.get("logged_at")
    line = Text(no_wrap=True)
    line.append(f"{at:%Y-%m-%d %H:%M:%S}" if at is not None else " " * 19, style="dim")
    line.append(f" {level[:7]:<7} ", style=LEVEL_STYLES.get(level, ""))
    line.append(f"{(row.get('job_name') or '-')[:24]:<24} ", style="cyan")
    line.append(str(row.get("message") or "").replace("\n", " "), style=LEVEL_STYLES.get(level, "") or None)
    return line


class LiveLog(RichLog):
    DEFAULT_CSS = """
    LiveLog { height: 1fr; border: none; background: $surface; }
    """

    def __init__(self, *, max_lines: int = MAX_LINES, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(max_lines=max_lines, wrap=False, highlight=False, markup=False, auto_scroll=True,
                         name=name, id=id, classes=classes)
        self.last_id = 0
        # the rows shown (bounded like the pane): what a test or a copy reads back as text
        self.rows: deque[dict[str, Any]] = deque(maxlen=max_lines)

    @property
    def follow(self) -> bool:
        return self.auto_scroll

    @follow.setter
    def follow(self, value: bool) -> None:
        self.auto_scroll = value
        if value:
            self.scroll_end(animate=False)

    def add_lines(self, rows: Iterable[dict[str, Any]]) -> int:
        added = 0
        for row in rows:
            log_id = int(row.get("log_id") or 0)
            if log_id and log_id <= self.last_id:
                continue  # already shown (an overlapping read)
            self.write(format_line(row))
            self.rows.append(row)
            self.last_id = max(self.last_id, log_id)
            added += 1
        return added

    def reset(self) -> None:
        self.clear()
        self.rows.clear()
        self.last_id = 0

    def text_lines(self) -> list[str]:
        return [format_line(r).plain for r in self.rows]
