"""A table that pages, filters and sorts in SQL: it never holds more than one page.

`PagedTable(fetch_page)` where `fetch_page(PageQuery) -> Page` is a backend call (it runs in a worker
thread). Keys: `/` filter (the backend's filter grammar: text, col=value, col~text, col>value), `]`
next page, `[` previous page, `s` sort by the next column, `S` reverse the sort, Enter
opens the row (posts `PagedTable.RowOpened`). Esc in the filter box closes it and keeps the filter;
an empty filter clears it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input

from ..backend.browse import Page, PageQuery
from .dataview import StatusLine, error_text

CELL_MAX = 60


def cell(value: Any) -> str | Text:
    """A value as a table cell: dates short, Decimals without noise, long text cut."""
    if value is None:
        return Text("·", style="dim")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        return text if len(text) <= CELL_MAX else text[:CELL_MAX]
    text = str(value).replace("\n", " ")
    return text if len(text) <= CELL_MAX else text[: CELL_MAX - 1] + "…"


class PagedTable(Vertical):
    DEFAULT_CSS = """
    PagedTable { height: 1fr; }
    PagedTable DataTable { height: 1fr; }
    PagedTable Input { display: none; height: 3; }
    PagedTable.-filtering Input { display: block; }
    """
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="table.filter"),
        Binding("right_square_bracket", "next_page", "Next page", id="table.next_page"),
        Binding("left_square_bracket", "previous_page", "Prev page", id="table.previous_page"),
        Binding("s", "sort", "Sort", id="table.sort"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="table.reverse_sort"),
    ]

    class RowOpened(Message):
        def __init__(self, table: PagedTable, key: str, row: dict[str, Any]) -> None:
            super().__init__()
            self.table, self.key, self.row = table, key, row

        @property
        def control(self) -> PagedTable:  # lets handlers pick a table: @on(PagedTable.RowOpened, "#id")
            return self.table

    class PageShown(Message):
        def __init__(self, table: PagedTable, page: Page) -> None:
            super().__init__()
            self.table, self.page = table, page

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, fetch_page: Callable[[PageQuery], Page], *, page_size: int = 50,
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.fetch_page = fetch_page
        self.query_state = PageQuery(limit=page_size)
        self.page: Page | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: text, col=value, col~text, col>value (Enter applies, Esc closes)",
                    id="filter")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield StatusLine("", classes="page-status")

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        self.reload()

    # -- loading --------------------------------------------------------------------------------

    def reload(self, query: PageQuery | None = None) -> None:
        if query is not None:
            self.query_state = query
        self._fetch(self.query_state)

    @work(thread=True, exclusive=True, group="paged-table")
    def _fetch(self, query: PageQuery) -> None:
        try:
            page = self.fetch_page(query)
        except Exception as exc:
            self.app.call_from_thread(self._failed, error_text(exc))
            return
        self.app.call_from_thread(self._show, query, page)

    def _failed(self, message: str) -> None:
        self.query_one(StatusLine).say(message, error=True)

    def _show(self, query: PageQuery, page: Page) -> None:
        self.query_state, self.page = query, page
        table = self.table
        cursor = table.cursor_row
        table.clear(columns=True)
        cells = [[cell(v) for v in row] for row in page.rows]
        for index, name in enumerate(page.columns):
            label = name
            if query.sort_column == name:
                label += " ▼" if query.descending else " ▲"
            # Widths given, not left to the table: a DataTable refilled while on screen can keep
            # drawing the widths of the column labels alone (its measured widths arrive after a paint).
            width = max([cell_len(label), *(c.cell_len if isinstance(c, Text) else cell_len(c) for c in (r[index] for r in cells))])
            table.add_column(label, key=name, width=width)
        for key, row in zip(page.keys, cells):
            table.add_row(*row, key=key)
        if page.rows:
            table.move_cursor(row=min(cursor, len(page.rows) - 1))
        self.query_one(StatusLine).say(self.describe(page))
        self.post_message(self.PageShown(self, page))

    def describe(self, page: Page) -> str:
        q = self.query_state
        if not page.rows:
            text = "no rows" + (" match the filter" if q.filter_text else "")
        else:
            text = f"rows {page.first_row_number:,}–{page.last_row_number:,}" + (" · ] next page" if page.has_more else "")
        if q.offset:
            text += " · [ previous page"
        if q.filter_text:
            text += f" · filter: {q.filter_text}"
        if q.sort_column:
            text += f" · sorted by {q.sort_column}{' descending' if q.descending else ''}"
        return text

    # -- the row under the cursor ----------------------------------------------------------------

    def current_row(self) -> tuple[str, dict[str, Any]] | None:
        if not self.page or not self.page.rows:
            return None
        index = self.table.cursor_row
        if not 0 <= index < len(self.page.rows):
            return None
        return self.page.keys[index], dict(zip(self.page.columns, self.page.rows[index]))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        current = self.current_row()
        if current is not None:
            self.post_message(self.RowOpened(self, *current))

    # -- keys -----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        self.add_class("-filtering")
        box.value = self.query_state.filter_text
        box.focus()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.remove_class("-filtering")
        self.table.focus()
        self.reload(PageQuery(0, self.query_state.limit, event.value.strip(), self.query_state.sort_column,
                              self.query_state.descending))

    def key_escape(self, event) -> None:
        if self.has_class("-filtering"):
            event.stop()
            self.remove_class("-filtering")
            self.table.focus()

    def action_next_page(self) -> None:
        if self.page and self.page.has_more:
            self.reload(self.query_state.next())

    def action_previous_page(self) -> None:
        if self.query_state.offset:
            self.reload(self.query_state.previous())

    def action_sort(self) -> None:
        """Sort by the next column (the first one after none)."""
        if not self.page or not self.page.columns:
            return
        q = self.query_state
        columns = self.page.columns
        column = columns[(columns.index(q.sort_column) + 1) % len(columns)] if q.sort_column in columns else columns[0]
        self.reload(PageQuery(0, q.limit, q.filter_text, column, False))

    def action_reverse_sort(self) -> None:
        q = self.query_state
        if q.sort_column:
            self.reload(PageQuery(0, q.limit, q.filter_text, q.sort_column, not q.descending))
