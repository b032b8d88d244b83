"""`genims mrp run`: material requirements planning from the command line.

The command line acts as the local operator (`cli_user()`), recorded in the audit trail as
`cli:<login name>`. Business errors (a bad horizon, an unknown plant, a BOM cycle) are one line on
stderr and exit 2.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console()
err = Console(stderr=True, soft_wrap=True)

mrp_app = typer.Typer(help="Material requirements planning.", no_args_is_help=True)


def _context(dbs):
    from .backend.access import cli_user
    from .backend.services.base import ServiceContext

    return ServiceContext(dbs, cli_user())


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    app.add_typer(mrp_app, name="mrp")

    @mrp_app.command("run")
    def mrp_run(
        horizon: Annotated[int, typer.Option("--horizon", help="Planning horizon in days (daily buckets).")] = 90,
        plant: Annotated[str | None, typer.Option("--plant", help="Plan one plant (default: every plant).")] = None,
        create_orders: Annotated[bool, typer.Option("--create-orders", help="Turn planned orders into requisitions "
                                                    "(buy) and production orders (make).")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    ) -> None:
        """Run MRP: net demand against stock and supply level by level; replaces the last run's open proposals."""
        from .backend.services import mrp

        dbs = open_dbs()
        try:
            result = mrp.run_mrp(_context(dbs), horizon, plant, create_orders=create_orders)
        finally:
            dbs.dispose()
        doc = result.as_dict()
        if as_json:
            emit_json(doc)
            return
        table = Table(title=f"MRP run {result.mrp_run_id} ({result.planning_date}, {result.horizon_days} days"
                      f"{', plant ' + result.plant_id if result.plant_id else ''})")
        table.add_column("figure")
        table.add_column("value", justify="right")
        rows = [("materials planned", result.materials_planned), ("planned orders", result.planned_orders),
                ("exception messages", result.exceptions), ("elements written", result.elements)]
        rows += [(f"replaced {k.replace('_', ' ')}", v) for k, v in result.replaced.items()]
        if result.conversion:
            rows += [("production orders created", result.conversion["production_orders"]),
                     ("requisitions created", len(result.conversion["requisitions"])),
                     ("requisition lines", result.conversion["requisition_lines"]),
                     ("skipped (blocked material)", len(result.conversion["skipped_blocked"]))]
        for name, value in rows:
            table.add_row(name, str(value))
        out.print(table)
        err.print(f"MRP run {result.mrp_run_id} complete.", highlight=False)
