"""The plant manager's workspace: the factory network with its drill-down, production orders and
work orders (release to MES), and the maintenance backlog.

All reads go through `genims_tui.backend.plant` in workers; the one write (release) goes through the
production service. The network view keeps a stack of levels (network -> factory -> line -> machine ->
sensor): Enter goes down, Esc goes back up one level (at the top Esc falls through to the app).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from ..backend import plant
from ..backend.access import ActingUser
from ..backend.browse import PageQuery
from ..backend.services.production import release_production_order
from ..views import View, register_view
from ..widgets.charts import Band, ParetoChart, SeriesChart
from ..widgets.dataview import DataView, StatusLine
from ..widgets.paged_table import PagedTable, cell

NETWORK, FACTORY, LINE, MACHINE, SENSOR = "network", "factory", "line", "machine", "sensor"
BELOW = {NETWORK: FACTORY, FACTORY: LINE, LINE: MACHINE, MACHINE: SENSOR}
STATE_STYLE = {"running": "green", "idle": "yellow", "faulted": "bold red"}


def pct(ratio: Decimal | None) -> str | Text:
    """A ratio as a percentage cell; no data is a dim dash."""
    value = plant.percent(ratio)
    return Text("—", style="dim") if value is None else f"{value} %"


def state_cell(state: str) -> Text:
    return Text(state, style=STATE_STYLE.get(state, ""))


def count_cell(n: int, alarm: bool = False) -> str | Text:
    return Text(str(n), style="bold red") if alarm and n else str(n)


def cell_width(value: Any) -> int:
    return value.cell_len if isinstance(value, Text) else cell_len(str(value))


def fill_table(table: DataTable, columns: list[tuple[str, str]], rows: list[tuple[str, list[Any]]],
               widest: int = 42) -> None:
    """Clear `table` and fill it, each column as wide as its widest cell (at most `widest`).

    Widths are given, not measured by the table: a table refilled with other columns while it is on
    screen could otherwise keep drawing the previous columns' widths."""
    table.clear(columns=True)
    for index, (label, key) in enumerate(columns):
        width = max([cell_len(label), *(cell_width(cells[index]) for _, cells in rows)])
        table.add_column(label, key=key, width=min(width, widest))
    for key, cells in rows:
        table.add_row(*cells, key=key)


def short_name(name: str | None, prefix: str) -> str:
    """A sensor's name without its machine's name in front ("CNC Mill 01 Temperature 1" -> "Temperature 1")."""
    name = name or ""
    if prefix and name.startswith(prefix) and len(name) > len(prefix):
        return name[len(prefix):].strip(" -") or name
    return name


@dataclass(frozen=True)
class Level:
    kind: str
    key: str | None
    label: str


# -- the factory network and its drill-down --------------------------------------------------------

class PlantNetwork(DataView):
    """Factories with OEE; Enter drills down to lines, machines, sensors; Esc goes back up."""

    DEFAULT_CSS = """
    PlantNetwork #crumbs { height: 1; padding: 0 1; text-style: bold; }
    PlantNetwork #summary { height: auto; padding: 0 1; color: $text-muted; }
    PlantNetwork #levels { height: 1fr; }
    PlantNetwork #sensor-chart { height: 2fr; display: none; }
    PlantNetwork.-sensor #sensor-chart { display: block; }
    PlantNetwork #machine-extra { height: 1fr; max-height: 16; display: none; }
    PlantNetwork.-machine #machine-extra { display: block; }
    PlantNetwork #faults { width: 1fr; }
    PlantNetwork #pareto { width: 1fr; }
    """
    BINDINGS = [Binding("escape", "up_level", "Up a level")]
    help_text = ("The factory network: OEE = availability x performance x quality from summed run/planned "
                 "time and counts over each machine's latest SCADA snapshot in the last 24 h (the shift so far). "
                 "Enter drills down factory -> line -> machine -> sensor (chart of its last 200 readings with "
                 "warning and critical bands); Esc goes back up.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stack: list[Level] = [Level(NETWORK, None, "Factory network")]
        self.came_from: dict[int, str] = {}  # depth -> the row key to put the cursor back on
        self.shown: tuple[Level, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="crumbs")
        yield Static("", id="summary")
        yield SeriesChart(id="sensor-chart")
        yield DataTable(id="levels", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="machine-extra"):
            yield DataTable(id="faults", cursor_type="row")
            yield ParetoChart(id="pareto")
        yield StatusLine()

    def focus_default(self) -> None:
        self.query_one("#levels", DataTable).focus()

    def on_mount(self) -> None:
        self._crumbs()

    @property
    def level(self) -> Level:
        return self.stack[-1]

    def _crumbs(self) -> None:
        self.query_one("#crumbs", Static).update(Text(" › ".join(level.label for level in self.stack)))
        for kind in (MACHINE, SENSOR):
            self.set_class(self.level.kind == kind, f"-{kind}")

    # -- reading ----------------------------------------------------------------------------------

    def fetch(self) -> tuple[tuple[Level, ...], Any]:
        path = tuple(self.stack)
        level = path[-1]
        dbs, user, now = self.app.dbs, self.app.user, self.app.clock()
        if level.kind == NETWORK:
            data = plant.factory_network(dbs, user, now)
        elif level.kind == FACTORY:
            data = plant.factory_lines(dbs, user, level.key, now)
        elif level.kind == LINE:
            data = plant.line_machines(dbs, user, level.key, now)
        elif level.kind == MACHINE:
            data = plant.machine_detail(dbs, user, level.key, now)
        else:
            data = plant.sensor_readings(dbs, user, level.key, now)
        return path, {"now": now, "data": data}

    def show(self, loaded: tuple[tuple[Level, ...], Any]) -> None:
        path, payload = loaded
        if path != tuple(self.stack):  # a load for a level the user has left meanwhile
            return
        table = self.query_one("#levels", DataTable)
        keep = None
        if self.shown == path and table.row_count:
            try:
                keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except Exception:  # an empty or changed table: start at the top
                keep = None
        keep = keep or self.came_from.pop(len(self.stack), None)
        table.clear(columns=True)
        getattr(self, f"_show_{path[-1].kind}")(table, payload["data"], payload["now"])
        if keep is not None:
            try:
                table.move_cursor(row=table.get_row_index(keep))
            except Exception:  # the row is gone
                pass
        self.shown = path

    def _show_network(self, table: DataTable, rows: list[dict], now) -> None:
        fill_table(table, [("Factory", "id"), ("Name", "name"), ("OEE", "oee"), ("Avail.", "a"), ("Perf.", "p"),
                           ("Quality", "q"), ("Run", "run"), ("Idle", "idle"), ("Down", "fault"),
                           ("WIP", "wip"), ("Faults", "faults"), ("Alarms", "alarms")],
                   [(r["factory_id"], [r["factory_id"], r["factory_name"] or "", pct(r["oee"]),
                                       pct(r["availability"]), pct(r["performance"]), pct(r["quality"]),
                                       str(r["lines_running"]), str(r["lines_idle"]),
                                       count_cell(r["lines_faulted"], True), str(r["work_orders_in_progress"]),
                                       count_cell(r["open_faults"], True), count_cell(r["active_alarms"], True)])
                    for r in rows])
        self._summary(f"OEE from summed SCADA times and counts, each machine's latest snapshot in the 24 h "
                      f"to {now:%Y-%m-%d %H:%M} UTC (the shift so far; — = no shift time recorded). Run / Idle / "
                      f"Down: lines by state · WIP: MES work orders released or in progress.")
        self.say(f"{len(rows)} factories · Enter: a factory's lines")

    def _show_factory(self, table: DataTable, rows: list[dict], now) -> None:
        fill_table(table, [("Line", "id"), ("Name", "name"), ("State", "state"), ("OEE", "oee"),
                           ("Avail.", "a"), ("Perf.", "p"), ("Quality", "q"), ("Machines", "m"), ("Run", "run"),
                           ("Idle", "idle"), ("Down", "fault"), ("Faults", "faults")],
                   [(r["line_id"], [r["line_id"], r["line_name"], state_cell(r["state"]),
                                    pct(r["oee"]), pct(r["availability"]), pct(r["performance"]), pct(r["quality"]),
                                    str(r["machines"]), str(r["running"]), str(r["idle"]),
                                    count_cell(r["faulted"], True), count_cell(r["open_faults"], True)])
                    for r in rows])
        states = [r["state"] for r in rows]
        self._summary(f"{len(rows)} lines: {states.count('running')} running, {states.count('idle')} idle, "
                      f"{states.count('faulted')} faulted (a line is faulted when a machine is) · Run / Idle / "
                      f"Down: its machines by state · Faults: open machine faults")
        self.say("Enter: the line's machines · Esc: back")

    def _show_line(self, table: DataTable, rows: list[dict], now) -> None:
        fill_table(table, [("Machine", "id"), ("Name", "name"), ("Crit.", "crit"), ("State", "state"),
                           ("Snapshot", "at"), ("OEE", "oee"), ("Avail.", "a"), ("Perf.", "p"), ("Quality", "q"),
                           ("Faults", "faults")],
                   [(r["machine_id"], [r["machine_id"], r["machine_name"], r["criticality"] or "",
                                       state_cell(r["state"]), cell(r["last_snapshot"]), pct(r["oee"]),
                                       pct(r["availability"]), pct(r["performance"]), pct(r["quality"]),
                                       count_cell(r["open_faults"], True)])
                    for r in rows], widest=30)
        states = [r["state"] for r in rows]
        self._summary(f"{len(rows)} machines: {states.count('running')} running, {states.count('idle')} idle, "
                      f"{states.count('faulted')} faulted.")
        self.say("Enter: the machine's sensors, faults and downtime · Esc: back")

    def _show_machine(self, table: DataTable, data: dict, now) -> None:
        machine_name = data["machine"]["machine_name"] or ""
        fill_table(table, [("Sensor", "id"), ("Name", "name"), ("Latest", "value"), ("Unit", "unit"),
                           ("At", "at"), ("Status", "status"), ("Warning band", "warn"), ("Critical band", "crit")],
                   [(s["sensor_id"], [s["sensor_id"], short_name(s["sensor_name"], machine_name),
                                      cell(s["latest_value"]), s["unit"] or "",
                                      cell(s["latest_at"]), cell(s["latest_status"]),
                                      f"{cell(s['warning_min'])} .. {cell(s['warning_max'])}",
                                      f"{cell(s['critical_min'])} .. {cell(s['critical_max'])}"])
                    for s in data["sensors"]], widest=28)
        fill_table(self.query_one("#faults", DataTable),
                   [("Fault", "id"), ("Code", "code"), ("Category", "cat"), ("Severity", "sev"), ("Start", "start"),
                    ("Down min", "min"), ("Status", "status")],
                   [(str(f["fault_id"]), [str(f["fault_id"]), f["fault_code"] or "", f["fault_category"] or "",
                                          f["fault_severity"] or "", cell(f["fault_start_time"]),
                                          cell(f["downtime_minutes"]), cell(f["status"])])
                    for f in data["faults"]])
        pareto = data["pareto"]
        self.query_one("#pareto", ParetoChart).show_bars(
            f"Downtime minutes by reason, {plant.PARETO_WINDOW.days} days",
            [p["reason"] for p in pareto], [p["minutes"] for p in pareto])
        m = data["machine"]
        self._summary(f"{m['machine_name']} · {m['machine_type'] or ''} · criticality {m['criticality'] or '-'} · "
                      f"{len(data['sensors'])} sensors · {data['open_faults']} open faults")
        self.say("Enter: a sensor's readings chart · Esc: back")

    def _show_sensor(self, table: DataTable, data: dict, now) -> None:
        s, readings = data["sensor"], data["readings"]
        bands = [Band("warning min", s["warning_threshold_min"], "orange"),
                 Band("warning max", s["warning_threshold_max"], "orange"),
                 Band("critical min", s["critical_threshold_min"], "red"),
                 Band("critical max", s["critical_threshold_max"], "red")]
        unit = s["measurement_unit"] or ""
        self.query_one("#sensor-chart", SeriesChart).show_series(
            f"{s['sensor_name']} ({unit}), last {len(readings)} readings",
            [r["timestamp"] for r in readings], [r["value"] for r in readings], bands)
        fill_table(table, [("Time", "t"), ("Value", "v"), ("Status", "s"), ("Anomaly", "a")],
                   [(str(i), [cell(r["timestamp"]), cell(r["value"]), cell(r["status"]), cell(r["anomaly"])])
                    for i, r in enumerate(reversed(readings))])
        self._summary(f"{s['sensor_type'] or ''} sensor · warning {cell(s['warning_threshold_min'])} .. "
                      f"{cell(s['warning_threshold_max'])} {unit} · critical {cell(s['critical_threshold_min'])} .. "
                      f"{cell(s['critical_threshold_max'])} {unit}")
        self.say("Newest reading first · Esc: back")

    def _summary(self, text: str) -> None:
        self.query_one("#summary", Static).update(Text(text))

    # -- moving between levels -------------------------------------------------------------------

    @on(DataTable.RowSelected, "#levels")
    def _open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        below = BELOW.get(self.level.kind)
        if below is None or event.row_key.value is None or self.shown != tuple(self.stack):
            return
        key = str(event.row_key.value)
        self.came_from[len(self.stack)] = key
        self.stack.append(Level(below, key, key))
        self._enter_level()

    def action_up_level(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()
            self._enter_level()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "up_level":
            return len(self.stack) > 1  # at the top, Esc is the app's (back)
        return True

    def _enter_level(self) -> None:
        self._crumbs()
        self.refresh_bindings()
        table = self.query_one("#levels", DataTable)
        table.clear(columns=True)
        self.shown = None
        self._summary("")
        self.say(f"Loading {self.level.label} ...")
        self.focus_default()
        self.refresh_view()


# -- production ------------------------------------------------------------------------------------

def may_release(user: ActingUser) -> bool:
    return user.has("production.release") and user.can(plant.MFG, "write") and user.can(plant.ERP, "read")


class ProductionOrders(DataView):
    """ERP production orders and MES work orders with progress; `l` releases an order to MES."""

    DEFAULT_CSS = """
    ProductionOrders .caption { height: 1; padding: 0 1; text-style: bold; }
    ProductionOrders #erp-orders { height: 1fr; }
    ProductionOrders #mes-orders { height: 1fr; }
    """
    BINDINGS = [Binding("l", "release", "Release to MES")]
    help_text = ("ERP production orders (progress = delivered of ordered) and MES work orders (progress = "
                 "produced of planned), each paged and filtered in SQL. l releases the selected created "
                 "production order to MES (a work order with its routing's operations).")

    def compose(self) -> ComposeResult:
        yield StatusLine(id="view-status")
        yield Static("ERP production orders", classes="caption")
        yield PagedTable(self._erp_page, id="erp-orders", page_size=50)
        yield Static("MES work orders", classes="caption")
        yield PagedTable(self._mes_page, id="mes-orders", page_size=50)

    def status(self) -> StatusLine | None:
        found = self.query("#view-status")
        return found.first() if found else None

    def focus_default(self) -> None:
        self.query_one("#erp-orders", PagedTable).table.focus()

    def _erp_page(self, pq: PageQuery):
        return plant.production_orders_page(self.app.dbs, self.app.user, pq)

    def _mes_page(self, pq: PageQuery):
        return plant.mes_work_orders_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> int:
        return plant.orders_awaiting_release(self.app.dbs, self.app.user)

    notice: str | None = None  # the outcome of the last release, kept in the status line over refreshes

    def show(self, awaiting: int) -> None:
        for table in self.query(PagedTable):
            table.reload()
        hint = " · l releases the selected one to MES" if may_release(self.app.user) else ""
        text = f"{awaiting} production orders await release{hint}"
        self.say(f"{self.notice} · {text}" if self.notice else text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "release":
            return may_release(self.app.user)
        return True

    def action_release(self) -> None:
        current = self.query_one("#erp-orders", PagedTable).current_row()
        if current is None:
            self.say("Select a production order to release first.", error=True)
            return
        key, row = current
        self.notice = None
        self.say(f"Releasing {key} to MES ...")
        self.run_service(release_production_order, key, done=self._released)

    def _released(self, result: dict[str, Any]) -> None:
        self.notice = f"{result['production_order_id']} released to MES as work order {result['work_order_id']}."
        self.say(self.notice)
        self.app.notify(f"{result['production_order_id']} released: work order {result['work_order_id']}")
        self.refresh_view()


# -- maintenance backlog ---------------------------------------------------------------------------

class MaintenanceBacklog(DataView):
    """Open and overdue maintenance work orders, PM compliance and MTBF / MTTR of critical assets."""

    DEFAULT_CSS = """
    MaintenanceBacklog #maint-summary { height: auto; padding: 0 1; }
    MaintenanceBacklog .caption { height: 1; padding: 0 1; text-style: bold; }
    MaintenanceBacklog #maint-body { height: 1fr; }
    MaintenanceBacklog #backlog-side { width: 1fr; }
    MaintenanceBacklog #reliability-side { width: 48; }
    MaintenanceBacklog #reliability { height: 1fr; }
    MaintenanceBacklog.-narrow #maint-body { layout: vertical; }
    MaintenanceBacklog.-narrow #backlog-side { height: 1fr; }
    MaintenanceBacklog.-narrow #reliability-side { width: 1fr; height: 1fr; }
    """
    help_text = ("Open maintenance work orders (overdue = due before today, listed first), PM compliance "
                 "(preventive work orders due in the last 30 days completed by their due date / all due) and "
                 "MTBF / MTTR of the critical assets over 90 days (the maintenance service's definitions).")

    def compose(self) -> ComposeResult:
        yield Static("", id="maint-summary")
        with Horizontal(id="maint-body"):
            with Vertical(id="backlog-side"):
                yield Static("Open work orders", classes="caption")
                yield PagedTable(self._backlog_page, id="backlog", page_size=50)
            with Vertical(id="reliability-side"):
                yield Static(f"Critical assets, {plant.RELIABILITY_WINDOW.days} days", classes="caption")
                yield DataTable(id="reliability", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="view-status")

    def status(self) -> StatusLine | None:
        found = self.query("#view-status")
        return found.first() if found else None

    def on_resize(self, event) -> None:
        # side by side the work orders get too few columns on a narrow terminal: stack the tables
        self.set_class(event.size.width < 100, "-narrow")

    def focus_default(self) -> None:
        self.query_one("#backlog", PagedTable).table.focus()

    def _backlog_page(self, pq: PageQuery):
        return plant.maintenance_backlog_page(self.app.dbs, self.app.user, self.app.clock().date(), pq)

    def fetch(self) -> dict[str, Any]:
        return plant.maintenance_summary(self.app.dbs, self.app.user, self.app.clock())

    def show(self, data: dict[str, Any]) -> None:
        compliance = data["pm_compliance"]
        summary = Text()
        summary.append(f"{data['open']} open work orders · ")
        summary.append(f"{data['overdue']} overdue", style="bold red" if data["overdue"] else "")
        summary.append(" · PM compliance ")
        summary.append("—" if compliance is None else f"{compliance} %",
                       style="bold red" if compliance is not None and compliance < 90 else "bold green")
        summary.append(f" ({data['pm_on_time']} of {data['pm_due']} preventive work orders due "
                       f"{data['pm_window_start']} .. {data['pm_window_end']} done on time)")
        self.query_one("#maint-summary", Static).update(summary)
        table = self.query_one("#reliability", DataTable)
        table.clear(columns=True)
        fill_table(table, [("Asset", "asset"), ("Fails", "failures"), ("MTBF h", "mtbf"), ("MTTR h", "mttr"),
                           ("Avail. %", "availability")],
                   [(r["asset_id"], [r["asset_id"], str(r["failures"]), cell(r["mtbf_hours"]), cell(r["mttr_hours"]),
                                     cell(r["availability_pct"])]) for r in data["reliability"]])
        self.query_one("#backlog", PagedTable).reload()
        self.say(f"{len(data['reliability'])} critical assets · MTBF = operating h / failures, "
                 f"MTTR = repair h / failures")


def _can_read(*databases: str):
    return lambda user: all(user.can(db, "read") for db in databases)


register_view(View(
    name="plant.factories", title="Factories", workspace="plant_manager", factory=PlantNetwork,
    description="factory network: OEE, lines running/idle/faulted, work in progress, faults; drill down to sensors",
    allowed=_can_read(plant.MASTER, plant.OPS), order=10))
register_view(View(
    name="plant.production", title="Production", workspace="plant_manager", factory=ProductionOrders,
    description="ERP production orders and MES work orders with progress; release to MES",
    allowed=_can_read(plant.ERP, plant.MFG), order=20))
register_view(View(
    name="plant.maintenance", title="Maintenance", workspace="plant_manager", factory=MaintenanceBacklog,
    description="maintenance backlog: open and overdue work orders, PM compliance, MTBF/MTTR",
    allowed=_can_read(plant.MNT), order=30))
