"""`genims so ...`: sales orders from the command line - create (with ATP and the credit check),
show, deliver, invoice, release a credit hold.

The command line acts as the local operator (`cli_user()`), recorded in the audit trail as
`cli:<login name>`. Business errors (unknown customer, not enough stock, nothing to invoice) are one
line on stderr and exit 2.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .backend.errors import ConfigError

out = Console()
err = Console(stderr=True, soft_wrap=True)

so_app = typer.Typer(help="Sales orders: create with ATP and credit check, deliver, invoice.", no_args_is_help=True)
JSON_OPTION = typer.Option("--json", help="Print one JSON document.")


def _context(dbs):
    from .backend.access import cli_user
    from .backend.services.base import ServiceContext

    return ServiceContext(dbs, cli_user())


def parse_line(text: str) -> dict[str, Any]:
    """MATERIAL:QTY[:DATE] -> {material_id, quantity[, requested_date]}."""
    parts = [p.strip() for p in (text or "").split(":")]
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise ConfigError(f"--line {text!r} is not MATERIAL:QTY[:YYYY-MM-DD].", "Example: --line MAT-000123:10:2026-12-01")
    line: dict[str, Any] = {"material_id": parts[0], "quantity": parts[1]}
    if len(parts) == 3 and parts[2]:
        line["requested_date"] = parts[2]
    return line


def read_order_file(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"There is no order file {path}.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"The order file {path} is not readable JSON: {exc}.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("lines"), list):
        raise ConfigError(f"The order file {path} needs an object with customer_id and a list of lines.",
                          'Example: {"customer_id": "CUST-000001", "lines": [{"material_id": "MAT-000001", "quantity": 10}]}')
    return doc


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    app.add_typer(so_app, name="so")

    @so_app.command("create")
    def so_create(
        customer: Annotated[str | None, typer.Option("--customer", help="Customer id (master data).")] = None,
        line: Annotated[list[str] | None, typer.Option("--line", help="MATERIAL:QTY[:YYYY-MM-DD] (repeat).")] = None,
        file: Annotated[Path | None, typer.Option("--file", help="An order as JSON: {customer_id, lines: [...]}.")] = None,
        customer_po: Annotated[str | None, typer.Option("--customer-po", help="The customer's PO number.")] = None,
        as_json: Annotated[bool, JSON_OPTION] = False,
    ) -> None:
        """Create a sales order: price, tax, ATP per line, credit check (confirmed or on hold)."""
        from .backend.services import sales

        if file is not None:
            if customer or line:
                raise ConfigError("Give either --file or --customer/--line, not both.")
            doc = read_order_file(file)
            customer_id, lines = doc.get("customer_id"), doc["lines"]
            extra = {k: doc[k] for k in ("customer_po_number", "requested_delivery_date", "shipping_instructions") if k in doc}
        else:
            if not customer or not line:
                raise ConfigError("A sales order needs --customer and at least one --line (or --file).",
                                  "Example: genims so create --customer CUST-000001 --line MAT-000001:10")
            customer_id, lines, extra = customer, [parse_line(x) for x in line], {}
        if customer_po:
            extra["customer_po_number"] = customer_po
        dbs = open_dbs()
        try:
            result = sales.create_sales_order(_context(dbs), customer_id, lines, **extra)
        finally:
            dbs.dispose()
        if as_json:
            emit_json(_plain(result))
            return
        _print_lines(result.sales_order_id, [dataclasses.asdict(x) for x in result.lines],
                     ("line_number", "material_id", "quantity", "unit_price", "net_price", "atp_quantity", "atp_date",
                      "confirmed_date", "line_status"))
        err.print(f"{result.sales_order_id}: {result.order_status}, credit check {result.credit_check_status}, "
                  f"total {result.total_value} USD" + (f" ({result.hold_reason})" if result.hold_reason else ""), highlight=False)

    @so_app.command("show")
    def so_show(sales_order_id: Annotated[str, typer.Argument(help="Sales order id.")],
                as_json: Annotated[bool, JSON_OPTION] = False) -> None:
        """A sales order with its lines (quantities ordered, delivered, invoiced; ATP)."""
        from .backend.services import sales

        dbs = open_dbs()
        try:
            so = sales.get_sales_order(_context(dbs), sales_order_id)
        finally:
            dbs.dispose()
        if as_json:
            emit_json(so)
            return
        _print_lines(so["sales_order_id"], so["lines"], ("line_number", "material_id", "order_quantity", "delivered_quantity",
                                                          "invoiced_quantity", "net_price", "atp_date",
                                                          "confirmed_delivery_date", "line_status"))
        err.print(f"{so['sales_order_id']} customer {so['customer_id']}: {so['order_status']}, credit {so['credit_check_status']}, "
                  f"delivery {so['overall_delivery_status']}, billing {so['overall_billing_status']}, total {so['total_value']} USD",
                  highlight=False)

    @so_app.command("deliver")
    def so_deliver(sales_order_id: Annotated[str, typer.Argument(help="Sales order id.")],
                   document: Annotated[str | None, typer.Option("--document", help="Delivery document id (idempotent).")] = None,
                   as_json: Annotated[bool, JSON_OPTION] = False) -> None:
        """Goods issue (601) of the open quantities from ERP stock, and COGS to the GL."""
        from .backend.services import sales

        dbs = open_dbs()
        try:
            result = sales.deliver_sales_order(_context(dbs), sales_order_id, delivery_document=document)
        finally:
            dbs.dispose()
        if as_json:
            emit_json(_plain(result))
            return
        err.print(f"{result.sales_order_id}: delivery {result.delivery_document}, {len(result.movements)} movement(s), "
                  f"COGS {result.cogs} USD" + (f" in {result.journal_entry_id}" if result.journal_entry_id else "")
                  + f"; order {result.order_status}" + (f"; not posted: {result.posting_error}" if result.posting_error else ""),
                  highlight=False)

    @so_app.command("invoice")
    def so_invoice(sales_order_id: Annotated[str, typer.Argument(help="Sales order id.")],
                   as_json: Annotated[bool, JSON_OPTION] = False) -> None:
        """Invoice the delivered, not yet invoiced quantities (Dr receivables / Cr revenue, tax)."""
        from .backend.services import sales

        dbs = open_dbs()
        try:
            result = sales.invoice_sales_order(_context(dbs), sales_order_id)
        finally:
            dbs.dispose()
        if as_json:
            emit_json(_plain(result))
            return
        err.print(f"{result.sales_order_id}: invoiced {result.net_amount} + tax {result.tax_amount} = {result.total} USD "
                  f"in {result.journal_entry_id}; billing {result.billing_status}", highlight=False)

    @so_app.command("release-hold")
    def so_release(sales_order_id: Annotated[str, typer.Argument(help="Sales order id.")],
                   reason: Annotated[str | None, typer.Option("--reason", help="Why (for the audit trail).")] = None,
                   as_json: Annotated[bool, JSON_OPTION] = False) -> None:
        """Release a credit hold (capability sales.release_credit_hold): ATP again, lines confirmed."""
        from .backend.services import sales

        dbs = open_dbs()
        try:
            result = sales.release_credit_hold(_context(dbs), sales_order_id, reason)
        finally:
            dbs.dispose()
        if as_json:
            emit_json(result)
            return
        err.print(f"{result['sales_order_id']}: credit hold released, order confirmed.", highlight=False)


def _print_lines(title: str, rows: list[dict[str, Any]], cols: tuple[str, ...]) -> None:
    table = Table(title=title)
    for col in cols:
        table.add_column(col.replace("_", " "))
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in cols))
    out.print(table)
