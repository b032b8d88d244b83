"""Charts drawn with plotext (textual-plotext): a time series with horizontal limit bands, and a
Pareto bar chart. Each widget keeps the data it was given and redraws from it, so a resize or a theme
change draws the same picture. Values arrive as Decimals (display only: converted to float here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from textual_plotext import PlotextPlot

MAX_TICKS = 5
MIN_BAR_SLOTS = 5


@dataclass(frozen=True)
class Band:
    """A horizontal line across the chart (a warning or critical limit)."""

    label: str
    value: Decimal | float
    color: str


def tick_positions(count: int, most: int = MAX_TICKS) -> list[int]:
    """Up to `most` evenly spread indexes of `count` points, always the first and the last."""
    if count <= 0:
        return []
    if count <= most:
        return list(range(count))
    step = (count - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def time_label(moment: dt.datetime) -> str:
    return f"{moment:%m-%d %H:%M}"


class SeriesChart(PlotextPlot):
    """Readings over time (evenly spaced by index, labelled with their times) and limit bands."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.times: list[dt.datetime] = []
        self.values: list[float] = []
        self.bands: list[Band] = []
        self.title = ""

    def show_series(self, title: str, times: Sequence[dt.datetime], values: Sequence[Decimal | float],
                    bands: Sequence[Band] = ()) -> None:
        self.title = title
        self.times = list(times)
        self.values = [float(v) for v in values]
        self.bands = [b for b in bands if b.value is not None]
        self.draw()

    @property
    def point_count(self) -> int:
        return len(self.values)

    def draw(self) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(self.title)
        if not self.values:
            plt.text("no readings", x=0.5, y=0.5, alignment="center")
            self.refresh()
            return
        xs = list(range(len(self.values)))
        plt.plot(xs, self.values, label="reading", color="cyan", marker="braille")
        for band in self.bands:
            plt.plot([xs[0], xs[-1]] if len(xs) > 1 else [0, 1], [float(band.value)] * 2, label=band.label,
                     color=band.color, marker="braille")
        positions = tick_positions(len(xs))
        plt.xticks(positions, [time_label(self.times[i]) for i in positions])
        self.refresh()


class ParetoChart(PlotextPlot):
    """Bars largest first (the caller sorts), e.g. downtime minutes by reason, and the cumulative
    percentage of the total as a line on the right-hand axis."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.labels: list[str] = []
        self.values: list[float] = []
        self.title = ""

    def show_bars(self, title: str, labels: Sequence[str], values: Sequence[Decimal | float | int]) -> None:
        self.title = title
        self.labels = [str(label) for label in labels]
        self.values = [float(v) for v in values]
        self.draw()

    def draw(self) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(self.title)
        if not self.values:
            plt.text("no downtime recorded", x=0.5, y=0.5, alignment="center")
        else:
            plt.bar(self.labels, self.values, color="orange", width=0.6)
            plt.xlim(0.4, max(len(self.values), MIN_BAR_SLOTS) + 0.6)  # one or two bars do not fill the chart
            # the Pareto line: cumulative share of the total, on the right-hand axis
            total = sum(self.values)
            if total > 0:
                running, shares = 0.0, []
                for value in self.values:
                    running += value
                    shares.append(round(100 * running / total, 1))
                plt.plot(list(range(1, len(shares) + 1)), shares, yside="right", marker="braille", color="cyan",
                         label="cumulative %")
                plt.ylim(0, 100, yside="right")
        self.refresh()
