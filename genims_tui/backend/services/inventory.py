"""ERP stock movements: the one place that changes inventory_balances, always with its transaction.

Every receipt, issue, delivery, production receipt and adjustment goes through `post_movement`
inside the caller's ERP transaction, so a balance always equals the signed sum of its
inventory_transactions (stock is conserved) and never goes below zero. The ERP -> WMS sync picks the
movements up from inventory_transactions (their transaction_id is the queue's source reference), so a
movement is never lost between the two databases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update

from ..errors import DomainError
from ..models.erp import InventoryBalances, InventoryTransactions
from .base import ServiceContext

ERP = "genims_erp_db"
D0 = Decimal("0")
STOCK_TYPES = ("unrestricted", "quality_inspection", "blocked")
_COLUMN = {"unrestricted": "unrestricted_stock", "quality_inspection": "quality_inspection_stock",
           "blocked": "blocked_stock"}


def _dec(value: Any) -> Decimal:
    return D0 if value is None else (value if isinstance(value, Decimal) else Decimal(str(value)))


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Movement:
    transaction_id: str
    material_id: str
    plant_id: str
    storage_location: str
    batch_number: str | None
    quantity: Decimal  # signed: receipts positive, issues negative
    amount: Decimal  # signed stock value moved
    stock_type: str
    balance_after: Decimal  # total stock of the key after the movement


def total_stock(row) -> Decimal:
    return _dec(row.unrestricted_stock) + _dec(row.quality_inspection_stock) + _dec(row.blocked_stock)


def post_movement(
    ctx: ServiceContext,
    conn: Connection,
    *,
    material_id: str,
    plant_id: str,
    storage_location: str,
    batch_number: str | None,
    quantity: Decimal,
    transaction_type: str,
    movement_type: str,
    posting_date: dt.date,
    amount: Decimal | None = None,
    stock_type: str = "unrestricted",
    unit_of_measure: str | None = None,
    material_document: str | None = None,
    references: dict[str, Any] | None = None,
    reason_code: str | None = None,
    reason_text: str | None = None,
    transaction_id: str | None = None,
) -> Movement:
    """Move `quantity` (signed) of one stock key, in the caller's ERP transaction.

    `amount` is the signed value moved; when None an issue is valued at the key's moving average
    price (a receipt needs an amount). Refuses to take a key below zero, naming what is there.
    """
    if stock_type not in STOCK_TYPES:
        raise DomainError(f"Stock type {stock_type!r} is not one of {', '.join(STOCK_TYPES)}.")
    if quantity == 0:
        raise DomainError("A stock movement needs a quantity other than 0.")
    ib = InventoryBalances
    key = and_(ib.material_id == material_id, ib.plant_id == plant_id, ib.storage_location == storage_location,
               ib.batch_number.is_(None) if batch_number is None else ib.batch_number == batch_number)
    query = select(ib).where(key)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    column = _COLUMN[stock_type]
    have = _dec(getattr(row, column)) if row is not None else D0
    if have + quantity < 0:
        where = f"{material_id} at {plant_id}/{storage_location}" + (f" batch {batch_number}" if batch_number else "")
        raise DomainError(
            f"Not enough {stock_type.replace('_', ' ')} stock of {where}: {have.normalize()} there, "
            f"{(-quantity).normalize()} asked.",
            "Move or receive stock first, or take a smaller quantity.",
        )
    price = _dec(row.moving_average_price) if row is not None else D0
    if amount is None:
        if quantity > 0 and price == 0:
            raise DomainError(f"A receipt of {material_id} needs a value (no moving average price yet).")
        amount = _money(quantity * price)
    now = ctx.now()
    transaction_id = transaction_id or ctx.next_key("ITX", InventoryTransactions.__table__, "transaction_id", ERP)
    refs = references or {}
    conn.execute(insert(InventoryTransactions).values(
        transaction_id=transaction_id, material_document=material_document or transaction_id, document_item=1,
        transaction_type=transaction_type, movement_type=movement_type, posting_date=posting_date,
        document_date=posting_date, material_id=material_id, plant_id=plant_id, storage_location=storage_location,
        batch_number=batch_number, quantity=quantity, unit_of_measure=unit_of_measure, amount=amount,
        reason_code=reason_code, reason_text=reason_text, cancelled=False, reversal_indicator=False,
        created_by=ctx.user.user_id[:50], created_at=now, **refs,
    ))
    dates = {"last_goods_receipt_date": posting_date} if quantity > 0 else {"last_goods_issue_date": posting_date}
    if row is None:
        balance_id = ctx.next_key("IB", ib.__table__, "balance_id", ERP)
        values = {c: D0 for c in _COLUMN.values()}
        values[column] = quantity
        conn.execute(insert(ib).values(
            balance_id=balance_id, material_id=material_id, plant_id=plant_id, storage_location=storage_location,
            batch_number=batch_number, consignment_stock=D0, in_transit_stock=D0, stock_value=amount,
            moving_average_price=(amount / quantity).quantize(Decimal("0.0001")), updated_at=now, **values, **dates))
        after = quantity
    else:
        after = total_stock(row) + quantity
        value = _money(_dec(row.stock_value) + amount)
        new_price = (value / after).quantize(Decimal("0.0001")) if after > 0 and quantity > 0 else row.moving_average_price
        if after == 0:
            value = D0
        conn.execute(update(ib).where(ib.balance_id == row.balance_id).values(
            **{column: have + quantity}, stock_value=value, moving_average_price=new_price, updated_at=now, **dates))
    return Movement(transaction_id, material_id, plant_id, storage_location, batch_number, quantity, amount,
                    stock_type, after)


def transfer_stock_type(
    ctx: ServiceContext, conn: Connection, *, material_id: str, plant_id: str, storage_location: str,
    batch_number: str | None, quantity: Decimal, from_type: str, to_type: str, posting_date: dt.date,
    movement_type: str = "321", references: dict[str, Any] | None = None,
) -> tuple[Movement, Movement]:
    """Move stock between stock types of one key (e.g. quality inspection -> unrestricted after a
    passed inspection): two transactions, net zero, value unchanged."""
    if quantity <= 0:
        raise DomainError("A transfer needs a quantity above 0.")
    out = post_movement(ctx, conn, material_id=material_id, plant_id=plant_id, storage_location=storage_location,
                        batch_number=batch_number, quantity=-quantity, transaction_type="stock_transfer",
                        movement_type=movement_type, posting_date=posting_date, stock_type=from_type,
                        references=references)
    into = post_movement(ctx, conn, material_id=material_id, plant_id=plant_id, storage_location=storage_location,
                         batch_number=batch_number, quantity=quantity, transaction_type="stock_transfer",
                         movement_type=movement_type, posting_date=posting_date, stock_type=to_type,
                         amount=-out.amount, references=references)
    return out, into
