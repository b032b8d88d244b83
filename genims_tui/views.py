"""The console's map: workspaces (one per role family) and the views inside them.

A view is registered once with a dotted name (`ops.daemons`, `plant.factories`, ...) that the `:`
command bar completes, the workspace it lives in, a title for its tab, a factory for its widget
(imported lazily, so start-up stays fast) and an optional permission predicate: a view a user may
not use is absent for them. Screens modules register their views when `load_views()` imports them.

Workspaces a user sees: those of their roles (`ActingUser.workspaces`); an administrator ("*") sees
all. The data browser (`:db.table`) is not a workspace: it opens over whatever is on screen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .backend.access import ActingUser

if TYPE_CHECKING:  # pragma: no cover
    from textual.widget import Widget


@dataclass(frozen=True)
class Workspace:
    key: str
    title: str
    hotkey: str  # the function key that switches to it
    description: str


WORKSPACES: dict[str, Workspace] = {w.key: w for w in (
    Workspace("plant_manager", "Plant", "f2", "factories, OEE, alarms, production, maintenance backlog"),
    Workspace("buyer", "Buyer", "f3", "requisitions, purchase orders, RFQs, invoices, suppliers"),
    Workspace("quality", "Quality", "f4", "NCRs, CAPAs, SPC, calibration, complaints"),
    Workspace("warehouse", "Warehouse", "f5", "stock, receiving, picking, cycle counts, reconciliation"),
    Workspace("sales", "Sales", "f6", "sales orders, ATP, credit, delivery and invoice"),
    Workspace("maintenance", "Maintenance", "f7", "work orders, PM schedules, assets"),
    Workspace("operations", "Operations", "f8", "daemons, live log, sync status, health, alerts"),
)}
HOME_HOTKEY = "f1"


@dataclass(frozen=True)
class View:
    name: str  # dotted, unique: what `:` jumps to
    title: str
    workspace: str
    factory: Callable[[], Widget]
    description: str = ""
    allowed: Callable[[ActingUser], bool] = lambda user: True
    order: int = 100  # tab order inside the workspace


_VIEWS: dict[str, View] = {}

# Modules that register views when imported (each workspace's screens module).
VIEW_MODULES: list[str] = [
    "genims_tui.screens.operations",
    "genims_tui.screens.plant",
    "genims_tui.screens.kpi",
    "genims_tui.screens.maintenance",
    "genims_tui.screens.warehouse",
    "genims_tui.screens.sales",
    "genims_tui.screens.buyer",
    "genims_tui.screens.quality",
]


def register_view(view: View) -> View:
    if view.workspace not in WORKSPACES:
        raise ValueError(f"view {view.name}: unknown workspace {view.workspace!r}")
    _VIEWS[view.name] = view
    return view


def load_views() -> dict[str, View]:
    for module in VIEW_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a workspace whose module is not written yet
            if exc.name != module:
                raise
    return dict(_VIEWS)


def user_workspaces(user: ActingUser) -> list[Workspace]:
    """The workspaces this user sees, in the fixed order of WORKSPACES."""
    if user.has("*"):
        return list(WORKSPACES.values())
    mine = set(user.workspaces)
    return [w for w in WORKSPACES.values() if w.key in mine]


def views_for(user: ActingUser, workspace: str | None = None) -> list[View]:
    """The views this user may open (of one workspace, or of every workspace they see), in tab order."""
    visible = {w.key for w in user_workspaces(user)}
    views = [v for v in load_views().values()
             if v.workspace in visible and (workspace is None or v.workspace == workspace) and v.allowed(user)]
    return sorted(views, key=lambda v: (list(WORKSPACES).index(v.workspace), v.order, v.name))
