"""The data browser: the service layer's read side for all 14 logical databases.

`TablesScreen` lists every catalog table the user may read (row counts arrive later from a worker),
`TableScreen` pages one table in SQL (`/` filter, `[` `]` pages, `s` sort) and `RecordScreen` shows
every column of one row: a column that is a catalog reference is marked with where it points, and
Enter follows it (also into another logical database); below, "referenced by" lists the tables that
point at this row with how many of their rows do, and Enter opens that table filtered to them.
Esc goes back one screen.

The app calls the module-level `open_tables(app)`, `open_table(app, database, table, filter_text)`,
`open_record(app, database, table, key)` and `table_names(user)` (what `:` completes).
All database work runs in workers through `genims_tui.backend.browse`.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.worker import get_current_worker
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ..backend import browse
from ..backend.access import ActingUser, require
from ..backend.browse import PageQuery
from ..backend.databases import short_name
from ..backend.errors import GenimsError
from ..widgets.dataview import StatusLine, error_text
from ..widgets.paged_table import PagedTable, cell

ROW_COUNT_CAP = 10_000
VALUE_MAX = 200


def fill_table(table: DataTable, columns: list[tuple[str, str]], rows: list[tuple[str, list]],
               min_widths: dict[str, int] | None = None) -> None:
    """Refill `table` with columns (label, key) whose widths are given from the cells: a DataTable
    refilled while on screen can keep drawing the widths of the labels alone."""
    def width(value) -> int:
        return value.cell_len if isinstance(value, Text) else cell_len(str(value))

    table.clear(columns=True)
    for index, (label, key) in enumerate(columns):
        widest = max([cell_len(label), (min_widths or {}).get(key, 0), *(width(cells[index]) for _k, cells in rows)])
        table.add_column(label, key=key, width=widest)
    for key, cells in rows:
        table.add_row(*cells, key=key)


def table_names(user: ActingUser) -> list[str]:
    """`short.table` for every table the user may read (e.g. `erp.purchase_orders`)."""
    return browse.table_names(user)


def _checked(app, database: str, table: str) -> tuple[str, str] | None:
    """(full database, table) when the user may read it; otherwise a notification and None."""
    try:
        database, table = browse.parse_table_name(f"{database}.{table}")
        require(app.user, database, "read", f"Opening {short_name(database)}.{table}")
    except GenimsError as exc:
        app.notify(error_text(exc), title="Data browser", severity="error", timeout=8)
        return None
    return database, table


def open_tables(app) -> None:
    app.push_screen(TablesScreen())


def open_table(app, database: str, table: str, filter_text: str | None = None) -> None:
    checked = _checked(app, database, table)
    if checked:
        app.push_screen(TableScreen(*checked, filter_text=filter_text))


def open_record(app, database: str, table: str, key: Any) -> None:
    checked = _checked(app, database, table)
    if checked:
        app.push_screen(RecordScreen(*checked, str(key)))


class BrowserScreen(Screen):
    """Esc goes back one screen (the app does the same; this keeps the browser usable on its own)."""

    DEFAULT_CSS = """
    BrowserScreen .browser-title { height: 1; padding: 0 1; background: $panel; color: $text; text-style: bold; }
    BrowserScreen .section { height: 1; padding: 0 1; color: $text-muted; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "back", "Back")]
    help_text = ""

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


class TablesScreen(BrowserScreen):
    """Every table the user may read, grouped by database; type to narrow, Enter opens."""

    DEFAULT_CSS = """
    TablesScreen #table-filter { height: 3; }
    TablesScreen DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("slash", "focus_filter", "Filter"), Binding("enter", "open", "Open", show=False)]
    help_text = ("Every table of the 14 databases your roles may read. Type in the box (or press /) to narrow "
                 "the list by name, e.g. `erp.` or `purchase`; Enter opens the table. Row counts stop at "
                 f"{ROW_COUNT_CAP:,}.")

    def __init__(self) -> None:
        super().__init__()
        self.all_tables: list[browse.TableInfo] = []
        self.counts: dict[tuple[str, str], str] = {}

    def compose(self) -> ComposeResult:
        yield Static("Data browser: tables", classes="browser-title")
        yield Input(placeholder="narrow: part of a name, or db.table", id="table-filter")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="tables")
        yield StatusLine("")
        yield Footer()

    def on_mount(self) -> None:
        self.all_tables = browse.readable_tables(self.app.user)  # the catalog only: no database read
        self._fill("")
        self.query_one(DataTable).focus()
        if not self.all_tables:
            self.query_one(StatusLine).say("Your roles give read access to no database.", error=True)
            return
        self._count_rows()

    def _matches(self, text: str) -> list[browse.TableInfo]:
        text = text.strip().lower()
        if not text:
            return self.all_tables
        return [t for t in self.all_tables if text in t.dotted or text in t.database]

    def _fill(self, text: str) -> None:
        shown = self._matches(text)
        rows = [(f"{info.database}.{info.table}",
                 [info.short, info.table, str(info.columns), self.counts.get((info.database, info.table), "…")])
                for info in shown]
        columns = [("Database", "database"), ("Table", "table"), ("Columns", "columns"), ("Rows", "rows")]
        table = self.query_one(DataTable)
        fill_table(table, columns, rows, {"rows": len(f"{ROW_COUNT_CAP:,}+")})  # counts arrive later
        databases = len({t.database for t in shown})
        self.query_one(StatusLine).say(f"{len(shown)} tables in {databases} databases"
                                       + (f" matching {text.strip()!r}" if text.strip() else "")
                                       + " · Enter opens · / narrows")

    @on(Input.Changed, "#table-filter")
    def _narrow(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#table-filter")
    def _narrowed(self, event: Input.Submitted) -> None:
        event.stop()
        table = self.query_one(DataTable)
        if table.row_count == 1:
            self._open_row(0)
        else:
            table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#table-filter", Input).focus()

    @on(DataTable.RowSelected, "#tables")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open_row(event.cursor_row)

    def action_open(self) -> None:
        self._open_row(self.query_one(DataTable).cursor_row)

    def _open_row(self, index: int) -> None:
        shown = self._matches(self.query_one("#table-filter", Input).value)
        if 0 <= index < len(shown):
            info = shown[index]
            open_table(self.app, info.database, info.table)

    @work(thread=True, exclusive=True, group="table-counts")
    def _count_rows(self) -> None:
        by_db: dict[str, list[str]] = {}
        for info in self.all_tables:
            by_db.setdefault(info.database, []).append(info.table)
        worker = get_current_worker()
        for database, tables in by_db.items():
            if worker.is_cancelled:  # the list was closed
                return
            try:
                counts = browse.bounded_counts(self.app.dbs, self.app.user, database, tables, ROW_COUNT_CAP)
                shown = {t: f"{n:,}{'+' if more else ''}" for t, (n, more) in counts.items()}
            except GenimsError:
                shown = {t: "?" for t in tables}  # a database that cannot be read shows "?" and the rest go on
            self.app.call_from_thread(self._show_counts, database, shown)

    def _show_counts(self, database: str, shown: dict[str, str]) -> None:
        if not self.is_attached:  # closed (Esc) while the worker was reading
            return
        table = self.query_one(DataTable)
        for name, text in shown.items():
            self.counts[(database, name)] = text
            key = f"{database}.{name}"
            if key in table.rows:
                table.update_cell(key, "rows", text)


class TableScreen(BrowserScreen):
    """One table, paged, sorted and filtered in SQL."""

    help_text = ("One table, a page at a time. / filters (text, col=value, col~text, col>value; terms are ANDed), "
                 "] and [ page, s sorts by the next column, S reverses; Enter opens the row with its references.")

    def __init__(self, database: str, table: str, filter_text: str | None = None) -> None:
        super().__init__()
        self.database, self.table_name = database, table
        self.filter_text = filter_text or ""

    def compose(self) -> ComposeResult:
        yield Static(f"{short_name(self.database)}.{self.table_name}", classes="browser-title")
        paged = PagedTable(self._fetch_page, id="rows")
        paged.query_state = PageQuery(limit=paged.query_state.limit, filter_text=self.filter_text)
        yield paged
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PagedTable).table.focus()

    def _fetch_page(self, query: PageQuery) -> browse.Page:
        return browse.page_table(self.app.dbs, self.app.user, self.database, self.table_name, query)

    @on(PagedTable.RowOpened)
    def _opened(self, event: PagedTable.RowOpened) -> None:
        event.stop()
        open_record(self.app, self.database, self.table_name, event.key)


def _value_text(value: Any) -> str | Text:
    if value is None:
        return Text("·", style="dim")
    shown = cell(value)
    if isinstance(shown, str) and shown.endswith("…"):  # the table cell cut it: show more here
        text = str(value).replace("\n", " ")
        shown = text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"
    return shown


class RecordScreen(BrowserScreen):
    """Every column of one row; references followed with Enter, referrers listed below."""

    DEFAULT_CSS = """
    RecordScreen #fields { height: 2fr; }
    RecordScreen #referrers { height: 1fr; }
    """
    help_text = ("Every column of one row. A column marked → is a reference: Enter opens the row it points to "
                 "(also in another database). Below, the tables whose rows point at this one, with how many "
                 f"(counted up to {browse.REFERRER_CAP:,}): Enter opens that table filtered to them. Tab moves "
                 "between the two lists.")

    FIELD_COLUMNS = [("Column", "column"), ("Value", "value"), ("Points to", "target")]
    REFERRER_COLUMNS = [("Table", "table"), ("Column", "column"), ("Rows", "rows")]

    def __init__(self, database: str, table: str, key: str) -> None:
        super().__init__()
        self.database, self.table_name, self.key = database, table, key
        self.record: browse.Record | None = None
        self.referrers: list[browse.Referrer] = []

    def compose(self) -> ComposeResult:
        yield Static(f"{short_name(self.database)}.{self.table_name}  {self.key}", classes="browser-title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="fields")
        yield Static("Referenced by", classes="section")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="referrers")
        yield StatusLine("Loading …")
        yield Footer()

    def on_mount(self) -> None:
        fields = self.query_one("#fields", DataTable)
        fill_table(fields, self.FIELD_COLUMNS, [])
        fill_table(self.query_one("#referrers", DataTable), self.REFERRER_COLUMNS, [])
        fields.focus()
        self._load_record()

    @work(thread=True, exclusive=True, group="record")
    def _load_record(self) -> None:
        try:
            record = browse.get_record(self.app.dbs, self.app.user, self.database, self.table_name, self.key)
        except Exception as exc:  # a missing row or a dead database is a message, never a traceback
            self.app.call_from_thread(self._failed, error_text(exc))
            return
        self.app.call_from_thread(self._show_record, record)
        try:
            referrers = browse.count_referrers(self.app.dbs, self.app.user, self.database, self.table_name, self.key)
        except Exception as exc:
            self.app.call_from_thread(self._failed, error_text(exc))
            return
        self.app.call_from_thread(self._show_referrers, referrers)

    def _failed(self, message: str) -> None:
        if not self.is_attached:  # closed (Esc) while the worker was reading
            return
        self.query_one(StatusLine).say(message, error=True)

    def _show_record(self, record: browse.Record) -> None:
        if not self.is_attached:  # closed (Esc) while the worker was reading
            return
        self.record = record
        rows = []
        for f in record.fields:
            name = Text(f.name, style="bold") if f.primary_key else f.name
            target = ""
            if f.target:
                target = Text(f"→ {short_name(f.target[0])}.{f.target[1]}",
                              style="bold" if f.value is not None else "dim")
            rows.append((f.name, [name, _value_text(f.value), target]))
        table = self.query_one("#fields", DataTable)
        cursor = table.cursor_row
        fill_table(table, self.FIELD_COLUMNS, rows)
        table.move_cursor(row=max(0, cursor))
        refs = sum(1 for f in record.fields if f.target and f.value is not None)
        self.query_one(StatusLine).say(f"{len(record.fields)} columns · {refs} references to follow (Enter) · "
                                       "counting referrers …")

    def _show_referrers(self, referrers: list[browse.Referrer]) -> None:
        if not self.is_attached:  # closed (Esc) while the worker was reading
            return
        self.referrers = referrers
        rows = []
        for i, r in enumerate(referrers):
            if not r.readable:
                count: str | Text = Text("no access", style="dim")
            elif r.count is None:
                count = Text("?", style="dim")
            else:
                count = f"{r.count:,}{'+' if r.count >= browse.REFERRER_CAP else ''}"
            rows.append((str(i), [r.dotted, r.column, count]))
        fill_table(self.query_one("#referrers", DataTable), self.REFERRER_COLUMNS, rows)
        pointing = sum(1 for r in referrers if r.count)
        fields = len(self.record.fields) if self.record else 0
        self.query_one(StatusLine).say(f"{fields} columns · referenced from {pointing} of {len(referrers)} "
                                       "referring columns · Enter follows · Tab switches lists")

    @on(DataTable.RowSelected, "#fields")
    def _follow(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.record is None:
            return
        name = event.row_key.value
        field = self.record.field(name)
        if not field.target:
            self.query_one(StatusLine).say(f"{name} is not a reference.")
            return
        if field.value is None:
            self.query_one(StatusLine).say(f"{name} is empty: it points nowhere.")
            return
        open_record(self.app, field.target[0], field.target[1], str(field.value))

    @on(DataTable.RowSelected, "#referrers")
    def _open_referrer(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = int(event.row_key.value)
        if not 0 <= index < len(self.referrers):
            return
        r = self.referrers[index]
        open_table(self.app, r.database, r.table, filter_text=f"{r.column}={self.key}")
