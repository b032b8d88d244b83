"""The Maintenance workspace: the backlog (shared with the plant manager) and the work orders, moved
along their lifecycle by keys through `services/maintenance.py`.

`m` on a work order offers the states it may move to next that the user's role allows (the service's
TRANSITION_RULES), then a form with exactly the fields that state needs; the service's refusal is
shown at the field. `a` runs technician assignment for the selected work order.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ..backend import maintenance_views
from ..backend.browse import PageQuery
from ..backend.services import maintenance as mnt
from ..views import View, register_view
from ..widgets.dataview import DataView, StatusLine
from ..widgets.form import Field, FormScreen
from ..widgets.paged_table import PagedTable
from .plant import MaintenanceBacklog

FIELD_SPECS: dict[str, Field] = {
    "estimated_duration_hours": Field("estimated_duration_hours", "Estimated duration (hours)", kind="decimal",
                                      positive=True),
    "estimated_cost": Field("estimated_cost", "Estimated cost", kind="decimal", minimum=0),
    "scheduled_start_date": Field("scheduled_start_date", "Scheduled start", kind="date", placeholder="2026-12-01"),
    "scheduled_end_date": Field("scheduled_end_date", "Scheduled end", kind="date", placeholder="2026-12-02"),
    "assigned_to": Field("assigned_to", "Technician", max_length=50, placeholder="technician id"),
    "actual_start_date": Field("actual_start_date", "Actual start (YYYY-MM-DD HH:MM)", max_length=30),
    "actual_end_date": Field("actual_end_date", "Actual end (YYYY-MM-DD HH:MM)", max_length=30),
    "work_performed": Field("work_performed", "Work performed", max_length=4000),
    "root_cause": Field("root_cause", "Root cause", max_length=4000),
    "corrective_action": Field("corrective_action", "Corrective action", max_length=4000),
    "verification_notes": Field("verification_notes", "Verification notes", max_length=4000),
    "reason": Field("reason", "Reason", max_length=500),
}


def transition_fields(state: str, technicians: list[str]) -> list[Field]:
    rule = mnt.TRANSITION_RULES[state]
    fields = []
    for name in (*rule.required, *rule.optional):
        spec = FIELD_SPECS[name]
        fields.append(Field(spec.name, spec.label, kind=spec.kind, required=name in rule.required,
                            max_length=spec.max_length, minimum=spec.minimum, positive=spec.positive,
                            placeholder=spec.placeholder,
                            suggestions=technicians if name == "assigned_to" else None))
    return fields


class WorkOrders(DataView):
    """Every maintenance work order, paged and filtered in SQL, moved along its lifecycle by keys."""

    BINDINGS = [
        Binding("m", "move", "Move to next state"),
        Binding("a", "assign", "Auto-assign"),
    ]
    help_text = ("Maintenance work orders, newest first. `/` filters (e.g. status=scheduled or priority=critical), "
                 "`m` moves the selected work order to a next state its role allows (a form asks what that state "
                 "needs), `a` assigns an available technician.")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="wo-summary")
            yield PagedTable(self._page, id="work-orders")
        yield StatusLine(id="view-status")

    def status(self):
        found = self.query("#view-status")
        return found.first() if found else None

    def focus_default(self) -> None:
        self.query_one(PagedTable).table.focus()

    def _page(self, pq: PageQuery):
        return maintenance_views.work_orders_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> dict[str, int]:
        return maintenance_views.status_counts(self.app.dbs, self.app.user)

    def show(self, counts: dict[str, int]) -> None:
        text = " · ".join(f"{status} {n}" for status, n in counts.items()) or "no work orders"
        self.query_one("#wo-summary", Static).update(text)
        self.query_one(PagedTable).reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        user = self.app.user
        if action == "move":
            return user is not None and user.can(mnt.MNT, "write")
        if action == "assign":
            return user is not None and user.can(mnt.MNT, "write")
        return True

    def _selected(self) -> tuple[str, dict[str, Any]] | None:
        current = self.query_one(PagedTable).current_row()
        if current is None:
            self.say("Select a work order first.", error=True)
        return current

    def action_move(self) -> None:
        current = self._selected()
        if current is None:
            return
        key, row = current
        user = self.app.user
        targets = [s for s in mnt.allowed_next(row.get("status")) if mnt.may_transition(user, s)]
        if not targets:
            self.say(f"{key} is {row.get('status')}: your role can move it nowhere from here.", error=True)
            return
        chooser = FormScreen(
            f"Move {key} ({row.get('status')})",
            [Field("state", "Next state", kind="choice", required=True, choices=[(s, s) for s in targets],
                   default=targets[0])],
            lambda ctx, values: values["state"], submit_label="Next")
        self.app.push_screen(chooser, callback=lambda state: self._ask_fields(key, state) if state else None)

    def _ask_fields(self, key: str, state: str) -> None:
        technicians = maintenance_views.technician_ids(self.app.dbs, self.app.user) if state == "assigned" else []
        fields = transition_fields(state, technicians)
        confirm = f"Cancel work order {key}? Its planned work is dropped." if state == "cancelled" else None

        def submit(ctx, values: dict[str, Any]):
            given = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items() if v is not None}
            return mnt.transition_work_order(ctx, key, state, given)

        form = FormScreen(f"{key} -> {state}", fields, submit, submit_label=f"Move to {state}", confirm=confirm,
                          intro="Fields marked * are required for this state." if fields else "")
        self.app.push_screen(form, callback=self._moved)

    def _moved(self, result: dict[str, Any] | None) -> None:
        if result:
            self.say(f"{result['work_order_id']} is now {result['wo_status']}.")
            self.refresh_view()

    def action_assign(self) -> None:
        current = self._selected()
        if current is None:
            return
        key, _row = current
        self.run_service(mnt.assign_technicians, [key], done=lambda res: self._assigned(key, res))

    def _assigned(self, key: str, result: dict[str, Any]) -> None:
        assigned = result.get("assigned") or []
        if assigned:
            self.say(f"{key} assigned to {assigned[0].get('technician_id', assigned[0])}.")
        else:
            skipped = result.get("skipped") or []
            reason = skipped[0].get("reason") if skipped and isinstance(skipped[0], dict) else None
            self.say(f"{key} was not assigned" + (f": {reason}" if reason else " (it must be scheduled and unassigned)."),
                     error=True)
        self.refresh_view()


def _reads_maintenance(user) -> bool:
    return user.can(mnt.MNT, "read")


register_view(View(name="maint.work_orders", title="Work orders", workspace="maintenance", factory=WorkOrders,
                   description="every work order; move it along its lifecycle; assign technicians",
                   allowed=_reads_maintenance, order=10))
register_view(View(name="maint.backlog", title="Backlog & reliability", workspace="maintenance",
                   factory=MaintenanceBacklog,
                   description="open and overdue work orders, PM compliance, MTBF/MTTR of critical assets",
                   allowed=_reads_maintenance, order=20))
