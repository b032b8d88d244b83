"""`genims ncr ...` and `genims spc ...`: the NCR workflow and SPC checks from the command line.

The command line acts as the local operator (`cli_user()`), recorded in the audit trail as
`cli:<login name>`. Refusals (an illegal transition, a missing field) are one line on stderr and
exit code 2; `spc check` exits 1 when the chart is out of control.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .backend.errors import ConfigError

out = Console()
err = Console(stderr=True, soft_wrap=True)

ncr_app = typer.Typer(help="Non-conformance reports: list, show, move through the workflow.", no_args_is_help=True)
spc_app = typer.Typer(help="SPC charts: recompute limits and check the run rules.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _parse_fields(items: list[str] | None) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--field {item!r} is not key=value.", "E.g. --field containment_action='Quarantine lot 42'.")
        fields[key.strip()] = value
    return fields


def _text(value: Any) -> Text:
    """A table cell as plain text (never Rich markup: a '[x]' in a description stays as typed)."""
    return Text("" if value is None else str(value))


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    app.add_typer(ncr_app, name="ncr")
    app.add_typer(spc_app, name="spc")

    def context():
        from .backend.access import cli_user
        from .backend.services.base import ServiceContext

        dbs = open_dbs()
        dbs.create(["genims_console_db"])
        return dbs, ServiceContext(dbs, cli_user())

    @ncr_app.command("list")
    def ncr_list(
        status: Annotated[str | None, typer.Option("--status", help="Only NCRs in this state.")] = None,
        limit: Annotated[int, typer.Option("--limit", help="Most NCRs to show.")] = 200,
        as_json: JsonOpt = False,
    ) -> None:
        """NCRs, newest first."""
        from .backend.services.ncr import list_ncrs

        if limit < 1:
            raise ConfigError("--limit must be 1 or more.")
        dbs, ctx = context()
        try:
            rows = list_ncrs(ctx, status=status, limit=limit)
        finally:
            dbs.dispose()
        if as_json:
            emit_json({"ncrs": rows, "count": len(rows)})
            return
        table = Table(title=f"NCRs{f' ({status})' if status else ''}")
        table.add_column("NCR", no_wrap=True, min_width=10)
        for col in ("status", "detected", "source", "defect", "severity", "qty", "total cost"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(_text(r["ncr_id"]), _text(r["ncr_status"]), _text(r["detected_date"]),
                          _text(f"{r['source_type'] or ''} {r['source_document_id'] or ''}".strip()), _text(r["defect_type"]),
                          _text(r["defect_severity"]), _text(r["quantity_defective"]), _text(r["total_cost"]))
        out.print(table)

    @ncr_app.command("show")
    def ncr_show(ncr_id: Annotated[str, typer.Argument(help="The NCR id, e.g. NCR-000012.")], as_json: JsonOpt = False) -> None:
        """One NCR with its defect details, CAPAs and the states it may move to."""
        from .backend.services.ncr import get_ncr

        dbs, ctx = context()
        try:
            ncr = get_ncr(ctx, ncr_id)
        finally:
            dbs.dispose()
        if as_json:
            emit_json({"ncr": ncr})
            return
        table = Table(title=f"{ncr['ncr_id']}: {ncr['ncr_status']}", show_header=False)
        table.add_column("field")
        table.add_column("value")
        for key, value in ncr.items():
            if key in ("defect_details", "capas", "allowed_next") or value in (None, "", []):
                continue
            table.add_row(key, _text(value))
        table.add_row("allowed next", _text(", ".join(ncr["allowed_next"]) or "none"))
        out.print(table)
        for capa in ncr["capas"]:
            out.print(f"CAPA {capa['capa_id']} ({capa['capa_status']}), {len(capa['actions'])} action(s)", markup=False,
                      highlight=False)

    @ncr_app.command("transition")
    def ncr_transition(
        ncr_id: Annotated[str, typer.Argument(help="The NCR id.")],
        state: Annotated[str, typer.Argument(help="The state to move to.")],
        field: Annotated[list[str] | None, typer.Option("--field", "-f", help="key=value to record (repeat).")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Move an NCR to its next state, recording the fields that state needs."""
        from .backend.services.ncr import transition_ncr

        fields = _parse_fields(field)
        dbs, ctx = context()
        try:
            ncr = transition_ncr(ctx, ncr_id, state, fields)
        finally:
            dbs.dispose()
        if as_json:
            emit_json({"ncr": ncr})
            return
        nxt = ", ".join(ncr["allowed_next"]) or "none"
        extra = f"; CAPA {ncr['capa_id']}" if ncr.get("capa_id") else ""
        err.print(f"{ncr_id} is now {ncr['ncr_status']}{extra} (next: {nxt}).", markup=False, highlight=False)

    @spc_app.command("check")
    def spc_check(
        chart_id: Annotated[str, typer.Argument(help="The chart id.")],
        rules: Annotated[str, typer.Option("--rules", help="nelson, western_electric or both.")] = "nelson",
        baseline: Annotated[int | None, typer.Option("--baseline", help="Compute limits from the first N points.")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Recompute a chart's limits and capability, flag run-rule violations; exit 1 when out of control."""
        from .backend.services.spc import recompute_chart

        dbs, ctx = context()
        try:
            result = recompute_chart(ctx, chart_id, rule_set=rules, baseline=baseline)
        finally:
            dbs.dispose()
        if as_json:
            emit_json({"chart": result})
        else:
            for line in (f"{chart_id} ({result['chart_type']}, {result['points']} points, rules {rules}): {result['chart_status']}",
                         f"UCL {result['upper_control_limit']}  CL {result['center_line']}  LCL {result['lower_control_limit']}",
                         f"Cp {result['cp']}  Cpk {result['cpk']}  Pp {result['pp']}  Ppk {result['ppk']}"):
                out.print(line, markup=False, highlight=False)
            if result["violations"]:
                table = Table(title="Violations")
                table.add_column("point", no_wrap=True)
                for col in ("subgroup", "value", "rules"):
                    table.add_column(col, overflow="fold")
                for v in result["violations"]:
                    table.add_row(_text(v["data_point_id"]), _text(v["subgroup_number"]), _text(v["measurement_value"]),
                                  _text(", ".join(v["rules"])))
                out.print(table)
        if result["chart_status"] == "out_of_control":
            raise typer.Exit(1)
