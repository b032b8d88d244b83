"""The quality workspace: NCRs walked through their states, CAPAs (overdue first) with their actions and
effectiveness, SPC charts with flagged points, calibration, complaints with 8D reports, audits.

Reads go through `genims_tui.backend.quality_views` in workers; every write is a service call
(`services/ncr.py`, `capa.py`, `calibration.py`, `complaints.py`) made from a workflow form, so a
rule's message shows at the field it names and nothing is saved on an error. Keys a role lacks
(ncr.disposition, ncr.close, capa.verify, write access to genims_quality_db) are not offered; the
services refuse them anyway.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Select, Static
from textual_plotext import PlotextPlot

from ..backend import quality_views as qv
from ..backend.access import ActingUser
from ..backend.browse import PageQuery
from ..backend.services import calibration as calibration_service
from ..backend.services import capa as capa_service
from ..backend.services import complaints as complaints_service
from ..backend.services import ncr as ncr_service
from ..backend.services.spc_math import RULE_SETS
from ..views import View, register_view
from ..widgets.dataview import DataView, StatusLine, error_text
from ..widgets.form import ConfirmScreen, Field, FormScreen
from ..widgets.paged_table import PagedTable, cell

QMS = qv.QMS
FLOW = ("open", "containment", "investigation", "disposition", "capa", "verification", "closed")
STATE_STYLE = {"closed": "green", "cancelled": "dim", "open": "yellow", "overdue": "bold red",
               "out_of_control": "bold red", "locked_out": "bold red", "in_control": "green"}
SEVERITY_CHOICES = [(s, s) for s in ncr_service.SEVERITIES]
# A required choice starts on "choose": the service names the field when nothing was chosen. (Every
# choice field gets a default: the form's Select takes no empty default.)
CHOOSE = ("— choose —", "")
METHOD_CHOICES = [CHOOSE, *((m, m) for m in ncr_service.ROOT_CAUSE_METHODS)]
DISPOSITION_CHOICES = [CHOOSE, *((d, d) for d in ncr_service.DISPOSITIONS)]
ACTION_TYPE_CHOICES = [(a, a) for a in capa_service.ACTION_TYPES]


def may_write(user: ActingUser | None) -> bool:
    return user is not None and user.can(QMS, "write")


def has(user: ActingUser | None, capability: str) -> bool:
    return user is not None and user.has(capability)


def given(values: dict[str, Any]) -> dict[str, Any]:
    """A form's values without the fields left empty (None) or unticked: the service's own defaults apply."""
    return {k: v for k, v in values.items() if v is not None and v is not False and v is not Select.NULL}


def styled(value: Any) -> Text:
    text = "" if value is None else str(value)
    return Text(text, style=STATE_STYLE.get(text, ""))


class ViewWithTables(DataView):
    """A DataView whose own status line is `#view-status` (its PagedTables have theirs)."""

    def status(self) -> StatusLine | None:
        found = self.query("#view-status")
        return found.first() if found else None

    def focus_default(self) -> None:
        tables = self.query(PagedTable)
        if tables:
            tables.first().table.focus()


# -- forms shared by NCRs and CAPAs ---------------------------------------------------------------------

def new_action_form(capa_id: str, today: dt.date) -> FormScreen:
    return FormScreen(
        f"Add an action to {capa_id}",
        [Field("description", "What is to be done", required=True, max_length=4000),
         Field("assigned_to", "Owner (employee id)", required=True, max_length=50, placeholder="EMP-000123"),
         Field("due_date", "Due date", kind="date", required=True, default=(today + dt.timedelta(days=14)).isoformat()),
         Field("action_type", "Action type", kind="choice", choices=ACTION_TYPE_CHOICES, default="corrective", required=True)],
        lambda ctx, v: capa_service.add_capa_action(ctx, capa_id, description=v["description"], assigned_to=v["assigned_to"],
                                                    due_date=v["due_date"], action_type=v["action_type"]),
        intro="An open CAPA moves to implementation with its first action.", submit_label="Add action")


def complete_action_form(capa_id: str, open_actions: list[dict[str, Any]]) -> FormScreen:
    choices = [(f"{a['action_id']} · {(a['action_description'] or '')[:50]}", a["action_id"]) for a in open_actions]
    return FormScreen(
        f"Complete an action of {capa_id}",
        [Field("evidence", "Completion evidence", required=True, max_length=4000),
         Field("action_id", "Action", kind="choice", choices=choices, required=True,
               default=choices[0][1] if choices else None)],
        lambda ctx, v: capa_service.complete_capa_action(ctx, v["action_id"], v["evidence"]),
        intro="When no action is left open the CAPA moves to verification.", submit_label="Complete")


def verify_capa_form(capa_id: str) -> FormScreen:
    return FormScreen(
        f"Verify the effectiveness of {capa_id}",
        [Field("notes", "Effectiveness notes (the evidence)", required=True, max_length=4000),
         Field("effective", "Effective: the problem has not come back", kind="bool", default=True),
         Field("verification_result", "Verification result", max_length=4000)],
        lambda ctx, v: capa_service.verify_capa_effectiveness(ctx, capa_id, v["effective"], v["notes"],
                                                              v.get("verification_result")),
        intro="Effective: the CAPA is ready to close (and its NCR with it). Not effective: back to implementation "
              "for further actions. Needs capa.verify.", submit_label="Record verification")


# -- a detail screen ---------------------------------------------------------------------------------------

class DetailScreen(Screen):
    """A record opened over the workspace: loads in a worker, its forms run the services, Esc back."""

    DEFAULT_CSS = """
    DetailScreen #detail-title { height: auto; padding: 0 1; text-style: bold; }
    DetailScreen #detail-body { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "app.back", "Back")]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.data: dict[str, Any] | None = None
        self.notice: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(self.key), id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield Static("", id="detail-text")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.key
        self.say("Loading ...")
        self.reload()

    def say(self, message: str, error: bool = False) -> None:
        self.query_one(StatusLine).say(message, error)

    def reload(self) -> None:
        self._load()

    def fetch(self) -> dict[str, Any]:  # pragma: no cover - subclasses
        raise NotImplementedError

    def render_body(self, data: dict[str, Any]) -> Text:  # pragma: no cover - subclasses
        raise NotImplementedError

    def keys_hint(self) -> str:
        return "Esc back"

    @work(thread=True, exclusive=True, group="quality-detail")
    def _load(self) -> None:
        try:
            data = self.fetch()
        except Exception as exc:
            self.app.call_from_thread(self.say, error_text(exc), True)
            return
        self.app.call_from_thread(self._show, data)

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        self.query_one("#detail-text", Static).update(self.render_body(data))
        self.refresh_bindings()
        hint = self.keys_hint()
        self.say(f"{self.notice} · {hint}" if self.notice else hint)

    def open_form(self, form: FormScreen, done_message) -> None:
        """Push a workflow form; on save, say what happened and reload (the form shows any refusal)."""
        def finished(result: Any) -> None:
            if result is None:
                return
            self.notice = done_message(result) if callable(done_message) else done_message
            self.app.notify(self.notice)
            self.reload()
        self.app.push_screen(form, callback=finished)


def bullet(met: bool | None) -> tuple[str, str]:
    if met is None:
        return ("• ", "")
    return ("✓ ", "green") if met else ("✗ ", "bold red")


class NcrDetailScreen(DetailScreen):
    """One NCR: where it is in its workflow, what the next state needs, and keys to move it on."""

    BINDINGS = [
        Binding("a", "advance", "Next state"),
        Binding("b", "send_back", "Back to CAPA"),
        Binding("x", "cancel_ncr", "Cancel NCR"),
        Binding("n", "add_action", "Add CAPA action"),
        Binding("d", "complete_action", "Complete action"),
        Binding("v", "verify_capa", "Verify CAPA"),
    ]
    help_text = ("An NCR walks open -> containment -> investigation -> disposition -> capa -> verification -> "
                 "closed. a opens the form for the next state with the fields it requires; the CAPA's actions "
                 "are added (n), completed (d) and verified (v) here too; b sends a verified NCR back to CAPA; "
                 "x cancels (ncr.close).")

    def fetch(self) -> dict[str, Any]:
        return qv.ncr_detail(self.app.dbs, self.app.user, self.key)

    # -- what is on screen -----------------------------------------------------------------------

    @property
    def steps(self) -> list[dict[str, Any]]:
        return self.data["steps"] if self.data else []

    @property
    def forward(self) -> dict[str, Any] | None:
        return qv.forward_step(self.steps)

    @property
    def live_capa(self) -> dict[str, Any] | None:
        if not self.data:
            return None
        return next((c for c in self.data["capas"] if c["capa_status"] not in qv.CLOSED_CAPA), None)

    def open_actions(self) -> list[dict[str, Any]]:
        capa = self.live_capa
        return [a for a in capa["actions"] if (a["action_status"] or "open") not in qv.DONE_ACTION] if capa else []

    def render_body(self, ncr: dict[str, Any]) -> Text:
        self.query_one("#detail-title", Static).update(Text.assemble(
            (f"{ncr['ncr_id']}  ", "bold"), styled(ncr["ncr_status"]),
            f"  ·  {ncr['defect_severity'] or '-'} · priority {ncr['priority'] or '-'} · source {ncr['source_type'] or '-'}"
            f" {ncr['source_document_id'] or ''} · detected {cell(ncr['detected_date'])}"))
        out = Text()
        state = ncr["ncr_status"]
        for i, name in enumerate(FLOW):
            if i:
                out.append(" ▸ ", style="dim")
            reached = state in FLOW and FLOW.index(name) <= FLOW.index(state)
            out.append(name, style="bold reverse" if name == state else ("green" if reached else "dim"))
        if state == "cancelled":
            out.append("   cancelled", style="bold")
        out.append("\n\n")
        self.render_next(ncr, out)
        out.append("\n")

        def line(label: str, value: Any) -> None:
            out.append(f"{label:<15}", style="bold")
            out.append(("·" if value in (None, "") else str(cell(value) if not isinstance(value, str) else value)) + "\n")

        line("Defect", f"{ncr['defect_type'] or ''} {ncr['defect_description'] or ''}".strip())
        line("Quantity", f"{cell(ncr['quantity_defective'])} {ncr['unit_of_measure'] or ''} defective"
             + (f" of {cell(ncr['quantity_inspected'])} inspected" if ncr["quantity_inspected"] is not None else ""))
        line("Supplier", ncr["supplier_id"])
        line("Product", " ".join(x for x in (ncr["product_id"], ncr["material_id"], ncr["batch_number"]) if x))
        line("Containment", (ncr["containment_action"] or "") + (f" (done {cell(ncr['containment_date'])})"
                                                                   if ncr["containment_completed"] else ""))
        line("Root cause", f"[{ncr['root_cause_method']}] {ncr['root_cause_description'] or ''}"
             if ncr["root_cause_method"] else ncr["root_cause_description"])
        line("Disposition", f"{ncr['disposition']} {cell(ncr['disposition_quantity'])}" if ncr["disposition"] else None)
        line("Costs", f"scrap {cell(ncr['scrap_cost'])} · rework {cell(ncr['rework_cost'])} · sorting "
             f"{cell(ncr['sorting_cost'])} · total {cell(ncr['total_cost'])}")
        if ncr["closed_date"]:
            line("Closed", f"{cell(ncr['closed_date'])} by {ncr['closed_by'] or '?'}"
                 + (" · verified effective" if ncr["verified_effective"] else ""))
        out.append("\n")
        if not ncr["capas"]:
            out.append("No CAPA linked yet (one is raised with the disposition).\n", style="dim")
        for capa in ncr["capas"]:
            out.append(f"CAPA {capa['capa_id']}  ", style="bold")
            out.append_text(styled(capa["capa_status"]))
            out.append(f"  due {cell(capa['target_completion_date'])} · owner {capa['responsible_person'] or '-'} · "
                       f"effectiveness {'verified' if capa['effectiveness_verified'] else 'not verified'}\n")
            for a in capa["actions"]:
                done = (a["action_status"] or "open") in qv.DONE_ACTION
                out.append(f"   {'✓' if done else '○'} {a['action_id']} ", style="green" if done else "yellow")
                out.append(f"{a['action_status'] or 'open'} · due {cell(a['due_date'])} · {a['assigned_to'] or '-'} · "
                           f"{a['action_description'] or ''}\n")
            if not capa["actions"]:
                out.append("   no actions yet (n adds one)\n", style="dim")
        return out

    def render_next(self, ncr: dict[str, Any], out: Text) -> None:
        """What each state the NCR may move to needs, met or not: first on screen, it is what to do."""
        out.append("Next\n", style="bold underline")
        if not self.steps:
            out.append(f"{ncr['ncr_id']} is {ncr['ncr_status']}: no further transition.\n", style="dim")
        for step in self.steps:
            out.append(f"→ {step['target']}: ", style="bold")
            out.append(step["text"] + "\n")
            for need, met in step["needs"]:
                mark, style = bullet(met)
                out.append(f"     {mark}", style=style)
                out.append(need + "\n")
            if not step["permitted"]:
                out.append(f"     ✗ needs the capability {step['capability']}; your roles "
                           f"({self.app.user.role_names}) do not have it\n", style="bold red")

    def keys_hint(self) -> str:
        forward = self.forward
        parts = []
        if forward and self.check_action("advance", ()):
            parts.append(f"a: move to {forward['target']}")
        elif forward:
            parts.append(f"moving to {forward['target']} needs {forward['capability'] or 'write access'}")
        if self.check_action("add_action", ()):
            parts.append("n: add a CAPA action")
        if self.check_action("complete_action", ()):
            parts.append("d: complete an action")
        if self.check_action("verify_capa", ()):
            parts.append("v: verify the CAPA")
        parts.append("Esc back")
        return " · ".join(parts)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        user = self.app.user
        if action not in {"advance", "send_back", "cancel_ncr", "add_action", "complete_action", "verify_capa"}:
            return True
        if self.data is None or not may_write(user):
            return False
        targets = {s["target"]: s for s in self.steps}
        if action == "advance":
            forward = self.forward
            return bool(forward and forward["permitted"])
        if action == "send_back":
            return "closed" in targets and "capa" in targets and targets["capa"]["permitted"]
        if action == "cancel_ncr":
            return "cancelled" in targets and has(user, "ncr.close")
        capa = self.live_capa
        if capa is None or self.data["ncr_status"] in ncr_service.TERMINAL:
            return False
        if action == "add_action":
            return capa["capa_status"] in ("open", "implementation", "overdue")
        if action == "complete_action":
            return bool(self.open_actions())
        return has(user, "capa.verify") and not self.open_actions() and bool(capa["actions"]) \
            and not capa["effectiveness_verified"]

    # -- the transitions ---------------------------------------------------------------------------

    def transition_form(self, target: str, fields: list[Field], intro: str, confirm: str | None = None,
                        label: str | None = None) -> None:
        ncr_id, current = self.key, self.data["ncr_status"]
        form = FormScreen(f"{ncr_id}: {current} → {target}", fields,
                          lambda ctx, v: ncr_service.transition_ncr(ctx, ncr_id, target, given(v)),
                          intro=intro, submit_label=label or f"Move to {target}", confirm=confirm)
        self.open_form(form, lambda r: f"{ncr_id} is now {r['ncr_status']}"
                       + (f"; CAPA {r['capa_id']} raised" if r.get("capa_id") else "") + ".")

    def action_advance(self) -> None:
        step = self.forward
        if step is None or self.data is None:
            return
        ncr, target = self.data, step["target"]
        needs = "; ".join(n for n, _ in step["needs"])
        intro = f"{step['text']} Required: {needs}."
        today = self.app.clock().date()
        if target == "containment":
            fields = [Field("containment_action", "Containment action", required=True, max_length=4000,
                            default=ncr["containment_action"], placeholder="Quarantine the lot, 100 % sort"),
                      Field("priority", "Priority", kind="choice", choices=[(p, p) for p in ("high", "medium", "low")],
                            default=ncr["priority"] or "medium")]
        elif target == "investigation":
            fields = [Field("containment_action", "Containment action (done)", required=True, max_length=4000,
                            default=ncr["containment_action"]),
                      Field("root_cause_description", "Root cause (if known already)", max_length=4000,
                            default=ncr["root_cause_description"])]
        elif target == "disposition":
            fields = [Field("root_cause_description", "Root cause", required=True, max_length=4000,
                            default=ncr["root_cause_description"]),
                      Field("root_cause_method", "Root cause method", kind="choice", choices=METHOD_CHOICES,
                            required=True, default=ncr["root_cause_method"] or ""),
                      Field("root_cause_verified", "Root cause verified", kind="bool", default=bool(ncr["root_cause_verified"]))]
        elif target == "capa":
            fields = [Field("disposition", "Disposition", kind="choice", choices=DISPOSITION_CHOICES, required=True,
                            default=ncr["disposition"] or ""),
                      Field("disposition_quantity", "Disposition quantity", kind="decimal", required=True, positive=True,
                            default=ncr["disposition_quantity"] or (ncr["quantity_defective"] and
                                                                     cell(ncr["quantity_defective"]))),
                      Field("disposition_notes", "Disposition notes", max_length=4000)]
            if self.live_capa is None:
                fields += [Field("capa_owner", "CAPA owner (employee id)", max_length=50),
                           Field("capa_due", "CAPA due date", kind="date", default=(today + dt.timedelta(days=30)).isoformat()),
                           Field("capa_actions_planned", "CAPA actions planned", max_length=4000)]
            fields += [Field("scrap_cost", "Scrap cost", kind="decimal", minimum=Decimal(0)),
                       Field("rework_cost", "Rework cost", kind="decimal", minimum=Decimal(0))]
        elif target == "verification":
            fields = []
            intro += " Nothing to fill in: save to move on."
        else:  # closed
            fields = [Field("verified_effective", "Verified effective outside a CAPA (leave unticked to rely on the "
                                                  "CAPA's verification)", kind="bool", default=False)]
            self.transition_form(target, fields, intro, confirm=f"Close {self.key}? A closed NCR cannot be reopened.",
                                 label="Close NCR")
            return
        self.transition_form(target, fields, intro)

    def action_send_back(self) -> None:
        self.transition_form("capa", [Field("reason", "Why the fix did not work", required=True, max_length=1000)],
                             "Verification found the problem again: the NCR goes back to CAPA for further actions.",
                             label="Send back")

    def action_cancel_ncr(self) -> None:
        self.transition_form("cancelled", [Field("reason", "Reason for cancelling", required=True, max_length=1000)],
                             "Cancelling ends the NCR without a fix (needs ncr.close).",
                             confirm=f"Cancel {self.key}? It cannot be reopened.", label="Cancel NCR")

    def action_add_action(self) -> None:
        capa = self.live_capa
        if capa is not None:
            self.open_form(new_action_form(capa["capa_id"], self.app.clock().date()),
                           lambda r: f"Action {r['action_id']} added to {capa['capa_id']}.")

    def action_complete_action(self) -> None:
        capa = self.live_capa
        if capa is not None and self.open_actions():
            self.open_form(complete_action_form(capa["capa_id"], self.open_actions()),
                           lambda r: f"Action {r['action_id']} completed; {capa['capa_id']} is {r['capa_status']}.")

    def action_verify_capa(self) -> None:
        capa = self.live_capa
        if capa is not None:
            self.open_form(verify_capa_form(capa["capa_id"]),
                           lambda r: f"{capa['capa_id']} verified "
                                     + ("effective." if r["effectiveness_verified"] else "not effective: back to implementation."))


# -- quality.ncrs ----------------------------------------------------------------------------------------

class NcrList(ViewWithTables):
    """NCRs, filterable (`/status=open severity=major source=... supplier=...`); Enter opens one."""

    DEFAULT_CSS = """
    NcrList #ncr-summary { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("n", "new_ncr", "New NCR"),
        Binding("i", "from_inspection", "NCR from inspection"),
        Binding("o", "toggle_open", "Open only/all"),
    ]
    help_text = ("Non-conformance reports, newest first. / filters by any column (status=open, severity=major, "
                 "source=mes_inspection, supplier=SUP-000001); o shows only open NCRs or all. Enter opens an NCR with "
                 "what its next state needs. n raises one by hand, i from a failed MES inspection.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_only = False

    def compose(self) -> ComposeResult:
        yield Static("", id="ncr-summary")
        yield PagedTable(self._page, id="ncrs", page_size=50)
        yield StatusLine(id="view-status")

    def _page(self, pq: PageQuery):
        return qv.ncrs_page(self.app.dbs, self.app.user, pq, open_only=self.open_only)

    def fetch(self) -> dict[str, int]:
        return qv.ncr_counts(self.app.dbs, self.app.user)

    def show(self, counts: dict[str, int]) -> None:
        summary = Text()
        for state in (*FLOW, "cancelled"):
            if counts.get(state):
                summary.append(f"{state} ", style="bold" if state not in ("closed", "cancelled") else "dim")
                summary.append(f"{counts[state]}   ")
        self.query_one("#ncr-summary", Static).update(summary or Text("No NCRs yet.", style="dim"))
        self.query_one("#ncrs", PagedTable).reload()
        keys = " · n new · i from a failed inspection" if may_write(self.app.user) else ""
        self.say(("Open NCRs" if self.open_only else "All NCRs") + f" · Enter opens one{keys} · o open/all")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_ncr", "from_inspection"):
            return may_write(self.app.user)
        return True

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        if event.table.id != "ncrs":
            return
        event.stop()
        self.app.push_screen(NcrDetailScreen(event.key))

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        table = self.query_one("#ncrs", PagedTable)
        table.reload(table.query_state.first())
        self.refresh_view()

    def _created(self, result: dict[str, Any] | None) -> None:
        if not result:
            return
        what = "created" if result.get("created", True) else "already exists"
        self.say(f"{result['ncr_id']} {what}.")
        self.app.notify(f"{result['ncr_id']} {what}")
        self.refresh_view()
        self.app.push_screen(NcrDetailScreen(result["ncr_id"]))

    def action_new_ncr(self) -> None:
        fields = [
            Field("defect_description", "Defect description", required=True, max_length=4000),
            Field("quantity_defective", "Defective quantity", kind="decimal", required=True, positive=True),
            Field("quantity_inspected", "Inspected quantity", kind="decimal", positive=True),
            Field("defect_severity", "Severity", kind="choice", choices=SEVERITY_CHOICES, required=True, default="major"),
            Field("defect_type", "Defect type", max_length=50, placeholder="dimensional, surface, labeling ..."),
            Field("supplier_id", "Supplier", max_length=50, placeholder="SUP-000001"),
            Field("product_id", "Product", max_length=50),
            Field("material_id", "Material", max_length=50),
            Field("batch_number", "Batch", max_length=50),
        ]
        form = FormScreen("New NCR", fields, lambda ctx, v: ncr_service.create_ncr(ctx, **given(v)),
                          intro="A non-conformance found by hand; it starts open and is walked to closed from its "
                                "detail.", submit_label="Raise NCR")
        self.app.push_screen(form, callback=self._created)

    def action_from_inspection(self) -> None:
        self.say("Looking for failed inspections without an NCR ...")
        self._failed_inspections()

    @work(thread=True, exclusive=True, group="quality-inspections")
    def _failed_inspections(self) -> None:
        try:
            rows = qv.failed_inspections_without_ncr(self.app.dbs, self.app.user)
        except Exception as exc:
            self.app.call_from_thread(self.say, error_text(exc), True)
            return
        self.app.call_from_thread(self._inspection_form, rows)

    def _inspection_form(self, rows: list[dict[str, Any]]) -> None:
        ids = [r["inspection_id"] for r in rows]
        listing = "\n".join(f"{r['inspection_id']} · {cell(r['inspection_date'])} · {r['product_id'] or '-'} · "
                            f"{r['defects_found'] or 0} defects · {r['notes'] or ''}" for r in rows[:8])
        intro = ("Failed MES inspections without an NCR (Tab completes):\n" + listing) if rows else \
            "Every failed MES inspection has its NCR already."
        form = FormScreen("NCR from a failed inspection",
                          [Field("inspection_id", "Inspection", required=True, max_length=50, suggestions=ids,
                                 default=ids[0] if ids else None)],
                          lambda ctx, v: ncr_service.create_ncr_from_inspection(ctx, v["inspection_id"]),
                          intro=intro, submit_label="Raise NCR")
        self.say(f"{len(rows)} failed inspection(s) without an NCR.")
        self.app.push_screen(form, callback=self._created)


# -- quality.capas ---------------------------------------------------------------------------------------

class CapaDetailScreen(DetailScreen):
    """One CAPA: its actions (add, complete), effectiveness (verify) and closing."""

    BINDINGS = [
        Binding("n", "add_action", "Add action"),
        Binding("d", "complete_action", "Complete action"),
        Binding("v", "verify_capa", "Verify effectiveness"),
        Binding("c", "close_capa", "Close CAPA"),
    ]
    help_text = ("A CAPA's actions with owners and due dates. n adds an action, d completes one with its evidence, "
                 "v records the effectiveness check (capa.verify), c closes a CAPA verified effective (and the NCR "
                 "it was raised for).")

    def fetch(self) -> dict[str, Any]:
        return qv.capa_detail(self.app.dbs, self.app.user, self.key)

    def render_body(self, capa: dict[str, Any]) -> Text:
        today = self.app.clock().date()
        due = capa["target_completion_date"]
        overdue = due is not None and due < today and capa["capa_status"] not in qv.CLOSED_CAPA
        self.query_one("#detail-title", Static).update(Text.assemble(
            (f"{capa['capa_id']}  ", "bold"), styled(capa["capa_status"]),
            f"  ·  {capa['action_type'] or '-'} · from {capa['initiated_from'] or '-'} {capa['source_document_id'] or ''}"
            f" · due {cell(due)}", (" OVERDUE" if overdue else "", "bold red")))
        out = Text()

        def line(label: str, value: Any) -> None:
            out.append(f"{label:<16}", style="bold")
            out.append(("·" if value in (None, "") else str(value)) + "\n")

        line("Problem", capa["problem_description"])
        line("Severity", capa["problem_severity"])
        line("Owner", capa["responsible_person"])
        line("Root cause", capa["root_cause_analysis"])
        line("Planned", capa["actions_planned"])
        if capa["ncr"]:
            line("NCR", f"{capa['ncr']['ncr_id']} ({capa['ncr']['ncr_status']})")
        out.append("\nActions\n", style="bold underline")
        for a in capa["actions"]:
            done = (a["action_status"] or "open") in qv.DONE_ACTION
            late = not done and a["due_date"] is not None and a["due_date"] < today
            out.append(f" {'✓' if done else '○'} {a['action_id']} ", style="green" if done else ("bold red" if late else "yellow"))
            out.append(f"{a['action_status'] or 'open'} · due {cell(a['due_date'])} · {a['assigned_to'] or '-'} · "
                       f"{a['action_description'] or ''}"
                       + (f" · evidence: {a['completion_evidence']}" if a["completion_evidence"] else "") + "\n")
        if not capa["actions"]:
            out.append(" none yet\n", style="dim")
        out.append("\nEffectiveness\n", style="bold underline")
        if capa["verification_completed"]:
            out.append(("✓ verified effective" if capa["effectiveness_verified"] else "✗ not effective"),
                       style="green" if capa["effectiveness_verified"] else "bold red")
            out.append(f" on {cell(capa['effectiveness_review_date'])} by {capa['verified_by'] or '?'}: "
                       f"{capa['effectiveness_notes'] or ''}\n")
        else:
            out.append("not verified yet" + (" (complete the open actions first)" if capa["open_actions"] else "") + "\n",
                       style="dim")
        return out

    def keys_hint(self) -> str:
        names = {"add_action": "n add action", "complete_action": "d complete", "verify_capa": "v verify",
                 "close_capa": "c close"}
        return " · ".join([text for action, text in names.items() if self.check_action(action, ())] + ["Esc back"])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in ("add_action", "complete_action", "verify_capa", "close_capa"):
            return True
        capa, user = self.data, self.app.user
        if capa is None or not may_write(user) or capa["capa_status"] in qv.CLOSED_CAPA:
            return False
        if action == "add_action":
            return capa["capa_status"] in ("open", "implementation", "overdue")
        if action == "complete_action":
            return bool(capa["open_actions"])
        if action == "verify_capa":
            return has(user, "capa.verify") and not capa["open_actions"] and bool(capa["actions"])
        return has(user, "capa.verify") and bool(capa["effectiveness_verified"]) and (
            capa["initiated_from"] != "ncr" or has(user, "ncr.close"))

    def action_add_action(self) -> None:
        self.open_form(new_action_form(self.key, self.app.clock().date()),
                       lambda r: f"Action {r['action_id']} added.")

    def action_complete_action(self) -> None:
        if self.data and self.data["open_actions"]:
            self.open_form(complete_action_form(self.key, self.data["open_actions"]),
                           lambda r: f"Action {r['action_id']} completed; the CAPA is {r['capa_status']}.")

    def action_verify_capa(self) -> None:
        self.open_form(verify_capa_form(self.key), lambda r: "Effectiveness recorded: "
                       + ("effective." if r["effectiveness_verified"] else "not effective."))

    def action_close_capa(self) -> None:
        def answered(yes: bool) -> None:
            if yes:
                self._close()
        ncr = self.data.get("ncr") if self.data else None
        also = f" NCR {ncr['ncr_id']} closes with it." if ncr and ncr["ncr_status"] in ("capa", "verification") else ""
        self.app.push_screen(ConfirmScreen(f"Close {self.key}?{also} It cannot be reopened."), callback=answered)

    @work(thread=True, group="quality-detail-write")
    def _close(self) -> None:
        try:
            result = capa_service.close_capa(self.app.service_context(), self.key)
        except Exception as exc:
            message = error_text(exc)
            self.app.call_from_thread(self.say, message, True)
            self.app.call_from_thread(self.app.notify, message, severity="error")
            return
        closed = result.get("closed_ncrs") or []
        self.notice = f"{self.key} closed" + (f"; {', '.join(closed)} closed with it." if closed else ".")
        self.app.call_from_thread(self.reload)


class CapaList(ViewWithTables):
    """CAPAs with due dates, fewest days left first (overdue at the top); Enter opens one."""

    BINDINGS = [Binding("a", "toggle_all", "Open/all")]
    help_text = ("Corrective and preventive actions, the overdue ones first (days_left below zero), with their open "
                 "actions. a shows closed and cancelled CAPAs too. Enter opens a CAPA: its actions and effectiveness.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_only = True

    def compose(self) -> ComposeResult:
        yield Static("", id="capa-summary")
        yield PagedTable(self._page, id="capas", page_size=50)
        yield StatusLine(id="view-status")

    def _page(self, pq: PageQuery):
        return qv.capas_page(self.app.dbs, self.app.user, self.app.clock().date(), pq, open_only=self.open_only)

    def fetch(self) -> dict[str, int]:
        return qv.quality_overview(self.app.dbs, self.app.user, self.app.clock().date())

    def show(self, counts: dict[str, int]) -> None:
        overdue = counts["overdue_capas"]
        self.query_one("#capa-summary", Static).update(Text.assemble(
            f"{counts['open_capas']} open CAPAs · ", (f"{overdue} overdue", "bold red" if overdue else "green"),
            f" · {counts['open_actions']} open actions"))
        self.query_one("#capas", PagedTable).reload()
        self.say(("Open CAPAs" if self.open_only else "All CAPAs") + " · overdue first · Enter opens one · a open/all")

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        if event.table.id != "capas":
            return
        event.stop()
        self.app.push_screen(CapaDetailScreen(event.key))

    def action_toggle_all(self) -> None:
        self.open_only = not self.open_only
        table = self.query_one("#capas", PagedTable)
        table.reload(table.query_state.first())
        self.refresh_view()


# -- quality.spc ---------------------------------------------------------------------------------------

class SpcChart(PlotextPlot):
    """An SPC chart: the plotted statistic, centre line and control limits, and the points that break
    a run rule drawn again with their own marker and colour. (Spec limits are listed beside, not drawn:
    far outside the control limits they would squeeze the points into a few rows.)"""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.title = ""
        self.values: list[float] = []
        self.flagged: list[int] = []
        self.lines: dict[str, float] = {}

    def show_chart(self, title: str, values: list[float], flags: list[list[str]], lines: dict[str, float]) -> None:
        self.title, self.values, self.lines = title, values, lines
        self.flagged = [i for i, f in enumerate(flags) if f]
        self.draw()

    def draw(self) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.title(self.title)
        if not self.values:
            plt.text("no data points", x=0.5, y=0.5, alignment="center")
            self.refresh()
            return
        xs = list(range(1, len(self.values) + 1))
        ends = [xs[0], xs[-1]] if len(xs) > 1 else [0, 2]
        colours = {"UCL": "red", "LCL": "red", "CL": "green"}
        for name, value in self.lines.items():
            plt.plot(ends, [value, value], label=name, color=colours.get(name, "white"), marker="braille")
        plt.plot(xs, self.values, label="value", color="cyan", marker="dot")
        if self.flagged:
            plt.scatter([xs[i] for i in self.flagged], [self.values[i] for i in self.flagged], label="rule broken",
                        color="red+", marker="x")
        plt.xlabel("point")
        self.refresh()


class SpcView(ViewWithTables):
    """SPC charts; Enter draws one with its limits, flagged points, rules broken and Cp/Cpk."""

    DEFAULT_CSS = """
    SpcView #charts { height: 10; }
    SpcView #spc-body { height: 1fr; }
    SpcView #spc-chart { width: 1fr; }
    SpcView #spc-side { width: 40; padding: 0 1; border-left: solid $panel; }
    """
    BINDINGS = [Binding("r", "next_rules", "Rule set")]
    help_text = ("SPC charts, out of control first. Enter draws the chart: the centre line and control limits "
                 "(UCL/LCL), the points breaking a run rule marked x in red, the rules broken listed beside with "
                 "Cp/Cpk (the SPC service's arithmetic on the newest 200 points). r switches Nelson / Western Electric / "
                 "both rule sets.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chart_id: str | None = None
        self.rule_set = "nelson"
        self.chart_data: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield PagedTable(self._page, id="charts", page_size=50)
        with Horizontal(id="spc-body"):
            yield SpcChart(id="spc-chart")
            yield Static("", id="spc-side")
        yield StatusLine(id="view-status")

    def _page(self, pq: PageQuery):
        return qv.spc_charts_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> dict[str, Any]:
        if self.chart_id is None:
            return {"overview": qv.quality_overview(self.app.dbs, self.app.user, self.app.clock().date())}
        return qv.spc_chart(self.app.dbs, self.app.user, self.chart_id, rule_set=self.rule_set)

    def show(self, data: dict[str, Any]) -> None:
        if "overview" in data:
            counts = data["overview"]
            self.query_one("#charts", PagedTable).reload()
            self.say(f"{counts['charts_out_of_control']} of {counts['charts']} charts out of control · "
                     "Enter draws the selected chart · r rule set")
            return
        if data["chart"]["chart_id"] != self.chart_id:
            return
        self.chart_data = data
        chart, limits, cap = data["chart"], data["limits"], data["capability"]
        lines: dict[str, float] = {}
        if limits is not None:
            lines.update(UCL=limits.ucl, CL=limits.center_line, LCL=limits.lcl)
        title = (f"{chart['chart_id']} {chart['process_name'] or ''} · {chart['characteristic_name'] or ''} "
                 f"({chart['chart_type']}, {chart['unit_of_measure'] or ''})")
        self.query_one("#spc-chart", SpcChart).show_chart(
            title, [float(p["measurement_value"]) for p in data["points"]], data["flags"], lines)
        self.query_one("#spc-side", Static).update(self._side(data))
        status = "out of control" if data["flagged"] else "in control"
        self.say(f"{chart['chart_id']}: {len(data['points'])} points, {data['flagged']} flagged ({status}) · "
                 f"rules {self.rule_set} · r rule set")

    def _side(self, data: dict[str, Any]) -> Text:
        limits, cap = data["limits"], data["capability"]
        out = Text()
        out.append("Limits\n", style="bold underline")
        if limits is None:
            out.append((data["problem"] or "no limits") + "\n", style="bold red")
        else:
            for name, value in (("UCL", limits.ucl), ("CL", limits.center_line), ("LCL", limits.lcl)):
                out.append(f"{name:<4}{value:.4f}\n")
        chart = data["chart"]
        if chart.get("upper_spec_limit") is not None or chart.get("lower_spec_limit") is not None:
            out.append(f"Spec {cell(chart.get('lower_spec_limit'))} .. {cell(chart.get('upper_spec_limit'))}\n")
        out.append("\nCapability\n", style="bold underline")
        if cap is not None:
            for name in ("cp", "cpk", "pp", "ppk"):
                value = getattr(cap, name)
                style = "" if value is None else ("bold red" if value < 1 else ("yellow" if value < 1.33 else "green"))
                out.append(f"{name.capitalize():<4}", style="bold")
                out.append(("—" if value is None else f"{value:.3f}") + "\n", style=style)
        out.append(f"\nRules broken ({self.rule_set})\n", style="bold underline")
        if not data["rules_broken"]:
            out.append("none: in control\n", style="green")
        for rule in data["rules_broken"]:
            out.append(f"{rule['rule']} ", style="bold red")
            out.append(f"×{rule['points']} {rule['description']}\n")
        return out

    @on(PagedTable.PageShown)
    def _first_chart(self, event: PagedTable.PageShown) -> None:
        if event.table.id != "charts":
            return
        if self.chart_id is None and event.page.keys:
            self.chart_id = event.page.keys[0]
            self.refresh_view()

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        if event.table.id != "charts":
            return
        event.stop()
        self.chart_id = event.key
        self.say(f"Drawing {event.key} ...")
        self.refresh_view()

    def action_next_rules(self) -> None:
        self.rule_set = RULE_SETS[(RULE_SETS.index(self.rule_set) + 1) % len(RULE_SETS)]
        self.refresh_view()


# -- quality.calibration ---------------------------------------------------------------------------------

class CalibrationView(ViewWithTables):
    """Measuring equipment that is locked out, overdue or due soon; `u` records a calibration."""

    BINDINGS = [Binding("u", "record_calibration", "Calibrate/unlock"), Binding("a", "toggle_all", "Due/all")]
    help_text = ("Measuring equipment by calibration state: locked_out, overdue, due within 7 or 30 days (a shows all). "
                 "u records a calibration of the selected equipment: a pass puts it back in service with its next due "
                 "date (locked-out equipment needs calibration.unlock); a fail locks it out.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attention_only = True

    def compose(self) -> ComposeResult:
        yield Static("", id="cal-summary")
        yield PagedTable(self._page, id="equipment", page_size=50)
        yield StatusLine(id="view-status")

    def _page(self, pq: PageQuery):
        return qv.calibration_page(self.app.dbs, self.app.user, self.app.clock().date(), pq,
                                   attention_only=self.attention_only)

    def fetch(self) -> dict[str, int]:
        return qv.calibration_summary(self.app.dbs, self.app.user, self.app.clock().date())

    notice: str | None = None

    def show(self, counts: dict[str, int]) -> None:
        summary = Text()
        for state, style in (("locked_out", "bold red"), ("overdue", "bold red"), ("due_7_days", "yellow"),
                             ("due_30_days", ""), ("ok", "green")):
            summary.append(f"{state.replace('_', ' ')} ", style="bold")
            summary.append(f"{counts.get(state, 0)}   ", style=style if counts.get(state) else "dim")
        self.query_one("#cal-summary", Static).update(summary)
        self.query_one("#equipment", PagedTable).reload()
        text = ("Due, overdue and locked out" if self.attention_only else "All equipment") + " · a due/all"
        if may_write(self.app.user):
            text += " · u record a calibration"
        self.say(f"{self.notice} · {text}" if self.notice else text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "record_calibration":
            return may_write(self.app.user)
        return True

    def action_toggle_all(self) -> None:
        self.attention_only = not self.attention_only
        table = self.query_one("#equipment", PagedTable)
        table.reload(table.query_state.first())
        self.refresh_view()

    def action_record_calibration(self) -> None:
        current = self.query_one("#equipment", PagedTable).current_row()
        if current is None:
            self.say("Select the equipment first.", error=True)
            return
        key, row = current
        locked = row.get("state") == "locked_out"
        intro = f"{key} {row.get('name') or ''}: {row.get('state')}, due {cell(row.get('due'))}."
        if locked:
            intro += " It is locked out: a pass puts it back in service, which needs calibration.unlock" + (
                "." if has(self.app.user, "calibration.unlock") else " (your roles do not have it).")
        fields = [
            Field("calibration_date", "Calibration date", kind="date", required=True,
                  default=self.app.clock().date().isoformat()),
            Field("result", "Result", kind="choice", required=True, default="pass",
                  choices=[(r, r) for r in calibration_service.RESULTS]),
            Field("calibrated_by", "Calibrated by (employee id)", max_length=50),
            Field("calibration_lab", "Calibration lab", max_length=200),
            Field("certificate_number", "Certificate number", max_length=100),
            Field("calibration_cost", "Cost", kind="decimal", minimum=Decimal(0)),
            Field("notes", "Notes", max_length=4000),
        ]
        form = FormScreen(f"Record a calibration of {key}", fields,
                          lambda ctx, v: calibration_service.record_calibration(ctx, key, **given(v)),
                          intro=intro, submit_label="Record calibration")

        def done(result: dict[str, Any] | None) -> None:
            if result:
                self.notice = (f"{key}: calibration {result['calibration_id']} {result['calibration_result']}; "
                               f"{'locked out' if result['locked_out'] else 'in service'}"
                               + (f", next due {cell(result['next_due_date'])}" if result["next_due_date"] else "") + ".")
                self.app.notify(self.notice)
                self.refresh_view()
        self.app.push_screen(form, callback=done)


# -- quality.complaints ----------------------------------------------------------------------------------

EIGHT_D_LABELS = {"D0": "D0 prepare", "D1": "D1 team", "D2": "D2 describe the problem", "D3": "D3 contain",
                  "D4": "D4 root cause", "D5": "D5 permanent corrective actions", "D6": "D6 implement and verify",
                  "D7": "D7 prevent recurrence", "D8": "D8 recognise the team, close"}


def eight_d_field(name: str, kind: str, required: bool) -> Field:
    label = name.replace("_", " ").capitalize()
    if kind == "bool":
        return Field(name, label, kind="bool")
    if kind == "date":
        return Field(name, label, kind="date", required=required)
    if kind == "method":
        return Field(name, label, kind="choice", choices=METHOD_CHOICES, required=required, default="")
    if kind == "list":
        return Field(name, label + " (comma separated ids)", required=required, max_length=1000)
    return Field(name, label, required=required, max_length=50 if kind == "id" else 4000)


class ComplaintsView(ViewWithTables):
    """Customer complaints and 8D reports; `e` records the next discipline of the selected 8D."""

    DEFAULT_CSS = """
    ComplaintsView .caption { height: 1; padding: 0 1; text-style: bold; }
    ComplaintsView #complaints { height: 1fr; }
    ComplaintsView #eight-d { height: 1fr; }
    """
    BINDINGS = [Binding("e", "eight_d_step", "Next 8D discipline")]
    help_text = ("Customer complaints (newest first) and 8D reports (open first). e records the next discipline "
                 "D0..D8 of the selected 8D report with the fields it requires; D8 closes the report.")

    notice: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Customer complaints", classes="caption")
        yield PagedTable(self._complaints, id="complaints", page_size=50)
        yield Static("8D reports", classes="caption")
        yield PagedTable(self._reports, id="eight-d", page_size=50)
        yield StatusLine(id="view-status")

    def _complaints(self, pq: PageQuery):
        return qv.complaints_page(self.app.dbs, self.app.user, pq)

    def _reports(self, pq: PageQuery):
        return qv.eight_d_page(self.app.dbs, self.app.user, pq)

    def fetch(self) -> dict[str, int]:
        return qv.quality_overview(self.app.dbs, self.app.user, self.app.clock().date())

    def show(self, counts: dict[str, int]) -> None:
        for table in self.query(PagedTable):
            table.reload()
        text = f"{counts['open_complaints']} open complaints · {counts['open_eight_d']} open 8D reports · " + (
            "e: next discipline of the selected 8D report" if may_write(self.app.user) else "8D reports are read-only for you")
        self.say(f"{self.notice} · {text}" if self.notice else text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "eight_d_step":
            return may_write(self.app.user)
        return True

    def action_eight_d_step(self) -> None:
        current = self.query_one("#eight-d", PagedTable).current_row()
        if current is None:
            self.say("Select an 8D report first (the lower table).", error=True)
            return
        self._load_report(current[0])

    @work(thread=True, exclusive=True, group="quality-8d")
    def _load_report(self, eight_d_id: str) -> None:
        try:
            report = qv.eight_d_detail(self.app.dbs, self.app.user, eight_d_id)
        except Exception as exc:
            self.app.call_from_thread(self.say, error_text(exc), True)
            return
        self.app.call_from_thread(self._step_form, report)

    def _step_form(self, report: dict[str, Any]) -> None:
        discipline, eight_d_id = report["next_discipline"], report["eight_d_id"]
        if discipline is None:
            self.say(f"8D {eight_d_id} is {report['eight_d_status']}; nothing more to record.", error=True)
            return
        required = report["next_required"]
        names = sorted(report["next_fields"], key=lambda n: (n not in required, list(report["next_fields"]).index(n)))
        fields = [eight_d_field(n, report["next_fields"][n], n in required) for n in names]
        for f in fields:
            current = report.get(f.name)
            if current not in (None, "", []) and f.kind != "bool":
                f.default = ", ".join(current) if isinstance(current, list) else (
                    current.isoformat() if isinstance(current, dt.date) else str(current))

        def submit(ctx, values: dict[str, Any]):
            return complaints_service.record_eight_d_step(ctx, eight_d_id, discipline, given(values))

        form = FormScreen(f"8D {eight_d_id}: {EIGHT_D_LABELS[discipline]}", fields, submit,
                          intro=f"At {report['eight_d_status']}; {discipline} needs {', '.join(required)}.",
                          submit_label=f"Record {discipline}")

        def done(result: dict[str, Any] | None) -> None:
            if result:
                self.notice = f"8D {eight_d_id}: {discipline} recorded ({result['eight_d_status']})."
                self.app.notify(self.notice)
                self.refresh_view()
        self.app.push_screen(form, callback=done)


class AuditsView(ViewWithTables):
    """Quality audits and their findings (read-only)."""

    DEFAULT_CSS = """
    AuditsView .caption { height: 1; padding: 0 1; text-style: bold; }
    AuditsView #audits { height: 1fr; }
    AuditsView #findings { height: 1fr; }
    """
    help_text = "Quality audits (latest first) and findings (earliest target first); Enter on an audit shows its findings."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Audits", classes="caption")
        yield PagedTable(self._audits, id="audits", page_size=50)
        yield Static("Findings", classes="caption", id="findings-caption")
        yield PagedTable(self._findings, id="findings", page_size=50)
        yield StatusLine(id="view-status")

    def _audits(self, pq: PageQuery):
        return qv.audits_page(self.app.dbs, self.app.user, pq)

    def _findings(self, pq: PageQuery):
        return qv.findings_page(self.app.dbs, self.app.user, pq, self.audit_id)

    def fetch(self) -> dict[str, int]:
        return qv.quality_overview(self.app.dbs, self.app.user, self.app.clock().date())

    def show(self, counts: dict[str, int]) -> None:
        for table in self.query(PagedTable):
            table.reload()
        self.say(f"{counts['open_findings']} open findings · Enter on an audit: its findings only")

    @on(PagedTable.RowOpened)
    def _open(self, event: PagedTable.RowOpened) -> None:
        if event.table.id != "audits":
            return
        event.stop()
        self.audit_id = None if self.audit_id == event.key else event.key
        self.query_one("#findings-caption", Static).update(
            f"Findings of {self.audit_id} (Enter on it again: all)" if self.audit_id else "Findings")
        findings = self.query_one("#findings", PagedTable)
        findings.reload(findings.query_state.first())


def _reads_quality(user: ActingUser) -> bool:
    return user.can(QMS, "read")


register_view(View(name="quality.ncrs", title="NCRs", workspace="quality", factory=NcrList,
                   description="non-conformance reports: filter, raise (by hand or from a failed inspection), walk to closed",
                   allowed=_reads_quality, order=10))
register_view(View(name="quality.capas", title="CAPAs", workspace="quality", factory=CapaList,
                   description="corrective and preventive actions, overdue first: actions and effectiveness",
                   allowed=_reads_quality, order=20))
register_view(View(name="quality.spc", title="SPC", workspace="quality", factory=SpcView,
                   description="SPC charts: limits, flagged points, rules broken, Cp/Cpk", allowed=_reads_quality,
                   order=30))
register_view(View(name="quality.calibration", title="Calibration", workspace="quality", factory=CalibrationView,
                   description="measuring equipment due, overdue and locked out; record a calibration",
                   allowed=_reads_quality, order=40))
register_view(View(name="quality.complaints", title="Complaints", workspace="quality", factory=ComplaintsView,
                   description="customer complaints and 8D reports (record the next discipline)",
                   allowed=_reads_quality, order=50))
register_view(View(name="quality.audits", title="Audits", workspace="quality", factory=AuditsView,
                   description="quality audits and their findings", allowed=_reads_quality, order=60))
