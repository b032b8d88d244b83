"""The KPI board: seed 000's ERP metrics (procurement, inventory, production, sales) over the last
90 days, each with its definition and, where a month-by-month history makes sense, a six-month trend.

Registers `plant.kpis` (plant manager workspace) and `ops.kpis` (operations). The metrics are computed
by `genims_tui.backend.kpis.compute_kpis` in a worker; the board shows a table, the selected KPI's
definition and a plotext line of its trend.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from ..backend.kpis import Kpi, compute_kpis
from ..views import View, register_view
from .browser import fill_table
from ..widgets.dataview import DataView, StatusLine

WINDOW_DAYS = 90
SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[Decimal]) -> str:
    """A trend as block characters, lowest to highest."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARK[3] * len(values)
    return "".join(SPARK[int((v - low) / (high - low) * (len(SPARK) - 1))] for v in values)


class KpiBoard(DataView):
    DEFAULT_CSS = """
    KpiBoard #kpi-table { height: 1fr; }
    KpiBoard #kpi-detail { height: 45%; min-height: 8; }
    KpiBoard #kpi-definition { width: 1fr; height: 100%; padding: 0 1; border: round $primary; }
    KpiBoard #kpi-trend { width: 1fr; border: round $primary; }
    """
    BINDINGS = [Binding("d", "definition", "Definition")]
    loading_message = "Computing the KPIs …"

    def __init__(self, window_days: int = WINDOW_DAYS, **kwargs) -> None:
        super().__init__(**kwargs)
        self.window_days = window_days
        self.kpis: list[Kpi] = []

    @property
    def help_text(self) -> str:  # `?` shows the selected KPI's definition with the board's keys
        text = (f"Seed 000's ERP metrics over the last {self.window_days} days (stock figures as of now). "
                "Move the cursor to a KPI to see its definition and its six-month trend; d shows the definition.")
        selected = self.selected()
        if selected is not None:
            text += f"\n\n{selected.name} ({selected.unit}): {selected.definition}"
            if selected.reason:
                text += f"\nNo value: {selected.reason}."
        return text

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True, id="kpi-table")
        with Horizontal(id="kpi-detail"):
            yield Static("", id="kpi-definition")
            yield PlotextPlot(id="kpi-trend")
        yield StatusLine("")

    COLUMNS = [("Area", "area"), ("KPI", "name"), ("Value", "value"), ("Better", "better"), ("Trend (6 months)", "trend")]

    def on_mount(self) -> None:
        fill_table(self.query_one("#kpi-table", DataTable), self.COLUMNS, [])

    def fetch(self) -> list[Kpi]:
        return compute_kpis(self.dbs, self.app.clock(), self.window_days)

    def show(self, data: list[Kpi]) -> None:
        self.kpis = data
        table = self.query_one("#kpi-table", DataTable)
        cursor = table.cursor_row
        rows = []
        for k in data:
            value = Text(k.display(), justify="right") if k.value is not None else Text("n/a", style="dim", justify="right")
            trend = sparkline([v for _p, v in k.trend]) if k.trend else Text("snapshot" if k.value is not None else "",
                                                                            style="dim")
            rows.append((k.key, [k.area, k.name, value, "↑" if k.better == "higher" else "↓", trend]))
        fill_table(table, self.COLUMNS, rows)
        if data:
            table.move_cursor(row=min(max(cursor, 0), len(data) - 1))
        missing = sum(1 for k in data if k.value is None)
        self.say(f"{len(data)} KPIs over the last {self.window_days} days as of {self.app.clock():%Y-%m-%d %H:%M}"
                 + (f" · {missing} without a value (see why below)" if missing else ""))
        self._show_selected()

    def selected(self) -> Kpi | None:
        if not self.kpis:
            return None
        index = self.query_one("#kpi-table", DataTable).cursor_row
        return self.kpis[index] if 0 <= index < len(self.kpis) else None

    @on(DataTable.RowHighlighted, "#kpi-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        k = self.selected()
        definition = self.query_one("#kpi-definition", Static)
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        if k is None:
            definition.update("")
            plot.refresh()
            return
        parts = [Text(k.name, style="bold"), Text(f"  {k.display()}\n\n"), Text(k.definition)]
        if k.reason:
            parts.append(Text(f"\n\nNo value: {k.reason}.", style="italic"))
        definition.update(Text.assemble(*parts))
        if k.trend:
            labels = [period for period, _v in k.trend]
            values = [float(v) for _p, v in k.trend]
            xs = list(range(1, len(values) + 1))
            plt.plot(xs, values, marker="braille")
            plt.scatter(xs, values, marker="dot")
            plt.xticks(xs, labels)
            plt.title(f"{k.name} by month ({k.unit})")
        else:
            plt.title(f"{k.name}: no monthly history" if k.value is not None else f"{k.name}: no data")
        plot.refresh()

    def action_definition(self) -> None:
        k = self.selected()
        if k is not None:
            self.app.notify(k.definition + (f" No value: {k.reason}." if k.reason else ""), title=k.name, timeout=12)


def _can_read_erp(user) -> bool:
    return user.can("genims_erp_db", "read")


register_view(View(name="plant.kpis", title="KPIs", workspace="plant_manager", factory=lambda: KpiBoard(),
                   description="seed 000's ERP metrics with definitions and trends", allowed=_can_read_erp, order=80))
register_view(View(name="ops.kpis", title="KPIs", workspace="operations", factory=lambda: KpiBoard(),
                   description="seed 000's ERP metrics with definitions and trends", allowed=_can_read_erp, order=80))
