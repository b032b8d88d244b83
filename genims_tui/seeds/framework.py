"""The contract between `genims seed`'s runner and the per-database generators.

A generator is a module in genims_tui/seeds/ with:

    DATABASE = "genims_erp_db"                  # the logical database it fills
    DEPENDS = ("genims_master_db", ...)         # databases whose generated rows it reads
    def generate(ctx: SeedContext) -> dict[str, Rows]: ...

`generate` returns, per table of its database (catalog names), either
- a list of row dicts (column name -> value; absent columns are NULL). The runner keeps these in
  `ctx.data[DATABASE][table]`, so later generators can read them (ctx.rows / ctx.ids); or
- a `TableStream` for very large tables (sensor readings): tuples in `columns` order, produced
  lazily while loading and never kept in memory.

Rules every generator keeps (tests check them after a seed):
- deterministic: all randomness from ctx.rng(name) / ctx.faker(name), never `random` or time;
- nothing after ctx.as_of (the seed's "now"); dates causal (a receipt after its PO ...);
- keys in the seeds' style via ctx.key("PO", n) -> "PO-000123"; every reference resolves,
  inside and across logical databases (or is NULL);
- money and quantities as Decimal (ctx.money / ctx.qty), never float.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from faker import Faker

Row = dict[str, Any]


@dataclass
class TableStream:
    """A large table produced lazily: `rows` yields tuples in `columns` order."""

    columns: tuple[str, ...]
    rows: Callable[[], Iterator[tuple]]
    estimated_rows: int = 0


Rows = list[Row] | TableStream


@dataclass
class SeedContext:
    seed: int
    scale: float
    as_of: dt.datetime  # naive UTC; nothing is generated after it
    data: dict[str, dict[str, list[Row]]] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)  # plans generators hand to later ones

    # -- determinism ---------------------------------------------------------------------------

    def rng(self, name: str) -> random.Random:
        """An independent random stream per (seed, name): adding a stream never shifts another."""
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def faker(self, name: str, locale: str | list[str] = "en_US") -> Faker:
        fake = Faker(locale)
        fake.seed_instance(self.rng(f"faker:{name}").getrandbits(64))
        return fake

    # -- volumes -------------------------------------------------------------------------------

    def scaled(self, n: float, minimum: int = 1) -> int:
        """A transactional volume at this scale (master data usually is not scaled)."""
        return max(minimum, int(round(n * self.scale)))

    # -- values --------------------------------------------------------------------------------

    @staticmethod
    def key(prefix: str, n: int, width: int = 6) -> str:
        return f"{prefix}-{n:0{width}d}"

    @staticmethod
    def money(value: float | Decimal | int) -> Decimal:
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @staticmethod
    def qty(value: float | Decimal | int, places: int = 4) -> Decimal:
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def days_ago(self, days: float) -> dt.datetime:
        return self.as_of - dt.timedelta(days=days)

    @property
    def today(self) -> dt.date:
        return self.as_of.date()

    # -- reading what earlier generators made --------------------------------------------------

    def rows(self, database: str, table: str) -> list[Row]:
        try:
            return self.data[database][table]
        except KeyError:
            raise KeyError(f"{database}.{table} has not been generated (missing from DEPENDS?)") from None

    def ids(self, database: str, table: str, column: str) -> list[Any]:
        return [r[column] for r in self.rows(database, table)]


def q4(v) -> Decimal:
    """A quantity with 4 decimals (floats by their shortest repr, so 0.1 stays 0.1000)."""
    if not isinstance(v, Decimal):
        v = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    return v.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def midnight(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day)


def hours(x: float) -> dt.timedelta:
    """A whole-second timedelta (timestamps without microseconds)."""
    return dt.timedelta(seconds=int(x * 3600))


def days(x: float) -> dt.timedelta:
    return dt.timedelta(seconds=int(x * 86400))


def pick(rng: random.Random, items: list, weights: Iterable[float] | None = None):
    return rng.choices(items, weights=list(weights) if weights is not None else None, k=1)[0]
