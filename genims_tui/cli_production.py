"""`genims production ...`: release production orders to the MES and confirm work orders to the ERP.

The command line acts as the local operator (`cli:<login name>` in the audit trail). Both commands
go through services/production.py, so a rerun after a crash finishes the work and never repeats it.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from .backend.errors import ConfigError

out = Console()
err = Console(stderr=True, soft_wrap=True)

production_app = typer.Typer(help="Production: release orders to the MES, confirm work orders to the ERP.",
                             no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _materials(pairs: list[str] | None) -> list[dict[str, str]] | None:
    """`MAT-1=4.5` or `MAT-1=4.5@BATCH` -> [{material_id, quantity, batch}]; None means backflush."""
    if not pairs:
        return None
    result = []
    for pair in pairs:
        mid, sep, rest = pair.partition("=")
        qty, _, batch = rest.partition("@")
        if not sep or not mid.strip() or not qty.strip():
            raise ConfigError(f"--material {pair!r} is not MATERIAL=QUANTITY[@BATCH].", "E.g. --material MAT-000001=20")
        result.append({"material_id": mid.strip(), "quantity": qty.strip(), "batch": batch.strip() or None})
    return result


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    app.add_typer(production_app, name="production")

    def run(call):
        from .backend.access import cli_user
        from .backend.services.base import ServiceContext

        ctx = ServiceContext(open_dbs(), cli_user())
        try:
            return call(ctx)
        finally:
            ctx.dbs.dispose()

    @production_app.command("release")
    def release(
        production_order_id: Annotated[str, typer.Argument(help="The production order, e.g. PRD-000123.")],
        as_json: JsonOpt = False,
    ) -> None:
        """Release a created production order: its MES work order and operations, exactly once."""
        from .backend.services.production import release_production_order

        result = run(lambda ctx: release_production_order(ctx, production_order_id))
        if as_json:
            emit_json(result)
            return
        extra = " (finished an interrupted release)" if result["resumed"] else ""
        err.print(f"{result['production_order_id']} released as work order {result['work_order_id']}{extra}.",
                  highlight=False)

    @production_app.command("confirm")
    def confirm(
        work_order_id: Annotated[str, typer.Argument(help="The MES work order, e.g. WO-000123.")],
        good: Annotated[str, typer.Option("--good", help="Good units.")],
        rejected: Annotated[str, typer.Option("--rejected", help="Rejected units.")] = "0",
        scrap: Annotated[str, typer.Option("--scrap", help="Scrapped units.")] = "0",
        rework: Annotated[str, typer.Option("--rework", help="Reworked units (among the good ones).")] = "0",
        labour_hours: Annotated[str, typer.Option("--labour-hours", help="Labour hours booked.")] = "0",
        material: Annotated[list[str] | None, typer.Option(
            "--material", "-m", help="Consumed MATERIAL=QUANTITY[@BATCH] (repeat); default: backflush by the BOM.")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Confirm a work order: stock, actual cost, variance and GL in the ERP, exactly once."""
        from .backend.services.production import confirm_work_order

        mats = _materials(material)
        result = run(lambda ctx: confirm_work_order(ctx, work_order_id, good=good, rejected=rejected, scrap=scrap,
                                                    rework=rework, materials=mats, labour_hours=labour_hours))
        if as_json:
            emit_json(result)
            return
        if not result.get("applied", True):
            err.print(f"{work_order_id} was confirmed already; nothing changed.", highlight=False)
            return
        out.print(f"{result['work_order_id']} -> {result['production_order_id']}: materials {result['materials']}, "
                  f"labour {result['labour']}, actual {result['actual']}, standard {result['standard']}, "
                  f"variance {result['variance']}", highlight=False)
