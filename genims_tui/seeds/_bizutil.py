"""Helpers shared by the business generators (crm, service, quality, supplier, financial).

Also the few identifiers two of those generators must agree on (the financial chart of accounts,
which supplier invoice lines reference before financial runs).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

D0 = Decimal("0.00")
CENT = Decimal("0.01")

# --------------------------------------------------------------------------------------------
# Financial chart of accounts: (code, name, type, subtype, statement, normal balance, parent code)
# account_id = "GLA-<code>"; supplier invoice lines reference these before financial runs. A superset
# of the finance service's STANDARD_CHART (same codes and ids), so installing it adds nothing.
# --------------------------------------------------------------------------------------------

CHART: list[tuple[str, str, str, str, str, str, str | None]] = [
    ("1000", "Assets", "asset", "header", "balance_sheet", "debit", None),
    ("1100", "Cash and Bank", "asset", "cash", "balance_sheet", "debit", "1000"),
    ("1200", "Accounts Receivable", "asset", "receivable", "balance_sheet", "debit", "1000"),
    ("1250", "Input VAT Recoverable", "asset", "tax", "balance_sheet", "debit", "1000"),
    ("1300", "Raw Material Inventory", "asset", "inventory", "balance_sheet", "debit", "1000"),
    ("1310", "Work in Process", "asset", "inventory", "balance_sheet", "debit", "1000"),
    ("1320", "Finished Goods Inventory", "asset", "inventory", "balance_sheet", "debit", "1000"),
    ("1500", "Property, Plant and Equipment", "asset", "fixed_asset", "balance_sheet", "debit", "1000"),
    ("1510", "Accumulated Depreciation", "asset", "contra_asset", "balance_sheet", "credit", "1000"),
    ("1900", "Intercompany Receivable", "asset", "intercompany", "balance_sheet", "debit", "1000"),
    ("2000", "Liabilities", "liability", "header", "balance_sheet", "credit", None),
    ("2100", "Accounts Payable", "liability", "payable", "balance_sheet", "credit", "2000"),
    ("2150", "GR/IR Clearing", "liability", "clearing", "balance_sheet", "credit", "2000"),
    ("2200", "Sales Tax Payable", "liability", "tax", "balance_sheet", "credit", "2000"),
    ("2300", "Accrued Payroll", "liability", "accrual", "balance_sheet", "credit", "2000"),
    ("2400", "Accrued Expenses", "liability", "accrual", "balance_sheet", "credit", "2000"),
    ("2900", "Intercompany Payable", "liability", "intercompany", "balance_sheet", "credit", "2000"),
    ("3000", "Equity", "equity", "header", "balance_sheet", "credit", None),
    ("3100", "Share Capital", "equity", "capital", "balance_sheet", "credit", "3000"),
    ("3200", "Retained Earnings", "equity", "retained_earnings", "balance_sheet", "credit", "3000"),
    ("4000", "Revenue", "revenue", "header", "income_statement", "credit", None),
    ("4100", "Product Sales Revenue", "revenue", "sales", "income_statement", "credit", "4000"),
    ("4200", "Service Revenue", "revenue", "sales", "income_statement", "credit", "4000"),
    ("5000", "Cost of Goods Sold", "expense", "cogs", "income_statement", "debit", None),
    ("5100", "Manufacturing Variance", "expense", "variance", "income_statement", "debit", "5000"),
    ("5200", "Applied Labor and Overhead", "expense", "absorption", "income_statement", "debit", "5000"),
    ("5300", "Inventory Adjustments", "expense", "inventory_adjustment", "income_statement", "debit", "5000"),
    ("5400", "Purchase Price Variance", "expense", "variance", "income_statement", "debit", "5000"),
    ("6000", "Operating Expenses", "expense", "header", "income_statement", "debit", None),
    ("6100", "Salaries and Wages", "expense", "payroll", "income_statement", "debit", "6000"),
    ("6200", "Depreciation Expense", "expense", "depreciation", "income_statement", "debit", "6000"),
    ("6300", "Utilities", "expense", "utilities", "income_statement", "debit", "6000"),
    ("6400", "Maintenance and Repairs", "expense", "maintenance", "income_statement", "debit", "6000"),
    ("6500", "Freight and Logistics", "expense", "logistics", "income_statement", "debit", "6000"),
    ("6600", "Quality Costs", "expense", "quality", "income_statement", "debit", "6000"),
]

HEADER_CODES = {"1000", "2000", "3000", "4000", "6000"}


def account_id(code: str) -> str:
    return f"GLA-{int(code):06d}"


# --------------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------------


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def q(value: Any, places: int = 4) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def at(day: dt.date, rng: random.Random, start_hour: int = 8, end_hour: int = 17) -> dt.datetime:
    """A working-hours moment on `day`."""
    return dt.datetime.combine(day, dt.time(0)) + dt.timedelta(
        seconds=rng.randint(start_hour * 3600, end_hour * 3600 - 1)
    )


def between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    if end <= start:
        return start
    span = int((end - start).total_seconds())
    return start + dt.timedelta(seconds=rng.randint(0, span))


def clamp(value: dt.datetime, limit: dt.datetime) -> dt.datetime:
    return value if value <= limit else limit


def as_dt(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9))
    return None


def as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def dec(value: Any, default: str = "0") -> Decimal:
    if value is None:
        return Decimal(default)
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def by_role(employees: Iterable[dict], *roles: str) -> list[dict]:
    wanted = set(roles)
    return [e for e in employees if e.get("role") in wanted]


def ids_or(rows: list[dict], column: str, fallback: list) -> list:
    out = [r[column] for r in rows]
    return out if out else list(fallback)


# --------------------------------------------------------------------------------------------
# password hashes: real scrypt of a random password
# --------------------------------------------------------------------------------------------

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def _scrypt(args: tuple[bytes, bytes]) -> str:
    password, salt = args
    digest = hashlib.scrypt(password, salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def scrypt_hashes(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` (hash, salt_b64) pairs of random passwords nobody keeps (deterministic per rng)."""
    jobs = []
    for _ in range(count):
        password = "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%") for _ in range(18))
        salt = rng.getrandbits(128).to_bytes(16, "big")
        jobs.append((password.encode(), salt))
    with ThreadPoolExecutor(max_workers=4) as ex:
        hashes = list(ex.map(_scrypt, jobs))
    return [(h, base64.b64encode(salt).decode()) for h, (_, salt) in zip(hashes, jobs, strict=True)]


def token(rng: random.Random, nbytes: int = 16) -> str:
    return rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()
