"""`genims inventory ...`: the ERP <-> WMS inventory sync and reconciliation from the command line.

    genims inventory sync [--limit N] [--json]      process due sync queue items once
    genims inventory reconcile [--json]             ERP vs WMS stock per material and plant
    genims inventory dead-letters [--json]          queue items that gave up
    genims inventory requeue QUEUE_ID               put a dead letter back in the queue

Exit codes follow the project convention: 0 all well, 1 when a check finds a problem (`reconcile`
finding major variances, `sync` leaving new dead letters), 2 for a usage or environment error
(unknown queue id, refused action: one `error:` line, no traceback).

The command line acts as the local operator (`cli:<login name>` in the audit trail).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console()

inventory_app = typer.Typer(help="ERP <-> WMS inventory: sync queue, dead letters, reconciliation.",
                            no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
SYNC_DBS = ["genims_erp_db", "genims_wms_db", "genims_erp_wms_sync_db", "genims_console_db"]


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    app.add_typer(inventory_app, name="inventory")

    def run(call):
        from .backend.access import cli_user
        from .backend.services.base import ServiceContext

        dbs = open_dbs()
        try:
            dbs.create(SYNC_DBS)
            return call(ServiceContext(dbs, cli_user()))
        finally:
            dbs.dispose()

    @inventory_app.command("sync")
    def sync(limit: Annotated[int, typer.Option("--limit", help="Most queue items to process.")] = 500,
             as_json: JsonOpt = False) -> None:
        """Queue new ERP movements, then process the due items of the ERP <-> WMS sync queue once
        (retries with backoff, dead letters)."""
        from .backend.services.inventory_sync import process_sync_queue, sweep_erp_movements

        def sync_once(ctx):
            queued = sweep_erp_movements(ctx, limit)
            return {"erp_movements_queued": queued, **process_sync_queue(ctx, limit).as_dict()}

        result = run(sync_once)
        if as_json:
            emit_json({"sync": result})
        else:
            out.print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.items()))
        if result["dead_lettered"]:
            raise typer.Exit(1)

    @inventory_app.command("reconcile")
    def reconcile(as_json: JsonOpt = False) -> None:
        """Compare ERP and WMS stock per material and plant: matched < 0.1 %, minor 0.1-2 %, major > 2 % (exit 1)."""
        from .backend.services.inventory_sync import reconcile as run_reconcile

        result = run(run_reconcile)
        if as_json:
            emit_json({"reconciliation": result})
        else:
            out.print(f"compared {result['compared']}: matched {result['matched']}, minor {result['minor']}, "
                      f"major {result['major']} ({', '.join(result['reconciliation_ids']) or 'nothing to compare'})")
        if result["major"]:
            raise typer.Exit(1)

    @inventory_app.command("dead-letters")
    def dead_letters(as_json: JsonOpt = False) -> None:
        """Sync queue items that failed max_retries times."""
        from .backend.services.inventory_sync import dead_letters as list_dead

        rows = run(list_dead)
        if as_json:
            emit_json({"dead_letters": rows})
            return
        table = Table(title="Dead letters")
        for col in ("queue id", "direction", "type", "transaction", "material", "quantity", "retries", "error"):
            table.add_column(col)
        for r in rows:
            table.add_row(r["queue_id"], r["sync_direction"] or "", r["transaction_type"] or "",
                          r["transaction_id"] or "", r["material_id"] or "", str(r["quantity"]),
                          str(r["retry_count"]), r["error_message"] or "")
        out.print(table)

    @inventory_app.command("requeue")
    def requeue(queue_id: Annotated[str, typer.Argument(help="The dead letter's queue id.")],
                as_json: JsonOpt = False) -> None:
        """Put a dead letter back in the queue (status pending, retry count 0)."""
        from .backend.services.inventory_sync import requeue as do_requeue

        result = run(lambda ctx: do_requeue(ctx, queue_id))
        if as_json:
            emit_json({"requeued": result})
        else:
            out.print(f"{queue_id} is pending again.")
