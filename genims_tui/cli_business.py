"""`genims invoices ...` and `genims gl ...`: the procure-to-pay and finance services from the command line.

The command line acts as the local operator (`cli_user()`), recorded in the audit trail as
`cli:<login name>`. Business errors (a closed period, a bad period) are one line on stderr and exit 2.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console()
err = Console(stderr=True, soft_wrap=True)

invoices_app = typer.Typer(help="Supplier invoices: the 3-way match.", no_args_is_help=True)
gl_app = typer.Typer(help="The general ledger: trial balance.", no_args_is_help=True)

JSON_OPTION = typer.Option("--json", help="Print one JSON document.")


def _context(dbs):
    from .backend.access import cli_user
    from .backend.services.base import ServiceContext

    return ServiceContext(dbs, cli_user())


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    app.add_typer(invoices_app, name="invoices")
    app.add_typer(gl_app, name="gl")

    @invoices_app.command("match")
    def invoices_match(
        limit: Annotated[int | None, typer.Option("--limit", help="Match at most N pending invoices.")] = None,
        as_json: Annotated[bool, JSON_OPTION] = False,
    ) -> None:
        """3-way match pending supplier invoices (PO x receipt x invoice, 2 % price tolerance)."""
        from .backend.services import procurement

        dbs = open_dbs()
        try:
            result = procurement.match_invoices(_context(dbs), limit=limit)
        finally:
            dbs.dispose()
        if as_json:
            emit_json(result)
            return
        table = Table(title=f"3-way match: {result['checked']} invoice(s)")
        for col in ("invoice", "result", "reasons"):
            table.add_column(col)
        for row in result["invoices"]:
            table.add_row(row["invoice_id"], row["result"], ", ".join(row["reasons"]))
        out.print(table)
        posting = result["posting"]
        err.print(f"matched {result['matched']}, within tolerance {result['within_tolerance']}, "
                  f"exceptions {result['exception']}; posted {len(posting['posted'])} to accounts payable"
                  + (f", {len(posting['errors'])} not posted" if posting["errors"] else ""))
        for problem in posting["errors"]:
            err.print(f"not posted: {problem}", highlight=False)

    @gl_app.command("trial-balance")
    def gl_trial_balance(
        period: Annotated[str | None, typer.Option("--period", help="Fiscal period YYYY-MM (default: everything).")] = None,
        cumulative: Annotated[bool, typer.Option("--cumulative", help="Through the end of --period, not only its activity.")] = False,
        as_json: Annotated[bool, JSON_OPTION] = False,
    ) -> None:
        """Debits, credits and balance (debit - credit) per account; the totals balance to 0."""
        from .backend.services import finance

        year = month = None
        if period is not None:
            year, month = finance.parse_period(period)
        dbs = open_dbs()
        try:
            tb = finance.trial_balance(_context(dbs), year, month, cumulative=cumulative)
        finally:
            dbs.dispose()
        if as_json:
            emit_json(tb)
            return
        table = Table(title=f"Trial balance: {tb['scope']}")
        for col in ("account", "name", "debit", "credit", "balance"):
            table.add_column(col, justify="right" if col in ("debit", "credit", "balance") else "left")
        for row in tb["accounts"]:
            table.add_row(row["account_code"] or row["account_id"], row["account_name"] or "", f"{row['debit']:,.2f}",
                          f"{row['credit']:,.2f}", f"{row['balance']:,.2f}")
        table.add_row("", "total", f"{tb['total_debit']:,.2f}", f"{tb['total_credit']:,.2f}", f"{tb['total_balance']:,.2f}")
        out.print(table)
