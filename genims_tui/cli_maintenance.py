"""`genims maintenance ...`: maintenance work orders, PM generation, corrective work orders from
faults, technician assignment, spare part issues and reliability from the command line.

The command line acts as the local operator (`cli:<login name>` in the audit trail). Every command
goes through the maintenance services, so it is refused exactly where a person would be.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .backend.errors import ConfigError

out = Console()
err = Console(stderr=True, soft_wrap=True)

maintenance_app = typer.Typer(help="Maintenance (CMMS): work orders, PM, faults, parts, reliability.",
                              no_args_is_help=True)
wo_app = typer.Typer(help="Maintenance work orders and their lifecycle.", no_args_is_help=True)
maintenance_app.add_typer(wo_app, name="wo")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _fields(pairs: list[str] | None) -> dict[str, str]:
    fields: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--field {pair!r} is not key=value.", "E.g. --field estimated_duration_hours=4")
        fields[key.strip()] = value
    return fields


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option} {value!r} is not a date.", "Use e.g. 2026-11-20.") from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    app.add_typer(maintenance_app, name="maintenance")

    def context():
        from .backend.access import cli_user
        from .backend.services.base import ServiceContext

        return ServiceContext(open_dbs(), cli_user())

    def run(call):
        ctx = context()
        try:
            return call(ctx)
        finally:
            ctx.dbs.dispose()

    @wo_app.command("list")
    def wo_list(
        status: Annotated[str | None, typer.Option("--status", help="Only work orders in this state.")] = None,
        asset: Annotated[str | None, typer.Option("--asset", help="Only this asset's work orders.")] = None,
        limit: Annotated[int, typer.Option("--limit", help="Most work orders to show (newest first).")] = 200,
        as_json: JsonOpt = False,
    ) -> None:
        """Work orders, newest first, with the states each may move to next."""
        from .backend.services.maintenance import list_work_orders

        rows = run(lambda ctx: list_work_orders(ctx, status=status, asset_id=asset, limit=limit))
        if as_json:
            emit_json({"work_orders": rows})
            return
        table = Table(title="Maintenance work orders")
        for col in ("work order", "asset", "type", "priority", "status", "technician", "scheduled", "next"):
            table.add_column(col, no_wrap=col in ("work order", "status"))
        for r in rows:
            table.add_row(r["work_order_id"], r["asset_id"] or "", r["wo_type"] or "", r["priority"] or "",
                          r["wo_status"] or "", r["assigned_to"] or "", _text(r["scheduled_start_date"]),
                          ", ".join(r["allowed_next"]))
        out.print(table)
        err.print(f"{len(rows)} work order(s)", highlight=False)

    @wo_app.command("transition")
    def wo_transition(
        work_order_id: Annotated[str, typer.Argument(help="The work order, e.g. MWO-000123.")],
        state: Annotated[str, typer.Argument(help="The state to move to (planned, scheduled, assigned, "
                                                  "in_progress, completed, closed, cancelled).")],
        field: Annotated[list[str] | None, typer.Option("--field", "-f", help="key=value to set with the step (repeat).")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Move a work order one step along its lifecycle, checking the step's fields and permission."""
        from .backend.services.maintenance import transition_work_order

        fields = _fields(field)
        result = run(lambda ctx: transition_work_order(ctx, work_order_id, state, fields))
        if as_json:
            emit_json({"work_order": result})
            return
        err.print(f"{result['work_order_id']} is now {result['wo_status']}.", highlight=False)

    @wo_app.command("assign")
    def wo_assign(
        work_order_id: Annotated[list[str] | None, typer.Argument(help="Work orders (default: every scheduled, unassigned one).")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Assign scheduled, unassigned work orders to the available technicians with the fewest open ones."""
        from .backend.services.maintenance import assign_technicians

        result = run(lambda ctx: assign_technicians(ctx, work_order_id or None))
        if as_json:
            emit_json(result)
            return
        for a in result["assigned"]:
            out.print(f"{a['work_order_id']} -> {a['technician_id']}", highlight=False)
        err.print(f"Assigned {len(result['assigned'])} work order(s).", highlight=False)

    @maintenance_app.command("issue-part")
    def issue_part_cmd(
        work_order_id: Annotated[str, typer.Argument(help="The work order.")],
        part: Annotated[str, typer.Argument(help="The MRO part id.")],
        quantity: Annotated[str, typer.Argument(help="How many (in the part's unit).")],
        technician: Annotated[str | None, typer.Option("--technician", help="Issued to (default: the assignee).")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Issue spare parts to a work order: stock goes down, the parts cost goes onto the work order."""
        from .backend.services.maintenance import issue_part

        result = run(lambda ctx: issue_part(ctx, work_order_id, part, quantity, technician_id=technician))
        if as_json:
            emit_json(result)
            return
        err.print(f"Issued {result['quantity']} of {part} to {work_order_id} ({result['transaction_id']}); "
                  f"stock now {result['stock_after']}.", highlight=False)

    @maintenance_app.command("pm-generate")
    def pm_generate(
        today: Annotated[str | None, typer.Option("--today", help="Generate as of this date (default: today, UTC).")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Create the preventive work orders due within their lead time (a rerun creates nothing)."""
        from .backend.services.maintenance_planning import generate_pm_work_orders

        day = _date(today, "--today")
        result = run(lambda ctx: generate_pm_work_orders(ctx, today=day))
        if as_json:
            emit_json(result)
            return
        for c in result["created"]:
            out.print(f"{c['work_order_id']}  {c['pm_schedule_id']}  due {c['due']}  {c['asset_id']}", highlight=False)
        err.print(f"Created {len(result['created'])} preventive work order(s); {result['schedules_advanced']} "
                  f"schedule(s) moved on; {len(result['skipped'])} skipped.", highlight=False)

    @maintenance_app.command("faults-to-wo")
    def faults_to_wo(as_json: JsonOpt = False) -> None:
        """Create a corrective work order for every unresolved critical or major machine fault without one."""
        from .backend.services.maintenance_planning import create_corrective_work_orders

        result = run(create_corrective_work_orders)
        if as_json:
            emit_json(result)
            return
        for c in result["created"]:
            out.print(f"{c['work_order_id']}  fault {c['fault_id']}  {c['severity']}  {c['asset_id']}", highlight=False)
        err.print(f"Created {len(result['created'])} corrective work order(s) for {result['faults_open']} open "
                  f"fault(s); {len(result['skipped'])} skipped.", highlight=False)

    @maintenance_app.command("reliability")
    def reliability(
        asset: Annotated[str | None, typer.Option("--asset", help="Only this asset.")] = None,
        start: Annotated[str | None, typer.Option("--from", help="Period start (default: previous month).")] = None,
        end: Annotated[str | None, typer.Option("--to", help="Period end, inclusive.")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """MTBF and MTTR per asset over a period, written to asset_reliability_metrics."""
        from .backend.services.maintenance_planning import compute_reliability

        lo, hi = _date(start, "--from"), _date(end, "--to")
        rows = run(lambda ctx: compute_reliability(ctx, lo, hi, asset_id=asset))
        if as_json:
            emit_json({"metrics": rows})
            return
        table = Table(title="Asset reliability")
        for col in ("asset", "period", "failures", "MTBF h", "MTTR h", "availability %"):
            table.add_column(col, justify="left" if col in ("asset", "period") else "right",
                             no_wrap=col in ("asset", "period"))
        for r in rows:
            table.add_row(r["asset_id"], f"{r['period_start']}..{r['period_end']}", str(r["number_of_failures"]),
                          _text(r["mtbf_hours"]) or "-", _text(r["mttr_hours"]) or "-", _text(r["availability_pct"]))
        out.print(table)
